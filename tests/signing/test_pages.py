"""The signing pages, through the Flask test client: the queues, sign and issue from the document page with a
confirmation, the signature panel, one's certificate and signature image, an organisation's seal and level.

The `signing` fixture (tests/signing/conftest.py) gives leader_a a certificate and a signature image, and
organisation A a certificate and a seal.
"""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from werkzeug.test import TestResponse

from tests.signing.test_flow import _draft
from tests.support import csrf_token_from, make_pdf, web_login

TIME = re.compile(r"\b\d{2}/\d{2}/\d{4} \d{2}:\d{2}\b")


def _browser(app: Flask, username: str, lang: str = "en") -> FlaskClient:
    client = app.test_client()
    assert web_login(client, username, lang=lang).status_code == 302
    return client


def _submit(client: FlaskClient, page: str, action: str, data: dict | None = None, **kwargs) -> TestResponse:  # type: ignore[no-untyped-def]
    """Post a form of `page` the way a browser does: with the page's CSRF token."""
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    return client.post(action, data={**(data or {}), "csrf_token": token}, **kwargs)


def _flashes(client: FlaskClient, page: str) -> str:
    html = client.get(page).get_data(as_text=True)
    return " ".join(re.findall(r'<div class="flash (?:success|error)"[^>]*>([^<]*)</div>', html))


def _status(api, doc_id: int) -> str:  # type: ignore[no-untyped-def]
    return api("specialist_a").get(f"/api/v1/documents/{doc_id}").get_json()["status"]


def _png(mode: str = "RGBA", image_format: str = "PNG") -> bytes:
    out = io.BytesIO()
    colour = (0, 51, 153, 0) if mode == "RGBA" else (255, 255, 255)
    Image.new(mode, (120, 60), colour).save(out, format=image_format)
    return out.getvalue()


def _sign(client: FlaskClient, doc_id: int, confirm: bool = True, **extra: str) -> TestResponse:
    data = {"confirm": "yes", **extra} if confirm else dict(extra)
    return _submit(client, f"/documents/{doc_id}", f"/documents/{doc_id}/sign", data)


def _issue(client: FlaskClient, doc_id: int, confirm: bool = True) -> TestResponse:
    return _submit(client, f"/documents/{doc_id}", f"/documents/{doc_id}/issue", {"confirm": "yes"} if confirm else {})


# --- The queues ---------------------------------------------------------------------------------------------


def test_the_queues_list_the_right_documents(app: Flask, api, signing) -> None:  # type: ignore[no-untyped-def]
    first, second = _draft(api, notation="QĐ-UBND.1"), _draft(api, notation="QĐ-UBND.2")
    incoming = api("clerk_a").register(make_pdf()).get_json()
    assert api("leader_a").post(f"/api/v1/documents/{first['id']}/sign", json={}).status_code == 200

    def listed(client: FlaskClient, url: str) -> set[int]:
        response = client.get(url)
        assert response.status_code == 200
        return {int(n) for n in re.findall(r'href="/documents/(\d+)#signatures"', response.get_data(as_text=True))}

    leader = _browser(app, "leader_a")
    assert listed(leader, "/sign") == {second["id"]}
    clerk = _browser(app, "clerk_a")
    assert listed(clerk, "/issue") == {first["id"]}
    assert incoming["id"] not in listed(clerk, "/issue") | listed(leader, "/sign")
    # A queue belongs to a role and an organisation.
    assert listed(clerk, "/sign") == set()
    assert listed(_browser(app, "leader_b"), "/sign") == set()
    assert listed(_browser(app, "clerk_b"), "/issue") == set()

    # The menu shows each queue to its role, with how many documents wait.
    menu = leader.get("/documents").get_data(as_text=True)
    assert re.search(r'href="/sign"[^>]*>To sign <span class="count-badge"[^>]*>1</span>', menu), menu
    assert 'href="/issue"' not in menu
    menu = clerk.get("/documents").get_data(as_text=True)
    assert re.search(r'href="/issue"[^>]*>To issue <span class="count-badge"[^>]*>1</span>', menu)
    specialist_menu = _browser(app, "specialist_a").get("/documents").get_data(as_text=True)
    assert 'href="/sign"' not in specialist_menu and 'href="/issue"' not in specialist_menu

    # A secret draft waits only for a leader it was shown to: not in the queue, not in the count, until then.
    specialist = api("specialist_a")
    secret = specialist.post(
        "/api/v1/documents",
        content_type="multipart/form-data",
        data={
            "direction": "outgoing",
            "document_type": "QĐ",
            "notation": "QĐ-UBND.3",
            "subject": "Về việc bí mật",
            "secrecy": "secret",
            "file": (io.BytesIO(make_pdf("Mật")), "mat.pdf"),
        },
    ).get_json()
    assert listed(leader, "/sign") == {second["id"]}
    assert ">1</span>" in leader.get("/documents").get_data(as_text=True)
    leader_id = api("leader_a").get("/api/v1/me").get_json()["id"]
    shown = specialist.post(f"/api/v1/documents/{secret['id']}/grants", json={"user_id": leader_id})
    assert shown.status_code == 201, shown.get_json()
    assert listed(leader, "/sign") == {second["id"], secret["id"]}
    menu = leader.get("/documents").get_data(as_text=True)
    assert re.search(r'href="/sign"[^>]*>To sign <span class="count-badge"[^>]*>2</span>', menu), menu
    # Once signed, the author no longer decides who reads it.
    assert api("leader_a").post(f"/api/v1/documents/{secret['id']}/sign", json={}).status_code == 200
    archivist_id = api("archivist_a").get("/api/v1/me").get_json()["id"]
    late = specialist.post(f"/api/v1/documents/{secret['id']}/grants", json={"user_id": archivist_id})
    assert late.status_code == 403


# --- Sign and issue -------------------------------------------------------------------------------------------


def test_a_leader_signs_and_a_clerk_issues_through_the_forms(app: Flask, api, signing) -> None:  # type: ignore[no-untyped-def]
    draft = _draft(api)
    doc_id = draft["id"]
    page = f"/documents/{doc_id}"
    leader = _browser(app, "leader_a")
    html = leader.get(page).get_data(as_text=True)
    assert f'action="/documents/{doc_id}/sign"' in html
    assert 'name="confirm"' in html and 'name="pin"' not in html  # a built-in key needs no PIN
    assert f'action="/documents/{doc_id}/issue"' not in html

    # Without the box ticked nothing is signed.
    refused = _sign(leader, doc_id, confirm=False)
    assert refused.status_code == 302 and refused.headers["Location"].endswith(f"{page}#signatures")
    assert "Tick the box" in _flashes(leader, page)
    assert _status(api, doc_id) == "draft"

    signed = _sign(leader, doc_id)
    assert signed.status_code == 302 and signed.headers["Location"].endswith(f"{page}#signatures")
    assert "Signed." in _flashes(leader, page)
    assert _status(api, doc_id) == "signed"
    html = leader.get(page).get_data(as_text=True)
    assert f'action="/documents/{doc_id}/sign"' not in html  # signed once, and only once
    # The page shows the new signature's verdict at once, and checks again on request.
    assert 'class="card sigpanel v-valid"' in html
    assert _submit(leader, page, f"{page}/signatures/refresh").status_code == 302
    assert "Signatures checked again: Valid." in _flashes(leader, page)
    html = leader.get(page).get_data(as_text=True)
    assert 'class="card sigpanel v-valid"' in html
    assert html.count('<li class="signature v-valid">') == 1

    clerk = _browser(app, "clerk_a")
    html = clerk.get(page).get_data(as_text=True)
    assert f'action="/documents/{doc_id}/issue"' in html
    assert _issue(clerk, doc_id, confirm=False).status_code == 302
    assert "Tick the box" in _flashes(clerk, page)
    assert _status(api, doc_id) == "signed"

    issued = _issue(clerk, doc_id)
    assert issued.status_code == 302
    assert "Issued as outgoing no. 1." in _flashes(clerk, page)
    assert _status(api, doc_id) == "issued"

    # The panel: the document is valid, with the leader's signature and the organisation's seal.
    html = clerk.get(page).get_data(as_text=True)
    panel = html[html.index('id="signatures"') : html.index("</section>", html.index('id="signatures"'))]
    assert 'class="card sigpanel v-valid"' in html
    assert '<strong class="verdict-label">Valid</strong>' in panel
    assert panel.count('<li class="signature v-valid">') == 2
    assert "Người leader A" in panel and "Ủy ban nhân dân tỉnh Thử Nghiệm" in panel
    assert "Form fields filled in or signed" in panel  # after the leader's signature: the number, date and seal
    assert "The entire file" in panel  # the seal covers everything
    assert len(TIME.findall(panel)) >= 3  # checked at, and each signing time, as dd/mm/yyyy HH:MM
    assert f'action="/documents/{doc_id}/issue"' not in panel
    assert 'name="confirm"' not in panel


def test_the_panel_speaks_vietnamese(app: Flask, api, signing) -> None:  # type: ignore[no-untyped-def]
    draft = _draft(api)
    assert api("leader_a").post(f"/api/v1/documents/{draft['id']}/sign", json={}).status_code == 200
    assert api("leader_a").get(f"/api/v1/documents/{draft['id']}/signatures").status_code == 200  # the report
    html = _browser(app, "leader_a", lang="vi").get(f"/documents/{draft['id']}").get_data(as_text=True)
    assert '<strong class="verdict-label">Hợp lệ</strong>' in html
    assert "Chữ ký số" in html
    assert "Không có thay đổi" in html  # nothing changed after the leader's signature yet


def test_a_specialist_cannot_sign_nor_a_leader_issue(app: Flask, api, signing) -> None:  # type: ignore[no-untyped-def]
    draft = _draft(api)
    doc_id = draft["id"]
    specialist = _browser(app, "specialist_a")
    html = specialist.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert f'action="/documents/{doc_id}/sign"' not in html
    response = _sign(specialist, doc_id)
    assert response.status_code == 302
    assert "Only a leader signs documents." in _flashes(specialist, f"/documents/{doc_id}")
    assert _status(api, doc_id) == "draft"

    leader = _browser(app, "leader_a")
    assert _sign(leader, doc_id).status_code == 302
    assert _issue(leader, doc_id).status_code == 302
    assert "Only a clerk issues documents." in _flashes(leader, f"/documents/{doc_id}")
    assert _status(api, doc_id) == "signed"

    # Another organisation's document does not exist for them.
    other = _browser(app, "leader_b")
    assert _submit(other, "/sign", f"/documents/{doc_id}/sign", {"confirm": "yes"}).status_code == 404


def test_a_token_asks_for_its_pin_and_nothing_is_signed_without_it(app: Flask, api, signing) -> None:  # type: ignore[no-untyped-def]
    from app.auth.models import User
    from app.extensions import db
    from app.signing import credentials

    app.config["PKCS11_MODULES"] = {"softhsm": "/nonexistent/libsofthsm2.so"}
    with app.app_context():
        leader = db.session.get(User, signing.users["leader_a"])
        pem = credentials.credential_of_user(leader.id).certificate.pem
        credentials.register_token(
            leader, module="softhsm", token_label="token", key_label="ky-so", certificate_pem=pem
        )
        db.session.commit()
    draft = _draft(api)
    client = _browser(app, "leader_a")
    html = client.get(f"/documents/{draft['id']}").get_data(as_text=True)
    assert re.search(r'<input type="password" id="sign-pin" name="pin" required', html)
    assert _sign(client, draft["id"]).status_code == 302
    assert "Enter the PIN of your token." in _flashes(client, f"/documents/{draft['id']}")
    assert _status(api, draft["id"]) == "draft"
    profile = client.get("/profile").get_data(as_text=True)
    assert "On a USB token (PKCS#11)" in profile


def test_validate_again_stores_a_new_report(app: Flask, api, signing) -> None:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    from app.extensions import db
    from app.signing.models import SignatureReport

    draft = _draft(api)
    client = _browser(app, "specialist_a")
    html = client.get(f"/documents/{draft['id']}").get_data(as_text=True)
    assert 'class="card sigpanel v-none"' in html and "Not checked yet" in html
    response = _submit(client, f"/documents/{draft['id']}", f"/documents/{draft['id']}/signatures/refresh")
    assert response.status_code == 302
    assert "Signatures checked again: Unsigned." in _flashes(client, f"/documents/{draft['id']}")
    html = client.get(f"/documents/{draft['id']}").get_data(as_text=True)
    assert 'class="card sigpanel v-unsigned"' in html
    assert "the document has no signatures" in html
    assert "Validate again" in html
    with app.app_context():
        reports = db.session.scalars(sa.select(SignatureReport.verdict)).all()
    assert reports == ["unsigned"]


# --- One's certificate and signature image --------------------------------------------------------------------


def test_the_profile_shows_the_certificate_and_the_signature_image(app: Flask, api, signing) -> None:  # type: ignore[no-untyped-def]
    from app.signing import credentials
    from app.signing.demo import signature_png

    with app.app_context():
        cert = credentials.credential_of_user(signing.users["leader_a"]).certificate
        serial, subject = cert.serial, cert.subject
    leader = _browser(app, "leader_a")
    html = leader.get("/profile").get_data(as_text=True)
    assert serial in html
    assert subject in html
    assert "Issued by this system&#39;s certificate authority" in html
    assert 'src="/profile/signature-image"' in html
    image = leader.get("/profile/signature-image")
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert image.data == signature_png("Người leader A")

    specialist = _browser(app, "specialist_a")
    html = specialist.get("/profile").get_data(as_text=True)
    assert "You have no signing certificate" in html
    assert 'src="/profile/signature-image"' not in html
    assert specialist.get("/profile/signature-image").status_code == 404


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (_png("RGB", "JPEG"), "Upload a PNG image."),
        (_png("RGB"), "The image must be a transparent PNG."),
        (b"", "Upload a PNG image."),
    ],
    ids=["jpeg", "opaque-png", "no-file"],
)
def test_a_signature_image_must_be_a_transparent_png(app: Flask, world, content: bytes, message: str) -> None:  # type: ignore[no-untyped-def]
    client = _browser(app, "specialist_a")
    data = {"file": (io.BytesIO(content), "chu-ky.png")} if content else {}
    response = _submit(client, "/profile", "/profile/signature-image", data, content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"].endswith("/profile#signing")
    assert message in _flashes(client, "/profile")
    assert client.get("/profile/signature-image").status_code == 404


def test_a_transparent_png_becomes_the_signature_image(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    client = _browser(app, "specialist_a")
    png = _png()
    data = {"file": (io.BytesIO(png), "chu-ky.png")}
    response = _submit(client, "/profile", "/profile/signature-image", data, content_type="multipart/form-data")
    assert response.status_code == 302
    assert "Signature image saved." in _flashes(client, "/profile")
    assert client.get("/profile/signature-image").data == png


def test_a_pkcs12_file_is_imported_from_the_profile(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    from tests.signing.test_credentials import _pkcs12

    content, _ca = _pkcs12(b"mat-khau")
    client = _browser(app, "leader_a")

    def send(password: str) -> TestResponse:
        data = {"file": (io.BytesIO(content), "ky-so.p12"), "password": password}
        return _submit(client, "/profile", "/profile/credential/pkcs12", data, content_type="multipart/form-data")

    assert send("sai").status_code == 302
    assert "The password is wrong" in _flashes(client, "/profile")
    assert "You have no signing certificate" in client.get("/profile").get_data(as_text=True)
    assert send("mat-khau").status_code == 302
    assert "imported: you now sign with it." in _flashes(client, "/profile")
    html = client.get("/profile").get_data(as_text=True)
    assert "Lê Hoàng Nam" in html and "CA bên ngoài" in html
    assert "Imported from a PKCS#12 file" in html


# --- An organisation's seal and signing level -----------------------------------------------------------------


def test_an_admin_sets_the_seal_and_the_level(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    from app.extensions import db
    from app.signing.demo import seal_png
    from app.signing.models import SigningProfile

    org_id = world.orgs["a"]
    page = f"/admin/organisations/{org_id}"
    admin = _browser(app, "admin_a")
    html = admin.get(page).get_data(as_text=True)
    assert '<option value="B-B" selected>' in html
    assert "No seal image yet" in html

    response = _submit(admin, page, f"{page}/signing-level", {"level": "B-LT"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{page}#signing")
    assert "Signature level saved: B-LT." in _flashes(admin, page)
    assert '<option value="B-LT" selected>' in admin.get(page).get_data(as_text=True)
    assert _submit(admin, page, f"{page}/signing-level", {"level": "B-X"}).status_code == 302
    assert "Must be one of: B-B, B-T, B-LT, B-LTA." in _flashes(admin, page)

    jpeg = {"file": (io.BytesIO(_png("RGB", "JPEG")), "con-dau.jpg")}
    assert _submit(admin, page, f"{page}/seal", jpeg, content_type="multipart/form-data").status_code == 302
    assert "Upload a PNG image." in _flashes(admin, page)
    seal = {"file": (io.BytesIO(seal_png("UBND")), "con-dau.png")}
    assert _submit(admin, page, f"{page}/seal", seal, content_type="multipart/form-data").status_code == 302
    assert "Seal image saved." in _flashes(admin, page)
    assert "A seal image is set." in admin.get(page).get_data(as_text=True)
    with app.app_context():
        profile = db.session.get(SigningProfile, org_id)
        assert (profile.level, profile.seal_blob_sha256 is not None) == ("B-LT", True)

    # An admin manages the organisations below their own (B is below A), not the ones above.
    child = f"/admin/organisations/{world.orgs['b']}"
    assert _submit(admin, page, f"{child}/signing-level", {"level": "B-T"}).status_code == 302
    assert _submit(_browser(app, "admin_b"), "/profile", f"{page}/signing-level", {"level": "B-T"}).status_code == 403


@pytest.mark.parametrize("username", ["clerk_a", "leader_a", "specialist_a"])
def test_non_admins_cannot_set_the_seal_or_the_level(app: Flask, world, username: str) -> None:  # type: ignore[no-untyped-def]
    from app.signing.demo import seal_png

    page = f"/admin/organisations/{world.orgs['a']}"
    client = _browser(app, username)
    assert client.get(page).status_code == 403
    assert _submit(client, "/profile", f"{page}/signing-level", {"level": "B-T"}).status_code == 403
    seal = {"file": (io.BytesIO(seal_png("UBND")), "con-dau.png")}
    assert _submit(client, "/profile", f"{page}/seal", seal, content_type="multipart/form-data").status_code == 403
