"""Bad input on purpose: each answer is a clear error, and nothing is stored or half-written."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from tests.support import PASSWORD, ApiClient, make_pdf


def _counts(app) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    from app.documents.models import Document, DocumentFile
    from app.extensions import db
    from app.storage.models import Blob

    with app.app_context():
        return tuple(
            db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Document, DocumentFile, Blob)
        )


def _objects(app) -> set[str]:  # type: ignore[no-untyped-def]
    from app.storage.service import current_store

    with app.app_context():
        return {o.sha256 for o in current_store().list()}


@pytest.mark.parametrize(
    ("payload", "why"),
    [
        (b"PK\x03\x04 this is a zip file", "must be a PDF"),
        (b"", "empty"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without pages or xref", "damaged"),
        (make_pdf()[:400], "damaged"),
    ],
)
def test_a_main_file_that_is_not_a_readable_pdf_is_refused_and_nothing_is_stored(app, api, payload, why) -> None:  # type: ignore[no-untyped-def]
    before = _objects(app)
    response = api("clerk_a").register(payload)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert "file" in error["fields"]
    assert why in error["fields"]["file"]
    assert _counts(app) == (0, 0, 0)
    assert _objects(app) == before


def test_a_password_protected_pdf_is_refused(app, api) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf())))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    response = api("clerk_a").register(out.getvalue())
    assert response.status_code == 422
    assert "password" in response.get_json()["error"]["fields"]["file"]
    assert _counts(app) == (0, 0, 0)


def test_a_missing_main_file_is_named(api) -> None:  # type: ignore[no-untyped-def]
    response = api("clerk_a").register(None)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"file"}


def test_missing_and_invalid_fields_are_each_named(app, api) -> None:  # type: ignore[no-untyped-def]
    response = api("clerk_a").register(
        make_pdf(),
        subject="",
        issuer=None,
        document_type="XYZ",
        urgency="soon",
        secrecy=7,
        issued_on="2026-02-30",
        page_count="many",
        number="1" * 50,
    )
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid_input"
    assert set(error["fields"]) == {
        "subject",
        "issuer",
        "document_type",
        "urgency",
        "secrecy",
        "issued_on",
        "page_count",
        "number",
    }
    assert error["fields"]["issuer"] == "Required."
    assert "20" in error["fields"]["number"]
    assert _counts(app) == (0, 0, 0)


def test_an_unknown_direction_is_named(api) -> None:  # type: ignore[no-untyped-def]
    response = api("clerk_a").register(make_pdf(), direction="sideways")
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"direction"}


def test_a_json_body_instead_of_multipart_is_explained(api) -> None:  # type: ignore[no-untyped-def]
    response = api("clerk_a").post("/api/v1/documents", json={"direction": "incoming", "subject": "x"})
    assert response.status_code == 422
    assert "multipart" in response.get_json()["error"]["message"]


def test_an_upload_over_the_limit_is_refused_with_413(app_factory, world) -> None:  # type: ignore[no-untyped-def]
    app = app_factory(MAX_UPLOAD_MB=1)
    clerk = ApiClient.login(app, "clerk_a", PASSWORD)
    big = make_pdf() + b"%" + b"x" * (1024 * 1024 + 10)
    response = clerk.register(big)
    assert response.status_code == 413
    error = response.get_json()["error"]
    assert error["code"] == "too_large"
    assert "1 MB" in error["message"]
    assert _counts(app) == (0, 0, 0)


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Windows\\system32\\evil.pdf", None),  # the multipart parser may already drop the backslashes
        ("bad\x00name\x1b[31m\x07\t.pdf", "badname[31m.pdf"),
        ("\u202egnp.pdf", "gnp.pdf"),
        ("...", "document.pdf"),
        ("<script>alert(1)</script>.pdf", None),
    ],
)
def test_hostile_file_names_are_stored_safely(api, given, kept) -> None:  # type: ignore[no-untyped-def]
    response = api("clerk_a").register(make_pdf(), filename=given)
    assert response.status_code == 201, response.get_json()
    name = response.get_json()["files"][0]["filename"]
    assert "/" not in name and "\\" not in name
    assert all(ord(ch) >= 32 for ch in name)
    assert "\u202e" not in name
    assert "<" not in name and ">" not in name
    assert name == kept or (kept is None and name.endswith(".pdf"))


def test_a_300_character_file_name_is_shortened_keeping_its_extension(api) -> None:  # type: ignore[no-untyped-def]
    clerk = api("clerk_a")
    long_name = "Quyết định " + "dài " * 80 + ".pdf"
    doc = clerk.register(make_pdf(), filename=long_name).get_json()
    name = doc["files"][0]["filename"]
    assert len(name) <= 200
    assert name.endswith(".pdf")
    download = clerk.get(doc["files"][0]["url"])
    assert download.status_code == 200
    assert "\n" not in download.headers["Content-Disposition"]


def test_script_in_text_fields_is_shown_as_text(app, api, world) -> None:  # type: ignore[no-untyped-def]
    from tests.support import web_login

    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    doc = api("clerk_a").register(make_pdf(), subject=hostile, issuer=hostile, notation=hostile[:100]).get_json()
    assert doc["subject"] == hostile  # kept as typed: it is data
    client = app.test_client()
    web_login(client, "clerk_a")
    for url in ("/documents", f"/documents/{doc['id']}", f"/registers/incoming/{doc['register_year']}"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html, url
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html, url
        assert "<img src=x" not in html


def test_wrong_types_in_json_are_named(api) -> None:  # type: ignore[no-untyped-def]
    clerk = api("clerk_a")
    doc = clerk.register(make_pdf()).get_json()
    response = clerk.patch(
        f"/api/v1/documents/{doc['id']}", json={"page_count": "ten", "subject": ["a"], "issued_on": 20260101}
    )
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"page_count", "subject", "issued_on"}
    assert clerk.patch(f"/api/v1/documents/{doc['id']}", json=["not", "an", "object"]).status_code == 422
    grant = clerk.post(f"/api/v1/documents/{doc['id']}/grants", json={"user_id": "1"})
    assert grant.status_code == 422


def test_ids_that_do_not_exist_are_not_found(api) -> None:  # type: ignore[no-untyped-def]
    clerk = api("clerk_a")
    assert clerk.get("/api/v1/documents/999999").status_code == 404
    assert clerk.get("/api/v1/documents/999999/files/1").status_code == 404
    assert clerk.get("/api/v1/documents/abc").status_code == 404
    assert clerk.get("/api/v1/nothing-here").get_json()["error"]["code"] == "not_found"
