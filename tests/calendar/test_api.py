"""The calendar over the API: everyone reads it, an administrator of the top-level organisation changes its days
and office hours (the deployment's, or an organisation's own: a desk open on Saturday mornings)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Flask

from tests.support import PASSWORD, ApiClient, World

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
WEEK = [
    *({"weekday": d, "opens": "07:30", "closes": "11:30"} for d in range(5)),
    *({"weekday": d, "opens": "13:30", "closes": "17:00"} for d in range(5)),
]
SATURDAY = {"weekday": 5, "opens": "07:30", "closes": "11:30"}


def test_everyone_reads_the_year(app: Flask, world: World) -> None:
    clerk = ApiClient.login(app, "clerk_b", PASSWORD)
    seen = clerk.get("/api/v1/calendar", query_string={"year": 2026}).json
    assert seen["year"] == 2026 and seen["own_hours"] is False and len(seen["office_hours"]) == 10
    days = {h["day"] for h in seen["holidays"]}
    assert {"2026-09-02", "2026-02-17", "2026-04-30"} <= days  # Independence Day, Tết, Reunification Day
    assert clerk.get("/api/v1/calendar", query_string={"year": "x"}).status_code == 422
    assert clerk.get("/api/v1/calendar", query_string={"year": 3000}).status_code == 422
    assert app.test_client().get("/api/v1/calendar").status_code == 401


def test_an_organisation_opens_on_saturday_mornings(app: Flask, world: World) -> None:
    admin = ApiClient.login(app, "admin_a", PASSWORD)
    org_b = world.orgs["b"]
    before = admin.get("/api/v1/calendar", query_string={"year": 2026}).json

    # Only the top-level organisation's administrator; an organisation that exists; intervals that make sense.
    body = {"organisation_id": org_b, "intervals": [*WEEK, SATURDAY]}
    assert ApiClient.login(app, "admin_b", PASSWORD).put("/api/v1/calendar/office-hours", json=body).status_code == 403
    assert ApiClient.login(app, "clerk_a", PASSWORD).put("/api/v1/calendar/office-hours", json=body).status_code == 403
    bad = [
        ({"organisation_id": 999999, "intervals": WEEK}, 404, None),
        ({"organisation_id": "b", "intervals": WEEK}, 422, "organisation_id"),
        ({"intervals": "all week"}, 422, "intervals"),
        ({"intervals": [{"weekday": 5, "opens": "25:00", "closes": "11:30"}]}, 422, "intervals.0.opens"),
        ({"intervals": [{"weekday": 9, "opens": "07:30", "closes": "11:30"}]}, 422, "intervals.0.weekday"),
        ({"intervals": [SATURDAY, {"weekday": 5, "opens": "08:00", "closes": "09:00"}]}, 422, None),
        ({"intervals": []}, 422, None),  # the deployment always has hours
    ]
    for sent, status, field in bad:
        answer = admin.put("/api/v1/calendar/office-hours", json=sent)
        assert answer.status_code == status, (sent, answer.json)
        if field:
            assert field in answer.json["error"]["fields"], answer.json
    assert admin.get("/api/v1/calendar", query_string={"year": 2026}).json["version"] == before["version"]

    done = admin.put("/api/v1/calendar/office-hours", json=body)
    assert done.status_code == 200, done.json
    assert done.json["own_hours"] is True and SATURDAY in done.json["office_hours"]
    assert done.json["version"] != before["version"]
    # The deployment's hours, and every other organisation's, are as they were.
    assert admin.get("/api/v1/calendar", query_string={"year": 2026}).json["version"] == before["version"]
    other = admin.get("/api/v1/calendar", query_string={"year": 2026, "organisation_id": world.orgs["c"]}).json
    assert other["own_hours"] is False and SATURDAY not in other["office_hours"]

    # Counting by the organisation's calendar: Friday 16:00 plus half a day ends on Saturday morning there only.
    with app.app_context():
        from app.calendar.service import load_calendar
        from app.onestop.deadlines import appointment

        friday = datetime(2026, 11, 27, 16, 0, tzinfo=TZ)
        _, at_b, version_b = appointment(load_calendar(organisation_id=org_b), friday, Decimal("0.5"))
        _, at_c, _ = appointment(load_calendar(organisation_id=world.orgs["c"]), friday, Decimal("0.5"))
        assert at_b == datetime(2026, 11, 28, 10, 30, tzinfo=TZ) and version_b == done.json["version"]
        assert at_c == datetime(2026, 11, 30, 10, 30, tzinfo=TZ)

    # An empty list gives the organisation the deployment's hours again.
    back = admin.put("/api/v1/calendar/office-hours", json={"organisation_id": org_b, "intervals": []})
    assert back.status_code == 200 and back.json["own_hours"] is False and back.json["version"] == before["version"]


def test_days_off_and_make_up_days(app: Flask, world: World) -> None:
    admin = ApiClient.login(app, "admin_a", PASSWORD)
    before = admin.get("/api/v1/calendar", query_string={"year": 2026}).json["version"]
    assert admin.put("/api/v1/calendar/days/2026-13-01", json={"kind": "day_off", "note": "x"}).status_code == 422
    no_note = admin.put("/api/v1/calendar/days/2026-12-31", json={"kind": "day_off", "note": "  "})
    assert no_note.status_code == 422 and "note" in no_note.json["error"]["fields"]
    wrong_kind = admin.put("/api/v1/calendar/days/2026-12-31", json={"kind": "holiday", "note": "Nghỉ"})
    assert wrong_kind.status_code == 422 and "kind" in wrong_kind.json["error"]["fields"]
    assert (
        ApiClient.login(app, "admin_b", PASSWORD)
        .put("/api/v1/calendar/days/2026-12-31", json={"kind": "day_off", "note": "Nghỉ"})
        .status_code
        == 403
    )
    note = "Nghỉ theo Thông báo số 12/TB-UBND <script>"
    marked = admin.put("/api/v1/calendar/days/2026-12-31", json={"kind": "day_off", "note": note})
    assert marked.status_code == 200 and marked.json["version"] != before
    seen = admin.get("/api/v1/calendar", query_string={"year": 2026}).json
    assert {"day": "2026-12-31", "kind": "day_off", "note": note} in seen["days"]
    with app.app_context():
        from app.calendar.service import load_calendar

        assert not load_calendar([2026]).is_working_day(date(2026, 12, 31))
    assert admin.delete("/api/v1/calendar/days/2026-12-31").status_code == 200
    assert admin.delete("/api/v1/calendar/days/2026-12-31").status_code == 404
    assert admin.get("/api/v1/calendar", query_string={"year": 2026}).json["version"] == before
