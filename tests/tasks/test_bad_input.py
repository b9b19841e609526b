"""Bad input on purpose: wrong types, missing fields, huge notes, hostile text, other organisations' ids. Each
answer is a clear error and nothing changes."""

from __future__ import annotations

import io

import pytest

from app.validation import clean_text
from tests.tasks.support import ASSIGNER, LEAD, act, assign, count


def _events(app) -> int:  # type: ignore[no-untyped-def]
    from app.tasks.models import TaskEvent

    return count(app, TaskEvent)


def test_a_ten_megabyte_note_is_refused_before_it_is_read(app, api, assigned) -> None:  # type: ignore[no-untyped-def]
    task = assigned()
    act(api, task["id"], "accept", LEAD)
    before = _events(app)
    huge = "ý" * (10 * 1024 * 1024)
    response = act(api, task["id"], "progress", LEAD, percent=10, note=huge)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    assert "10,000 characters" in response.get_json()["error"]["message"]
    as_form = api(LEAD).post(
        f"/api/v1/tasks/{task['id']}/progress",
        data={"percent": "10", "note": huge},
        content_type="multipart/form-data",
    )
    assert as_form.status_code in {413, 422}
    assigning = api(ASSIGNER).post(
        f"/api/v1/documents/{task['document']['id']}/assignments",
        json={"lead": {"user_id": 1}, "instructions": huge},
    )
    assert assigning.status_code == 413
    assert _events(app) == before
    assert api(LEAD).get(f"/api/v1/tasks/{task['id']}").get_json()["progress"] == 0


def test_a_note_just_over_the_limit_is_named(app, api, assigned) -> None:  # type: ignore[no-untyped-def]
    task = assigned()
    act(api, task["id"], "accept", LEAD)
    before = _events(app)
    response = act(api, task["id"], "progress", LEAD, percent=10, note="x" * 10_001)
    assert response.status_code == 422
    assert "10000" in response.get_json()["error"]["fields"]["note"]
    assert act(api, task["id"], "progress", LEAD, percent=10, note="x" * 10_000).status_code == 200
    assert _events(app) == before + 1


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("progress", {}, "percent"),
        ("progress", {"percent": "bốn mươi"}, "percent"),
        ("progress", {"percent": 101}, "percent"),
        ("progress", {"percent": -1}, "percent"),
        ("progress", {"percent": 12.5}, "percent"),
        ("progress", {"percent": True}, "percent"),
        ("progress", {"percent": [40]}, "percent"),
        ("progress", {"percent": 40, "note": 7}, "note"),
        ("progress", {"percent": 40, "done": True}, "done"),
        ("request_extension", {"reason": "Chờ"}, "deadline"),
        ("request_extension", {"deadline": "2030-01-01"}, "reason"),
        ("request_extension", {"deadline": "2030-01-01", "reason": "   "}, "reason"),
        ("request_extension", {"deadline": "2030-01-01", "reason": "\x00\x01"}, "reason"),
        ("request_extension", {"deadline": "2020-01-01", "reason": "Chờ"}, "deadline"),
        ("request_extension", {"deadline": "ngày mai", "reason": "Chờ"}, "deadline"),
        ("request_extension", {"deadline": "2030-01-01T09:00", "reason": "Chờ"}, "deadline"),
        ("transfer", {}, "user_id"),
        ("transfer", {"user_id": "specialist_a"}, "user_id"),
        ("transfer", {"user_id": -3}, "user_id"),
        ("transfer", {"user_id": 2**40}, "user_id"),
        ("complete", {"reply_document_id": {"id": 1}}, "reply_document_id"),
        ("complete", {"create_reply": "perhaps"}, "create_reply"),
        ("return", {}, "reason"),
        ("return", {"reason": "x" * 2001}, "reason"),
    ],
)
def test_wrong_fields_are_named_and_change_nothing(app, api, assigned, action, body, field) -> None:  # type: ignore[no-untyped-def]
    task = assigned()
    act(api, task["id"], "accept", LEAD)
    before = _events(app)
    response = act(api, task["id"], action, LEAD, **body)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"], response.get_json()
    assert _events(app) == before
    assert api(LEAD).get(f"/api/v1/tasks/{task['id']}").get_json()["state"] == "in_progress"


def test_bodies_that_are_not_json_objects_are_refused(app, api, assigned) -> None:  # type: ignore[no-untyped-def]
    task = assigned()
    url = f"/api/v1/tasks/{task['id']}/accept"
    for data, content_type in (("accept", "text/plain"), ("[1, 2]", "application/json"), ("{", "application/json")):
        response = api(LEAD).post(url, data=data, content_type=content_type)
        assert response.status_code == 422, data
    assert api(LEAD).get(f"/api/v1/tasks/{task['id']}").get_json()["state"] == "new"
    assert api(LEAD).post(url).status_code == 200  # no body at all is an empty object


def test_files_go_with_a_report_a_result_or_a_contribution_and_are_not_empty(app, api, assigned) -> None:  # type: ignore[no-untyped-def]
    task = assigned()
    act(api, task["id"], "accept", LEAD)
    url = f"/api/v1/tasks/{task['id']}"
    before = _events(app)
    with_file = api(LEAD).post(
        f"{url}/request_extension",
        data={"deadline": "2099-01-01", "reason": "x", "attachments": (io.BytesIO(b"x"), "a.txt")},
        content_type="multipart/form-data",
    )
    assert with_file.status_code == 422 and "attachments" in with_file.get_json()["error"]["fields"]
    empty = api(LEAD).post(
        f"{url}/progress",
        data={"percent": "5", "attachments": (io.BytesIO(b""), "empty.pdf")},
        content_type="multipart/form-data",
    )
    assert empty.status_code == 422
    too_many = api(LEAD).post(
        f"{url}/progress",
        data={"percent": "5", "attachments": [(io.BytesIO(b"%d" % i), f"{i}.txt") for i in range(11)]},
        content_type="multipart/form-data",
    )
    assert too_many.status_code == 422
    assert _events(app) == before


HOSTILE = [
    "<script>alert('xss')</script>",
    "'; DROP TABLE tasks; --",
    "{{ config.SECRET_KEY }}",
    "‮gnp.exe",
    "Nội dung\x00có\x07ký tự điều khiển",
    "../../etc/passwd",
    "😀 " * 100,
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_kept_as_text(app, api, world, incoming, text) -> None:  # type: ignore[no-untyped-def]
    doc = incoming()
    created = assign(api, doc["id"], {"lead": {"user_id": world.users[LEAD]}, "instructions": text})
    assert created.status_code == 201, created.get_json()
    task = created.get_json()
    act(api, task["id"], "accept", LEAD)
    noted = act(api, task["id"], "progress", LEAD, percent=1, note=text)
    assert noted.status_code == 200
    shown = api(LEAD).get(f"/api/v1/documents/{doc['id']}/timeline").get_json()["items"]
    for stored in (task["instructions"], shown[-1]["note"]):
        assert not {"\x00", "\x07", "\u202e"} & set(stored)  # control and direction characters dropped
        assert stored == clean_text(text)  # everything else kept, markup included, as text
    assert api(ASSIGNER).get("/api/v1/tasks").status_code == 200  # the table is still there


def test_other_organisations_ids_are_not_found_or_refused(app, api, world, units, assigned, incoming) -> None:  # type: ignore[no-untyped-def]
    task = assigned()
    doc_b = incoming(clerk="clerk_b")
    for url in (f"/api/v1/tasks/{task['id']}", f"/api/v1/documents/{task['document']['id']}/timeline"):
        assert api("leader_b").get(url).status_code == 404, url
    assert act(api, task["id"], "cancel", "leader_b").status_code == 404
    assert act(api, task["id"], "accept", "specialist_b").status_code == 404
    assert assign(api, doc_b["id"], {"lead": {"user_id": world.users[LEAD]}}).status_code == 404
    b_people = assign(api, task["document"]["id"], {"lead": {"user_id": world.users["specialist_b"]}})
    assert b_people.status_code == 422 and "lead" in b_people.get_json()["error"]["fields"]
    act(api, task["id"], "accept", LEAD)
    b_target = act(api, task["id"], "transfer", LEAD, user_id=world.users["specialist_b"])
    assert b_target.status_code == 422 and "user_id" in b_target.get_json()["error"]["fields"]
    b_unit = api(LEAD).get(f"/api/v1/tasks?unit={units['b']}")
    assert b_unit.status_code == 422 and "unit" in b_unit.get_json()["error"]["fields"]
    assert api("leader_b").get("/api/v1/tasks?role=assigned_by_me").get_json()["total"] == 0
