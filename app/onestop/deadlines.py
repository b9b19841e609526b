"""A dossier's clock: its appointment, each step's own deadline, the time left or overdue, and the apology with a
new appointment when the remaining steps can no longer fit.

Every count is the working calendar's (app/calendar): statutory days are whole working days from the office
opening the dossier counts from, half a day is four office hours. Each step's deadline is the sum of the days of
the steps up to it; all of them move by the office time the applicant held the dossier (asked for papers).

A dossier is at risk when its current step is overdue: the steps after it, counted from now, end after the
appointment. Then an apology (phiếu xin lỗi và hẹn lại ngày trả kết quả) is drafted with that end as the proposed
new appointment, for the unit to issue; one at a time. It is checked after every move and by the worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..calendar.service import WorkCalendar, load_calendar
from ..extensions import db, utcnow
from .alerts import warn_of_apology
from .machine import CLOCK_RUNS
from .models import Dossier, DossierApology, DossierStatus

HALF_DAY_HOURS = 4.0  # half a working day: a morning's office hours


def add_days(calendar: WorkCalendar, start: datetime, days: Decimal) -> datetime:
    """`days` working days (halves allowed) after `start`."""
    whole = int(days)
    due = calendar.add_working_days(start, whole)
    if days - whole:
        due = calendar.add_working_hours(due, HALF_DAY_HOURS)
    return due


def appointment(calendar: WorkCalendar, received: datetime, days: Decimal) -> tuple[datetime, datetime, str]:
    """When the statutory time starts counting (the next office opening), the appointment, the calendar version."""
    starts = calendar.next_opening(received)
    return starts, add_days(calendar, starts, days), calendar.version


def step_deadlines(dossier: Dossier, calendar: WorkCalendar) -> list[datetime]:
    """Each step's deadline (none before the clock started)."""
    if dossier.counting_from is None:
        return []
    total = Decimal(0)
    found = []
    for step in dossier.steps:
        total += Decimal(str(step["days"]))
        due = add_days(calendar, dossier.counting_from, total)
        if dossier.waited_seconds:
            due = calendar.add_working_hours(due, dossier.waited_seconds / 3600)
        found.append(due)
    return found


@dataclass
class StepView:
    index: int
    name: str
    unit: str | None
    days: float
    due: datetime
    state: str  # "done", "current" or "next"
    hours_left: float | None  # the current step's office hours left (negative: overdue by as much)


def steps_view(dossier: Dossier, calendar: WorkCalendar, now: datetime) -> list[StepView]:
    current = dossier.step_index if DossierStatus(dossier.status) in (*CLOCK_RUNS, DossierStatus.RESULT_READY) else -1
    views = []
    for index, (step, due) in enumerate(zip(dossier.steps, step_deadlines(dossier, calendar), strict=False)):
        state = "done" if index < dossier.step_index else "current" if index == current else "next"
        left = None
        if state == "current" and dossier.clock_stopped_at is None:
            left = round(calendar.working_time_between(now, due) / timedelta(hours=1), 2)
        views.append(StepView(index, step["name"], step.get("unit"), float(step["days"]), due, state, left))
    return views


def is_overdue(dossier: Dossier, now: datetime) -> bool:
    """The staff's "overdue": the clock runs and the appointment has passed (a dossier waiting for the applicant's
    papers is not). overdue_clause says the same in SQL."""
    running = DossierStatus(dossier.status) in CLOCK_RUNS
    return running and dossier.appointment_at is not None and dossier.appointment_at < now


def overdue_clause(now: datetime) -> sa.ColumnElement[bool]:
    """is_overdue as a condition on dossiers, for their lists."""
    return sa.and_(Dossier.status.in_([str(s) for s in CLOCK_RUNS]), Dossier.appointment_at < now)


def promised(dossier: Dossier) -> datetime | None:
    """The appointment the applicant holds: the last issued apology's, else the first one."""
    issued = [a for a in dossier.apologies if a.issued_at is not None and a.new_appointment_at is not None]
    return issued[-1].new_appointment_at if issued else dossier.appointment_at


def projected_end(dossier: Dossier, calendar: WorkCalendar, now: datetime) -> datetime | None:
    """When the dossier would be done if its current step ended now (or on time): None while its clock is stopped."""
    if DossierStatus(dossier.status) not in CLOCK_RUNS or dossier.clock_stopped_at is not None:
        return None
    deadlines = step_deadlines(dossier, calendar)
    if not deadlines or dossier.step_index >= len(deadlines):
        return None
    current_due = deadlines[dossier.step_index]
    if now <= current_due:
        return deadlines[-1]
    rest = sum((Decimal(str(s["days"])) for s in dossier.steps[dossier.step_index + 1 :]), Decimal(0))
    return add_days(calendar, now, rest) if rest else calendar.next_opening(now)


def calendar_of(dossier: Dossier) -> WorkCalendar:
    """The calendar a dossier's clock runs by: the receiving desk's (its office hours, which may include Saturday
    mornings, and the deployment's days), the one its appointment was given with."""
    return load_calendar(organisation_id=dossier.organisation_id)


def check_late_risk(dossier: Dossier, calendar: WorkCalendar | None = None, now: datetime | None = None) -> bool:
    """Draft an apology when the dossier can no longer make its appointment (none while one is still a draft);
    whether one was drafted."""
    calendar = calendar or calendar_of(dossier)
    now = now or utcnow()
    end = projected_end(dossier, calendar, now)
    holds = promised(dossier)
    if end is None or holds is None or end <= holds:
        return False
    if any(a.issued_at is None for a in dossier.apologies):
        return False
    apology = DossierApology(drafted_at=now, proposed_at=end)
    dossier.apologies.append(apology)
    db.session.flush()
    warn_of_apology(dossier, apology)
    return True


def draft_apologies(now: datetime | None = None) -> int:
    """The worker's round: every dossier whose clock runs and whose current step is overdue, checked; how many
    apologies were drafted."""
    calendars: dict[int, WorkCalendar] = {}  # per desk
    now = now or utcnow()
    running = db.session.scalars(
        sa.select(Dossier)
        .where(Dossier.status.in_([str(s) for s in CLOCK_RUNS]), Dossier.step_due_at < now)
        .options(selectinload(Dossier.apologies))
        .execution_options(all_organisations=True)
    )
    drafted = 0
    for dossier in running:
        if dossier.organisation_id not in calendars:
            calendars[dossier.organisation_id] = calendar_of(dossier)
        drafted += check_late_risk(dossier, calendars[dossier.organisation_id], now)
    return drafted


@dataclass
class Moved:
    dossier: Dossier
    old: datetime
    new: datetime


def recomputed_appointment(dossier: Dossier, calendar: WorkCalendar) -> datetime | None:
    """The appointment the current calendar gives the dossier (the statutory days from its start, plus the time
    the applicant held it)."""
    if dossier.counting_from is None:
        return None
    due = add_days(calendar, dossier.counting_from, dossier.statutory_days)
    if dossier.waited_seconds:
        due = calendar.add_working_hours(due, dossier.waited_seconds / 3600)
    return due


def calendar_report(desk_id: int) -> list[Moved]:
    """The desk's open dossiers whose appointment the current calendar would move (computed with another
    version)."""
    calendar = load_calendar(organisation_id=desk_id)
    open_ = db.session.scalars(
        sa.select(Dossier)
        .where(
            Dossier.status.in_([str(s) for s in CLOCK_RUNS] + [str(DossierStatus.SUPPLEMENT_REQUESTED)]),
            Dossier.calendar_version != calendar.version,
            Dossier.organisation_id == desk_id,
        )
        .order_by(Dossier.appointment_at)
        .execution_options(all_organisations=True)
    )
    moved = []
    for dossier in open_:
        new = recomputed_appointment(dossier, calendar)
        if new is not None and dossier.appointment_at is not None and new != dossier.appointment_at:
            moved.append(Moved(dossier, dossier.appointment_at, new))
    return moved
