"""A document's view history: every view, download and print of a document is recorded, and shown newest first
with who, when, which file and through what; to those who may read the document, and to nobody else."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.support import make_pdf, web_login

HOSTILE = "<script>alert('lịch sử')</script>"


def _register(api, clerk: str = "clerk_a", **fields: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = api(clerk).register(make_pdf("Văn bản đến"), **fields)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _history(api, who: str, doc_id: int, query: str = "") -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = api(who).get(f"/api/v1/documents/{doc_id}/view-history{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _recent(text: str) -> bool:
    moment = datetime.fromisoformat(text)
    return moment.tzinfo is not None and abs(datetime.now(UTC) - moment) < timedelta(minutes=2)


def test_a_download_and_a_print_appear_in_the_history_with_the_user_and_the_time(app, api, world) -> None:  # type: ignore[no-untyped-def]
    doc = _register(api)
    main = doc["files"][0]
    assert api("archivist_a").get(main["url"]).status_code == 200
    client = app.test_client()
    web_login(client, "specialist_a")
    assert client.head(f"/documents/{doc['id']}/print").status_code == 200  # asks, prints nothing: not recorded
    printed = client.get(f"/documents/{doc['id']}/print")
    assert printed.status_code == 200
    assert printed.mimetype == "application/pdf"
    assert printed.headers["Content-Disposition"].startswith("inline;")
    assert printed.data == make_pdf("Văn bản đến")
    api("leader_a").get(f"/api/v1/documents/{doc['id']}")

    history = _history(api, "clerk_a", doc["id"])
    assert history["total"] == 3
    items = history["items"]
    assert [(i["action"], i["user"]["name"], i["file"], i["via"]) for i in items] == [
        ("viewed", "Người leader A", None, "api"),
        ("printed", "Người specialist A", main["filename"], "web"),
        ("downloaded", "Người archivist A", main["filename"], "api"),
    ]
    assert items[1]["user"]["id"] == world.users["specialist_a"]
    assert items[1]["file_id"] == main["id"]
    assert all(_recent(i["at"]) for i in items)
    assert items[0]["at"] >= items[1]["at"] >= items[2]["at"]


def test_a_client_records_its_print_through_the_api(api, world) -> None:  # type: ignore[no-untyped-def]
    doc = _register(api)
    response = api("specialist_a").post(f"/api/v1/documents/{doc['id']}/printed")
    assert response.status_code == 201, response.get_json()
    entry = response.get_json()
    assert entry["action"] == "printed" and entry["via"] == "api"
    assert entry["user"] == {"id": world.users["specialist_a"], "name": "Người specialist A"}
    assert entry["file"] == doc["files"][0]["filename"]
    assert _recent(entry["at"])
    named = api("specialist_a").post(f"/api/v1/documents/{doc['id']}/printed", json={"file_id": doc["files"][0]["id"]})
    assert named.status_code == 201
    assert _history(api, "specialist_a", doc["id"])["items"][:2] == [named.get_json(), entry]


def test_a_print_of_a_file_of_another_document_or_a_bad_body_is_refused(api) -> None:  # type: ignore[no-untyped-def]
    doc = _register(api, number="1")
    other = _register(api, number="2")
    url = f"/api/v1/documents/{doc['id']}/printed"
    wrong_file = api("clerk_a").post(url, json={"file_id": other["files"][0]["id"]})
    assert wrong_file.status_code == 404
    not_a_number = api("clerk_a").post(url, json={"file_id": "một"})
    assert not_a_number.status_code == 422
    assert "file_id" in not_a_number.get_json()["error"]["fields"]
    not_an_object = api("clerk_a").post(url, json=[1])
    assert not_an_object.status_code == 422
    assert _history(api, "clerk_a", doc["id"])["total"] == 0


def test_another_organisation_gets_404_for_the_history_and_the_print(app, api) -> None:  # type: ignore[no-untyped-def]
    doc = _register(api)
    other = api("clerk_b")
    for response in (
        other.get(f"/api/v1/documents/{doc['id']}/view-history"),
        other.post(f"/api/v1/documents/{doc['id']}/printed"),
    ):
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"
    client = app.test_client()
    web_login(client, "leader_b")
    assert client.get(f"/documents/{doc['id']}/print").status_code == 404
    assert api("clerk_b").get("/api/v1/documents/999999/view-history").status_code == 404
    assert _history(api, "clerk_a", doc["id"])["total"] == 0  # nothing was recorded for them


def test_a_secret_document_history_is_only_for_those_granted_it(api) -> None:  # type: ignore[no-untyped-def]
    doc = _register(api, secrecy="secret")
    assert api("archivist_a").get(f"/api/v1/documents/{doc['id']}/view-history").status_code == 404
    assert api("archivist_a").post(f"/api/v1/documents/{doc['id']}/printed").status_code == 404
    assert _history(api, "clerk_a", doc["id"])["total"] == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?page=0", "page"),
        ("?page=abc", "page"),
        ("?page=-1", "page"),
        ("?per_page=0", "per_page"),
        ("?per_page=101", "per_page"),
        ("?per_page=1.5", "per_page"),
    ],
)
def test_bad_pages_are_refused_with_400(api, query: str, field: str) -> None:  # type: ignore[no-untyped-def]
    doc = _register(api)
    response = api("clerk_a").get(f"/api/v1/documents/{doc['id']}/view-history{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "bad_request"
    assert set(error["fields"]) == {field}


def test_the_history_comes_a_page_at_a_time_newest_first(api) -> None:  # type: ignore[no-untyped-def]
    doc = _register(api)
    for _ in range(5):
        api("clerk_a").post(f"/api/v1/documents/{doc['id']}/printed")
    api("clerk_a").get(doc["files"][0]["url"])
    first = _history(api, "clerk_a", doc["id"], "?per_page=2")
    second = _history(api, "clerk_a", doc["id"], "?per_page=2&page=2")
    last = _history(api, "clerk_a", doc["id"], "?per_page=2&page=3")
    beyond = _history(api, "clerk_a", doc["id"], "?per_page=2&page=9")
    assert (first["total"], first["page"], first["per_page"]) == (6, 1, 2)
    assert [i["action"] for i in first["items"]] == ["downloaded", "printed"]
    assert len(second["items"]) == 2 and len(last["items"]) == 2
    assert beyond["items"] == [] and beyond["total"] == 6
    every = first["items"] + second["items"] + last["items"]
    assert [i["at"] for i in every] == sorted((i["at"] for i in every), reverse=True)


def test_the_detail_page_has_a_print_button_and_the_view_history_panel(app, api, world) -> None:  # type: ignore[no-untyped-def]
    """What the panel shows comes from people (names, file names): it is escaped, never markup."""
    from app.auth.models import User
    from app.extensions import db

    with app.app_context():
        db.session.get(User, world.users["archivist_a"]).full_name = f"Lưu trữ {HOSTILE}"
        db.session.commit()
    doc = _register(api, subject=f"Trích yếu {HOSTILE}")
    added = api("clerk_a").post(
        f"/api/v1/documents/{doc['id']}/attachments",
        data={"file": (io.BytesIO(b"phu luc"), "Phụ lục & 'bảng' số 1.txt")},
        content_type="multipart/form-data",
    )
    assert added.status_code == 201, added.get_json()
    api("archivist_a").get(added.get_json()["url"])
    client = app.test_client()
    web_login(client, "specialist_a")
    client.get(f"/documents/{doc['id']}/print")
    html = client.get(f"/documents/{doc['id']}").get_data(as_text=True)
    assert f'href="/documents/{doc["id"]}/print"' in html
    assert ">Print<" in html
    panel = html[html.index('id="view-history"') :]
    assert "View history" in panel
    rows = re.findall(r'<tr data-action="(\w+)">(.*?)</tr>', panel, re.S)
    assert [action for action, _ in rows] == ["viewed", "printed", "downloaded"]
    assert "Người specialist A" in rows[0][1] and "Printed" in rows[1][1] and "Web" in rows[1][1]
    assert "Lưu trữ &lt;script&gt;alert(&#39;lịch sử&#39;)&lt;/script&gt;" in rows[2][1]
    assert "Phụ lục &amp; &#39;bảng&#39; số 1.txt" in rows[2][1] and "API" in rows[2][1]
    assert "<script>alert" not in html


def test_the_panel_pages_through_a_long_history(app, api) -> None:  # type: ignore[no-untyped-def]
    doc = _register(api)
    for _ in range(25):
        api("clerk_a").post(f"/api/v1/documents/{doc['id']}/printed")
    client = app.test_client()
    web_login(client, "clerk_a")
    html = client.get(f"/documents/{doc['id']}").get_data(as_text=True)
    panel = html[html.index('id="view-history"') :]
    assert len(re.findall(r'<tr data-action="', panel)) == 20
    assert "Page 1 of 2" in panel and "history_page=2" in panel
    second = client.get(f"/documents/{doc['id']}?history_page=2").get_data(as_text=True)
    panel = second[second.index('id="view-history"') :]
    assert len(re.findall(r'<tr data-action="', panel)) == 7  # 25 prints and two views, 20 on the first page
    assert client.get(f"/documents/{doc['id']}?history_page=abc").status_code == 200  # the first page
