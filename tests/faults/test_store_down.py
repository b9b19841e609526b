"""The object store stops: uploads answer 503 and write nothing; reading lists goes on; it recovers by itself."""

from __future__ import annotations

import sqlalchemy as sa

from tests.support import PASSWORD, ApiClient, app_with_own_store, make_pdf, web_login


def _document_count(app) -> int:  # type: ignore[no-untyped-def]
    from app.documents.models import Document
    from app.extensions import db

    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Document)) or 0


def test_uploads_fail_cleanly_while_the_store_is_down_and_work_again_after(app_factory, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with app_with_own_store(app_factory, tmp_path) as (app, store):
        clerk = ApiClient.login(app, "clerk_a", PASSWORD)
        first = clerk.register(make_pdf("trước sự cố"), number="1")
        assert first.status_code == 201
        doc = first.get_json()

        store.stop()

        down = clerk.register(make_pdf("trong sự cố"), number="2")
        assert down.status_code == 503
        error = down.get_json()["error"]
        assert error["code"] == "storage_unavailable"
        assert "nothing was saved" in error["message"]
        assert _document_count(app) == 1
        assert clerk.get("/api/v1/documents").get_json()["total"] == 1
        assert clerk.get(f"/api/v1/documents/{doc['id']}").status_code == 200
        assert clerk.get(doc["files"][0]["url"]).status_code == 503
        health = app.test_client().get("/api/v1/health")
        assert health.status_code == 503
        assert health.get_json()["storage"] == "down"
        browser = app.test_client()
        web_login(browser, "clerk_a")
        assert browser.get("/documents").status_code == 200
        assert browser.get(f"/documents/{doc['id']}").status_code == 200

        store.start()

        again = clerk.register(make_pdf("sau sự cố"), number="2")
        assert again.status_code == 201, again.get_json()
        assert again.get_json()["register_number"] == 2  # the failed attempt used no number
        assert clerk.get(doc["files"][0]["url"]).data == make_pdf("trước sự cố")
        assert app.test_client().get("/api/v1/health").status_code == 200
