"""Signing through PKCS#11 with real SoftHSM2 tokens: PAdES that pyHanko, poppler and qpdf accept, and errors a
person understands (wrong PIN, no such token, key or certificate, no driver)."""

from __future__ import annotations

import ctypes
import io
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import pkcs11
import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from app.signing import tokens
from app.signing.pki import Subject, new_key
from app.signing.tokens import (
    TokenCheck,
    TokenError,
    TokenErrorCode,
    TokenModuleError,
    TokenNotFound,
    TokenPinError,
    check_token,
    list_tokens,
    load_module,
    module_path,
    open_token_signer,
    translate_error,
)
from tests.signing.softhsm import SOFTHSM_MODULE, SoftHSM, SoftToken, softhsm_fixture
from tests.support import make_pdf

hsm = softhsm_fixture("module")

CKR_SESSION_HANDLE_INVALID = 0xB3


@pytest.fixture(scope="module")
def token(hsm: SoftHSM) -> SoftToken:
    return hsm.create_token("Nguyen Van An")


@pytest.fixture(scope="module")
def bare_token(hsm: SoftHSM) -> SoftToken:
    """The key on the token, its certificate only in our database (as when the CA hands it out separately)."""
    return hsm.create_token(
        "Tran Thi Binh",
        key_label="khoa-ky",
        subject=Subject("Trần Thị Bình", organisation="Sở Tài chính", title="Phó Giám đốc"),
        store_certificate=False,
    )


def sign_into(signer: signers.Signer, pdf: bytes, output: io.BytesIO) -> bytes:
    meta = signers.PdfSignatureMetadata(
        field_name="Sig1", subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256"
    )
    signers.PdfSigner(meta, signer=signer).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), output=output)
    return output.getvalue()


def run_on(pdf: bytes, command: list[str]) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "signed.pdf"
        path.write_bytes(pdf)
        return subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=60, check=False)


def assert_valid_pades(signed: bytes, made: SoftToken, common_name: str) -> None:
    reader = PdfFileReader(io.BytesIO(signed))
    (embedded,) = reader.embedded_signatures
    assert embedded.field_name == "Sig1"
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    trust = asn1_x509.Certificate.load(made.ca_cert.public_bytes(serialization.Encoding.DER))
    status = validate_pdf_signature(embedded, ValidationContext(trust_roots=[trust]))
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.md_algorithm == "sha256"
    assert status.signing_cert.dump() == made.certificate.public_bytes(serialization.Encoding.DER)

    pdfsig = run_on(signed, ["/usr/bin/pdfsig"])
    assert "Signature is Valid." in pdfsig.stdout, pdfsig.stdout + pdfsig.stderr
    assert f"Signer Certificate Common Name: {common_name}" in pdfsig.stdout, pdfsig.stdout
    qpdf = run_on(signed, ["/usr/bin/qpdf", "--check"])
    assert qpdf.returncode == 0, qpdf.stdout + qpdf.stderr


def live_sessions(made: SoftToken) -> list[int]:
    """Handles of this process's sessions that SoftHSM2 still has open (its handles only grow)."""
    lib = load_module(made.module)
    with lib.get_token(token_label=made.token_label).open() as fresh:
        newest = fresh.handle
    library = ctypes.CDLL(module_path(made.module))
    info = (ctypes.c_ulong * 4)()
    return [
        handle
        for handle in range(1, newest)
        if library.C_GetSessionInfo(ctypes.c_ulong(handle), ctypes.byref(info)) != CKR_SESSION_HANDLE_INVALID
    ]


def test_a_pdf_signed_on_the_token_is_valid_pades_for_pyhanko_poppler_and_qpdf(token: SoftToken) -> None:
    pdf = make_pdf("Công văn ký bằng USB token")
    with open_token_signer(
        token.module, token.token_label, token.key_label, token.pin, other_certs=[token.ca_cert]
    ) as signer:
        signed = sign_into(signer, pdf, io.BytesIO())
    assert signed.startswith(pdf)  # one incremental update
    assert_valid_pades(signed, token, "Nguyễn Văn An")


def test_the_only_key_on_the_token_needs_no_label_and_the_session_is_closed_afterwards(token: SoftToken) -> None:
    with open_token_signer(token.module, token.token_label, None, token.pin) as signer:
        handle = signer.pkcs11_session.handle
        signed = sign_into(signer, make_pdf(), io.BytesIO())
    assert_valid_pades(signed, token, "Nguyễn Văn An")
    assert handle not in live_sessions(token)
    assert live_sessions(token) == []


def test_an_error_inside_the_block_closes_the_session_and_passes_through(token: SoftToken) -> None:
    with (
        pytest.raises(PdfReadError),
        open_token_signer(token.module, token.token_label, token.key_label, token.pin) as signer,
    ):
        sign_into(signer, b"not a PDF", io.BytesIO())
    assert live_sessions(token) == []


def test_the_certificate_may_come_from_outside_the_token(bare_token: SoftToken) -> None:
    with (
        pytest.raises(TokenNotFound) as caught,
        open_token_signer(bare_token.module, bare_token.token_label, "", bare_token.pin) as signer,
    ):
        pytest.fail(f"opened without a certificate: {signer}")
    assert caught.value.code == TokenErrorCode.CERT_NOT_FOUND

    with open_token_signer(
        bare_token.module,
        bare_token.token_label,
        "khoa-ky",
        bare_token.pin,
        other_certs=[bare_token.ca_cert],
        certificate=bare_token.certificate,
    ) as signer:
        signed = sign_into(signer, make_pdf(), io.BytesIO())
    assert_valid_pades(signed, bare_token, "Trần Thị Bình")


def test_a_wrong_pin_signs_nothing_leaves_no_session_and_the_right_pin_still_works(token: SoftToken) -> None:
    pdf = make_pdf()
    before = bytes(pdf)
    output = io.BytesIO()
    with (
        pytest.raises(TokenPinError) as caught,
        open_token_signer(token.module, token.token_label, token.key_label, "000000") as signer,
    ):
        sign_into(signer, pdf, output)
    assert caught.value.code == TokenErrorCode.PIN_WRONG
    assert caught.value.message.startswith("The PIN is wrong.")
    assert isinstance(caught.value.__cause__, pkcs11.PinIncorrect)
    assert output.getvalue() == b""
    assert pdf == before
    assert live_sessions(token) == []  # python-pkcs11 leaves the session of a failed login open; we close it

    checked = check_token(token.module, token.token_label, token.key_label, token.pin)
    assert not checked.token.pin_count_low  # a good login resets the counter


def test_an_empty_pin_is_refused_before_the_token_is_asked(token: SoftToken) -> None:
    with pytest.raises(TokenPinError) as caught:
        check_token(token.module, token.token_label, token.key_label, "")
    assert caught.value.code == TokenErrorCode.PIN_MISSING


def test_an_unknown_token_label_is_not_found(token: SoftToken) -> None:
    with (
        pytest.raises(TokenNotFound) as caught,
        open_token_signer(token.module, "No Such Token", token.key_label, token.pin),
    ):
        pytest.fail("opened a token that does not exist")
    assert caught.value.code == TokenErrorCode.TOKEN_NOT_FOUND
    assert "No Such Token" in caught.value.message

    with pytest.raises(TokenNotFound) as caught:  # SoftHSM2's free slot has an empty label; it is never chosen
        check_token(token.module, "", token.key_label, token.pin)
    assert caught.value.code == TokenErrorCode.TOKEN_NOT_FOUND


def test_an_unknown_token_serial_is_not_found(token: SoftToken) -> None:
    with pytest.raises(TokenNotFound) as caught:
        check_token(token.module, token.token_label, token.key_label, token.pin, token_serial="0000000000000000")
    assert caught.value.code == TokenErrorCode.TOKEN_NOT_FOUND


def test_an_unknown_key_label_is_not_found_and_the_session_is_closed(token: SoftToken) -> None:
    with (
        pytest.raises(TokenNotFound) as caught,
        open_token_signer(token.module, token.token_label, "no-such-key", token.pin),
    ):
        pytest.fail("opened a key that does not exist")
    assert caught.value.code == TokenErrorCode.KEY_NOT_FOUND
    assert "no-such-key" in caught.value.message
    assert live_sessions(token) == []


def test_an_unknown_certificate_label_is_not_found(token: SoftToken) -> None:
    with pytest.raises(TokenNotFound) as caught:
        check_token(token.module, token.token_label, token.key_label, token.pin, "no-such-cert")
    assert caught.value.code == TokenErrorCode.CERT_NOT_FOUND


def test_a_missing_module_path_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "libvendor-pkcs11.so"
    with pytest.raises(TokenModuleError) as caught, open_token_signer(str(missing), "Any", None, "123456"):
        pytest.fail("opened a module that does not exist")
    assert caught.value.code == TokenErrorCode.MODULE_MISSING
    assert str(missing) in caught.value.message

    with pytest.raises(TokenModuleError) as caught:
        check_token("libsofthsm2.so", "Any", None, "123456")
    assert caught.value.code == TokenErrorCode.MODULE_MISSING


def test_a_file_that_is_not_a_pkcs11_library_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "fake-pkcs11.so"
    fake.write_bytes(b"\x7fELF but not really" + os.urandom(64))
    with pytest.raises(TokenModuleError) as caught:
        list_tokens(str(fake))
    assert caught.value.code == TokenErrorCode.MODULE_INVALID
    assert "not a PKCS#11 module" in caught.value.message


def test_a_module_that_does_not_start_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A copy of SoftHSM2 is a library of its own (another path, another instance), initialised here for the
    # first time: with its configuration file missing, its C_Initialize fails.
    driver = tmp_path / "libvendor-pkcs11.so"
    shutil.copyfile(module_path(SOFTHSM_MODULE), driver)
    monkeypatch.setenv("SOFTHSM2_CONF", str(tmp_path / "missing.conf"))
    with pytest.raises(TokenModuleError) as caught:
        list_tokens(str(driver))
    assert caught.value.code == TokenErrorCode.MODULE_FAILED
    assert "could not start" in caught.value.message


def test_the_same_token_cannot_be_opened_twice_at_once(token: SoftToken) -> None:
    with open_token_signer(token.module, token.token_label, token.key_label, token.pin) as signer:
        with pytest.raises(TokenError) as caught:
            check_token(token.module, token.token_label, token.key_label, token.pin)
        assert caught.value.code == TokenErrorCode.TOKEN_BUSY
        signed = sign_into(signer, make_pdf(), io.BytesIO())  # the first session is untouched
    assert_valid_pades(signed, token, "Nguyễn Văn An")
    assert live_sessions(token) == []


def test_another_thread_waits_for_the_module_and_then_gives_up(
    token: SoftToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tokens, "LOCK_WAIT_SECONDS", 0.2)
    outcome: list[BaseException | TokenCheck] = []

    def other() -> None:
        try:
            outcome.append(check_token(token.module, token.token_label, token.key_label, token.pin))
        except TokenError as exc:
            outcome.append(exc)

    with open_token_signer(token.module, token.token_label, token.key_label, token.pin):
        thread = threading.Thread(target=other)
        thread.start()
        thread.join(10)
    (result,) = outcome
    assert isinstance(result, TokenError) and result.code == TokenErrorCode.TOKEN_BUSY

    thread = threading.Thread(target=other)
    thread.start()
    thread.join(10)
    assert isinstance(outcome[-1], TokenCheck)  # once the first signing is done, the module is free


def test_check_token_finds_key_and_certificate_and_can_prove_they_match(token: SoftToken) -> None:
    checked = check_token(token.module, token.token_label, token.key_label, token.pin, probe=True)
    assert checked.probed
    assert checked.token.label == token.token_label
    assert checked.token.manufacturer == "SoftHSM project"
    assert checked.key_label == token.key_label
    assert checked.key_id == token.key_id.hex()
    assert checked.certificate == token.certificate


def test_a_certificate_of_another_key_is_caught_by_the_probe(token: SoftToken) -> None:
    from app.signing.pki import issue

    stranger = issue(token.ca_key, token.ca_cert, Subject("Người Khác"), new_key().public_key())
    checked = check_token(token.module, token.token_label, token.key_label, token.pin, certificate=stranger)
    assert checked.certificate == stranger  # without the probe nobody can tell
    with pytest.raises(TokenError) as caught:
        check_token(token.module, token.token_label, token.key_label, token.pin, certificate=stranger, probe=True)
    assert caught.value.code == TokenErrorCode.KEY_MISMATCH


def test_several_tokens_live_side_by_side(token: SoftToken, bare_token: SoftToken, hsm: SoftHSM) -> None:
    third = hsm.create_token("Le Van Cuong", subject=Subject("Lê Văn Cường"))
    labels = {info.label for info in list_tokens(token.module)}
    assert {token.token_label, bare_token.token_label, third.token_label} <= labels
    with open_token_signer(third.module, third.token_label, third.key_label, third.pin) as signer:
        signed = sign_into(signer, make_pdf(), io.BytesIO())
    assert_valid_pades(signed, third, "Lê Văn Cường")
    # the tokens made before the module was initialised again still work
    assert check_token(token.module, token.token_label, token.key_label, token.pin).certificate == token.certificate


@pytest.mark.parametrize(
    ("error", "code", "kind"),
    [
        (pkcs11.PinIncorrect(), TokenErrorCode.PIN_WRONG, TokenPinError),
        (pkcs11.PinLenRange(), TokenErrorCode.PIN_WRONG, TokenPinError),
        (pkcs11.PinLocked(), TokenErrorCode.PIN_LOCKED, TokenPinError),
        (pkcs11.PinExpired(), TokenErrorCode.PIN_EXPIRED, TokenPinError),
        (pkcs11.DeviceRemoved(), TokenErrorCode.TOKEN_REMOVED, TokenError),
        (pkcs11.TokenNotPresent(), TokenErrorCode.TOKEN_REMOVED, TokenError),
        (pkcs11.NoSuchToken(), TokenErrorCode.TOKEN_NOT_FOUND, TokenNotFound),
        (pkcs11.MultipleTokensReturned(), TokenErrorCode.TOKEN_AMBIGUOUS, TokenError),
        (pkcs11.MechanismInvalid(), TokenErrorCode.TOKEN_FAILED, TokenError),
    ],
)
def test_pkcs11_errors_become_token_errors(error: pkcs11.PKCS11Error, code: TokenErrorCode, kind: type) -> None:
    translated = translate_error(error, token_label="VNPT-CA")
    assert type(translated) is kind
    assert translated.code == code
    assert translated.message
    assert translated.details["token"] == "VNPT-CA"
