"""Signing with a key that never leaves a USB token or an HSM, through the token's PKCS#11 module (its driver).

No Flask and no database here. `open_token_signer` logs in to a token and yields a pyHanko `Signer` that the
PAdES functions in `app.signing.pdf` take like any other; `check_token` tries the PIN (and optionally the key)
without signing anything; `list_tokens` says which tokens a module sees. Every failure is a `TokenError` whose
`code` (a `TokenErrorCode`) says what went wrong, for the caller to map onto its own error vocabulary.

Things to know about PKCS#11 in one process:

* A module is loaded and initialised (C_Initialize) once per process and stays loaded: python-pkcs11 keeps one
  `pkcs11.lib` per path *string*. Two spellings of the same file (a symlink, `..`) make the second
  C_Initialize fail, so every path goes through `load_module`, which resolves it first. Code that loads a
  module some other way (pyHanko's `open_pkcs11_session`, `PKCS11SigningContext`) must use the same resolved path.
* Some modules (SoftHSM2, several vendor drivers) list their tokens only at C_Initialize: a token that appears
  later is not seen until the module is initialised again (`pkcs11.lib(path).reinitialize()`, which also ends
  every open session of the process on that module).
* python-pkcs11 initialises modules with C_Initialize(NULL), which promises the module that it is never called
  from two threads at once. So everything done with one module, from opening the session to closing it, holds
  a lock of that module: a second signer on the same module waits until the first one's `with` block ends
  (at most LOCK_WAIT_SECONDS, then `token_busy`).
* PKCS#11 keeps the login per token and per process, not per session; the lock also keeps two logins apart.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import pkcs11
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass, Session, Token, TokenFlag
from pyhanko.sign.pkcs11 import PKCS11Signer
from pyhanko_certvalidator.sig_validate import DefaultSignatureValidator

if TYPE_CHECKING:
    from pkcs11._pkcs11 import lib as Library  # noqa: N812 - python-pkcs11 names its class `lib`

logger = logging.getLogger(__name__)


class TokenErrorCode(StrEnum):
    MODULE_MISSING = "module_missing"  # no file at the module path (or the path is not absolute)
    MODULE_INVALID = "module_invalid"  # the file is not a PKCS#11 library
    MODULE_FAILED = "module_failed"  # the library refused to start (C_Initialize failed)
    TOKEN_NOT_FOUND = "token_not_found"  # no token with that label (and serial) is plugged in
    TOKEN_AMBIGUOUS = "token_ambiguous"  # several tokens carry that label
    TOKEN_REMOVED = "token_removed"  # the token went away while in use
    TOKEN_BUSY = "token_busy"  # the token is open in this thread already, or another thread kept the module too long
    PIN_MISSING = "pin_missing"  # no PIN given; the token was not asked
    PIN_WRONG = "pin_wrong"  # CKR_PIN_INCORRECT (also CKR_PIN_LEN_RANGE, CKR_PIN_INVALID)
    PIN_LOCKED = "pin_locked"  # CKR_PIN_LOCKED, or the token says its user PIN is locked
    PIN_EXPIRED = "pin_expired"  # CKR_PIN_EXPIRED: change the PIN with the token's own tool first
    KEY_NOT_FOUND = "key_not_found"  # no private signing key with that label
    KEY_AMBIGUOUS = "key_ambiguous"  # several signing keys and no label to choose
    CERT_NOT_FOUND = "cert_not_found"  # no certificate for the key on the token, and none given
    CERT_AMBIGUOUS = "cert_ambiguous"  # several certificates match
    KEY_MISMATCH = "key_mismatch"  # the certificate does not belong to the key (seen by `check_token(probe=True)`)
    TOKEN_FAILED = "token_failed"  # any other PKCS#11 error


class TokenError(Exception):
    """A token could not be used. `code` says why; `message` says it to a person (English); `details` add facts."""

    def __init__(self, code: TokenErrorCode, message: str, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details


class TokenModuleError(TokenError):
    """The PKCS#11 module (driver) is missing, is not one, or does not start: a matter for the administrator."""


class TokenNotFound(TokenError):
    """The token, its key or its certificate is not there."""


class TokenPinError(TokenError):
    """The PIN is missing, wrong, locked or expired."""


@dataclass(frozen=True)
class TokenInfo:
    label: str
    serial: str
    manufacturer: str
    model: str
    pin_count_low: bool  # a wrong PIN was entered since the last good one
    pin_final_try: bool  # one more wrong PIN locks the token
    pin_locked: bool


@dataclass(frozen=True)
class TokenCheck:
    """What `check_token` found: the PIN opened the token, and this key and certificate are there."""

    token: TokenInfo
    key_label: str | None
    key_id: str | None  # hex of CKA_ID
    certificate: x509.Certificate
    probed: bool  # a test signature was made and verified with the certificate


# --- Modules ------------------------------------------------------------------------------------------------

_locks: dict[str, threading.RLock] = {}
_locks_guard = threading.Lock()
_in_use: set[tuple[str, int]] = set()  # (module path, slot id) with a session of ours; guarded by the module lock


LOCK_WAIT_SECONDS = 120.0  # how long a thread waits for another one's signing on the same module


@contextmanager
def _holding(path: str) -> Iterator[None]:
    """The module's lock (re-entrant within a thread), or `token_busy` after LOCK_WAIT_SECONDS."""
    with _locks_guard:
        lock = _locks.setdefault(path, threading.RLock())
    if not lock.acquire(timeout=LOCK_WAIT_SECONDS):
        raise TokenError(
            TokenErrorCode.TOKEN_BUSY,
            "The token driver is busy with another signing. Try again in a moment.",
            module=path,
        )
    try:
        yield
    finally:
        lock.release()


def module_path(module: str) -> str:
    """The one spelling of a module's path this process uses; `TokenModuleError` when there is no such file.

    Never take a module path from a request: loading a library runs its code in this process.
    """
    if not module or not os.path.isabs(module):
        raise TokenModuleError(
            TokenErrorCode.MODULE_MISSING,
            f"The token driver path {module!r} is not an absolute path.",
            module=module,
        )
    path = os.path.realpath(module)
    if not os.path.isfile(path):
        raise TokenModuleError(
            TokenErrorCode.MODULE_MISSING,
            f"The token driver (PKCS#11 module) {module} does not exist.",
            module=module,
        )
    return path


def load_module(module: str) -> Library:
    """The initialised python-pkcs11 library for a module path (loaded on first use, then kept)."""
    path = module_path(module)
    try:
        return pkcs11.lib(path)
    except pkcs11.PKCS11Error as exc:
        # python-pkcs11 reports dlopen/dlsym failures as a bare PKCS11Error with this text, and a failing
        # C_Initialize as one of its subclasses.
        if type(exc) is pkcs11.PKCS11Error and str(exc).startswith(("OS exception", "Unknown exception")):
            raise TokenModuleError(
                TokenErrorCode.MODULE_INVALID,
                f"{module} is not a PKCS#11 module (token driver).",
                module=module,
                reason=str(exc),
            ) from exc
        raise TokenModuleError(
            TokenErrorCode.MODULE_FAILED,
            f"The token driver {module} could not start ({type(exc).__name__}).",
            module=module,
            reason=type(exc).__name__,
        ) from exc


class _Version(ctypes.Structure):
    _fields_ = (("major", ctypes.c_ubyte), ("minor", ctypes.c_ubyte))


# CK_FUNCTION_LIST up to C_CloseAllSessions, in the order of pkcs11f.h. Cryptoki packs its structures to one
# byte on Windows; CK_ULONG is C's unsigned long everywhere, which ctypes.c_ulong is.
_FUNCTIONS_BEFORE_CLOSE_ALL = 14


class _FunctionList(ctypes.Structure):
    if os.name == "nt":
        _pack_ = 1
    _fields_ = (
        ("version", _Version),
        *((f"f{i}", ctypes.c_void_p) for i in range(_FUNCTIONS_BEFORE_CLOSE_ALL)),
        ("C_CloseAllSessions", ctypes.c_void_p),
    )


_close_all_cache: dict[str, Any] = {}


def _close_all_sessions(path: str, slot_id: int) -> None:
    """C_CloseAllSessions on a slot, which python-pkcs11 does not offer.

    python-pkcs11's `Token.open` leaves the session it opened behind when C_Login then fails (a wrong PIN), and
    `Session.close` leaves it open when C_Logout fails. Callers hold the module's lock, so no other session of
    ours is open on the slot. Best effort: failures are logged, never raised.
    """
    try:
        close_all = _close_all_cache.get(path)
        if close_all is None:
            library = ctypes.CDLL(path)  # the same loaded instance python-pkcs11 uses
            get_function_list = library.C_GetFunctionList
            get_function_list.restype = ctypes.c_ulong
            get_function_list.argtypes = (ctypes.POINTER(ctypes.POINTER(_FunctionList)),)
            functions = ctypes.POINTER(_FunctionList)()
            rv = get_function_list(ctypes.byref(functions))
            if rv != 0 or not functions or not functions.contents.C_CloseAllSessions:
                logger.warning("C_GetFunctionList of %s failed (0x%x)", path, rv)
                return
            close_all = ctypes.CFUNCTYPE(ctypes.c_ulong, ctypes.c_ulong)(functions.contents.C_CloseAllSessions)
            _close_all_cache[path] = close_all
        rv = close_all(slot_id)
        if rv != 0:
            logger.warning("C_CloseAllSessions on slot %s of %s failed (0x%x)", slot_id, path, rv)
    except (OSError, AttributeError, ctypes.ArgumentError):
        logger.warning("could not close the sessions on slot %s of %s", slot_id, path, exc_info=True)


# --- Errors -------------------------------------------------------------------------------------------------

_REMOVED = (pkcs11.DeviceRemoved, pkcs11.TokenNotPresent, pkcs11.SessionClosed, pkcs11.SessionHandleInvalid)
_WRONG_PIN = (pkcs11.PinIncorrect, pkcs11.PinLenRange, pkcs11.PinInvalid)


def translate_error(exc: pkcs11.PKCS11Error, *, token_label: str | None = None) -> TokenError:
    """The `TokenError` for a python-pkcs11 error (for code that talks to a module directly)."""
    name = type(exc).__name__
    if isinstance(exc, _WRONG_PIN):
        return TokenPinError(TokenErrorCode.PIN_WRONG, "The PIN is wrong.", token=token_label)
    if isinstance(exc, pkcs11.PinLocked):
        return TokenPinError(
            TokenErrorCode.PIN_LOCKED,
            "The token's PIN is locked after too many wrong tries. Unlock it with the PUK (SO PIN) "
            "or ask the certificate authority that issued it.",
            token=token_label,
        )
    if isinstance(exc, pkcs11.PinExpired):
        return TokenPinError(
            TokenErrorCode.PIN_EXPIRED,
            "The token's PIN has expired. Change it with the token's own tool, then try again.",
            token=token_label,
        )
    if isinstance(exc, _REMOVED):
        return TokenError(
            TokenErrorCode.TOKEN_REMOVED,
            "The token was removed while it was in use. Plug it in and try again.",
            token=token_label,
            reason=name,
        )
    labelled = f" labelled {token_label!r}" if token_label is not None else ""
    if isinstance(exc, pkcs11.NoSuchToken):
        return TokenNotFound(TokenErrorCode.TOKEN_NOT_FOUND, f"No token{labelled} is plugged in.", token=token_label)
    if isinstance(exc, pkcs11.MultipleTokensReturned):
        return TokenError(
            TokenErrorCode.TOKEN_AMBIGUOUS,
            f"More than one token{labelled} is plugged in. Unplug the others and try again.",
            token=token_label,
        )
    return TokenError(
        TokenErrorCode.TOKEN_FAILED,
        f"The token reported an error ({name}).",
        token=token_label,
        reason=name,
    )


def _pkcs11_cause(exc: BaseException) -> pkcs11.PKCS11Error | None:
    """The PKCS#11 error behind an exception, if any (pyHanko sometimes wraps them)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, pkcs11.PKCS11Error):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


# --- Tokens -------------------------------------------------------------------------------------------------


def _info(token: Token) -> TokenInfo:
    flags = TokenFlag(token.flags)
    serial = token.serial
    return TokenInfo(
        label=token.label,
        serial=serial.decode("ascii", "replace") if isinstance(serial, bytes) else str(serial),
        manufacturer=token.manufacturer_id,
        model=token.model,
        pin_count_low=bool(flags & TokenFlag.USER_PIN_COUNT_LOW),
        pin_final_try=bool(flags & TokenFlag.USER_PIN_FINAL_TRY),
        pin_locked=bool(flags & TokenFlag.USER_PIN_LOCKED),
    )


def list_tokens(module: str) -> list[TokenInfo]:
    """The tokens the module sees now (label, serial, maker, PIN state); no PIN needed."""
    path = module_path(module)
    with _holding(path):
        lib = load_module(module)
        try:
            return [_info(token) for token in lib.get_tokens()]
        except pkcs11.PKCS11Error as exc:
            raise translate_error(exc) from exc


def _find_token(lib: Library, token_label: str, token_serial: str | None) -> Token:
    criteria: dict[str, Any] = {"token_label": token_label}
    if token_serial is not None:
        criteria["token_serial"] = token_serial.encode()
    try:
        return lib.get_token(**criteria)
    except pkcs11.NoSuchToken as exc:
        raise TokenNotFound(
            TokenErrorCode.TOKEN_NOT_FOUND,
            f"No token labelled {token_label!r}"
            + (f" with serial number {token_serial}" if token_serial else "")
            + " is plugged in.",
            token=token_label,
        ) from exc
    except pkcs11.PKCS11Error as exc:
        raise translate_error(exc, token_label=token_label) from exc


def _wrong_pin(lib: Library, token: Token, token_label: str) -> TokenPinError:
    """The wrong-PIN error, saying how close the token now is to locking."""
    try:
        after = _info(_find_token(lib, token_label, _serial_of(token)))
    except TokenError:
        after = None
    if after is not None and after.pin_locked:
        error = translate_error(pkcs11.PinLocked(), token_label=token_label)
        assert isinstance(error, TokenPinError)
        return error
    message = "The PIN is wrong."
    if after is not None and after.pin_final_try:
        message += " One more wrong PIN will lock the token."
    return TokenPinError(
        TokenErrorCode.PIN_WRONG,
        message,
        token=token_label,
        final_try=bool(after and after.pin_final_try),
        count_low=bool(after and after.pin_count_low),
    )


def _serial_of(token: Token) -> str | None:
    serial = token.serial
    return serial.decode("ascii", "replace") if isinstance(serial, bytes) and serial else None


def _login(path: str, lib: Library, token: Token, token_label: str, pin: str) -> Session:
    """A logged-in session; the caller holds the module's lock and must `_close` it."""
    slot_id = token.slot.slot_id
    if (path, slot_id) in _in_use:
        # PKCS#11 logins are per token and process: a second login would fail and cleaning up after it would
        # end the first session too.
        raise TokenError(
            TokenErrorCode.TOKEN_BUSY,
            "The token is already in use. Finish the signing in progress first.",
            token=token_label,
        )
    if TokenFlag(token.flags) & TokenFlag.USER_PIN_LOCKED:
        raise translate_error(pkcs11.PinLocked(), token_label=token_label)
    try:
        session = token.open(user_pin=pin)
    except pkcs11.PKCS11Error as exc:
        _close_all_sessions(path, slot_id)
        if isinstance(exc, _WRONG_PIN):
            raise _wrong_pin(lib, token, token_label) from exc
        raise translate_error(exc, token_label=token_label) from exc
    _in_use.add((path, slot_id))
    return session


def _close(path: str, session: Session) -> None:
    slot_id = session.token.slot.slot_id
    try:
        session.close()
    except pkcs11.PKCS11Error:
        logger.warning("closing the PKCS#11 session failed; closing every session on the slot", exc_info=True)
        _close_all_sessions(path, slot_id)
    finally:
        _in_use.discard((path, slot_id))


def _attribute(obj: Any, attribute: Attribute, default: Any = None) -> Any:
    try:
        return obj[attribute]
    except (pkcs11.AttributeTypeInvalid, pkcs11.AttributeSensitive, KeyError):
        return default


def _find_key(session: Session, key_label: str | None) -> Any:
    query: dict[Attribute, Any] = {Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.SIGN: True}
    if key_label is not None:
        query[Attribute.LABEL] = key_label
    keys = list(session.get_objects(query))
    if not keys:
        where = f" labelled {key_label!r}" if key_label is not None else ""
        raise TokenNotFound(TokenErrorCode.KEY_NOT_FOUND, f"The token has no signing key{where}.", key_label=key_label)
    if len(keys) > 1:
        raise TokenError(
            TokenErrorCode.KEY_AMBIGUOUS,
            "The token holds several signing keys"
            + (f" labelled {key_label!r}" if key_label is not None else "")
            + ". Choose one by its label.",
            key_label=key_label,
            labels=sorted(str(_attribute(key, Attribute.LABEL, "")) for key in keys),
        )
    return keys[0]


def _find_certificate(session: Session, key: Any, cert_label: str | None) -> asn1_x509.Certificate:
    """The key's certificate on the token: by `cert_label`, else by the key's CKA_ID, else by the key's label."""
    base: dict[Attribute, Any] = {Attribute.CLASS: ObjectClass.CERTIFICATE}
    key_id = _attribute(key, Attribute.ID) or None
    key_label = _attribute(key, Attribute.LABEL) or None
    if cert_label is not None:
        queries = [{**base, Attribute.LABEL: cert_label}]
    else:
        queries = []
        if key_id is not None:
            queries.append({**base, Attribute.ID: key_id})
        if key_label is not None:
            queries.append({**base, Attribute.LABEL: key_label})
    for query in queries:
        found = list(session.get_objects(query))
        if len(found) == 1:
            return asn1_x509.Certificate.load(found[0][Attribute.VALUE])
        if len(found) > 1:
            raise TokenError(
                TokenErrorCode.CERT_AMBIGUOUS,
                "The token holds several certificates for this key. Name the certificate to use.",
                cert_label=cert_label,
            )
    raise TokenNotFound(
        TokenErrorCode.CERT_NOT_FOUND,
        f"The token has no certificate labelled {cert_label!r}."
        if cert_label is not None
        else "The token has no certificate for its signing key.",
        cert_label=cert_label,
        key_label=key_label,
    )


def _to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _raw_ecdsa(token: Token, key: Any) -> bool:
    """Hash in software and have the token sign the digest (CKM_ECDSA) when it lacks CKM_ECDSA_SHA*.

    SoftHSM2 2.6 and many smart cards only offer CKM_ECDSA; for ECDSA the result is the same signature.
    """
    if _attribute(key, Attribute.KEY_TYPE) != KeyType.EC:
        return False
    try:
        mechanisms = token.slot.get_mechanisms()
    except pkcs11.PKCS11Error:
        return True
    hashed = {Mechanism.ECDSA_SHA256, Mechanism.ECDSA_SHA384, Mechanism.ECDSA_SHA512}
    return not hashed <= set(mechanisms) and Mechanism.ECDSA in mechanisms


@dataclass
class _Opened:
    signer: PKCS11Signer
    token: TokenInfo
    key_label: str | None
    key_id: str | None
    certificate: asn1_x509.Certificate


@contextmanager
def _opened(
    module: str,
    token_label: str,
    pin: str,
    *,
    key_label: str | None,
    cert_label: str | None,
    certificate: x509.Certificate | None,
    other_certs: Sequence[x509.Certificate],
    token_serial: str | None,
) -> Iterator[_Opened]:
    path = module_path(module)
    if not token_label:
        raise TokenNotFound(TokenErrorCode.TOKEN_NOT_FOUND, "No token label was given.", token=token_label)
    if not pin:
        raise TokenPinError(TokenErrorCode.PIN_MISSING, "Enter the token's PIN.", token=token_label)
    key_label = key_label or None
    cert_label = cert_label or None
    with _holding(path):
        lib = load_module(module)
        token = _find_token(lib, token_label, token_serial)
        session = _login(path, lib, token, token_label, pin)
        try:
            try:
                key = _find_key(session, key_label)
                if certificate is not None:
                    signing_cert = _to_asn1(certificate)
                else:
                    signing_cert = _find_certificate(session, key, cert_label)
                found_label = _attribute(key, Attribute.LABEL) or None
                found_id = _attribute(key, Attribute.ID) or None
                sign_kwargs = {"pin": pin} if _attribute(key, Attribute.ALWAYS_AUTHENTICATE, False) else None
                signer = PKCS11Signer(
                    session,
                    key_label=found_label,
                    key_id=found_id,
                    signing_cert=signing_cert,
                    ca_chain=[_to_asn1(cert) for cert in other_certs],
                    use_raw_mechanism=_raw_ecdsa(token, key),
                    base_sign_kwargs=sign_kwargs,
                )
                _ = signer.signing_cert  # makes pyHanko look the key up now, inside this error handling
                opened = _Opened(
                    signer=signer,
                    token=_info(_find_token(lib, token_label, token_serial)),  # the PIN counters after login
                    key_label=found_label,
                    key_id=found_id.hex() if found_id else None,
                    certificate=signing_cert,
                )
                yield opened
            except TokenError:
                raise
            except Exception as exc:
                cause = _pkcs11_cause(exc)
                if cause is None:
                    raise
                raise translate_error(cause, token_label=token_label) from exc
        finally:
            _close(path, session)


@contextmanager
def open_token_signer(
    module: str,
    token_label: str,
    key_label: str | None,
    pin: str,
    cert_label: str | None = None,
    other_certs: Sequence[x509.Certificate] = (),
    *,
    certificate: x509.Certificate | None = None,
    token_serial: str | None = None,
) -> Iterator[PKCS11Signer]:
    """Log in to a token and yield a pyHanko signer for its key; the session is closed when the block ends.

    `key_label`: the private key's label (CKA_LABEL); None or "" when the token holds exactly one signing key.
    The certificate: `certificate` when given (it then need not be on the token), else the certificate on the
    token labelled `cert_label`, else the one with the key's CKA_ID, else the one with the key's label.
    `other_certs`: the chain to embed (intermediate and root CA). `token_serial` picks among tokens with the
    same label. PKCS#11 errors inside the block, while signing, are raised as `TokenError` too.

        with open_token_signer(module, "VNPT-CA", "signing", pin) as signer:
            signed = sign_as_leader(pdf, signer, ...)

    Use the signer only inside the block: its session is closed afterwards.
    """
    with _opened(
        module,
        token_label,
        pin,
        key_label=key_label,
        cert_label=cert_label,
        certificate=certificate,
        other_certs=other_certs,
        token_serial=token_serial,
    ) as opened:
        yield opened.signer


def check_token(
    module: str,
    token_label: str,
    key_label: str | None,
    pin: str,
    cert_label: str | None = None,
    *,
    certificate: x509.Certificate | None = None,
    token_serial: str | None = None,
    probe: bool = False,
) -> TokenCheck:
    """Log in and find the key and certificate, without signing a document; raises `TokenError` as signing would.

    With `probe`, the token also signs 32 random bytes, and the signature is verified with the certificate's
    public key, which shows that the certificate belongs to the key (`key_mismatch` otherwise). Synchronous:
    do not call it from a running event loop.
    """
    with _opened(
        module,
        token_label,
        pin,
        key_label=key_label,
        cert_label=cert_label,
        certificate=certificate,
        other_certs=(),
        token_serial=token_serial,
    ) as opened:
        if probe:
            _probe(opened)
        return TokenCheck(
            token=opened.token,
            key_label=opened.key_label,
            key_id=opened.key_id,
            certificate=x509.load_der_x509_certificate(opened.certificate.dump()),
            probed=probe,
        )


def _probe(opened: _Opened) -> None:
    data = os.urandom(32)
    signer = opened.signer
    signature = asyncio.run(signer.async_sign_raw(data, "sha256"))
    try:
        DefaultSignatureValidator().validate_signature(
            signature, data, opened.certificate.public_key, signer.get_signature_mechanism_for_digest("sha256")
        )
    except InvalidSignature as exc:
        raise TokenError(
            TokenErrorCode.KEY_MISMATCH,
            "The certificate does not belong to the key on the token.",
            key_label=opened.key_label,
        ) from exc
