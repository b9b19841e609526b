"""Deadlines of tasks: given by the leader, counted in working days, from the document's due date, or from the
admin's default per urgency. Counted by the working calendar (app/calendar) and nowhere else."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext

from ..audit.models import AuditAction
from ..audit.service import record
from ..auth.models import Role, User
from ..calendar.service import WorkCalendar, load_calendar
from ..documents.models import Document
from ..documents.vocabulary import Urgency
from ..errors import Forbidden, InvalidInput
from ..extensions import db, insert_or_ignore
from .models import DeadlineBasis, TaskDeadlineRule
from .schemas import RulesInput

# The deadline of a document with no due date, in working days per urgency, until the admin sets others.
DEFAULT_WORKING_DAYS: dict[str, int] = {
    Urgency.NORMAL: 10,
    Urgency.URGENT: 5,
    Urgency.VERY_URGENT: 3,
    Urgency.EXPRESS: 1,
}


def deadline_rules() -> dict[str, int]:
    """The default deadline in working days for each urgency: the admin's where set, else the defaults."""
    stored = {
        urgency: days
        for urgency, days in db.session.execute(sa.select(TaskDeadlineRule.urgency, TaskDeadlineRule.working_days))
    }
    return {str(u): stored.get(str(u), DEFAULT_WORKING_DAYS[u]) for u in Urgency}


def set_deadline_rules(actor: User, data: RulesInput) -> dict[str, int]:
    """Change the default deadlines per urgency. They hold for the whole deployment, like the working calendar,
    so only an administrator of a top-level organisation changes them."""
    if not actor.has_role(Role.ADMIN) or actor.organisation.parent_id is not None:
        raise Forbidden(gettext("Only an administrator of a top-level organisation sets the default deadlines."))
    before = deadline_rules()
    changes: dict[str, list[int]] = {}
    table = TaskDeadlineRule.__table__
    for urgency in Urgency:
        days = getattr(data, str(urgency))
        if days is None:
            continue
        db.session.execute(insert_or_ignore(table, {"urgency": str(urgency), "working_days": days}))
        row = db.session.get(TaskDeadlineRule, str(urgency), with_for_update=True, populate_existing=True)
        assert row is not None
        row.working_days, row.updated_by_id = days, actor.id
        if before[urgency] != days:
            changes[str(urgency)] = [before[urgency], days]
    db.session.flush()
    record(AuditAction.TASK_RULES_SET, actor=actor, obj=("task_rules", "deadlines"), changes=changes)
    return deadline_rules()


def end_of_office_day(calendar: WorkCalendar, day: date) -> datetime:
    """When the office closes on `day`: the deadline meant by a date.

    Civil Code 2015, art. 148: a time limit whose last day is a day off ends at the end of the next working day.
    Counted with the calendar's own answers: the office time of the day, added to the day's start.
    """
    for _ in range(366):
        if calendar.is_working_day(day):
            break
        day += timedelta(days=1)
    start = datetime.combine(day, time.min, tzinfo=calendar.tz)
    open_hours = calendar.working_time_between(start, start + timedelta(days=1)) / timedelta(hours=1)
    closing = calendar.add_working_hours(start, open_hours)
    return (closing + timedelta(microseconds=500_000)).replace(microsecond=0)  # whole seconds, as the hours are


def as_deadline(value: datetime | date, calendar: WorkCalendar) -> datetime:
    return value if isinstance(value, datetime) else end_of_office_day(calendar, value)


def in_calendar(name: str, count: Callable[[], datetime]) -> datetime:
    """A count by the calendar, its refusal (a year it does not cover) named after our field."""
    try:
        return count()
    except InvalidInput as err:
        raise InvalidInput({name: next(iter(err.fields.values()), err.text())}) from None


def chosen_deadline(
    given: datetime | date | None, working_days: int | None, now: datetime
) -> tuple[datetime, DeadlineBasis] | None:
    """The deadline a leader gave, as a moment or in working days from now; None when none was given."""
    if given is not None and working_days is not None:
        raise InvalidInput(
            {"deadline_working_days": gettext("Give either a deadline or a number of working days, not both.")}
        )
    if given is None and working_days is None:
        return None
    calendar = load_calendar()
    if working_days is not None:
        moment = in_calendar("deadline_working_days", lambda: calendar.add_working_days(now, working_days))
        return moment, DeadlineBasis.WORKING_DAYS
    assert given is not None
    moment = in_calendar("deadline", lambda: as_deadline(given, calendar))
    if moment <= now:
        raise InvalidInput({"deadline": gettext("The deadline has passed: give a later one.")})
    return moment, DeadlineBasis.GIVEN


def default_deadline(doc: Document, now: datetime) -> tuple[datetime, DeadlineBasis]:
    """The document's due date (the end of that day's office hours), else the admin's rule for its urgency,
    counted in working days from now."""
    calendar = load_calendar()
    if doc.due_on is not None:
        moment = in_calendar("deadline", lambda: end_of_office_day(calendar, doc.due_on))
        if moment <= now:
            raise InvalidInput(
                {"deadline": gettext("The document's due date has passed: give the task a deadline of its own.")}
            )
        return moment, DeadlineBasis.DUE_ON
    days = deadline_rules().get(doc.urgency, DEFAULT_WORKING_DAYS[Urgency.NORMAL])
    return in_calendar("deadline", lambda: calendar.add_working_days(now, days)), DeadlineBasis.URGENCY_RULE
