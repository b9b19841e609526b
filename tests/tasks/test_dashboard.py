"""The leader's dashboard of tasks: the figures per unit and per person over a period, the invariant that every
assigned task has exactly one outcome, the lists behind each figure, the XLSX export, who sees what, bad
parameters and the page with its chart.

The `board` fixture builds, in organisation A, in March 2026 (local time), tasks whose outcomes are known:

| task | lead                          | outcome                        | processing |
| ---- | ----------------------------- | ------------------------------ | ---------- |
| t1   | specialist_a (Văn phòng)      | completed on time              | 48 h       |
| t2   | specialist_a                  | completed late                 | 96 h       |
| t3   | member_kh (Phòng Kế hoạch)    | overdue                        |            |
| t4   | member_kh                     | in progress                    |            |
| t5   | the unit Phòng Kế hoạch       | overdue                        |            |
| t6   | specialist_a                  | cancelled                      |            |
| t7   | nounit_a (no unit)            | completed on time, 1 March 00:30 local | 12 h |
| t9   | the unit Văn phòng            | in progress                    |            |

and t8 (specialist_a, 1 April 00:30 local: outside the period), and one task of organisation B in March.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook

from app.clock import LOCAL_TZ, local_today
from tests.support import PASSWORD, web_login
from tests.tasks.support import assign, set_task

MARCH = "date_from=2026-03-01&date_to=2026-03-31"
OUTCOMES = ("completed_on_time", "completed_late", "in_progress", "overdue", "cancelled")
FIGURES = ("assigned", *OUTCOMES)


def local(text: str) -> datetime:
    """A local moment (Asia/Ho_Chi_Minh) written as 2026-03-03 09:00, in UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ).astimezone(UTC)


@dataclass
class Board:
    units: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    tasks: dict[str, int] = field(default_factory=dict)


@pytest.fixture
def board(app, api, world, incoming, assigned) -> Board:  # type: ignore[no-untyped-def]
    from app.auth.models import Unit
    from app.auth.service import create_unit, create_user
    from app.extensions import db

    made = Board()
    with app.app_context():
        made.units["vp"] = db.session.get(Unit, _unit_of(app, world.users["specialist_a"])).id
        kh = create_unit(None, world.orgs["a"], "Phòng Kế hoạch")
        idle = create_unit(None, world.orgs["a"], "Phòng Thanh tra")
        made.units.update(kh=kh.id, idle=idle.id)
        for username, unit_id in (("head_kh", kh.id), ("member_kh", kh.id), ("nounit_a", None)):
            user = create_user(
                None,
                world.orgs["a"],
                {
                    "username": username,
                    "full_name": {"head_kh": "Trần Văn Bình", "member_kh": "Lê Thị Cúc", "nounit_a": "Phạm An"}[
                        username
                    ],
                    "roles": ["specialist"],
                    "password": PASSWORD,
                    "unit_id": unit_id,
                },
            )
            made.users[username] = user.id
        kh.head_user_id = made.users["head_kh"]
        db.session.commit()
    made.users.update({name: world.users[name] for name in ("specialist_a", "leader_a")})

    later = datetime.now(UTC) + timedelta(days=30)
    past = local("2026-03-20 17:00")

    def task(name: str, lead: dict[str, int], **row: Any) -> None:
        made.tasks[name] = assigned(lead=lead, coordinators=[], informed=[])["id"]
        set_task(app, made.tasks[name], **row)

    spec_a, member, vp, kh_unit = (
        {"user_id": made.users["specialist_a"]},
        {"user_id": made.users["member_kh"]},
        {"unit_id": made.units["vp"]},
        {"unit_id": made.units["kh"]},
    )
    task(
        "t1",
        spec_a,
        state="completed",
        assigned_at=local("2026-03-03 09:00"),
        deadline=local("2026-03-10 17:00"),
        completed_at=local("2026-03-05 09:00"),
    )
    task(
        "t2",
        spec_a,
        state="completed",
        assigned_at=local("2026-03-04 09:00"),
        deadline=local("2026-03-06 17:00"),
        completed_at=local("2026-03-08 09:00"),
    )
    task("t3", member, state="in_progress", assigned_at=local("2026-03-10 10:00"), deadline=past)
    task("t4", member, state="new", assigned_at=local("2026-03-11 10:00"), deadline=later)
    task("t5", kh_unit, state="new", assigned_at=local("2026-03-12 10:00"), deadline=past)
    task(
        "t6",
        spec_a,
        state="cancelled",
        assigned_at=local("2026-03-13 10:00"),
        deadline=past,
        cancelled_at=local("2026-03-14 10:00"),
    )
    task(
        "t7",
        {"user_id": made.users["nounit_a"]},
        state="completed",
        assigned_at=local("2026-03-01 00:30"),
        deadline=local("2026-03-02 17:00"),
        completed_at=local("2026-03-01 12:30"),
    )
    task("t8", spec_a, state="new", assigned_at=local("2026-04-01 00:30"), deadline=later)
    task("t9", vp, state="in_progress", assigned_at=local("2026-03-31 23:59"), deadline=later)

    doc_b = incoming(clerk="clerk_b")
    response = assign(api, doc_b["id"], {"lead": {"user_id": world.users["specialist_b"]}}, who="leader_b")
    assert response.status_code == 201, response.get_json()
    made.tasks["b1"] = response.get_json()["id"]
    set_task(app, made.tasks["b1"], assigned_at=local("2026-03-15 10:00"), deadline=past)
    return made


def _unit_of(app, user_id: int) -> int:  # type: ignore[no-untyped-def]
    from app.auth.models import User
    from app.extensions import db

    with app.app_context():
        unit_id = db.session.get(User, user_id).unit_id
    assert unit_id is not None
    return unit_id


def _dashboard(api, who: str, query: str = MARCH) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = api(who).get(f"/api/v1/tasks/dashboard?{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _figures(row: dict[str, Any]) -> tuple[int, ...]:
    return tuple(row[name] for name in FIGURES)


def _by_unit(body: dict[str, Any]) -> dict[int | None, dict[str, Any]]:
    return {row["unit"]["id"] if row["unit"] else None: row for row in body["rows"]}


def _invariant_holds(row: dict[str, Any]) -> bool:
    return row["assigned"] == sum(row[name] for name in OUTCOMES)


# --- The figures ---------------------------------------------------------------------------------------------


def test_the_figures_per_unit_are_exact_and_add_up(api, board) -> None:  # type: ignore[no-untyped-def]
    body = _dashboard(api, "leader_a")
    assert body["by"] == "unit"
    assert body["period"] == {"date_from": "2026-03-01", "date_to": "2026-03-31"}
    rows = _by_unit(body)
    assert set(rows) == {board.units["vp"], board.units["kh"], board.units["idle"], None}
    #                                     assigned on time late in progress overdue cancelled
    assert _figures(rows[board.units["vp"]]) == (4, 1, 1, 1, 0, 1)
    assert _figures(rows[board.units["kh"]]) == (3, 0, 0, 1, 2, 0)
    assert _figures(rows[board.units["idle"]]) == (0, 0, 0, 0, 0, 0)
    assert _figures(rows[None]) == (1, 1, 0, 0, 0, 0)
    assert _figures(body["totals"]) == (8, 2, 1, 2, 2, 1)
    assert rows[board.units["vp"]]["average_hours"] == 72.0
    assert rows[board.units["kh"]]["average_hours"] is None
    assert rows[None]["average_hours"] == 12.0
    assert rows[None]["label"] == "No unit"
    assert body["totals"]["average_hours"] == 52.0
    for row in [*body["rows"], body["totals"]]:
        assert _invariant_holds(row), row
    for name in FIGURES:
        assert body["totals"][name] == sum(row[name] for row in body["rows"]), name
    # Units in alphabetical order, "no unit" last.
    assert [row["label"] for row in body["rows"]] == ["Phòng Kế hoạch", "Phòng Thanh tra", "Văn phòng", "No unit"]


def test_the_figures_per_person_count_the_tasks_a_unit_still_leads_itself(api, board) -> None:  # type: ignore[no-untyped-def]
    body = _dashboard(api, "leader_a", MARCH + "&by=person")
    assert body["by"] == "person"
    found = {
        (row["person"]["id"] if row["person"] else None, row["unit"]["id"] if row["unit"] else None): row
        for row in body["rows"]
    }
    users, units = board.users, board.units
    assert _figures(found[(users["specialist_a"], units["vp"])]) == (3, 1, 1, 0, 0, 1)
    assert _figures(found[(users["member_kh"], units["kh"])]) == (2, 0, 0, 1, 1, 0)
    assert _figures(found[(None, units["kh"])]) == (1, 0, 0, 0, 1, 0)
    assert _figures(found[(None, units["vp"])]) == (1, 0, 0, 1, 0, 0)
    assert _figures(found[(users["nounit_a"], None)]) == (1, 1, 0, 0, 0, 0)
    assert len(found) == 5  # nobody without a task in the period
    assert found[(None, units["kh"])]["label"] == "Phòng Kế hoạch (not yet given to a person)"
    assert found[(users["member_kh"], units["kh"])]["person"]["full_name"] == "Lê Thị Cúc"
    assert _figures(body["totals"]) == (8, 2, 1, 2, 2, 1)
    for row in [*body["rows"], body["totals"]]:
        assert _invariant_holds(row), row


def test_the_period_is_whole_local_days(api, board) -> None:  # type: ignore[no-untyped-def]
    # t7 was assigned at 00:30 on 1 March in Hà Nội (still 28 February in UTC); t8 at 00:30 on 1 April.
    first_day = _dashboard(api, "leader_a", "date_from=2026-03-01&date_to=2026-03-01")
    assert first_day["totals"]["assigned"] == 1
    assert _by_unit(first_day)[None]["assigned"] == 1
    april_first = _dashboard(api, "leader_a", "date_from=2026-04-01&date_to=2026-04-01")
    assert april_first["totals"]["assigned"] == 1
    last_of_february = _dashboard(api, "leader_a", "date_from=2026-02-28&date_to=2026-02-28")
    assert last_of_february["totals"]["assigned"] == 0


def test_by_default_the_dashboard_shows_the_current_month(api, board) -> None:  # type: ignore[no-untyped-def]
    today = local_today()
    body = _dashboard(api, "leader_a", "")
    assert body["period"]["date_from"] == today.replace(day=1).isoformat()
    last = date.fromisoformat(body["period"]["date_to"])
    assert last.month == today.month and (last + timedelta(days=1)).day == 1
    assert body["by"] == "unit"
    half = _dashboard(api, "leader_a", "date_from=15/03/2026")
    assert half["period"] == {"date_from": "2026-03-15", "date_to": "2026-03-31"}


# --- Each figure and the list behind it ---------------------------------------------------------------------


def _link(row: dict, name: str) -> str:
    """The list behind one figure of a row: the row's tasks, narrowed to the figure's outcome."""
    return row["tasks"] if name == "assigned" else f"{row['tasks']}&outcome={name}"


@pytest.mark.parametrize("by", ["unit", "person"])
def test_every_figure_equals_the_total_of_the_list_it_links_to(api, board, by: str) -> None:  # type: ignore[no-untyped-def]
    body = _dashboard(api, "leader_a", f"{MARCH}&by={by}")
    checked = 0
    for row in [*body["rows"], body["totals"]]:
        for name in FIGURES:
            link = _link(row, name)
            assert link.startswith("/api/v1/tasks?") and "scope=organisation" in link
            listed = api("leader_a").get(link)
            assert listed.status_code == 200, (link, listed.get_json())
            assert listed.get_json()["total"] == row[name], (row.get("label", "totals"), name, link)
            checked += 1
    assert checked == (len(body["rows"]) + 1) * len(FIGURES)


def test_the_list_behind_a_figure_shows_those_very_tasks(api, board) -> None:  # type: ignore[no-untyped-def]
    rows = _by_unit(_dashboard(api, "leader_a"))
    listed = api("leader_a").get(_link(rows[board.units["kh"]], "overdue")).get_json()
    assert {t["id"] for t in listed["items"]} == {board.tasks["t3"], board.tasks["t5"]}
    assert all(t["overdue"] for t in listed["items"])
    late = api("leader_a").get(_link(rows[board.units["vp"]], "completed_late")).get_json()
    assert [t["id"] for t in late["items"]] == [board.tasks["t2"]]


def test_the_task_list_keeps_its_own_filters_with_the_new_ones(api, board) -> None:  # type: ignore[no-untyped-def]
    def ids(query: str) -> set[int]:
        response = api("leader_a").get(f"/api/v1/tasks?{query}")
        assert response.status_code == 200, response.get_json()
        return {t["id"] for t in response.get_json()["items"]}

    t = board.tasks
    assert ids(f"scope=organisation&lead_user={board.users['member_kh']}") == {t["t3"], t["t4"]}
    assert ids(f"scope=organisation&lead_unit={board.units['kh']}") == {t["t5"]}
    assert ids("scope=organisation&no_unit=1") == {t["t7"]}
    assert ids("scope=organisation&assigned_from=2026-04-01") == {t["t8"]}
    assert ids("scope=organisation&assigned_to=28/02/2026") == set()
    # Without the scope, the leader's own list: the tasks they assigned, in every organisation-wide state.
    assert ids("role=assigned_by_me&outcome=cancelled") == {t["t6"]}
    assert t["b1"] not in ids("scope=organisation")


# --- The XLSX export ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("by", ["unit", "person"])
def test_the_workbook_holds_the_same_numbers_as_the_json(api, board, by: str) -> None:  # type: ignore[no-untyped-def]
    body = _dashboard(api, "leader_a", f"{MARCH}&by={by}")
    response = api("leader_a").get(f"/api/v1/tasks/dashboard.xlsx?{MARCH}&by={by}")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = response.headers["Content-Disposition"]
    kind = "ca-nhan" if by == "person" else "don-vi"
    assert f'filename="nhiem-vu_{kind}_2026-03-01_2026-03-31.xlsx"' in disposition
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert "01/03/2026" in values[0][0] and "31/03/2026" in values[0][0]
    header = values[3]
    skip = 2 if by == "person" else 1
    assert header[:skip] == (["Person", "Unit"] if by == "person" else ["Unit"])
    assert header[skip:] == [
        "Assigned",
        "Completed on time",
        "Completed late",
        "In progress",
        "Overdue",
        "Cancelled",
        "Average processing time (hours)",
    ]
    lines = values[4:]
    assert len(lines) == len(body["rows"]) + 1
    for line, row in zip(lines, [*body["rows"], body["totals"]], strict=True):
        assert line[0] == row.get("label", "Total")
        numbers = line[skip:]
        assert all(isinstance(n, int) for n in numbers[:6]), numbers
        assert tuple(numbers[:6]) == _figures(row)
        assert numbers[6] == row["average_hours"]


def test_the_workbook_speaks_the_readers_language(api, board) -> None:  # type: ignore[no-untyped-def]
    response = api("leader_a").get(f"/api/v1/tasks/dashboard.xlsx?{MARCH}", headers={"Accept-Language": "vi"})
    header = next(load_workbook(io.BytesIO(response.data)).active.iter_rows(min_row=4, max_row=4, values_only=True))
    assert header[0] == "Phòng ban"  # "Unit", already in the catalogue


# --- Who sees what ---------------------------------------------------------------------------------------------


def test_a_specialist_sees_no_dashboard_and_no_organisation_list(api, board) -> None:  # type: ignore[no-untyped-def]
    for url in (f"/api/v1/tasks/dashboard?{MARCH}", f"/api/v1/tasks/dashboard.xlsx?{MARCH}"):
        response = api("specialist_a").get(url)
        assert response.status_code == 403, url
        assert response.get_json()["error"]["code"] == "forbidden"
    assert api("specialist_a").get("/api/v1/tasks?scope=organisation").status_code == 403


def test_the_head_of_a_unit_sees_only_their_unit(app, api, board) -> None:  # type: ignore[no-untyped-def]
    from tests.support import ApiClient

    head = ApiClient.login(app, "head_kh", PASSWORD)
    response = head.get(f"/api/v1/tasks/dashboard?{MARCH}")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert [row["unit"]["id"] for row in body["rows"]] == [board.units["kh"]]
    assert _figures(body["totals"]) == (3, 0, 0, 1, 2, 0)
    people = head.get(f"/api/v1/tasks/dashboard?{MARCH}&by=person").get_json()
    assert {(r["person"] or {}).get("id") for r in people["rows"]} == {board.users["member_kh"], None}
    for row in [*body["rows"], body["totals"], *people["rows"], people["totals"]]:
        for name in FIGURES:
            assert head.get(_link(row, name)).get_json()["total"] == row[name]
    # The head's organisation list holds their unit's tasks only, whatever filter asks for more.
    listed = head.get(f"/api/v1/tasks?scope=organisation&unit={board.units['vp']}").get_json()
    assert listed["total"] == 0
    everything = head.get("/api/v1/tasks?scope=organisation").get_json()
    assert {t["id"] for t in everything["items"]} == {board.tasks["t3"], board.tasks["t4"], board.tasks["t5"]}


def test_a_leader_of_another_organisation_sees_nothing_of_a(api, board) -> None:  # type: ignore[no-untyped-def]
    body = _dashboard(api, "leader_b")
    assert body["totals"]["assigned"] == 1
    names = {row["label"] for row in body["rows"]}
    assert not names & {"Phòng Kế hoạch", "Phòng Thanh tra"}
    listed = api("leader_b").get("/api/v1/tasks?scope=organisation").get_json()
    assert [t["id"] for t in listed["items"]] == [board.tasks["b1"]]
    for who_is_of_a in (f"lead_user={board.users['member_kh']}", f"unit={board.units['kh']}"):
        response = api("leader_b").get(f"/api/v1/tasks?scope=organisation&{who_is_of_a}")
        assert response.status_code == 422


def test_a_secret_document_the_leader_may_not_read_is_not_counted(app, api, board, world, incoming) -> None:  # type: ignore[no-untyped-def]
    doc = incoming(secrecy="secret")
    api("clerk_a").post(f"/api/v1/documents/{doc['id']}/grants", json={"user_id": world.users["leader_a"]})
    response = assign(api, doc["id"], {"lead": {"user_id": world.users["specialist_a"]}})
    assert response.status_code == 201, response.get_json()
    secret_task = response.get_json()["id"]
    set_task(app, secret_task, assigned_at=local("2026-03-16 10:00"))
    from app.auth.service import create_user
    from app.extensions import db

    with app.app_context():
        create_user(
            None,
            world.orgs["a"],
            {"username": "leader2_a", "full_name": "Đỗ Văn Hùng", "roles": ["leader"], "password": PASSWORD},
        )
        db.session.commit()
    from tests.support import ApiClient

    other_leader = ApiClient.login(app, "leader2_a", PASSWORD)
    assert other_leader.get(f"/api/v1/tasks/dashboard?{MARCH}").get_json()["totals"]["assigned"] == 8
    listed = other_leader.get(f"/api/v1/tasks?scope=organisation&{MARCH.replace('date_', 'assigned_')}").get_json()
    assert listed["total"] == 8 and secret_task not in {t["id"] for t in listed["items"]}
    assert _dashboard(api, "leader_a")["totals"]["assigned"] == 9  # the leader who assigned it may read it
    mine = api("specialist_a").get("/api/v1/tasks?role=lead&per_page=200").get_json()
    assert secret_task in {t["id"] for t in mine["items"]}  # and so may its lead, who was granted it


# --- Bad parameters ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("by=month", "by"),
        ("date_from=2026-13-01", "date_from"),
        ("date_from=ngày đầu tháng", "date_from"),
        ("date_to=31/02/2026", "date_to"),
        ("date_from=2026-03-31&date_to=2026-03-01", "date_to"),
        ("date_from=2020-01-01&date_to=2026-03-01", "date_to"),
    ],
)
def test_bad_parameters_name_the_field(api, board, query: str, field: str) -> None:  # type: ignore[no-untyped-def]
    for url in (f"/api/v1/tasks/dashboard?{query}", f"/api/v1/tasks/dashboard.xlsx?{query}"):
        response = api("leader_a").get(url)
        assert response.status_code == 422, (url, response.status_code)
        assert field in response.get_json()["error"]["fields"], response.get_json()


def test_three_years_is_the_longest_period(api, board) -> None:  # type: ignore[no-untyped-def]
    assert api("leader_a").get("/api/v1/tasks/dashboard?date_from=2024-01-01&date_to=2026-12-31").status_code == 200


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("scope=everyone", "scope"),
        ("scope=organisation&outcome=late", "outcome"),
        ("scope=organisation&assigned_from=yesterday", "assigned_from"),
        ("scope=organisation&assigned_from=2026-03-31&assigned_to=2026-03-01", "assigned_to"),
        ("scope=organisation&lead_user=999999", "lead_user"),
        ("scope=organisation&lead_unit=0", "lead_unit"),
    ],
)
def test_bad_list_filters_name_the_field(api, board, query: str, field: str) -> None:  # type: ignore[no-untyped-def]
    response = api("leader_a").get(f"/api/v1/tasks?{query}")
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_the_dashboard_is_not_taken_for_a_task_id(api, board) -> None:  # type: ignore[no-untyped-def]
    response = api("leader_a").get("/api/v1/tasks/dashboard")
    assert response.status_code == 200 and "rows" in response.get_json()
    assert api("leader_a").get("/api/v1/tasks/dashboard.xlsx").mimetype.endswith(".sheet")
    assert api("leader_a").get("/api/v1/tasks/dashboard.csv").status_code == 404


def test_the_dashboard_is_described_in_the_openapi_document(app) -> None:  # type: ignore[no-untyped-def]
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    for path in ("/tasks/dashboard", "/tasks/dashboard.xlsx"):
        names = {p["name"] for p in spec["paths"][path]["get"]["parameters"]}
        assert names == {"by", "date_from", "date_to"}
    listed = {p["name"] for p in spec["paths"]["/tasks"]["get"]["parameters"]}
    assert {"scope", "assigned_from", "assigned_to", "outcome", "lead_user", "lead_unit", "no_unit"} <= listed


# --- The page ---------------------------------------------------------------------------------------------------


def test_the_page_shows_the_table_and_the_chart(app, board) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    web_login(client, "leader_a")
    response = client.get(f"/tasks/dashboard?{MARCH}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<svg" in html and 'role="img"' in html
    assert "<title" in html and "Tasks by unit from 01/03/2026 to 31/03/2026" in html
    assert "Phòng Kế hoạch" in html and "Văn phòng" in html and "No unit" in html
    totals = html[html.index("<tfoot>") : html.index("</tfoot>")]
    found = dict(re.findall(r'data-figure="(\w+)">(?:<a href="[^"]*">)?([\d.–]+)', totals))
    assert found == {
        "assigned": "8",
        "completed_on_time": "2",
        "completed_late": "1",
        "in_progress": "2",
        "overdue": "2",
        "cancelled": "1",
        "average_hours": "52.0",
    }
    assert "/api/v1/tasks?" in html and "outcome=overdue" in html
    assert "/api/v1/tasks/dashboard.xlsx?" in html
    people = client.get(f"/tasks/dashboard?{MARCH}&by=person").get_data(as_text=True)
    assert "Lê Thị Cúc" in people and "Phòng Kế hoạch (not yet given to a person)" in people


def test_the_page_names_a_bad_field_and_refuses_a_specialist(app, board) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    web_login(client, "leader_a")
    response = client.get("/tasks/dashboard?date_from=2026-03-31&date_to=2026-03-01")
    assert response.status_code == 422
    assert 'id="err-date_to"' in response.get_data(as_text=True)
    specialist = app.test_client()
    web_login(specialist, "specialist_a")
    assert specialist.get("/tasks/dashboard").status_code == 403


def test_the_page_without_tasks_draws_no_chart(app, world) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    web_login(client, "leader_c")
    html = client.get("/tasks/dashboard").get_data(as_text=True)
    assert "No tasks were assigned in this period." not in html  # the unit's zero row is there
    assert "<svg" not in html
