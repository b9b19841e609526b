"""Bad input on purpose: missing and wrong-typed fields, unknown retention periods, years out of range, taken
codes, huge and hostile text. Each answer names what is wrong and nothing changes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.archive.models import RecordFile
from app.clock import local_today
from tests.archive.records import ARCHIVIST, close, count, file_document, incoming_fixture, new_file_fixture  # noqa: F401


def _create(api, who: str = ARCHIVIST, **body):  # type: ignore[no-untyped-def]
    return api(who).post("/api/v1/archive/files", json=body)


def _good(**changes):  # type: ignore[no-untyped-def]
    body = {"year": local_today().year, "code": "01.VP", "title": "Hồ sơ thử", "retention_years": 10}
    body.update(changes)
    return body


def test_missing_fields_are_each_named(app, api, world) -> None:  # type: ignore[no-untyped-def]
    response = _create(api)
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"year", "code", "title", "retention_years"}
    assert all(problem == "Required." for problem in fields.values())
    assert count(app, RecordFile) == 0


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"year": "hai nghìn"}, "year", "Not a whole number."),
        ({"year": True}, "year", "Must be a whole number."),
        ({"year": 1899}, "year", "Must be at least 1900."),
        ({"year": 3000}, "year", "Must be at most 2999."),
        ({"retention_years": 15}, "retention_years", "Must be one of: permanent, 70, 50, 20, 10, 5."),
        ({"retention_years": "mười"}, "retention_years", "Must be one of: permanent, 70, 50, 20, 10, 5."),
        ({"retention_years": True}, "retention_years", "Must be one of"),
        ({"retention_years": 10.5}, "retention_years", "Must be one of"),
        ({"code": ""}, "code", "Required."),
        ({"code": " \u200b\t "}, "code", "Required."),
        ({"code": "x" * 51}, "code", "At most 50 characters."),
        ({"code": 5}, "code", "Must be text."),
        ({"title": "   "}, "title", "Required."),
        ({"title": ["a"]}, "title", "Must be text."),
        ({"title": "T" * 1001}, "title", "At most 1000 characters."),
        ({"keeper_id": "bob"}, "keeper_id", "Not a whole number."),
        ({"keeper_id": 0}, "keeper_id", "Must be at least 1."),
        ({"opened_on": "31/02/2026"}, "opened_on", "Not a date"),
        ({"notes": "n" * 10_001}, "notes", "At most 10000 characters."),
        ({"colour": "red"}, "colour", "Unknown field."),
    ],
)
def test_a_wrong_field_is_named_and_nothing_is_made(app, api, world, changes, field, says) -> None:  # type: ignore[no-untyped-def]
    response = _create(api, **_good(**changes))
    assert response.status_code == 422, response.get_json()
    assert says in response.get_json()["error"]["fields"][field]
    assert count(app, RecordFile) == 0


def test_a_year_after_next_year_and_a_stranger_as_keeper_are_refused(app, api, world) -> None:  # type: ignore[no-untyped-def]
    after_next = _create(api, **_good(year=local_today().year + 2))
    assert after_next.status_code == 422
    assert "at most next year" in after_next.get_json()["error"]["fields"]["year"]
    stranger = _create(api, **_good(keeper_id=world.users["archivist_b"]))
    assert stranger.status_code == 422
    assert stranger.get_json()["error"]["fields"]["keeper_id"] == "No such user in your organisation."
    future = _create(api, **_good(opened_on=(local_today() + timedelta(days=2)).isoformat()))
    assert future.status_code == 422 and "opened_on" in future.get_json()["error"]["fields"]
    assert _create(api, **_good(year=local_today().year + 1)).status_code == 201  # next year's list is drawn up now
    assert _create(api, **_good(year=1990, code="01.CU")).status_code == 201  # past files come in by import


def test_not_a_json_object_and_a_huge_body_are_refused(app, api, world) -> None:  # type: ignore[no-untyped-def]
    listed = api(ARCHIVIST).post("/api/v1/archive/files", json=["year", 2026])
    assert listed.status_code == 422 and listed.get_json()["error"]["message"] == "Send a JSON object."
    huge = _create(api, **_good(title="Đ" * (1024 * 1024)))
    assert huge.status_code == 413 and huge.get_json()["error"]["code"] == "too_large"
    assert count(app, RecordFile) == 0


def test_a_code_is_unique_in_the_organisation_and_year(app, api, world) -> None:  # type: ignore[no-untyped-def]
    year = local_today().year
    assert _create(api, **_good(code="07.TC")).status_code == 201
    taken = _create(api, **_good(code="07.TC", title="Một hồ sơ khác"))
    assert taken.status_code == 409
    error = taken.get_json()["error"]
    assert error["message"] == f"The code 07.TC is already used by another records file of {year}."
    assert error["field"] == "code"
    assert _create(api, **_good(code="07.TC", year=year - 1)).status_code == 201  # another year
    assert _create(api, who="archivist_b", **_good(code="07.TC")).status_code == 201  # another organisation
    other = _create(api, **_good(code="08.TC")).get_json()
    renamed = api(ARCHIVIST).patch(f"/api/v1/archive/files/{other['id']}", json={"code": "07.TC"})
    assert renamed.status_code == 409
    assert _create(api, **_good(code="08.TC", year=year - 1)).status_code == 201
    moved = api(ARCHIVIST).patch(f"/api/v1/archive/files/{other['id']}", json={"year": year - 1})
    assert moved.status_code == 409  # 08.TC is taken in that year
    assert count(app, RecordFile) == 5


def test_a_patch_cannot_clear_what_is_required(api, new_file) -> None:  # type: ignore[no-untyped-def]
    f = new_file()
    for body in ({"title": None}, {"code": None}, {"year": None}, {"title": ""}):
        response = api(ARCHIVIST).patch(f"/api/v1/archive/files/{f['id']}", json=body)
        assert response.status_code == 422, body
        assert response.get_json()["error"]["fields"][next(iter(body))] == "Required."
    assert api(ARCHIVIST).get(f"/api/v1/archive/files/{f['id']}").get_json()["title"] == f["title"]


def test_hostile_text_is_kept_as_typed_and_shown_as_text(app, api, new_file) -> None:  # type: ignore[no-untyped-def]
    from tests.support import web_login

    title = '<script>alert("hồ sơ")</script><img src=x onerror=alert(1)> & Co'
    f = new_file(title=title, code='"><b>9</b>')
    assert f["title"] == title
    browser = app.test_client()
    web_login(browser, ARCHIVIST)
    for url in (f"/archive/files/{f['id']}", f"/archive/files?year={f['year']}"):
        page = browser.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>9</b>" not in page
        assert "&lt;script&gt;alert(&#34;hồ sơ&#34;)&lt;/script&gt;" in page
        assert "&#34;&gt;&lt;b&gt;9&lt;/b&gt;" in page


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "document_id"),
        ({"document_id": "abc"}, "document_id"),
        ({"document_id": -4}, "document_id"),
        ({"document_id": 1, "position": 0}, "position"),
        ({"document_id": 1, "position": "đầu"}, "position"),
    ],
)
def test_filing_needs_a_document_id_and_a_sensible_position(api, new_file, body, field) -> None:  # type: ignore[no-untyped-def]
    f = new_file()
    response = api(ARCHIVIST).post(f"/api/v1/archive/files/{f['id']}/documents", json=body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_an_unknown_document_and_a_document_not_in_the_file_are_not_found(api, incoming, new_file) -> None:  # type: ignore[no-untyped-def]
    f = new_file()
    assert file_document(api, f["id"], 2_000_000).status_code == 404
    doc = incoming()
    assert api(ARCHIVIST).delete(f"/api/v1/archive/files/{f['id']}/documents/{doc['id']}").status_code == 404
    moved = api(ARCHIVIST).patch(f"/api/v1/archive/files/{f['id']}/documents/{doc['id']}", json={"position": 1})
    assert moved.status_code == 404


def test_closing_dates_must_make_sense(api, new_file) -> None:  # type: ignore[no-untyped-def]
    today = local_today()
    f = new_file(opened_on=(today - timedelta(days=10)).isoformat())
    future = close(api, f["id"], today + timedelta(days=1))
    assert future.status_code == 422 and future.get_json()["error"]["fields"]["closed_on"] == "Not in the future."
    before = close(api, f["id"], today - timedelta(days=11))
    assert before.status_code == 422 and "opened" in before.get_json()["error"]["fields"]["closed_on"]
    old = new_file(year=today.year, code="99.VP")
    last_year = close(api, old["id"], today.replace(month=1, day=1) - timedelta(days=1))
    assert (
        last_year.status_code == 422
        and "cannot end before that year" in last_year.get_json()["error"]["fields"]["closed_on"]
    )
    assert close(api, f["id"], today).status_code == 200
    early = api(ARCHIVIST).post(
        f"/api/v1/archive/files/{f['id']}/transfer", json={"transferred_on": (today - timedelta(days=1)).isoformat()}
    )
    assert early.status_code == 422 and "closed" in early.get_json()["error"]["fields"]["transferred_on"]


@pytest.mark.parametrize("files", ["", "abc", "1,x", "0", ",".join(str(n) for n in range(1, 60))])
def test_a_transfer_package_needs_a_list_of_ids(api, world, files) -> None:  # type: ignore[no-untyped-def]
    response = api(ARCHIVIST).get(f"/api/v1/archive/transfers/package.zip?files={files}")
    assert response.status_code == 422
    assert "files" in response.get_json()["error"]["fields"]
