"""The admin's changes to the working calendar: marked days and the office hours."""

from __future__ import annotations

import enum
from datetime import date, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class CalendarDayKind(enum.StrEnum):
    """What the admin says about one date, over the weekly rule and the public holidays."""

    DAY_OFF = "day_off"  # closed: a compensatory day the government grants, a local closure
    WORKING_DAY = "working_day"  # open: a make-up day (ngày làm bù), or a public holiday not taken


class CalendarDay(db.Model):
    """One date the admin marked. A date has at most one mark, so the primary key is the date."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(sa.String(20))
    note: Mapped[str] = mapped_column(sa.String(200))

    __table_args__ = (sa.CheckConstraint("kind IN ('day_off', 'working_day')", name="kind"),)


class OfficeHours(db.Model):
    """One opening interval on one weekday (0 is Monday); a weekday with a lunch break has two rows.

    Rows without an organisation are the deployment's hours; no such rows at all means the default hours (see
    `work_calendar.DEFAULT_OFFICE_HOURS`). An organisation with rows of its own keeps those hours instead (a
    one-stop desk open on Saturday mornings); the days off and make-up days stay the deployment's.
    """

    __tablename__ = "office_hours"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int] = mapped_column(sa.SmallInteger)
    opens: Mapped[time]
    closes: Mapped[time]

    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "weekday", "opens"),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        sa.CheckConstraint("opens < closes", name="opens_before_closes"),
    )
