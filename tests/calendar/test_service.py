"""The calendar kept in the database: the admin's days and hours, who may change them, and the version."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import Flask

from app.calendar.service import (
    calendar_version,
    clear_day,
    load_calendar,
    set_day,
    set_office_hours,
)
from app.calendar.work_calendar import DEFAULT_OFFICE_HOURS, OfficeInterval
from app.errors import Forbidden, InvalidInput, NotFound
from tests.support import World

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
YEARS = range(2025, 2028)
SATURDAY_MORNINGS = [
    *((d, time(7, 30), time(11, 30)) for d in range(6)),
    *((d, time(13, 30), time(17, 0)) for d in range(5)),
]


@pytest.fixture
def ctx(app: Flask, world: World) -> Iterator[World]:
    with app.app_context():
        yield world


def user(world: World, name: str):  # type: ignore[no-untyped-def]
    from app.auth.models import User
    from app.extensions import db

    return db.session.get(User, world.users[name])


def actions() -> list[tuple[str, str | None, dict]]:
    from app.audit.models import AuditEvent
    from app.extensions import db

    rows = db.session.execute(
        sa.select(AuditEvent.action, AuditEvent.object_id, AuditEvent.data)
        .where(AuditEvent.action.like("calendar:%"))
        .order_by(AuditEvent.seq)
    )
    return [tuple(row) for row in rows]


def commit() -> None:
    from app.extensions import db

    db.session.commit()


def test_without_stored_hours_the_default_hours_apply(ctx: World) -> None:
    calendar = load_calendar(YEARS)
    assert calendar.hours == DEFAULT_OFFICE_HOURS
    assert calendar.years == frozenset(YEARS)
    assert calendar.version == calendar_version()
    assert not calendar.is_working_day(date(2026, 2, 17))  # Tết, from the package


def test_a_day_off_the_admin_sets_closes_the_office(ctx: World) -> None:
    wednesday = date(2026, 11, 18)
    row = set_day(user(ctx, "admin_a"), wednesday, "day_off", "Nghỉ theo Thông báo 12/TB-UBND")
    commit()
    assert (row.day, row.kind) == (wednesday, "day_off")
    calendar = load_calendar(YEARS)
    assert not calendar.is_working_day(wednesday)
    assert calendar.holiday_name(wednesday) == "Nghỉ theo Thông báo 12/TB-UBND"
    assert actions() == [
        (
            "calendar:day:set",
            "2026-11-18",
            {
                "kind": "day_off",
                "note": "Nghỉ theo Thông báo 12/TB-UBND",
                "previous": None,
                "version": calendar.version,
            },
        )
    ]


def test_a_make_up_saturday_the_admin_sets_is_counted(ctx: World) -> None:
    saturday = date(2026, 11, 28)
    set_day(user(ctx, "admin_a"), saturday, "working_day", "Làm bù cho thứ Sáu 2/1/2026")
    commit()
    calendar = load_calendar(YEARS)
    assert calendar.is_working_day(saturday)
    friday_afternoon = datetime(2026, 11, 27, 16, tzinfo=TZ)
    assert calendar.add_working_hours(friday_afternoon, 2) == datetime(2026, 11, 28, 8, 30, tzinfo=TZ)


def test_a_holiday_the_admin_removes_is_a_working_day(ctx: World) -> None:
    cultural_day = date(2026, 11, 24)
    assert not load_calendar(YEARS).is_working_day(cultural_day)
    set_day(None, cultural_day, "working_day", "Làm việc bình thường theo chỉ đạo của UBND tỉnh")
    commit()
    assert load_calendar(YEARS).is_working_day(cultural_day)


def test_setting_a_day_again_replaces_its_mark(ctx: World) -> None:
    admin = user(ctx, "admin_a")
    day = date(2026, 11, 18)
    set_day(admin, day, "day_off", "Nghỉ")
    set_day(admin, day, "working_day", "Đổi lại: làm việc")
    commit()
    assert load_calendar(YEARS).is_working_day(day)
    assert actions()[-1][2]["previous"] == {"kind": "day_off", "note": "Nghỉ"}


def test_clearing_a_day_restores_the_rules_and_the_version(ctx: World) -> None:
    admin = user(ctx, "admin_a")
    day = date(2026, 11, 18)
    before = calendar_version()
    set_day(admin, day, "day_off", "Nghỉ")
    commit()
    assert calendar_version() != before
    clear_day(admin, day)
    commit()
    assert load_calendar(YEARS).is_working_day(day)
    assert calendar_version() == before
    assert [action for action, _, _ in actions()] == ["calendar:day:set", "calendar:day:cleared"]


def test_clearing_a_day_that_has_no_mark_is_not_found(ctx: World) -> None:
    with pytest.raises(NotFound):
        clear_day(user(ctx, "admin_a"), date(2026, 11, 18))


def test_the_version_changes_when_a_day_is_set(ctx: World) -> None:
    first = calendar_version()
    set_day(user(ctx, "admin_a"), date(2026, 12, 31), "day_off", "Nghỉ cuối năm")
    commit()
    second = calendar_version()
    assert second != first
    assert load_calendar(YEARS).version == second
    set_day(user(ctx, "admin_a"), date(2026, 12, 31), "day_off", "Nghỉ cuối năm")  # the same mark again
    commit()
    assert calendar_version() == second


def test_office_hours_with_saturday_mornings(ctx: World) -> None:
    before = calendar_version()
    rows = set_office_hours(user(ctx, "admin_a"), SATURDAY_MORNINGS)
    commit()
    assert len(rows) == 11
    calendar = load_calendar(YEARS)
    assert OfficeInterval(5, time(7, 30), time(11, 30)) in calendar.hours
    assert calendar.is_working_day(date(2026, 11, 28))
    assert calendar.version != before
    action, object_id, data = actions()[-1]
    assert (action, object_id) == ("calendar:hours:set", "office_hours")
    assert "5 07:30-11:30" in data["hours"]
    assert "5 07:30-11:30" not in data["previous"]
    assert len(data["previous"]) == len(DEFAULT_OFFICE_HOURS)


def test_the_services_leave_the_commit_to_the_caller(ctx: World) -> None:
    from app.extensions import db

    set_day(user(ctx, "admin_a"), date(2026, 11, 18), "day_off", "Nghỉ")
    set_office_hours(user(ctx, "admin_a"), SATURDAY_MORNINGS)
    db.session.rollback()
    calendar = load_calendar(YEARS)
    assert calendar.is_working_day(date(2026, 11, 18))
    assert calendar.hours == DEFAULT_OFFICE_HOURS
    assert actions() == []


# --- Refusals -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["clerk_a", "leader_a", "admin_b", "admin_c"])
def test_only_an_admin_of_a_top_level_organisation_changes_the_calendar(ctx: World, name: str) -> None:
    actor = user(ctx, name)
    with pytest.raises(Forbidden):
        set_day(actor, date(2026, 11, 18), "day_off", "Nghỉ")
    with pytest.raises(Forbidden):
        clear_day(actor, date(2026, 11, 18))
    with pytest.raises(Forbidden):
        set_office_hours(actor, SATURDAY_MORNINGS)
    assert actions() == []


@pytest.mark.parametrize(
    ("day", "kind", "note", "field"),
    [
        (date(2026, 11, 18), "holiday", "Nghỉ", "kind"),
        (date(2026, 11, 18), "day_off", "   ", "note"),
        (date(2026, 11, 18), "day_off", "x" * 201, "note"),
        (datetime(2026, 11, 18, 9, tzinfo=TZ), "day_off", "Nghỉ", "day"),
        ("2026-11-18", "day_off", "Nghỉ", "day"),
    ],
)
def test_a_bad_day_is_refused_with_its_field(ctx: World, day: date, kind: str, note: str, field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        set_day(user(ctx, "admin_a"), day, kind, note)
    assert field in error.value.fields


@pytest.mark.parametrize(
    ("intervals", "field"),
    [
        ([(0, time(7, 30), time(11, 30)), (0, time(11, 0), time(13, 0))], "intervals.1"),
        ([(0, time(17, 0), time(7, 30))], "intervals.0.closes"),
        ([(0, time(7, 30), time(7, 30))], "intervals.0.closes"),
        ([(7, time(7, 30), time(11, 30))], "intervals.0.weekday"),
        ([], "intervals"),
    ],
)
def test_bad_office_hours_are_refused_with_their_field(ctx: World, intervals: list, field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        set_office_hours(user(ctx, "admin_a"), intervals)
    assert field in error.value.fields
    assert load_calendar(YEARS).hours == DEFAULT_OFFICE_HOURS


def test_years_outside_the_holidays_package_are_refused(ctx: World) -> None:
    with pytest.raises(InvalidInput) as error:
        load_calendar([1800])
    assert set(error.value.fields) == {"years"}
