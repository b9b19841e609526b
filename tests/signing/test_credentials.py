"""Credentials through the app: a USB token (PKCS#11, a real SoftHSM2 token), a PKCS#12 file, trust, revocation."""

from __future__ import annotations

import io

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from app.signing import pki
from tests.signing.softhsm import SoftHSM, SoftToken, softhsm_fixture
from tests.signing.test_flow import _draft, _main_bytes, pdfsig
from tests.support import make_pdf

hsm = softhsm_fixture("module")


@pytest.fixture(scope="module")
def usb_token(hsm: SoftHSM) -> SoftToken:
    return hsm.create_token("lanh-dao-token", key_label="ky-so")


@pytest.fixture
def trusted_token(app, world, usb_token):  # type: ignore[no-untyped-def]
    """The token's CA is one the admin added to the trust roots; the built-in CA exists for the seal."""
    from app.auth.models import Organisation
    from app.extensions import db
    from app.signing import credentials

    with app.app_context():
        credentials.init_authority("CA thử nghiệm")
        credentials.add_trust_root(None, pki.pem(usb_token.ca_cert), "CA của token")
        credentials.issue_for_organisation(db.session.get(Organisation, world.orgs["a"]))
        db.session.commit()
    return usb_token


def _register(api, token: SoftToken, **changes):  # type: ignore[no-untyped-def]
    body = {
        "module": "softhsm",
        "token_label": token.token_label,
        "key_label": token.key_label,
        "certificate": pki.pem(token.certificate),
        **changes,
    }
    return api("leader_a").post("/api/v1/me/credential/token", json=body)


def test_a_leader_signs_with_a_usb_token_and_the_pin(api, trusted_token) -> None:  # type: ignore[no-untyped-def]
    assert _register(api, trusted_token).status_code == 201
    draft = _draft(api)
    signed = api("leader_a").post(f"/api/v1/documents/{draft['id']}/sign", json={"pin": trusted_token.pin})
    assert signed.status_code == 200, signed.get_json()
    report = api("leader_a").get(f"/api/v1/documents/{draft['id']}/signatures").get_json()
    assert report["verdict"] == "valid"
    assert "Signature is Valid." in pdfsig(_main_bytes(api("leader_a"), signed.get_json()))
    issued = api("clerk_a").post(f"/api/v1/documents/{draft['id']}/issue", json={})
    assert issued.status_code == 200, issued.get_json()


def test_a_wrong_pin_is_refused_and_nothing_changes(api, trusted_token) -> None:  # type: ignore[no-untyped-def]
    assert _register(api, trusted_token).status_code == 201
    draft = _draft(api)
    url = f"/api/v1/documents/{draft['id']}/sign"
    wrong = api("leader_a").post(url, json={"pin": "000000"})
    assert wrong.status_code == 422
    assert "pin" in wrong.get_json()["error"]["fields"]
    missing = api("leader_a").post(url, json={})
    assert missing.status_code == 422
    doc = api("leader_a").get(f"/api/v1/documents/{draft['id']}").get_json()
    assert doc["status"] == "draft"
    assert [f["version"] for f in doc["files"]] == [1]


def test_only_the_servers_token_drivers_can_be_named(api, trusted_token) -> None:  # type: ignore[no-untyped-def]
    response = _register(api, trusted_token, module="/tmp/evil.so")
    assert response.status_code == 422
    assert "softhsm" in response.get_json()["error"]["fields"]["module"]


def _pkcs12(password: bytes | None) -> tuple[bytes, object]:
    ca_key, ca_cert = pki.make_ca(pki.Subject("CA bên ngoài"))
    key = pki.new_key()
    cert = pki.issue(
        ca_key, ca_cert, pki.Subject("Lê Hoàng Nam", "UBND tỉnh Thử Nghiệm", "000.00.00.H99"), key.public_key()
    )
    encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    return pkcs12.serialize_key_and_certificates(b"ky-so", key, cert, [ca_cert], encryption), ca_cert


def test_a_pkcs12_file_is_imported_and_its_key_is_never_stored_in_clear(app, api, world) -> None:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    from app.extensions import db
    from app.signing.models import Credential

    data, _ca = _pkcs12(b"mat-khau-p12")
    response = api("leader_a").post(
        "/api/v1/me/credential/pkcs12",
        content_type="multipart/form-data",
        data={"file": (io.BytesIO(data), "ky-so.p12"), "password": "mat-khau-p12"},
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["credential"]["kind"] == "pkcs12"
    key, _cert, _ = pkcs12.load_key_and_certificates(data, b"mat-khau-p12")
    raw = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    with app.app_context():
        sealed = db.session.scalars(sa.select(Credential.key_sealed)).one()
    assert raw not in sealed and raw[-32:] not in sealed


def test_a_wrong_pkcs12_password_is_refused(api, world) -> None:  # type: ignore[no-untyped-def]
    data, _ca = _pkcs12(b"dung")
    for password, content in (("sai", data), ("dung", b"not a p12")):
        response = api("leader_a").post(
            "/api/v1/me/credential/pkcs12",
            content_type="multipart/form-data",
            data={"file": (io.BytesIO(content), "x.p12"), "password": password},
        )
        assert response.status_code == 422
        assert "password" in response.get_json()["error"]["fields"]
    assert api("leader_a").get("/api/v1/me/credential").get_json()["credential"] is None


def test_the_ca_publishes_a_crl_and_answers_ocsp(app, api, world) -> None:  # type: ignore[no-untyped-def]
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509 import ocsp

    from app.auth.models import User
    from app.extensions import db
    from app.signing import credentials

    with app.app_context():
        credentials.init_authority("CA thử nghiệm")
        cred = credentials.issue_for_user(db.session.get(User, world.users["leader_a"]))
        cert, serial = pki.load_pem(cred.certificate.pem), cred.certificate.serial
        ca_cert = pki.load_pem(credentials.authority_row().certificate.pem)
        db.session.commit()
    client = app.test_client()
    request_der = (
        ocsp.OCSPRequestBuilder()
        .add_certificate(cert, ca_cert, hashes.SHA1())  # noqa: S303 - what OCSP clients send
        .build()
        .public_bytes(serialization.Encoding.DER)
    )
    good = ocsp.load_der_ocsp_response(
        client.post("/pki/ocsp", data=request_der, content_type="application/ocsp-request").data
    )
    assert good.certificate_status == ocsp.OCSPCertStatus.GOOD
    result = app.test_cli_runner().invoke(args=["pki", "revoke", serial, "--reason", "key_compromise"])
    assert result.exit_code == 0, result.output
    revoked = ocsp.load_der_ocsp_response(client.post("/pki/ocsp", data=request_der).data)
    assert revoked.certificate_status == ocsp.OCSPCertStatus.REVOKED
    crl = x509.load_der_x509_crl(client.get("/pki/crl").data)
    assert crl.get_revoked_certificate_by_serial_number(cert.serial_number) is not None
    assert crl.is_signature_valid(ca_cert.public_key())
    assert client.get("/pki/ca.crt").status_code == 200
    assert client.post("/pki/ocsp", data=b"").status_code == 422


def test_the_pki_commands_issue_certificates(app, world) -> None:  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    assert runner.invoke(args=["pki", "init"]).exit_code == 0
    issued = runner.invoke(args=["pki", "issue", "leader_a"])
    assert issued.exit_code == 0 and "issued certificate" in issued.output
    org = runner.invoke(args=["pki", "issue-org", "000.00.00.H99"])
    assert org.exit_code == 0, org.output
    assert runner.invoke(args=["pki", "issue", "nobody"]).exit_code == 2
    assert runner.invoke(args=["pki", "revoke", "abcdef"]).exit_code == 2


def test_verify_checks_any_pdf_without_storing_it(api, world) -> None:  # type: ignore[no-untyped-def]
    unsigned = api("clerk_a").post(
        "/api/v1/verify", content_type="multipart/form-data", data={"file": (io.BytesIO(make_pdf()), "thu.pdf")}
    )
    assert unsigned.status_code == 200
    assert unsigned.get_json()["verdict"] == "unsigned"
    bad = api("clerk_a").post(
        "/api/v1/verify", content_type="multipart/form-data", data={"file": (io.BytesIO(b"%PDF-1.4 broken"), "x.pdf")}
    )
    assert bad.status_code == 422


def test_a_top_level_administrator_adds_a_trust_root(api, world) -> None:  # type: ignore[no-untyped-def]
    _key, ca_cert = pki.make_ca(pki.Subject("CA Bộ Nội vụ"))
    body = {"certificate": pki.pem(ca_cert), "name": "CA Bộ Nội vụ"}
    assert api("admin_b").post("/api/v1/trust-roots", json=body).status_code == 403
    assert api("clerk_a").post("/api/v1/trust-roots", json=body).status_code == 403
    added = api("admin_a").post("/api/v1/trust-roots", json=body)
    assert added.status_code == 201
    names = [r["name"] for r in api("clerk_a").get("/api/v1/trust-roots").get_json()["items"]]
    assert "CA Bộ Nội vụ" in names
    leaf_key = pki.new_key()
    leaf = pki.issue(_key, ca_cert, pki.Subject("Không phải CA"), leaf_key.public_key())
    refused = api("admin_a").post("/api/v1/trust-roots", json={"certificate": pki.pem(leaf)})
    assert refused.status_code == 422
    assert api("admin_a").post("/api/v1/trust-roots", json={"certificate": "nonsense"}).status_code == 422
