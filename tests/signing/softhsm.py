"""Real PKCS#11 tokens for tests: SoftHSM2 in a temporary directory, with an EC P-256 key made on the token and a
certificate from our built-in CA stored next to it.

    with softhsm(tmp_path) as hsm:
        token = hsm.create_token("Nguyen Van An")
        with open_token_signer(token.module, token.token_label, token.key_label, token.pin) as signer:
            ...

Or, as a fixture for a test module (or, in a conftest.py, for the session): `hsm = softhsm_fixture("module")`.

Constraints, all from PKCS#11 running inside the test process:

* SoftHSM2 reads SOFTHSM2_CONF when the module is initialised (C_Initialize), and python-pkcs11 initialises a
  module once per process and keeps it (one `pkcs11.lib` per path string). So there is one `SoftHSM` (one conf,
  one token directory) at a time per process; `softhsm()` refuses to nest. Make as many tokens in it as needed,
  each with its own label.
* SoftHSM2 lists its tokens only at C_Initialize. When a new token is not visible yet, `create_token`
  re-initialises the module, which ends every PKCS#11 session of the process on it: create tokens first, never
  inside a `with open_token_signer(...)` block.
* When `softhsm()` ends, the module is finalised and SOFTHSM2_CONF restored, so a later `softhsm()` (another
  directory) is read afresh.
* The module is always loaded through `app.signing.tokens.load_module`, so it has a single path spelling.
* SoftHSM2 2.6 never locks a PIN and only offers raw CKM_ECDSA; a wrong PIN is always just wrong.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pkcs11
import pytest
from asn1crypto import core
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass
from pkcs11.util.ec import encode_ec_public_key, encode_named_curve_parameters

from app.signing.pki import PrivateKey, Subject, issue, make_ca
from app.signing.tokens import load_module

SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"
SOFTHSM_UTIL = "softhsm2-util"
CONF_VARIABLE = "SOFTHSM2_CONF"

USER_PIN = "246810"
SO_PIN = "13579111"

Scope = Literal["session", "package", "module", "class", "function"]

DEFAULT_SUBJECT = Subject(
    common_name="Nguyễn Văn An",
    organisation="Sở Công Thương",
    organisation_code="000.00.31.H99",
    title="Giám đốc",
)


def missing() -> str | None:
    """Why SoftHSM2 cannot be used here, or None when it can."""
    if not os.path.isfile(SOFTHSM_MODULE):
        return f"SoftHSM2 module {SOFTHSM_MODULE} is not installed"
    if shutil.which(SOFTHSM_UTIL) is None:
        return f"{SOFTHSM_UTIL} is not installed"
    return None


@dataclass(frozen=True)
class SoftToken:
    module: str
    token_label: str
    key_label: str
    key_id: bytes
    pin: str
    so_pin: str
    certificate: x509.Certificate  # issued by ca_cert for the key on the token
    ca_cert: x509.Certificate
    ca_key: PrivateKey
    certificate_on_token: bool  # stored on the token with the key's label and CKA_ID


@dataclass
class SoftHSM:
    """One SoftHSM2 configuration and token directory, and the CA that certifies the keys made in it."""

    directory: Path
    module: str = SOFTHSM_MODULE
    tokens: dict[str, SoftToken] = field(default_factory=dict)
    _ca: tuple[PrivateKey, x509.Certificate] | None = field(default=None, init=False, repr=False)

    @property
    def conf(self) -> Path:
        return self.directory / "softhsm2.conf"

    @property
    def token_dir(self) -> Path:
        return self.directory / "tokens"

    @property
    def ca(self) -> tuple[PrivateKey, x509.Certificate]:
        if self._ca is None:
            self._ca = make_ca(Subject("eOffice Test Token CA", organisation="Ban Cơ yếu Thử nghiệm"))
        return self._ca

    def write_conf(self) -> None:
        self.token_dir.mkdir(parents=True, exist_ok=True)
        self.conf.write_text(
            f"directories.tokendir = {self.token_dir}\nobjectstore.backend = file\nlog.level = ERROR\n",
            encoding="utf-8",
        )

    def create_token(
        self,
        label: str,
        *,
        pin: str = USER_PIN,
        so_pin: str = SO_PIN,
        key_label: str = "signing",
        key_id: bytes | None = None,
        subject: Subject = DEFAULT_SUBJECT,
        store_certificate: bool = True,
    ) -> SoftToken:
        """A token labelled `label` (at most 32 bytes) with an EC P-256 key pair generated on it."""
        if label in self.tokens:
            raise ValueError(f"a token labelled {label!r} exists already")
        result = subprocess.run(
            [SOFTHSM_UTIL, "--init-token", "--free", "--label", label, "--so-pin", so_pin, "--pin", pin],
            env={**os.environ, CONF_VARIABLE: str(self.conf)},
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{SOFTHSM_UTIL} --init-token failed: {result.stderr.strip() or result.stdout.strip()}")
        lib = load_module(self.module)
        try:
            token = lib.get_token(token_label=label)
        except pkcs11.NoSuchToken:
            lib.reinitialize()  # SoftHSM2 lists tokens at C_Initialize only
            token = lib.get_token(token_label=label)
        key_id = key_id or os.urandom(8)
        ca_key, ca_cert = self.ca
        with token.open(rw=True, user_pin=pin) as session:
            public, _private = session.generate_keypair(
                KeyType.EC,
                store=True,
                label=key_label,
                id=key_id,
                public_template={Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")},
            )
            public_key = serialization.load_der_public_key(encode_ec_public_key(public))
            certificate = issue(ca_key, ca_cert, subject, public_key)
            if store_certificate:
                put_certificate(session, certificate, label=key_label, object_id=key_id)
        made = SoftToken(
            module=self.module,
            token_label=label,
            key_label=key_label,
            key_id=key_id,
            pin=pin,
            so_pin=so_pin,
            certificate=certificate,
            ca_cert=ca_cert,
            ca_key=ca_key,
            certificate_on_token=store_certificate,
        )
        self.tokens[label] = made
        return made


def put_certificate(session: Any, certificate: x509.Certificate, *, label: str, object_id: bytes) -> None:
    """Store an X.509 certificate object on the token (public, persistent), found by `label` or `object_id`."""
    session.create_object(
        {
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True,
            Attribute.PRIVATE: False,
            Attribute.LABEL: label,
            Attribute.ID: object_id,
            Attribute.SUBJECT: certificate.subject.public_bytes(),
            Attribute.ISSUER: certificate.issuer.public_bytes(),
            Attribute.SERIAL_NUMBER: core.Integer(certificate.serial_number).dump(),
            Attribute.VALUE: certificate.public_bytes(serialization.Encoding.DER),
        }
    )


_active: list[SoftHSM] = []


@contextmanager
def softhsm(directory: Path, module: str = SOFTHSM_MODULE) -> Iterator[SoftHSM]:
    """SoftHSM2 configured in `directory` (which should be empty), with SOFTHSM2_CONF set for the process."""
    if _active:
        raise RuntimeError(
            f"SoftHSM in {_active[0].directory} is still in use: the module reads one SOFTHSM2_CONF per "
            "initialisation, so use one SoftHSM at a time (share it, e.g. as a session fixture)"
        )
    hsm = SoftHSM(directory=directory, module=module)
    hsm.write_conf()
    previous = os.environ.get(CONF_VARIABLE)
    os.environ[CONF_VARIABLE] = str(hsm.conf)
    _active.append(hsm)
    lib = None
    try:
        lib = load_module(module)
        lib.reinitialize()  # it may have been initialised earlier in this process with another configuration
        yield hsm
    finally:
        _active.clear()
        try:
            if lib is not None and lib.initialized:
                lib.finalize()  # the next initialisation reads SOFTHSM2_CONF again
        finally:
            if previous is None:
                os.environ.pop(CONF_VARIABLE, None)
            else:
                os.environ[CONF_VARIABLE] = previous


def softhsm_fixture(scope: Scope = "session", name: str = "hsm") -> Callable[..., Any]:
    """A pytest fixture `name` yielding a `SoftHSM` for the `scope`; assign it to a module-level name."""

    @pytest.fixture(scope=scope, name=name)
    def _hsm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SoftHSM]:
        if reason := missing():
            pytest.fail(f"{reason} (make test installs the Debian package softhsm2)")
        with softhsm(tmp_path_factory.mktemp("softhsm")) as hsm:
            yield hsm

    return _hsm
