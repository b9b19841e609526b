"""Tasks (the processing of a document a leader assigns), their people, their events and files, and the admin's
default deadlines per urgency."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import Unit, User
from ..documents.models import Document
from ..extensions import db, utcnow
from ..scoping import OrgScoped


class TaskState(enum.StrEnum):
    """Where a task is. "Overdue" is not a state: it is read from the deadline (see `Task.is_overdue`)."""

    NEW = "new"  # assigned, waiting for the lead to accept
    IN_PROGRESS = "in_progress"
    EXTENSION_REQUESTED = "extension_requested"  # the lead asked for a later deadline; work goes on
    COMPLETED = "completed"
    RETURNED = "returned"  # the lead handed it back to the leader, with a reason
    REOPENED = "reopened"  # the leader sent a completed or returned task back to work
    CANCELLED = "cancelled"


# What people read for each state (the API and the messages).
STATE_LABELS: dict[str, object] = {
    TaskState.NEW: _l("New"),
    TaskState.IN_PROGRESS: _l("In progress"),
    TaskState.EXTENSION_REQUESTED: _l("Extension requested"),
    TaskState.COMPLETED: _l("Completed"),
    TaskState.RETURNED: _l("Returned"),
    TaskState.REOPENED: _l("Reopened"),
    TaskState.CANCELLED: _l("Cancelled"),
}


class TaskAction(enum.StrEnum):
    """What people do to a task; every one is a `TaskEvent`. `assign` creates the task."""

    ASSIGN = "assign"
    ACCEPT = "accept"
    PROGRESS = "progress"
    REQUEST_EXTENSION = "request_extension"
    GRANT_EXTENSION = "grant_extension"
    REFUSE_EXTENSION = "refuse_extension"
    TRANSFER = "transfer"
    COMPLETE = "complete"
    RETURN = "return"
    REOPEN = "reopen"
    CANCEL = "cancel"
    CONTRIBUTE = "contribute"
    MARK_READ = "mark_read"


class ParticipantRole(enum.StrEnum):
    """Besides the lead (chủ trì): who works with it (phối hợp) and who is kept informed (nhận để biết)."""

    COORDINATOR = "coordinator"
    INFORMED = "informed"


class DeadlineBasis(enum.StrEnum):
    """Where the task's deadline came from, for the reports on who sets realistic deadlines."""

    GIVEN = "given"  # the leader gave a moment or a date
    WORKING_DAYS = "working_days"  # the leader gave a number of working days
    DUE_ON = "due_on"  # the document's due date
    URGENCY_RULE = "urgency_rule"  # the admin's default for the document's urgency
    EXTENSION = "extension"  # the leader granted a later one


def _in(values: type[enum.StrEnum]) -> str:
    return ", ".join(f"'{v}'" for v in values)


class Task(OrgScoped, db.Model):
    """One assignment of a document's processing: a lead (a user or a unit), a deadline, the leader's instructions.

    The lead is exactly one of `lead_user_id` and `lead_unit_id`; a transfer moves it to a user. The times of
    each step are kept for the dashboards: assigned, accepted, completed, cancelled.
    """

    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), index=True)
    state: Mapped[str] = mapped_column(sa.String(20), default=TaskState.NEW)
    assigned_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    lead_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    lead_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"), index=True)
    accepted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    instructions: Mapped[str | None] = mapped_column(sa.Text)  # ý kiến chỉ đạo
    deadline: Mapped[datetime]
    deadline_basis: Mapped[str] = mapped_column(sa.String(20))
    requested_deadline: Mapped[datetime | None]  # while an extension is asked for
    progress: Mapped[int] = mapped_column(sa.SmallInteger, default=0)
    reply_document_id: Mapped[int | None] = mapped_column(sa.ForeignKey("documents.id"))
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    document: Mapped[Document] = relationship(foreign_keys=[document_id])
    assigned_by: Mapped[User] = relationship(foreign_keys=[assigned_by_id])
    lead_user: Mapped[User | None] = relationship(foreign_keys=[lead_user_id])
    lead_unit: Mapped[Unit | None] = relationship(foreign_keys=[lead_unit_id])
    accepted_by: Mapped[User | None] = relationship(foreign_keys=[accepted_by_id])
    participants: Mapped[list[TaskParticipant]] = relationship(
        back_populates="task", order_by="TaskParticipant.id", lazy="selectin"
    )

    __table_args__ = (
        sa.CheckConstraint(f"state IN ({_in(TaskState)})", name="state"),
        sa.CheckConstraint(f"deadline_basis IN ({_in(DeadlineBasis)})", name="deadline_basis"),
        sa.CheckConstraint("(lead_user_id IS NULL) <> (lead_unit_id IS NULL)", name="one_lead"),
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name="progress"),
        sa.Index("ix_tasks_org_state_deadline", "organisation_id", "state", "deadline"),
        sa.Index("ix_tasks_org_assigned_at", "organisation_id", "assigned_at"),  # the dashboard's period
    )

    def is_overdue(self, now: datetime) -> bool:
        """Past its deadline and neither completed nor cancelled (derived, never stored)."""
        return self.deadline < now and self.state not in {TaskState.COMPLETED, TaskState.CANCELLED}


class TaskParticipant(db.Model):
    """A coordinator or an informed person: a user or a whole unit."""

    __tablename__ = "task_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(20))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"), index=True)
    read_at: Mapped[datetime | None]  # the first time it (or, for a unit, one of its members) marked it read

    task: Mapped[Task] = relationship(back_populates="participants")
    user: Mapped[User | None] = relationship()
    unit: Mapped[Unit | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint(f"role IN ({_in(ParticipantRole)})", name="role"),
        sa.CheckConstraint("(user_id IS NULL) <> (unit_id IS NULL)", name="one_target"),
        sa.UniqueConstraint("task_id", "role", "user_id"),
        sa.UniqueConstraint("task_id", "role", "unit_id"),
    )


class TaskEvent(db.Model):
    """Everything done to a task, in order: who, what, the state before and after, the note. Never changed."""

    __tablename__ = "task_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("tasks.id"), index=True)
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(sa.String(30))
    from_state: Mapped[str | None] = mapped_column(sa.String(20))
    to_state: Mapped[str] = mapped_column(sa.String(20))
    note: Mapped[str | None] = mapped_column(sa.Text)
    # What the action carried: a percentage, a deadline, the new lead, the reply document ...
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User] = relationship()
    files: Mapped[list[TaskFile]] = relationship(back_populates="event", order_by="TaskFile.id", lazy="selectin")

    __table_args__ = (sa.CheckConstraint(f"action IN ({_in(TaskAction)})", name="action"),)


class TaskFile(db.Model):
    """A file attached to a progress report; its bytes are a blob in the store."""

    __tablename__ = "task_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("tasks.id"), index=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("task_events.id"), index=True)
    blob_sha256: Mapped[str] = mapped_column(sa.ForeignKey("blobs.sha256"))
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(200))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[TaskEvent] = relationship(back_populates="files")


class TaskDeadlineRule(db.Model):
    """The admin's default deadline, in working days, for a document of one urgency with no due date.

    A missing row means the default of `DEFAULT_WORKING_DAYS` (see service.py).
    """

    __tablename__ = "task_deadline_rules"

    urgency: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    working_days: Mapped[int] = mapped_column(sa.SmallInteger)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        sa.CheckConstraint("urgency IN ('normal', 'urgent', 'very_urgent', 'express')", name="urgency"),
        sa.CheckConstraint("working_days BETWEEN 1 AND 365", name="working_days"),
    )


class ReminderKind(enum.StrEnum):
    DUE_SOON = "due_soon"  # the deadline is within the configured number of working days
    OVERDUE = "overdue"  # the deadline has passed and the task is still open


class TaskReminder(db.Model):
    """That a reminder of one kind was sent for a task's deadline. The key makes it once only: a worker that
    restarts, or two running at once, cannot send it again; a new deadline (an extension) gets its own."""

    __tablename__ = "task_reminders"

    task_id: Mapped[int] = mapped_column(sa.ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    deadline: Mapped[datetime] = mapped_column(primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.CheckConstraint(f"kind IN ({_in(ReminderKind)})", name="kind"),)
