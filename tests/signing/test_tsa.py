"""The RFC 3161 time-stamp authority, over real HTTP on loopback, checked by pyHanko, OpenSSL and poppler."""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
import requests
from asn1crypto import algos, keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError
from pyhanko.sign.timestamps.common_utils import handle_tsp_response
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
from pyhanko.sign.validation.status import TimestampSignatureStatus
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from werkzeug.serving import make_server

from app.signing import pki
from app.signing.tsa import (
    DEFAULT_POLICY,
    MAX_REQUEST_BYTES,
    QUERY_MEDIA_TYPE,
    REPLY_MEDIA_TYPE,
    TimeStampAuthority,
    TimeStampResponse,
    make_blueprint,
)
from tests.support import make_pdf

ORG = "Sở Thông tin và Truyền thông"


def asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def asn1_key(key: pki.PrivateKey) -> keys.PrivateKeyInfo:
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return keys.PrivateKeyInfo.load(der)


@dataclass(frozen=True)
class Pki:
    ca_key: pki.PrivateKey
    ca: x509.Certificate
    tsa_key: pki.PrivateKey
    tsa: x509.Certificate
    signer_key: pki.PrivateKey
    signer: x509.Certificate

    def context(self) -> ValidationContext:
        return ValidationContext(trust_roots=[asn1_cert(self.ca)], allow_fetching=False, revocation_mode="soft-fail")


@pytest.fixture(scope="module")
def keys_and_certs() -> Pki:
    ca_key, ca = pki.make_ca(pki.Subject("CA thử nghiệm", ORG, "000.00.00.H00"))
    tsa_key = pki.new_key()
    tsa = pki.issue(ca_key, ca, pki.Subject("Máy chủ cấp dấu thời gian", ORG), tsa_key.public_key(), purpose="tsa")
    signer_key = pki.new_key()
    signer = pki.issue(ca_key, ca, pki.Subject("Nguyễn Văn An", ORG, title="Giám đốc"), signer_key.public_key())
    return Pki(ca_key, ca, tsa_key, tsa, signer_key, signer)


@pytest.fixture(scope="module")
def authority(keys_and_certs: Pki) -> TimeStampAuthority:
    return TimeStampAuthority(keys_and_certs.tsa_key, keys_and_certs.tsa, [keys_and_certs.ca])


@pytest.fixture(scope="module")
def tsa_url(authority: TimeStampAuthority) -> Iterator[str]:
    """A real HTTP server on a free loopback port, serving the blueprint."""
    app = Flask(__name__)
    app.register_blueprint(make_blueprint(lambda: authority))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="tsa-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/tsa"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def tst_info_of(token) -> tsp.TSTInfo:  # type: ignore[no-untyped-def]
    return token["content"]["encap_content_info"]["content"].parsed


def validate_token(token, digest: bytes, context: ValidationContext) -> TimestampSignatureStatus:  # type: ignore[no-untyped-def]
    kwargs = asyncio.run(validate_tst_signed_data(token["content"], context, lambda _algorithm: digest))
    return TimestampSignatureStatus(**kwargs)


def request_der(
    digest: bytes,
    algorithm: str = "sha256",
    *,
    nonce: int | None = None,
    cert_req: bool = True,
    policy: str | None = None,
    extensions: list | None = None,
) -> bytes:
    fields_: dict[str, object] = {
        "version": "v1",
        "message_imprint": {"hash_algorithm": {"algorithm": algorithm}, "hashed_message": digest},
        "cert_req": cert_req,
    }
    if nonce is not None:
        fields_["nonce"] = nonce
    if policy is not None:
        fields_["req_policy"] = policy
    if extensions is not None:
        fields_["extensions"] = extensions
    return tsp.TimeStampReq(fields_).dump()


def post(url: str, body: bytes, content_type: str = QUERY_MEDIA_TYPE) -> requests.Response:
    return requests.post(url, data=body, headers={"Content-Type": content_type}, timeout=10)


def refusal(response_der: bytes) -> tuple[str, set[str]]:
    response = TimeStampResponse.load(response_der)
    assert response["time_stamp_token"].native is None  # RFC 3161 § 2.4.2: no token unless granted
    status = response["status"]
    return status["status"].native, status["fail_info"].native or set()


# -- pyHanko's own HTTP client against the server ---------------------------------------------------------------


def test_pyhanko_http_client_gets_a_valid_trusted_token(tsa_url: str, keys_and_certs: Pki) -> None:
    digest = hashlib.sha256(os.urandom(64)).digest()
    stamper = HTTPTimeStamper(tsa_url)
    nonce, request = stamper.request_cms(digest, "sha256")
    assert nonce is not None
    response = asyncio.run(stamper.async_request_tsa_response(request))
    token = handle_tsp_response(response, nonce)  # pyHanko's own status and nonce checks

    info = tst_info_of(token)
    assert info["version"].native == "v1"
    assert info["policy"].dotted == DEFAULT_POLICY
    assert info["nonce"].native == nonce
    assert info["message_imprint"]["hashed_message"].native == digest
    assert info["message_imprint"]["hash_algorithm"]["algorithm"].native == "sha256"
    assert abs(info["gen_time"].native - datetime.now(UTC)) < timedelta(seconds=5)
    assert info["accuracy"].native["seconds"] == 1
    assert 0 < info["serial_number"].native < 2**128
    embedded = {c.chosen.sha256 for c in token["content"]["certificates"]}
    assert asn1_cert(keys_and_certs.tsa).sha256 in embedded  # certReq was true

    status = validate_token(token, digest, keys_and_certs.context())
    assert status.intact and status.valid and status.trusted
    assert status.signing_cert.sha256 == asn1_cert(keys_and_certs.tsa).sha256
    assert status.timestamp == info["gen_time"].native


@pytest.mark.parametrize("algorithm", ["sha256", "sha384", "sha512"])
def test_each_accepted_hash_through_the_full_client(tsa_url: str, keys_and_certs: Pki, algorithm: str) -> None:
    digest = hashlib.new(algorithm, b"noi dung van ban").digest()
    token = asyncio.run(HTTPTimeStamper(tsa_url).async_timestamp(digest, algorithm))
    assert tst_info_of(token)["message_imprint"]["hash_algorithm"]["algorithm"].native == algorithm
    status = validate_token(token, digest, keys_and_certs.context())
    assert status.intact and status.valid and status.trusted


def test_a_token_for_another_digest_is_not_intact(tsa_url: str, keys_and_certs: Pki) -> None:
    token = asyncio.run(HTTPTimeStamper(tsa_url).async_timestamp(hashlib.sha256(b"a").digest(), "sha256"))
    status = validate_token(token, hashlib.sha256(b"b").digest(), keys_and_certs.context())
    assert status.valid and not status.intact


def test_a_token_is_not_trusted_without_the_ca(tsa_url: str) -> None:
    digest = hashlib.sha256(b"x").digest()
    token = asyncio.run(HTTPTimeStamper(tsa_url).async_timestamp(digest, "sha256"))
    _other_key, other_ca = pki.make_ca(pki.Subject("Another CA"))
    context = ValidationContext(trust_roots=[asn1_cert(other_ca)], allow_fetching=False, revocation_mode="soft-fail")
    status = validate_token(token, digest, context)
    assert status.intact and status.valid and not status.trusted


def test_serial_numbers_are_unique(authority: TimeStampAuthority) -> None:
    digest = hashlib.sha256(b"same").digest()
    serials = set()
    for _ in range(20):
        token = tsp.TimeStampResp.load(authority.respond(request_der(digest)))["time_stamp_token"]
        serials.add(tst_info_of(token)["serial_number"].native)
    assert len(serials) == 20


def test_the_pyhanko_client_fails_on_a_refusal(tsa_url: str) -> None:
    """pyHanko raises, though not its own TimestampRequestError yet: it parses the reply with asn1crypto's
    TimeStampResp, which wrongly requires a token (wbond/asn1crypto#286) and so chokes on a conforming rejection."""
    with pytest.raises((TimestampRequestError, ValueError), match=r"bad_alg|time_stamp_token"):
        asyncio.run(HTTPTimeStamper(tsa_url).async_timestamp(hashlib.sha1(b"x").digest(), "sha1"))  # noqa: S324


# -- PAdES with the TSA -------------------------------------------------------------------------------------------


def sign_pdf(keys_and_certs: Pki, tsa_url: str, **metadata: object) -> bytes:
    signer = signers.SimpleSigner(
        signing_cert=asn1_cert(keys_and_certs.signer),
        signing_key=asn1_key(keys_and_certs.signer_key),
        cert_registry=SimpleCertificateStore.from_certs([asn1_cert(keys_and_certs.ca)]),
    )
    meta = signers.PdfSignatureMetadata(
        field_name="ChuKy1", subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256", **metadata
    )
    writer = IncrementalPdfFileWriter(BytesIO(make_pdf("Công văn ký số có dấu thời gian")))
    out = signers.sign_pdf(writer, meta, signer=signer, timestamper=HTTPTimeStamper(tsa_url))
    return out.getvalue()


@pytest.fixture(scope="module")
def pades_b_t(keys_and_certs: Pki, tsa_url: str) -> bytes:
    return sign_pdf(keys_and_certs, tsa_url)


def test_pades_b_t_signature_carries_a_valid_timestamp(pades_b_t: bytes, keys_and_certs: Pki) -> None:
    reader = PdfFileReader(BytesIO(pades_b_t))
    (embedded,) = reader.embedded_signatures
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    status = validate_pdf_signature(embedded, keys_and_certs.context())
    assert status.bottom_line, status.pretty_print_details()
    assert status.intact and status.valid and status.trusted
    stamp = status.timestamp_validity
    assert stamp is not None
    assert stamp.intact and stamp.valid and stamp.trusted
    assert stamp.signing_cert.sha256 == asn1_cert(keys_and_certs.tsa).sha256
    assert abs(stamp.timestamp - datetime.now(UTC)) < timedelta(minutes=1)


def test_pades_b_lta_with_a_document_timestamp(keys_and_certs: Pki, tsa_url: str) -> None:
    signed = sign_pdf(
        keys_and_certs,
        tsa_url,
        embed_validation_info=True,
        use_pades_lta=True,
        validation_context=keys_and_certs.context(),
    )
    reader = PdfFileReader(BytesIO(signed))
    signature, document_stamp = reader.embedded_signatures
    assert document_stamp.sig_object["/SubFilter"] == "/ETSI.RFC3161"
    status = validate_pdf_signature(signature, keys_and_certs.context())
    assert status.bottom_line, status.pretty_print_details()
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    stamp_status = validate_pdf_timestamp(document_stamp, keys_and_certs.context())
    assert stamp_status.intact and stamp_status.valid and stamp_status.trusted


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils (pdfsig) not installed")
def test_poppler_accepts_the_b_t_signature(pades_b_t: bytes, tmp_path: Path) -> None:
    path = tmp_path / "b-t.pdf"
    path.write_bytes(pades_b_t)
    result = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60, check=False)
    # Our CA is not in poppler's NSS database, so it may call the certificate untrusted; the signature is valid.
    assert "Signature is Valid." in result.stdout, result.stdout + result.stderr
    assert "ETSI.CAdES.detached" in result.stdout


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")
def test_openssl_verifies_the_response(authority: TimeStampAuthority, keys_and_certs: Pki, tmp_path: Path) -> None:
    query = request_der(hashlib.sha256(b"openssl").digest(), nonce=0x1234_5678_9ABC)
    (tmp_path / "query.tsq").write_bytes(query)
    (tmp_path / "reply.tsr").write_bytes(authority.respond(query))
    (tmp_path / "ca.pem").write_text(pki.pem(keys_and_certs.ca))
    command = ["openssl", "ts", "-verify", "-queryfile", "query.tsq", "-in", "reply.tsr", "-CAfile", "ca.pem"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)
    assert "Verification: OK" in result.stdout, result.stdout + result.stderr


# -- what the authority refuses ---------------------------------------------------------------------------------


def test_garbage_over_http_is_a_bad_data_format_rejection(tsa_url: str) -> None:
    response = post(tsa_url, b"this is not DER at all")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == REPLY_MEDIA_TYPE
    status, failure = refusal(response.content)
    assert status == "rejection" and failure == {"bad_data_format"}


def test_sha1_over_http_is_a_bad_alg_rejection(tsa_url: str) -> None:
    response = post(tsa_url, request_der(hashlib.sha1(b"x").digest(), "sha1", nonce=7))  # noqa: S324
    assert response.status_code == 200
    status, failure = refusal(response.content)
    assert status == "rejection" and failure == {"bad_alg"}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (request_der(hashlib.md5(b"x").digest(), "md5"), "bad_alg"),  # noqa: S324
        (request_der(b"\x00" * 20, "sha256"), "bad_data_format"),  # wrong imprint length
        (request_der(b"\x00" * 32, "sha512"), "bad_data_format"),
        (request_der(b"\x00" * 32, policy="1.3.6.1.4.1.32473.999"), "unaccepted_policy"),
        (
            request_der(b"\x00" * 32, extensions=[{"extn_id": "1.3.6.1.4.1.32473.7", "extn_value": b"\x05\x00"}]),
            "unaccepted_extensions",
        ),
        (request_der(b"\x00" * 32) + b"\x00", "bad_data_format"),  # trailing bytes
        (request_der(b"\x00" * 32)[:-3], "bad_data_format"),  # truncated
        (b"\x30\x00", "bad_data_format"),
    ],
    ids=["md5", "short-imprint", "imprint-for-other-hash", "policy", "extension", "trailing", "truncated", "empty-seq"],
)
def test_refusals(authority: TimeStampAuthority, body: bytes, expected: str) -> None:
    status, failure = refusal(authority.respond(body))
    assert status == "rejection" and failure == {expected}


def test_a_refusal_says_why(authority: TimeStampAuthority) -> None:
    status = TimeStampResponse.load(authority.respond(request_der(b"\x00" * 32, policy="1.2.3.4")))["status"]
    assert "1.2.3.4" in status["status_string"].native[0]


def test_an_accepted_policy_is_honoured(keys_and_certs: Pki) -> None:
    other = "1.3.6.1.4.1.32473.3161.2"
    authority = TimeStampAuthority(keys_and_certs.tsa_key, keys_and_certs.tsa, accepted_policies=[other])
    granted = tsp.TimeStampResp.load(authority.respond(request_der(b"\x01" * 32, policy=other)))
    assert tst_info_of(granted["time_stamp_token"])["policy"].dotted == other
    default = tsp.TimeStampResp.load(authority.respond(request_der(b"\x01" * 32)))
    assert tst_info_of(default["time_stamp_token"])["policy"].dotted == DEFAULT_POLICY


def test_without_cert_req_no_certificates_are_sent(authority: TimeStampAuthority) -> None:
    response = tsp.TimeStampResp.load(authority.respond(request_der(b"\x02" * 32, cert_req=False)))
    assert response["status"]["status"].native == "granted"
    assert response["time_stamp_token"]["content"]["certificates"].native is None
    assert tst_info_of(response["time_stamp_token"])["nonce"].native is None  # none asked, none sent


def test_the_token_attributes(authority: TimeStampAuthority, keys_and_certs: Pki) -> None:
    response = tsp.TimeStampResp.load(authority.respond(request_der(b"\x03" * 32, nonce=-5)))
    signed_data = response["time_stamp_token"]["content"]
    assert signed_data["version"].native == "v3"
    assert signed_data["encap_content_info"]["content_type"].native == "tst_info"
    (signer,) = signed_data["signer_infos"]
    attributes = {a["type"].native: a["values"][0] for a in signer["signed_attrs"]}
    assert attributes["content_type"].native == "tst_info"
    assert (
        attributes["message_digest"].native
        == hashlib.sha256(signed_data["encap_content_info"]["content"].contents).digest()
    )
    (cert_id,) = attributes["signing_certificate_v2"]["certs"]
    assert cert_id["hash_algorithm"]["algorithm"].native == "sha256"
    assert cert_id["cert_hash"].native == hashlib.sha256(asn1_cert(keys_and_certs.tsa).dump()).digest()
    assert abs(attributes["signing_time"].native - datetime.now(UTC)) < timedelta(seconds=5)
    assert signer["signature_algorithm"]["algorithm"].native == "sha256_ecdsa"
    assert tst_info_of(response["time_stamp_token"])["nonce"].native == -5


def test_an_rsa_tsa_works_too(keys_and_certs: Pki) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = pki.issue(keys_and_certs.ca_key, keys_and_certs.ca, pki.Subject("TSA RSA"), key.public_key(), purpose="tsa")
    authority = TimeStampAuthority(key, cert, [keys_and_certs.ca])
    digest = hashlib.sha384(b"rsa").digest()
    response = tsp.TimeStampResp.load(authority.respond(request_der(digest, "sha384", nonce=1)))
    token = response["time_stamp_token"]
    assert token["content"]["signer_infos"][0]["signature_algorithm"]["algorithm"].native == "sha256_rsa"
    status = validate_token(token, digest, keys_and_certs.context())
    assert status.intact and status.valid and status.trusted


def test_the_authority_refuses_an_unfit_certificate(keys_and_certs: Pki) -> None:
    with pytest.raises(ValueError, match="timeStamping"):
        TimeStampAuthority(keys_and_certs.signer_key, keys_and_certs.signer)
    with pytest.raises(ValueError, match="does not belong"):
        TimeStampAuthority(keys_and_certs.signer_key, keys_and_certs.tsa)


def test_the_clock_and_policy_settings(keys_and_certs: Pki) -> None:
    moment = datetime(2051, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)
    authority = TimeStampAuthority(keys_and_certs.tsa_key, keys_and_certs.tsa, clock=lambda: moment)
    token = tsp.TimeStampResp.load(authority.respond(request_der(b"\x05" * 32)))["time_stamp_token"]
    assert tst_info_of(token)["gen_time"].native == moment  # microseconds kept
    (signer,) = token["content"]["signer_infos"]
    (signing_time,) = [a["values"][0] for a in signer["signed_attrs"] if a["type"].native == "signing_time"]
    assert signing_time.name == "generalized_time"  # UTCTime stops at 2049
    with pytest.raises(ValueError, match="object identifier"):
        TimeStampAuthority(keys_and_certs.tsa_key, keys_and_certs.tsa, policy="tsa-policy")


def test_the_imprint_algorithm_encoding_is_copied(authority: TimeStampAuthority) -> None:
    """A client that leaves out the NULL parameters gets its imprint back byte for byte."""
    imprint = tsp.MessageImprint(
        {"hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}), "hashed_message": b"\x04" * 32}
    )
    imprint["hash_algorithm"]["parameters"] = None
    assert imprint["hash_algorithm"].dump() == bytes.fromhex("300b0609608648016503040201")
    query = tsp.TimeStampReq({"version": "v1", "message_imprint": imprint}).dump()
    token = tsp.TimeStampResp.load(authority.respond(query))["time_stamp_token"]
    assert tst_info_of(token)["message_imprint"].dump() == imprint.dump()


# -- HTTP faults --------------------------------------------------------------------------------------------------


def test_http_wrong_content_type_is_415(tsa_url: str) -> None:
    response = post(tsa_url, request_der(b"\x00" * 32), content_type="application/octet-stream")
    assert response.status_code == 415


def test_http_empty_body_is_400(tsa_url: str) -> None:
    assert post(tsa_url, b"").status_code == 400


def test_http_body_over_64_kb_is_413(tsa_url: str) -> None:
    assert post(tsa_url, b"\x30" * (MAX_REQUEST_BYTES + 1)).status_code == 413


def test_http_get_is_not_allowed(tsa_url: str) -> None:
    assert requests.get(tsa_url, timeout=10).status_code == 405


def test_http_reply_is_not_cached(tsa_url: str) -> None:
    response = post(tsa_url, request_der(b"\x00" * 32))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == REPLY_MEDIA_TYPE
    assert response.headers["Cache-Control"] == "no-store"


def test_the_view_is_marked_public(authority: TimeStampAuthority) -> None:
    app = Flask(__name__)
    app.register_blueprint(make_blueprint(lambda: authority))
    assert app.view_functions["tsa.timestamp"].is_public is True
    assert [rule.rule for rule in app.url_map.iter_rules() if rule.endpoint == "tsa.timestamp"] == ["/tsa"]
