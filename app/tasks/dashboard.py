"""The leader's dashboard of tasks: per unit or per person over a period, how many tasks were assigned and what
became of them.

Figures of a row, for the tasks assigned (`Task.assigned_at`) within the period, whole local days
(Asia/Ho_Chi_Minh) from `date_from` to `date_to`:

- assigned: all of them;
- completed_on_time: completed, and completed no later than the deadline;
- completed_late: completed after the deadline;
- in_progress: neither completed nor cancelled, the deadline not yet passed;
- overdue: neither completed nor cancelled, the deadline passed (derived from the deadline, never stored);
- cancelled;
- average_hours: the mean elapsed time, in hours, from assignment to completion of the completed ones.

Every task falls in exactly one of the five outcomes, so assigned = the sum of the five, in every row and in
the totals. The same conditions (`outcome_condition`) filter the task list (`list_tasks` with
`scope=organisation`), so a figure and the list behind it count the same tasks.

The figures come from one SQL statement (`figures_statement`) with conditional aggregation, grouped by unit or
by person, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal, NamedTuple

import sqlalchemy as sa
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, BeforeValidator
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement

from ..auth.models import Role, Unit, User
from ..clock import LOCAL_TZ, local_today
from ..documents.models import Document, DocumentGrant
from ..documents.vocabulary import Secrecy
from ..errors import Forbidden, InvalidInput
from ..extensions import db, utcnow
from ..text import fold
from ..validation import OptionalDate
from .models import Task, TaskState

# A longer period is refused: a dashboard is for months, quarters and years, not for the whole archive.
MAX_PERIOD_YEARS = 3
MAX_PERIOD_DAYS = MAX_PERIOD_YEARS * 366


class Breakdown(enum.StrEnum):
    """What a row of the dashboard is: a unit, or a person."""

    UNIT = "unit"
    PERSON = "person"


class TaskOutcome(enum.StrEnum):
    """What became of a task, as the dashboard counts it; every task is in exactly one."""

    COMPLETED_ON_TIME = "completed_on_time"
    COMPLETED_LATE = "completed_late"
    IN_PROGRESS = "in_progress"
    OVERDUE = "overdue"
    CANCELLED = "cancelled"


# The figures of a row, in the order they are shown, and their column headers.
FIGURES: tuple[str, ...] = ("assigned", *(str(o) for o in TaskOutcome))
FIGURE_LABELS: dict[str, Any] = {
    "assigned": _l("Assigned"),
    TaskOutcome.COMPLETED_ON_TIME: _l("Completed on time"),
    TaskOutcome.COMPLETED_LATE: _l("Completed late"),
    TaskOutcome.IN_PROGRESS: _l("In progress"),
    TaskOutcome.OVERDUE: _l("Overdue"),
    TaskOutcome.CANCELLED: _l("Cancelled"),
    "average_hours": _l("Average processing time (hours)"),
}
BREAKDOWN_LABELS: dict[str, Any] = {Breakdown.UNIT: _l("Unit"), Breakdown.PERSON: _l("Person")}


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


class DashboardQuery(BaseModel):
    """The dashboard's parameters, from the query string (others are ignored). Both dates missing: the current
    month; only `date_from`: up to the end of its month; only `date_to`: from the first of its month."""

    by: Annotated[Literal["unit", "person"] | None, BeforeValidator(_blank_to_none)] = None
    date_from: OptionalDate = None
    date_to: OptionalDate = None


# --- Conditions shared with the task list ------------------------------------------------------------------


def local_day_start(day: date) -> datetime:
    """The first moment of a local day (Asia/Ho_Chi_Minh), as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


def assigned_within(first: date | None, last: date | None) -> sa.ColumnElement[bool]:
    """Assigned on one of the local days from `first` to `last` (either end may be open)."""
    conditions: list[sa.ColumnElement[bool]] = []
    if first is not None:
        conditions.append(Task.assigned_at >= local_day_start(first))
    if last is not None:
        conditions.append(Task.assigned_at < local_day_start(last + timedelta(days=1)))
    return sa.and_(sa.true(), *conditions)


def _settled() -> list[str]:
    return [str(TaskState.COMPLETED), str(TaskState.CANCELLED)]


def outcome_condition(outcome: TaskOutcome, now: Any) -> sa.ColumnElement[bool]:
    """The SQL condition of one outcome. A completed task whose completion moment is unknown counts as on time,
    so that the five outcomes cover every task exactly once."""
    completed = Task.state == TaskState.COMPLETED
    still_open = Task.state.not_in(_settled())
    conditions = {
        TaskOutcome.COMPLETED_ON_TIME: sa.and_(
            completed, sa.or_(Task.completed_at.is_(None), Task.completed_at <= Task.deadline)
        ),
        TaskOutcome.COMPLETED_LATE: sa.and_(completed, Task.completed_at > Task.deadline),
        TaskOutcome.IN_PROGRESS: sa.and_(still_open, Task.deadline >= now),
        TaskOutcome.OVERDUE: sa.and_(still_open, Task.deadline < now),
        TaskOutcome.CANCELLED: Task.state == TaskState.CANCELLED,
    }
    return conditions[outcome]


@dataclass(frozen=True)
class Scope:
    """Whose tasks a user oversees: the whole organisation (a leader) or the units they head."""

    organisation_id: int
    unit_ids: frozenset[int] | None  # None: every unit, and the people without one

    @property
    def whole_organisation(self) -> bool:
        return self.unit_ids is None


def oversight_of(actor: User) -> Scope:
    """A leader oversees the tasks of their whole organisation; the head of a unit, those of the units they head
    (the tasks led by the unit or by one of its members); anyone else none of them: Forbidden."""
    if actor.has_role(Role.LEADER):
        return Scope(actor.organisation_id, None)
    headed = frozenset(
        db.session.scalars(
            sa.select(Unit.id).where(Unit.head_user_id == actor.id, Unit.organisation_id == actor.organisation_id)
        )
    )
    if not headed:
        raise Forbidden(gettext("Only a leader, or the head of a unit for their unit, sees these figures."))
    return Scope(actor.organisation_id, headed)


def scope_condition(scope: Scope) -> sa.ColumnElement[bool]:
    """The tasks of the scope, as a condition on Task alone (for the task list)."""
    in_organisation = Task.organisation_id == scope.organisation_id
    if scope.unit_ids is None:
        return in_organisation
    members = sa.select(User.id).where(User.unit_id.in_(scope.unit_ids))
    return sa.and_(in_organisation, sa.or_(Task.lead_unit_id.in_(scope.unit_ids), Task.lead_user_id.in_(members)))


# --- The period -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole local days, both ends included."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def _month_of(day: date) -> Period:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Period(first, following - timedelta(days=1))


def period_of(query: DashboardQuery, today: date | None = None) -> Period:
    """The period asked for: by default the current month (local time); at most three years; the first day not
    after the last."""
    if query.date_from is None and query.date_to is None:
        return _month_of(today or local_today())
    first = query.date_from or _month_of(query.date_to).first  # type: ignore[arg-type]
    last = query.date_to or _month_of(query.date_from).last  # type: ignore[arg-type]
    if first > last:
        raise InvalidInput({"date_to": gettext("The end of the period comes before its start.")})
    period = Period(first, last)
    if period.days > MAX_PERIOD_DAYS:
        raise InvalidInput({"date_to": gettext("A period of at most %(years)s years, please.", years=MAX_PERIOD_YEARS)})
    return period


# --- The statement ------------------------------------------------------------------------------------------


def unreadable_documents(user_id: Any, organisation_id: Any) -> sa.Select[tuple[int]]:
    """The documents of the user's organisation they may not read: the secret ones not granted to them. The ids
    are values or bound parameters.

    `documents.readable_by` said the other way round. A task is of its document's organisation, so leaving
    these out keeps exactly the tasks whose document the user may read, without joining every task to its
    document: only the few secret documents are looked at (ix_documents_org_secret).
    """
    granted = sa.select(DocumentGrant.document_id).where(
        DocumentGrant.user_id == user_id, DocumentGrant.document_id == Document.id
    )
    # "normal" is written into the SQL, so that the partial index of the other documents can serve it.
    normal = sa.literal(str(Secrecy.NORMAL), literal_execute=True)
    return sa.select(Document.id).where(
        Document.organisation_id == organisation_id, Document.secrecy != normal, ~granted.exists()
    )


class hours_between(FunctionElement):  # noqa: N801 - an SQL function, named like one
    """Elapsed hours from the first moment to the second, on SQLite and PostgreSQL."""

    type = sa.Float()
    inherit_cache = True
    name = "hours_between"


@compiles(hours_between)
def _hours_between_postgresql(element: hours_between, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 3600.0)"


@compiles(hours_between, "sqlite")
def _hours_between_sqlite(element: hours_between, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 24.0)"


def _figure_columns(now: Any) -> list[sa.ColumnElement[Any]]:
    completed = Task.state == TaskState.COMPLETED
    return [
        sa.func.count().label("assigned"),
        *(sa.func.count().filter(outcome_condition(o, now)).label(str(o)) for o in TaskOutcome),
        sa.func.sum(hours_between(Task.assigned_at, Task.completed_at))
        .filter(completed, Task.completed_at.is_not(None))
        .label("hours_total"),
        sa.func.count().filter(completed, Task.completed_at.is_not(None)).label("timed"),
    ]


_FIGURE_NAMES = (*FIGURES, "hours_total", "timed")


def figures_statement(
    actor: User, by: Breakdown | str, period: Period, now: datetime
) -> sa.Select[Any] | sa.CompoundSelect:
    """The one statement of the dashboard, for this user's scope (Forbidden for one who oversees nothing), its
    values bound: what the benchmark runs bare."""
    statement, values = _statement_for(actor, oversight_of(actor), Breakdown(by), period, now)
    return statement.params(**values)


def _statement_for(
    actor: User, scope: Scope, by: Breakdown, period: Period, now: datetime
) -> tuple[sa.Select[Any] | sa.CompoundSelect, dict[str, Any]]:
    values: dict[str, Any] = {
        "organisation": scope.organisation_id,
        "reader": actor.id,
        "first": local_day_start(period.first),
        "after": local_day_start(period.last + timedelta(days=1)),
        "now": now,
    }
    if scope.unit_ids is not None:
        values["units"] = sorted(scope.unit_ids)
    return _statement(by, scope.unit_ids is None), values


@functools.cache
def _statement(by: Breakdown, whole_organisation: bool) -> sa.Select[Any] | sa.CompoundSelect:
    """The statement's shape, built once per breakdown and kind of scope; its values are bound parameters.

    By unit, a row per unit of the scope, with zero rows for units given no task in the period, and a row
    "no unit" (unit_id NULL) for the tasks led by people who belong to no unit; a task led by a person counts
    for that person's unit. By person, a row per person who led a task assigned in the period, and per unit a
    row for the tasks it leads itself, not yet given to a person (lead_user_id NULL); no zero rows.
    Secret documents the user may not read are left out, as they are from the task list.
    """
    lead = aliased(User, name="lead_user")
    unit_key = sa.func.coalesce(Task.lead_unit_id, lead.unit_id)
    organisation = sa.bindparam("organisation", type_=sa.Integer())
    moment = Task.__table__.c.assigned_at.type
    # The period's ends are written into the SQL: a plan made for unknown ends (PostgreSQL's generic plan of
    # a prepared statement) guesses a few rows and sorts a year of tasks on disk.
    first = sa.bindparam("first", type_=moment, literal_execute=True)
    after = sa.bindparam("after", type_=moment, literal_execute=True)
    now = sa.bindparam("now", type_=moment)
    units = sa.bindparam("units", expanding=True, type_=sa.Integer())
    conditions = [
        Task.organisation_id == organisation,
        Task.assigned_at >= first,
        Task.assigned_at < after,
        Task.document_id.not_in(unreadable_documents(sa.bindparam("reader", type_=sa.Integer()), organisation)),
    ]
    if not whole_organisation:
        conditions.append(unit_key.in_(units))
    base = sa.select().select_from(Task)
    if by == Breakdown.UNIT or not whole_organisation:
        base = base.outerjoin(lead, lead.id == Task.lead_user_id)
    base = base.where(*conditions)
    if by == Breakdown.UNIT:
        figures = base.add_columns(unit_key.label("unit_id"), *_figure_columns(now)).group_by(unit_key).cte("figures")
        counted = [figures.c[name] for name in _FIGURE_NAMES]
        with_tasks = sa.select(figures.c.unit_id, Unit.name.label("unit_name"), *counted).select_from(
            figures.outerjoin(Unit, Unit.id == figures.c.unit_id)
        )
        zero = sa.literal_column("0")
        idle = sa.select(
            Unit.id.label("unit_id"),
            Unit.name.label("unit_name"),
            *(zero for _ in FIGURES),
            sa.cast(sa.null(), sa.Float),
            zero,
        ).where(
            Unit.organisation_id == organisation,
            ~sa.select(figures.c.unit_id).where(figures.c.unit_id == Unit.id).exists(),
        )
        if not whole_organisation:
            idle = idle.where(Unit.id.in_(units))
        return sa.union_all(with_tasks, idle)
    figures = (
        base.add_columns(Task.lead_user_id, Task.lead_unit_id, *_figure_columns(now))
        .group_by(Task.lead_user_id, Task.lead_unit_id)
        .cte("figures")
    )
    person = aliased(User, name="person")
    return sa.select(
        figures.c.lead_user_id,
        figures.c.lead_unit_id,
        person.username,
        person.full_name,
        Unit.id.label("unit_id"),
        Unit.name.label("unit_name"),
        *(figures.c[name] for name in _FIGURE_NAMES),
    ).select_from(
        figures.outerjoin(person, person.id == figures.c.lead_user_id).outerjoin(
            Unit, Unit.id == sa.func.coalesce(figures.c.lead_unit_id, person.unit_id)
        )
    )


# --- The answer -----------------------------------------------------------------------------------------------


class Figures(NamedTuple):
    """A row's counts, in the order of `FIGURES`, then what the average processing time is made of."""

    assigned: int = 0
    completed_on_time: int = 0
    completed_late: int = 0
    in_progress: int = 0
    overdue: int = 0
    cancelled: int = 0
    hours_total: float = 0.0  # elapsed hours of the completed tasks, added up
    timed: int = 0  # how many completed tasks those hours are of

    @property
    def average_hours(self) -> float | None:
        """Mean hours from assignment to completion, to a tenth of an hour; None with nothing completed."""
        return round(self.hours_total / self.timed, 1) if self.timed else None

    @classmethod
    def added(cls, many: Iterable[Figures]) -> Figures:
        """The figures of several rows together (the totals)."""
        columns = list(zip(*many, strict=True))
        return cls(*(sum(column) for column in columns)) if columns else cls()

    @property
    def counts(self) -> tuple[int, ...]:
        """assigned and the five outcomes, in the order of `FIGURES`."""
        return self[: len(FIGURES)]

    def value(self, name: str) -> int:
        return int(getattr(self, name))


class Named(NamedTuple):
    id: int
    name: str
    username: str | None = None


class DashboardRow(NamedTuple):
    """One unit, one person, the tasks a unit leads itself, or the tasks of people with no unit.

    `filters` are the task list's parameters (besides scope, period and outcome) that select this row's tasks.
    """

    unit: Named | None
    person: Named | None
    figures: Figures
    filters: dict[str, int]

    @property
    def label(self) -> str:
        if self.person is not None:
            return self.person.name
        if self.unit is None:
            return gettext("No unit")
        if "lead_unit" in self.filters:
            return gettext("%(unit)s (not yet given to a person)", unit=self.unit.name)
        return self.unit.name


@dataclass(frozen=True)
class Dashboard:
    period: Period
    by: Breakdown
    rows: list[DashboardRow]
    totals: Figures
    whole_organisation: bool


def _figures(row: Any) -> Figures:
    """The figures of a result row: its last columns, in the order of `_FIGURE_NAMES` (read by position, which
    is several times quicker than by name over a thousand rows)."""
    *counts, hours, timed = row[-len(_FIGURE_NAMES) :]
    return Figures(*(int(c or 0) for c in counts), float(hours or 0.0), int(timed or 0))


@functools.lru_cache(maxsize=4096)
def _sort_name(text: str) -> str:
    return fold(text)


def _given_name_first(full_name: str) -> tuple[str, str]:
    """Vietnamese names sort by the given name, the last word."""
    folded = _sort_name(full_name)
    return (folded.rsplit(" ", 1)[-1], folded)


def _unit_rows(result: list[Any]) -> list[DashboardRow]:
    """Rows of the unit statement (unit_id, unit_name, figures...): by name, "no unit" last."""
    rows = []
    for r in result:
        unit_id, unit_name = r[0], r[1]
        if unit_id is None:
            rows.append(DashboardRow(None, None, _figures(r), {"no_unit": 1}))
        else:
            rows.append(DashboardRow(Named(unit_id, unit_name), None, _figures(r), {"unit": unit_id}))
    return sorted(rows, key=lambda row: (row.unit is None, _sort_name(row.unit.name) if row.unit else ""))


def _person_rows(result: list[Any]) -> list[DashboardRow]:
    """Rows of the person statement (lead_user_id, lead_unit_id, username, full_name, unit_id, unit_name,
    figures...): by unit ("no unit" last); in each unit, the tasks it leads itself first, then its people by
    given name."""
    keyed = []
    for r in result:
        lead_user_id, lead_unit_id, username, full_name, unit_id, unit_name = r[:6]
        unit = Named(unit_id, unit_name) if unit_id is not None else None
        unit_key = (unit is None, _sort_name(unit_name) if unit is not None else "")
        if lead_user_id is not None:
            row = DashboardRow(unit, Named(lead_user_id, full_name, username), _figures(r), {"lead_user": lead_user_id})
            keyed.append(((*unit_key, True, *_given_name_first(full_name)), row))
        else:
            row = DashboardRow(unit, None, _figures(r), {"lead_unit": lead_unit_id})
            keyed.append(((*unit_key, False, "", ""), row))
    keyed.sort(key=lambda pair: pair[0])
    return [row for _, row in keyed]


def task_dashboard(actor: User, query: DashboardQuery, now: datetime | None = None) -> Dashboard:
    """The dashboard for a leader (their organisation) or the head of a unit (the units they head); anyone else
    is refused (Forbidden). Bad parameters: InvalidInput naming the field (`by`, `date_from`, `date_to`).

    Elapsed hours, not working hours: the working calendar cannot be applied inside one aggregate statement.
    """
    scope = oversight_of(actor)
    period = period_of(query)
    by = Breakdown(query.by or Breakdown.UNIT)
    moment = now or utcnow()
    statement, values = _statement_for(actor, scope, by, period, moment)
    result = db.session.connection().execute(statement, values).all()  # rows as they come, no ORM
    rows = _unit_rows(result) if by == Breakdown.UNIT else _person_rows(result)
    totals = Figures.added(row.figures for row in rows)
    return Dashboard(period, by, rows, totals, scope.whole_organisation)
