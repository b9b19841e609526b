"""The archive pages through the Flask test client: the menu, opening a records file, filing from the document
page, ordering, closing and transferring, the review and transfer lists, the ZIP downloads."""

from __future__ import annotations

import json
import re
from datetime import date

from app.clock import local_today
from tests.archive.records import (  # noqa: F401 - fixtures
    ARCHIVIST,
    CLERK,
    LEADER,
    SPECIALIST,
    close,
    closed_due_in,
    download,
    file_document,
    incoming_fixture,
    new_file_fixture,
    unzip,
)
from tests.signing.test_pages import _browser, _flashes, _submit


def _file_id(location: str) -> int:
    match = re.search(r"/archive/files/(\d+)$", location)
    assert match, location
    return int(match.group(1))


def test_the_archive_menu_is_for_archivists_clerks_and_leaders(app, world) -> None:  # type: ignore[no-untyped-def]
    for username in (ARCHIVIST, CLERK, LEADER):
        page = _browser(app, username).get("/documents").get_data(as_text=True)
        assert 'href="/archive/files"' in page, username
    specialist = _browser(app, SPECIALIST)
    assert 'href="/archive/files"' not in specialist.get("/documents").get_data(as_text=True)
    for url in ("/archive/files", "/archive/review", "/archive/transfers"):
        assert specialist.get(url).status_code == 403


def test_an_archivist_opens_a_file_files_a_document_from_its_page_and_closes_the_file(app, api, incoming) -> None:  # type: ignore[no-untyped-def]
    year = local_today().year
    archivist = _browser(app, ARCHIVIST)
    made = _submit(
        archivist,
        "/archive/files",
        "/archive/files",
        {
            "year": str(year),
            "code": "11.VP",
            "title": "Hồ sơ tiếp công dân",
            "retention_years": "permanent",
            "keeper_id": "",
            "opened_on": "",
            "notes": "",
        },
    )
    assert made.status_code == 302, made.get_data(as_text=True)
    file_id = _file_id(made.headers["Location"])
    assert api(ARCHIVIST).get(f"/api/v1/archive/files/{file_id}").get_json()["permanent"] is True

    doc, other = incoming(subject="Đơn kiến nghị của công dân"), incoming(subject="Phiếu chuyển đơn")
    detail = archivist.get(f"/documents/{doc['id']}").get_data(as_text=True)
    assert 'id="record-file"' in detail and "11.VP" in detail
    filed = _submit(
        archivist, f"/documents/{doc['id']}", f"/documents/{doc['id']}/record-file", {"record_file_id": str(file_id)}
    )
    assert filed.status_code == 302 and filed.headers["Location"].endswith(f"/documents/{doc['id']}#record-file")
    detail = archivist.get(f"/documents/{doc['id']}").get_data(as_text=True)
    assert f'href="/archive/files/{file_id}"' in detail and "Filed in" in detail
    assert 'name="record_file_id"' not in detail  # filed already: no form

    added = _submit(
        archivist, f"/archive/files/{file_id}", f"/archive/files/{file_id}/documents", {"document_id": str(other["id"])}
    )
    assert added.status_code == 302
    twice = _submit(
        archivist, f"/archive/files/{file_id}", f"/archive/files/{file_id}/documents", {"document_id": str(other["id"])}
    )
    assert twice.status_code == 302
    assert "already filed in the records file 11.VP" in _flashes(archivist, f"/archive/files/{file_id}")

    up = _submit(
        archivist,
        f"/archive/files/{file_id}",
        f"/archive/files/{file_id}/documents/{other['id']}/move",
        {"position": "1"},
    )
    assert up.status_code == 302
    page = archivist.get(f"/archive/files/{file_id}").get_data(as_text=True)
    assert page.index("Phiếu chuyển đơn") < page.index("Đơn kiến nghị của công dân")

    shut = _submit(
        archivist,
        f"/archive/files/{file_id}",
        f"/archive/files/{file_id}/close",
        {"closed_on": local_today().isoformat()},
    )
    assert shut.status_code == 302
    page = archivist.get(f"/archive/files/{file_id}").get_data(as_text=True)
    assert '<span class="badge status">Closed</span>' in page
    assert f'action="/archive/files/{file_id}/documents"' not in page  # no more filing
    assert f"/archive/files/{file_id}/transfer" in page

    zipped = download(archivist, f"/archive/files/{file_id}/export.zip")
    assert zipped.status_code == 200 and zipped.mimetype == "application/zip"
    manifest = json.loads(unzip(zipped.data)["manifest.json"])
    assert [d["document"]["id"] for d in manifest["record_files"][0]["documents"]] == [other["id"], doc["id"]]


def test_a_refusal_on_a_page_says_why_and_bad_fields_stay_under_their_field(app, api, new_file) -> None:  # type: ignore[no-untyped-def]
    existing = new_file(code="21.VP")
    archivist = _browser(app, ARCHIVIST)
    bad = _submit(
        archivist,
        "/archive/files",
        "/archive/files",
        {"year": str(existing["year"]), "code": "", "title": "", "retention_years": "15"},
    )
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert 'id="err-code"' in page and 'id="err-title"' in page and 'id="err-retention_years"' in page
    taken = _submit(
        archivist,
        "/archive/files",
        "/archive/files",
        {"year": str(existing["year"]), "code": "21.VP", "title": "Trùng mã", "retention_years": "5"},
    )
    assert taken.status_code == 422 and "already used by another records file" in taken.get_data(as_text=True)
    unknown = _submit(
        archivist,
        f"/archive/files/{existing['id']}",
        f"/archive/files/{existing['id']}/documents",
        {"document_id": "987654"},
    )
    assert unknown.status_code == 302
    assert "No such document." in _flashes(archivist, f"/archive/files/{existing['id']}")

    leader = _browser(app, LEADER)
    page = leader.get(f"/archive/files/{existing['id']}").get_data(as_text=True)
    assert "/close" not in page and "/edit" not in page  # a leader reads only
    refused = _submit(leader, f"/archive/files/{existing['id']}", f"/archive/files/{existing['id']}/close", {})
    assert refused.status_code == 403


def test_a_records_file_is_edited_through_its_form(app, api, new_file) -> None:  # type: ignore[no-untyped-def]
    f = new_file(notes="Ghi chú cũ")
    archivist = _browser(app, ARCHIVIST)
    form = archivist.get(f"/archive/files/{f['id']}/edit").get_data(as_text=True)
    assert 'value="Hồ sơ về công tác văn thư, lưu trữ năm nay"' in form
    saved = _submit(
        archivist,
        f"/archive/files/{f['id']}/edit",
        f"/archive/files/{f['id']}/edit",
        {
            "year": str(f["year"]),
            "code": f["code"],
            "title": "Tên mới",
            "retention_years": "70",
            "keeper_id": "",
            "opened_on": "",
            "notes": "",
        },
    )
    assert saved.status_code == 302
    body = api(ARCHIVIST).get(f"/api/v1/archive/files/{f['id']}").get_json()
    assert body["title"] == "Tên mới" and body["retention_years"] == 70 and body["notes"] is None


def test_the_review_and_transfer_pages_list_their_files_and_give_the_package(app, api, incoming, new_file) -> None:  # type: ignore[no-untyped-def]
    expired = new_file(year=2012, code="01.CU", retention_years=5, title="Hồ sơ hết hạn")
    close(api, expired["id"], date(2012, 12, 1))
    due = new_file(year=closed_due_in(10).year, code="02.DEN", title="Hồ sơ đến hạn nộp lưu")
    doc = incoming()
    file_document(api, due["id"], doc["id"])
    close(api, due["id"], closed_due_in(10))

    archivist = _browser(app, ARCHIVIST)
    review = archivist.get("/archive/review").get_data(as_text=True)
    assert "Hồ sơ hết hạn" in review and "01/01/2018" in review and "Nothing is deleted automatically" in review
    transfers = archivist.get("/archive/transfers").get_data(as_text=True)
    assert "Hồ sơ đến hạn nộp lưu" in transfers and f'name="files" value="{due["id"]}"' in transfers

    package = download(archivist, f"/archive/transfers/package.zip?files={due['id']}")
    assert package.status_code == 200 and package.mimetype == "application/zip"
    assert any(name.endswith("/HoSo.xml") for name in unzip(package.data))
    empty = archivist.get("/archive/transfers/package.zip")
    assert empty.status_code == 302 and "Choose at least one records file." in _flashes(archivist, "/archive/transfers")

    done = _submit(
        archivist,
        "/archive/transfers",
        f"/archive/files/{due['id']}/transfer",
        {"next": "/archive/transfers"},
    )
    assert done.status_code == 302 and done.headers["Location"].endswith("/archive/transfers")
    assert "Hồ sơ đến hạn nộp lưu" not in archivist.get("/archive/transfers").get_data(as_text=True)
