"""A leader assigns the processing of a document: who leads, who coordinates, who is informed, and by when."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.tasks.support import ASSIGNER, assign, count, moment


def _calendar(app):  # type: ignore[no-untyped-def]
    from app.calendar.service import load_calendar

    with app.app_context():
        return load_calendar()


def _closing(calendar, day: date) -> datetime:  # type: ignore[no-untyped-def]
    """The end of a working day's office hours, read from the calendar's weekly hours."""
    assert calendar.is_working_day(day)
    closes = max(i.closes for i in calendar.hours if i.weekday == day.weekday())
    return datetime.combine(day, closes, tzinfo=calendar.tz)


def _working_weekday_ahead(calendar, days: int) -> date:  # type: ignore[no-untyped-def]
    day = datetime.now(calendar.tz).date() + timedelta(days=days)
    while not calendar.is_working_day(day) or day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def test_a_leader_assigns_to_a_user_with_coordinators_and_informed(app, api, world, units, incoming) -> None:  # type: ignore[no-untyped-def]
    from app.audit.models import AuditEvent
    from app.tasks.models import TaskEvent, TaskParticipant

    doc = incoming()
    deadline = (datetime.now(UTC) + timedelta(days=20)).replace(microsecond=0)
    response = assign(
        api,
        doc["id"],
        {
            "lead": {"user_id": world.users["specialist_a"]},
            "coordinators": [{"user_id": world.users["archivist_a"]}, {"unit_id": units["a"]}],
            "informed": [{"user_id": world.users["clerk_a"]}],
            "deadline": deadline.isoformat(),
            "instructions": "Giao Văn phòng chủ trì, tham mưu UBND tỉnh trả lời trước ngày 15.",
        },
    )
    assert response.status_code == 201, response.get_json()
    task = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/tasks/{task['id']}")
    assert task["state"] == "new"
    assert task["overdue"] is False
    assert task["document"]["id"] == doc["id"]
    assert task["assigned_by"]["username"] == "leader_a"
    assert task["lead"] == {"user": {**task["lead"]["user"], "username": "specialist_a"}, "unit": None}
    assert [c["user"]["username"] if c["user"] else c["unit"]["id"] for c in task["coordinators"]] == [
        "archivist_a",
        units["a"],
    ]
    assert [i["user"]["username"] for i in task["informed"]] == ["clerk_a"]
    assert moment(task["deadline"]) == deadline
    assert task["deadline_basis"] == "given"
    assert task["instructions"].startswith("Giao Văn phòng chủ trì")
    assert task["assigned_at"] and task["accepted_at"] is None
    assert [(e["action"], e["from_state"], e["to_state"]) for e in task["events"]] == [("assign", None, "new")]
    assert task["events"][0]["note"] == task["instructions"]
    assert count(app, TaskEvent) == 1
    assert count(app, TaskParticipant) == 3
    assert count(app, AuditEvent, AuditEvent.action == "task:assigned", AuditEvent.object_id == str(task["id"])) == 1
    # The lead sees it among the tasks they lead; the leader among those they assigned.
    led = api("specialist_a").get("/api/v1/tasks?role=lead").get_json()
    assert [t["id"] for t in led["items"]] == [task["id"]]
    assert api("leader_a").get("/api/v1/tasks?role=assigned_by_me").get_json()["total"] == 1
    assert api("specialist_a").get("/api/v1/tasks?role=assigned_by_me").get_json()["total"] == 0


def test_a_unit_can_lead_and_a_date_means_the_end_of_that_days_office_hours(app, api, units, incoming) -> None:  # type: ignore[no-untyped-def]
    calendar = _calendar(app)
    day = _working_weekday_ahead(calendar, 14)
    doc = incoming()
    response = assign(api, doc["id"], {"lead": {"unit_id": units["a"]}, "deadline": day.isoformat()})
    assert response.status_code == 201, response.get_json()
    task = response.get_json()
    assert task["lead"]["user"] is None and task["lead"]["unit"]["name"] == "Văn phòng"
    assert moment(task["deadline"]) == _closing(calendar, day)
    # Every member of the unit finds it among the tasks they lead.
    for member in ("clerk_a", "specialist_a", "archivist_a"):
        assert api(member).get("/api/v1/tasks?role=lead").get_json()["total"] == 1
    assert api("specialist_b").get("/api/v1/tasks?role=lead").get_json()["total"] == 0


def test_by_default_the_deadline_is_the_end_of_the_documents_due_date(app, api, world, incoming) -> None:  # type: ignore[no-untyped-def]
    calendar = _calendar(app)
    due = _working_weekday_ahead(calendar, 9)
    doc = incoming(due_on=due.isoformat())
    task = assign(api, doc["id"], {"lead": {"user_id": world.users["specialist_a"]}}).get_json()
    assert task["deadline_basis"] == "due_on"
    assert moment(task["deadline"]) == _closing(calendar, due)


def test_a_due_date_on_a_public_holiday_moves_to_the_end_of_the_next_working_day(app, api, world, incoming) -> None:  # type: ignore[no-untyped-def]
    calendar = _calendar(app)
    today = datetime.now(calendar.tz).date()
    holiday = min(d for d in calendar.holidays if d > today + timedelta(days=1) and not calendar.is_working_day(d))
    following = holiday + timedelta(days=1)
    while not calendar.is_working_day(following):
        following += timedelta(days=1)
    doc = incoming(due_on=holiday.isoformat())
    task = assign(api, doc["id"], {"lead": {"user_id": world.users["specialist_a"]}}).get_json()
    assert moment(task["deadline"]) == _closing(calendar, following)


@pytest.mark.parametrize(("urgency", "days"), [("normal", 10), ("urgent", 5), ("very_urgent", 3), ("express", 1)])
def test_without_a_due_date_the_urgency_sets_the_working_days(app, api, world, incoming, urgency, days) -> None:  # type: ignore[no-untyped-def]
    calendar = _calendar(app)
    doc = incoming(urgency=urgency)
    before = datetime.now(UTC)
    response = assign(api, doc["id"], {"lead": {"user_id": world.users["specialist_a"]}})
    after = datetime.now(UTC)
    assert response.status_code == 201, response.get_json()
    task = response.get_json()
    assert task["deadline_basis"] == "urgency_rule"
    assert calendar.add_working_days(before, days) <= moment(task["deadline"]) <= calendar.add_working_days(after, days)


def test_a_number_of_working_days_is_counted_by_the_calendar(app, api, world, incoming) -> None:  # type: ignore[no-untyped-def]
    calendar = _calendar(app)
    doc = incoming(due_on=_working_weekday_ahead(calendar, 30).isoformat())  # given days win over the due date
    before = datetime.now(UTC)
    task = assign(api, doc["id"], {"lead": {"user_id": world.users["specialist_a"]}, "deadline_working_days": 4})
    after = datetime.now(UTC)
    body = task.get_json()
    assert body["deadline_basis"] == "working_days"
    assert calendar.add_working_days(before, 4) <= moment(body["deadline"]) <= calendar.add_working_days(after, 4)


def test_the_top_level_admin_changes_the_default_deadlines(app, api, world, incoming) -> None:  # type: ignore[no-untyped-def]
    from app.audit.models import AuditEvent

    assert api("specialist_a").get("/api/v1/task-rules").get_json() == {
        "normal": 10,
        "urgent": 5,
        "very_urgent": 3,
        "express": 1,
    }
    for who in ("leader_a", "admin_b", "specialist_a"):
        assert api(who).put("/api/v1/task-rules", json={"urgent": 7}).status_code == 403, who
    for bad in ({"urgent": 0}, {"urgent": 400}, {"urgent": "x"}, {"urgent": True}, {"slow": 3}):
        refused = api("admin_a").put("/api/v1/task-rules", json=bad)
        assert refused.status_code == 422, bad
    changed = api("admin_a").put("/api/v1/task-rules", json={"urgent": 7})
    assert changed.status_code == 200
    assert changed.get_json() == {"normal": 10, "urgent": 7, "very_urgent": 3, "express": 1}
    assert count(app, AuditEvent, AuditEvent.action == "task:rules:set") == 1

    calendar = _calendar(app)
    doc = incoming(urgency="urgent")
    before = datetime.now(UTC)
    task = assign(api, doc["id"], {"lead": {"user_id": world.users["specialist_a"]}}).get_json()
    after = datetime.now(UTC)
    assert calendar.add_working_days(before, 7) <= moment(task["deadline"]) <= calendar.add_working_days(after, 7)


@pytest.mark.parametrize("who", ["specialist_a", "clerk_a", "archivist_a", "admin_a"])
def test_only_a_leader_assigns(app, api, world, incoming, who) -> None:  # type: ignore[no-untyped-def]
    from app.tasks.models import Task

    doc = incoming()
    response = assign(api, doc["id"], {"lead": {"user_id": world.users["specialist_a"]}}, who=who)
    assert response.status_code == 403
    assert count(app, Task) == 0


def test_another_organisations_document_is_not_found(app, api, world, incoming) -> None:  # type: ignore[no-untyped-def]
    doc = incoming()
    response = assign(api, doc["id"], {"lead": {"user_id": world.users["specialist_b"]}}, who="leader_b")
    assert response.status_code == 404
    assert assign(api, 999999, {"lead": {"user_id": world.users["specialist_a"]}}).status_code == 404


def test_bad_assignments_name_the_field_and_create_nothing(app, api, world, units, incoming) -> None:  # type: ignore[no-untyped-def]
    from app.audit.models import AuditEvent
    from app.tasks.models import Task, TaskEvent

    doc = incoming()
    me = {"user_id": world.users["specialist_a"]}
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    cases = [
        ({}, "lead"),
        ({"lead": None}, "lead"),
        ({"lead": {}}, "lead"),
        ({"lead": {"user_id": world.users["specialist_a"], "unit_id": units["a"]}}, "lead"),
        ({"lead": {"user_id": world.users["specialist_b"]}}, "lead"),
        ({"lead": {"unit_id": units["b"]}}, "lead"),
        ({"lead": {"user_id": 999999}}, "lead"),
        ({"lead": {"user_id": "moi"}}, "lead.user_id"),
        ({"lead": {"user_id": True}}, "lead.user_id"),
        ({"lead": me, "coordinators": [{"user_id": world.users["archivist_c"]}]}, "coordinators"),
        ({"lead": me, "coordinators": [{"unit_id": units["c"]}]}, "coordinators"),
        ({"lead": me, "coordinators": [me]}, "coordinators"),
        ({"lead": me, "coordinators": "tất cả"}, "coordinators"),
        ({"lead": me, "informed": [{"user_id": world.users["clerk_b"]}]}, "informed"),
        ({"lead": me, "informed": [{"unit_id": units["b"]}]}, "informed"),
        ({"lead": me, "deadline": past}, "deadline"),
        ({"lead": me, "deadline": "2020-01-06"}, "deadline"),
        ({"lead": me, "deadline": "2026-13-45"}, "deadline"),
        ({"lead": me, "deadline": "2030-01-01T10:00:00"}, "deadline"),  # no time zone
        ({"lead": me, "deadline": 20301231}, "deadline"),
        ({"lead": me, "deadline": "2999-01-01"}, "deadline"),  # beyond the calendar's years
        ({"lead": me, "deadline": "2030-01-02", "deadline_working_days": 3}, "deadline_working_days"),
        ({"lead": me, "deadline_working_days": 0}, "deadline_working_days"),
        ({"lead": me, "deadline_working_days": 1000}, "deadline_working_days"),
        ({"lead": me, "instructions": "x" * 10_001}, "instructions"),
        ({"lead": me, "colour": "red"}, "colour"),
    ]
    for body, field in cases:
        response = assign(api, doc["id"], body)
        assert response.status_code == 422, (body, response.get_json())
        assert field in response.get_json()["error"]["fields"], (body, response.get_json())
    assert api(ASSIGNER).post(f"/api/v1/documents/{doc['id']}/assignments", data="lead").status_code == 422
    assert api(ASSIGNER).post(f"/api/v1/documents/{doc['id']}/assignments", json=[me]).status_code == 422
    assert count(app, Task) == 0
    assert count(app, TaskEvent) == 0
    assert count(app, AuditEvent, AuditEvent.action.like("task:%")) == 0


def test_a_past_due_date_asks_for_a_deadline_of_its_own(app, api, world, incoming) -> None:  # type: ignore[no-untyped-def]
    from app.documents.models import Document
    from app.extensions import db

    doc = incoming()
    with app.app_context():
        db.session.execute(sa.update(Document).where(Document.id == doc["id"]).values(due_on=date(2020, 3, 2)))
        db.session.commit()
    response = assign(api, doc["id"], {"lead": {"user_id": world.users["specialist_a"]}})
    assert response.status_code == 422
    assert "deadline" in response.get_json()["error"]["fields"]
    given = assign(api, doc["id"], {"lead": {"user_id": world.users["specialist_a"]}, "deadline_working_days": 2})
    assert given.status_code == 201


def test_a_secret_document_is_assigned_to_people_who_are_then_let_read_it(app, api, world, units, incoming) -> None:  # type: ignore[no-untyped-def]
    doc = incoming(secrecy="secret")
    assert api("specialist_a").get(f"/api/v1/documents/{doc['id']}").status_code == 404
    assert api("leader_a").get(f"/api/v1/documents/{doc['id']}").status_code == 404  # no grant yet
    api("clerk_a").post(f"/api/v1/documents/{doc['id']}/grants", json={"user_id": world.users["leader_a"]})
    to_unit = assign(api, doc["id"], {"lead": {"unit_id": units["a"]}})
    assert to_unit.status_code == 422 and "lead" in to_unit.get_json()["error"]["fields"]
    task = assign(api, doc["id"], {"lead": {"user_id": world.users["specialist_a"]}})
    assert task.status_code == 201
    assert api("specialist_a").get(f"/api/v1/documents/{doc['id']}").status_code == 200
    assert api("specialist_a").get(f"/api/v1/tasks/{task.get_json()['id']}").status_code == 200
    assert api("archivist_a").get(f"/api/v1/tasks/{task.get_json()['id']}").status_code == 404


def test_an_admin_names_the_head_of_a_unit(app, api, world, units) -> None:  # type: ignore[no-untyped-def]
    from app.audit.models import AuditEvent
    from app.auth.models import Unit
    from app.extensions import db

    url = f"/api/v1/units/{units['a']}/head"
    assert api("leader_a").put(url, json={"user_id": world.users["leader_a"]}).status_code == 403
    assert api("admin_b").put(url, json={"user_id": world.users["leader_a"]}).status_code == 404
    assert api("admin_a").put(url, json={"user_id": world.users["leader_b"]}).status_code == 422
    assert api("admin_a").put(url, json={"user_id": "leader"}).status_code == 422
    assert api("admin_a").put(url, json={}).status_code == 422
    named = api("admin_a").put(url, json={"user_id": world.users["leader_a"]})
    assert named.status_code == 200
    assert named.get_json()["head_user_id"] == world.users["leader_a"]
    # An admin of the province manages the departments below it.
    below = api("admin_a").put(f"/api/v1/units/{units['b']}/head", json={"user_id": world.users["leader_b"]})
    assert below.status_code == 200
    assert api("admin_a").put(url, json={"user_id": None}).get_json()["head_user_id"] is None
    with app.app_context():
        assert db.session.get(Unit, units["a"]).head_user_id is None
    assert count(app, AuditEvent, AuditEvent.action == "unit:head:set") == 3
