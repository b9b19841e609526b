"""The working calendar kept in the database: the admin's days and office hours, its version, and loading it.

The days (holidays, days off, make-up days) are the deployment's; the office hours too, unless an organisation has
its own (a one-stop desk open on Saturday mornings). Every deadline is counted by the `WorkCalendar` that
`load_calendar()` returns; see `work_calendar` for the rules of days and of counting.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import holidays as holidays_package
import sqlalchemy as sa
from flask import g, has_request_context
from flask_babel import gettext

from ..audit.models import AuditAction
from ..audit.service import record
from ..auth.models import Organisation, Role, User
from ..clock import local_today
from ..errors import Forbidden, InvalidInput, NotFound
from ..extensions import db, insert_or_ignore
from .models import CalendarDay, CalendarDayKind, OfficeHours
from .work_calendar import (
    DEFAULT_OFFICE_HOURS,
    IntervalInput,
    OfficeInterval,
    WorkCalendar,
    check_office_hours,
    check_years,
)

__all__ = [
    "OfficeInterval",
    "WorkCalendar",
    "calendar_version",
    "can_change_calendar",
    "clear_day",
    "load_calendar",
    "office_hours_of",
    "set_day",
    "set_office_hours",
]

# The years loaded when none are asked for: deadlines reach a few years ahead, reports look a few back.
YEARS_BEFORE = 5
YEARS_AFTER = 5
NOTE_MAX_LENGTH = 200

DayRow = tuple[date, str, str]


def _read_rules(organisation_id: int | None = None) -> tuple[tuple[OfficeInterval, ...], tuple[DayRow, ...]]:
    """The office hours in force (the organisation's own when it has any, else the deployment's, else the
    defaults) and the marked days, in order."""
    rows = db.session.execute(
        sa.select(OfficeHours.organisation_id, OfficeHours.weekday, OfficeHours.opens, OfficeHours.closes)
        .where(sa.or_(OfficeHours.organisation_id.is_(None), OfficeHours.organisation_id == organisation_id))
        .order_by(OfficeHours.weekday, OfficeHours.opens)
    ).all()
    own = tuple(OfficeInterval(r.weekday, r.opens, r.closes) for r in rows if r.organisation_id is not None)
    shared = tuple(OfficeInterval(r.weekday, r.opens, r.closes) for r in rows if r.organisation_id is None)
    days = tuple(
        (row.day, row.kind, row.note)
        for row in db.session.execute(
            sa.select(CalendarDay.day, CalendarDay.kind, CalendarDay.note).order_by(CalendarDay.day)
        )
    )
    return own or shared or DEFAULT_OFFICE_HOURS, days


def _version(hours: tuple[OfficeInterval, ...], days: tuple[DayRow, ...]) -> str:
    """A digest of everything a count depends on: the hours in force, the marked days and the release of
    the `holidays` package (a new release may correct a holiday)."""
    canonical = json.dumps(
        {
            "holidays": holidays_package.__version__,
            "hours": [[i.weekday, i.opens.isoformat(), i.closes.isoformat()] for i in hours],
            "days": [[day.isoformat(), kind, note] for day, kind, note in days],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def calendar_version(organisation_id: int | None = None) -> str:
    """The version of the calendar's rules (of `organisation_id`'s calendar): it changes whenever the admin changes
    a day or the hours.

    Whoever stores a computed deadline (the one-stop shop's appointment date) stores this beside it, so a
    later reader can tell which rules produced it. The same rules give the same version on every server.
    """
    return _version(*_read_rules(organisation_id))


@lru_cache(maxsize=16)
def _assemble(years: frozenset[int], hours: tuple[OfficeInterval, ...], days: tuple[DayRow, ...]) -> WorkCalendar:
    return WorkCalendar.national(
        years,
        hours=hours,
        days_off={day: note for day, kind, note in days if kind == CalendarDayKind.DAY_OFF},
        working_days=[day for day, kind, _ in days if kind == CalendarDayKind.WORKING_DAY],
        version=_version(hours, days),
    )


def load_calendar(years: Iterable[int] | None = None, organisation_id: int | None = None) -> WorkCalendar:
    """The calendar in force, for `years` (by default five years either side of this one), with the office hours
    of `organisation_id` when it has hours of its own.

    Reads the database once. Calendars are cached by their content, so a change by the admin is seen at
    the next call and an unchanged calendar is not rebuilt.
    """
    if years is None:
        this_year = local_today().year
        span = check_years(range(this_year - YEARS_BEFORE, this_year + YEARS_AFTER + 1))
    else:
        span = check_years(years)
    memo = _request_memo()
    key = (span, organisation_id)
    if key not in memo:
        memo[key] = _assemble(span, *_read_rules(organisation_id))
    return memo[key]


def _request_memo() -> dict[tuple[frozenset[int], int | None], WorkCalendar]:
    """The calendars this request already loaded (a receipt reads its desk's calendar to count, then to answer):
    read once a request; forgotten when the request changes the calendar. Outside a request, none are kept."""
    if not has_request_context():
        return {}
    return g.setdefault("_calendars", {})


def _forget_loaded() -> None:
    if has_request_context():
        g.pop("_calendars", None)


# --- The admin's changes ---------------------------------------------------------------------------------


def can_change_calendar(actor: User | None) -> bool:
    """The calendar is the deployment's: only an administrator of a top-level organisation changes it
    (`None` is the command line)."""
    return actor is None or (actor.has_role(Role.ADMIN) and actor.organisation.parent_id is None)


def _check_calendar_admin(actor: User | None) -> None:
    if not can_change_calendar(actor):
        raise Forbidden(gettext("Only an administrator of a top-level organisation may change the working calendar."))


def _check_day(day: date) -> dict[str, str]:
    if isinstance(day, datetime) or not isinstance(day, date):
        return {"day": gettext("Give a date without a time.")}
    return {}


def _interval_text(interval: OfficeInterval) -> str:
    return f"{interval.weekday} {interval.opens:%H:%M}-{interval.closes:%H:%M}"


def set_day(actor: User | None, day: date, kind: str, note: str) -> CalendarDay:
    """Mark one date as a day off or a working day, replacing any earlier mark on it.

    A day off closes the office whatever the date (a compensatory day the government grants, a local
    closure); a working day opens it (a make-up Saturday, or a public holiday not taken). The note says
    why, for example the decision that set the day.
    """
    _check_calendar_admin(actor)
    errors = _check_day(day)
    if not isinstance(kind, str) or kind not in {k.value for k in CalendarDayKind}:
        errors["kind"] = gettext("Choose a day off or a working day.")
    note = (note or "").strip()
    if not note:
        errors["note"] = gettext("Say why, for example the decision that sets this day.")
    elif len(note) > NOTE_MAX_LENGTH:
        errors["note"] = gettext("Keep the note within %(count)s characters.", count=NOTE_MAX_LENGTH)
    if errors:
        raise InvalidInput(errors)
    table = CalendarDay.__table__
    db.session.execute(insert_or_ignore(table, {"day": day, "kind": str(kind), "note": note}))
    row = db.session.get(CalendarDay, day, with_for_update=True, populate_existing=True)
    assert row is not None
    previous: dict[str, Any] | None = None
    if (row.kind, row.note) != (str(kind), note):
        previous = {"kind": row.kind, "note": row.note}
        row.kind, row.note = str(kind), note
    db.session.flush()
    _forget_loaded()
    record(
        AuditAction.CALENDAR_DAY_SET,
        actor=actor,
        obj=("calendar_day", day.isoformat()),
        kind=str(kind),
        note=note,
        previous=previous,
        version=calendar_version(),
    )
    return row


def clear_day(actor: User | None, day: date) -> None:
    """Remove the admin's mark on a date: the weekly hours and the public holidays apply to it again."""
    _check_calendar_admin(actor)
    errors = _check_day(day)
    if errors:
        raise InvalidInput(errors)
    row = db.session.get(CalendarDay, day, with_for_update=True)
    if row is None:
        raise NotFound(gettext("Nothing is marked on that day."))
    previous = {"kind": row.kind, "note": row.note}
    db.session.delete(row)
    db.session.flush()
    _forget_loaded()
    record(
        AuditAction.CALENDAR_DAY_CLEARED,
        actor=actor,
        obj=("calendar_day", day.isoformat()),
        previous=previous,
        version=calendar_version(),
    )


def set_office_hours(
    actor: User | None, intervals: Iterable[IntervalInput], organisation_id: int | None = None
) -> list[OfficeHours]:
    """Replace the office hours with these intervals of (weekday, opening time, closing time): the deployment's,
    or with `organisation_id` that organisation's own (an empty list for an organisation: back to the
    deployment's).

    Weekday 0 is Monday; a weekday with a lunch break has two intervals; a weekday with none is closed
    (an organisation opening on Saturday mornings adds `(5, 07:30, 11:30)`). The intervals are checked
    by `check_office_hours` (at least one, weekday 0 to 6, opening before closing, no overlaps).
    """
    _check_calendar_admin(actor)
    intervals = list(intervals)
    if organisation_id is not None and db.session.get(Organisation, organisation_id) is None:
        raise NotFound(gettext("No such organisation."))
    checked = check_office_hours(intervals) if intervals or organisation_id is None else []
    previous = [_interval_text(i) for i in _read_rules(organisation_id)[0]]
    db.session.execute(
        sa.delete(OfficeHours).where(
            OfficeHours.organisation_id.is_(None)
            if organisation_id is None
            else OfficeHours.organisation_id == organisation_id
        )
    )
    rows = [
        OfficeHours(organisation_id=organisation_id, weekday=i.weekday, opens=i.opens, closes=i.closes) for i in checked
    ]
    db.session.add_all(rows)
    db.session.flush()
    _forget_loaded()
    record(
        AuditAction.CALENDAR_HOURS_SET,
        actor=actor,
        obj=("calendar", "office_hours" if organisation_id is None else f"office_hours:{organisation_id}"),
        hours=[_interval_text(i) for i in checked],
        previous=previous,
        version=calendar_version(organisation_id),
    )
    return rows


def office_hours_of(organisation_id: int | None = None) -> tuple[tuple[OfficeInterval, ...], bool]:
    """The hours in force for the organisation (or the deployment), and whether they are its own."""
    hours = _read_rules(organisation_id)[0]
    own = organisation_id is not None and db.session.scalar(
        sa.select(sa.func.count()).select_from(OfficeHours).where(OfficeHours.organisation_id == organisation_id)
    )
    return hours, bool(own)
