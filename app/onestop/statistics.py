"""The one-stop statistics, in the columns of form 06 of Circular 01/2020/TT-VPCP: for a period, per resolving
organisation or per procedure, the dossiers received (carried over from before, new online, new at the desk or by
post), resolved (early, on time, late: judged by the day, the result's day against the appointment's), still in
progress at the end (within time, overdue), and withdrawn or suspended in the period; the on-time share and the
share of agencies with no late dossier.

Each figure is one SQL condition (FIGURES), used both to count (one GROUP BY query) and to list the dossiers behind
it, so a figure and its list can never disagree. Every dossier of the period is in exactly one of resolved, in
progress, stopped: received = carried over + new = resolved + in progress + stopped, row by row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.sql.elements import ColumnElement

from ..auth.models import Organisation, User
from ..clock import local_today
from ..errors import InvalidInput
from ..extensions import db
from .machine import NOT_RECEIVED
from .models import Dossier, Procedure

D = Dossier
Condition = Callable[[date, date, date], ColumnElement[bool]]


def in_period(start: date, end: date) -> ColumnElement[bool]:
    """The dossiers the period is about: received (not refused nor sent back at the desk) by its end, and not
    finished before its start."""
    return sa.and_(
        D.status.not_in([str(s) for s in NOT_RECEIVED]),
        D.received_on <= end,
        sa.or_(D.resolved_on.is_(None), D.resolved_on >= start),
        sa.or_(D.stopped_on.is_(None), D.stopped_on >= start),
    )


def _resolved(start: date, end: date) -> ColumnElement[bool]:
    return sa.and_(D.resolved_on >= start, D.resolved_on <= end)


def _stopped(start: date, end: date) -> ColumnElement[bool]:
    return sa.and_(D.stopped_on >= start, D.stopped_on <= end, sa.or_(D.resolved_on.is_(None), D.resolved_on > end))


def _open_at_end(start: date, end: date) -> ColumnElement[bool]:
    return sa.and_(
        sa.or_(D.resolved_on.is_(None), D.resolved_on > end), sa.or_(D.stopped_on.is_(None), D.stopped_on > end)
    )


FIGURES: dict[str, Condition] = {
    "carried_over": lambda s, e, a: D.received_on < s,
    "new_online": lambda s, e, a: sa.and_(D.received_on >= s, D.channel == "online"),
    "new_direct": lambda s, e, a: sa.and_(D.received_on >= s, D.channel != "online"),
    "resolved_early": lambda s, e, a: sa.and_(_resolved(s, e), D.resolved_on < D.appointment_on),
    "resolved_on_time": lambda s, e, a: sa.and_(_resolved(s, e), D.resolved_on == D.appointment_on),
    "resolved_late": lambda s, e, a: sa.and_(_resolved(s, e), D.resolved_on > D.appointment_on),
    "in_progress_within": lambda s, e, a: sa.and_(_open_at_end(s, e), D.appointment_on >= a),
    "in_progress_overdue": lambda s, e, a: sa.and_(_open_at_end(s, e), D.appointment_on < a),
    "stopped": lambda s, e, a: _stopped(s, e),
}


MAX_PERIOD_DAYS = 5 * 366


def check_period(start: date | None, end: date | None) -> tuple[date, date]:
    """The period (both days included), or InvalidInput: both days given, the end not before the start, at most
    five years."""
    problems = {}
    if start is None:
        problems["from"] = gettext("Required.")
    if end is None:
        problems["to"] = gettext("Required.")
    if problems:
        raise InvalidInput(problems)
    assert start is not None and end is not None
    if end < start:
        raise InvalidInput({"to": gettext("The end of the period comes before its start.")})
    if (end - start).days > MAX_PERIOD_DAYS:
        raise InvalidInput({"to": gettext("A period of at most five years.")})
    return start, end


def check_figure(figure: str | None) -> str:
    if figure not in FIGURES:
        raise InvalidInput({"figure": gettext("Must be one of: %(values)s.", values=", ".join(FIGURES))})
    return figure


def condition(figure: str, start: date, end: date) -> ColumnElement[bool]:
    """The dossiers behind one figure of the period (KeyError for an unknown figure)."""
    as_of = min(end, local_today())
    return sa.and_(in_period(start, end), FIGURES[figure](start, end, as_of))


@dataclass
class StatsRow:
    key: int | None  # the organisation's or procedure's id; None for the total
    label: str
    figures: dict[str, int] = field(default_factory=dict)

    def __getitem__(self, name: str) -> int:
        return self.figures[name]

    @property
    def received(self) -> int:
        return self["carried_over"] + self["new_online"] + self["new_direct"]

    @property
    def resolved(self) -> int:
        return self["resolved_early"] + self["resolved_on_time"] + self["resolved_late"]

    @property
    def in_progress(self) -> int:
        return self["in_progress_within"] + self["in_progress_overdue"]

    @property
    def on_time_share(self) -> float | None:
        """The share resolved early or on time, of those resolved (None when none was)."""
        return (self["resolved_early"] + self["resolved_on_time"]) / self.resolved if self.resolved else None


@dataclass
class Statistics:
    start: date
    end: date
    by: str
    rows: list[StatsRow]
    total: StatsRow

    @property
    def agencies_without_late_share(self) -> float | None:
        """Of the organisations that resolved dossiers in the period, the share with none late."""
        if self.by != "organisation":
            return None
        resolving = [row for row in self.rows if row.resolved]
        return sum(1 for row in resolving if row["resolved_late"] == 0) / len(resolving) if resolving else None


def statistics(start: date, end: date, by: str = "organisation") -> Statistics:
    """The figures of the period, a row per resolving organisation (`by="organisation"`) or per procedure."""
    as_of = min(end, local_today())
    group = D.resolving_organisation_id if by == "organisation" else D.procedure_id
    sums = [
        sa.func.coalesce(sa.func.sum(sa.case((FIGURES[name](start, end, as_of), 1), else_=0)), 0).label(name)
        for name in FIGURES
    ]
    model = Organisation if by == "organisation" else Procedure
    query = (
        sa.select(group.label("key"), model.name.label("label"), *sums)
        .select_from(D)
        .join(model, model.id == group)
        .where(in_period(start, end))
        .group_by(group, model.name)
        .execution_options(all_organisations=True)
    )
    rows = sorted(
        (
            StatsRow(row.key, row.label, {name: int(getattr(row, name)) for name in FIGURES})
            for row in db.session.execute(query)
        ),
        key=lambda r: r.label,
    )
    total = StatsRow(None, "", {name: sum(row[name] for row in rows) for name in FIGURES})
    return Statistics(start, end, by, rows, total)


@dataclass
class Behind:
    total: int  # every dossier behind the figure
    visible: list[Dossier]  # those the reader's organisation received or resolves (at most 500)


def dossiers_behind(
    actor: User,
    figure: str,
    start: date,
    end: date,
    *,
    organisation_id: int | None = None,
    procedure_id: int | None = None,
) -> Behind:
    where = [condition(figure, start, end)]
    if organisation_id is not None:
        where.append(D.resolving_organisation_id == organisation_id)
    if procedure_id is not None:
        where.append(D.procedure_id == procedure_id)
    everyone = sa.select(sa.func.count()).select_from(D).where(*where).execution_options(all_organisations=True)
    mine = sa.or_(D.organisation_id == actor.organisation_id, D.resolving_organisation_id == actor.organisation_id)
    visible = db.session.scalars(
        sa.select(D)
        .where(*where, mine)
        .order_by(D.received_on, D.id)
        .limit(500)
        .execution_options(all_organisations=True)
    ).all()
    return Behind(db.session.scalar(everyone) or 0, list(visible))
