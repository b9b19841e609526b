"""Reminders of deadlines, sent by the worker: when a task's deadline is within TASK_REMIND_WORKING_DAYS working
days, and when it has passed with the task still open.

Each reminder is sent once per task, kind and deadline: a `TaskReminder` row is inserted (or found there
already) in the same transaction as the notifications and their e-mails, so a worker killed halfway sends
nothing and the next run sends it; a worker restarted, or two at once, find the row and send nothing more. A
deadline moved by an extension is a new deadline and gets its own reminders.
"""

from __future__ import annotations

import logging
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from ..calendar.service import load_calendar
from ..errors import InvalidInput
from ..extensions import db, insert_or_ignore, utcnow
from .messages import remind
from .models import ReminderKind, Task, TaskReminder
from .service import OPEN_STATES

log = logging.getLogger(__name__)

BATCH = 200


def _due_soon_until(now: datetime) -> datetime | None:
    """The end of the "due soon" window: the configured number of working days from now (0: no such reminders)."""
    days = int(current_app.config.get("TASK_REMIND_WORKING_DAYS", 2))
    if days <= 0:
        return None
    try:
        return load_calendar().add_working_days(now, days)
    except InvalidInput:  # a year the calendar does not cover: overdue reminders still go
        log.warning("the working calendar does not cover the next %s working days; no due-soon reminders", days)
        return None


def _pending(kind: ReminderKind, window: sa.ColumnElement[bool]) -> sa.Select[tuple[int]]:
    """Open tasks in the window without this kind of reminder for their current deadline yet."""
    sent = (
        sa.select(TaskReminder.task_id)
        .where(TaskReminder.task_id == Task.id, TaskReminder.kind == kind, TaskReminder.deadline == Task.deadline)
        .exists()
    )
    return sa.select(Task.id).where(Task.state.in_(OPEN_STATES), window, ~sent).order_by(Task.deadline, Task.id)


def send_reminders(now: datetime | None = None, batch: int = BATCH) -> int:
    """Send the reminders that are due; how many tasks were reminded of. Commits each batch."""
    now = now or utcnow()
    windows: list[tuple[ReminderKind, sa.ColumnElement[bool]]] = [(ReminderKind.OVERDUE, Task.deadline <= now)]
    until = _due_soon_until(now)
    if until is not None:
        windows.append((ReminderKind.DUE_SOON, sa.and_(Task.deadline > now, Task.deadline <= until)))
    reminded = 0
    for kind, window in windows:
        while True:
            ids = list(db.session.scalars(_pending(kind, window).limit(batch)))
            if not ids:
                break
            for task_id in ids:
                reminded += _remind_once(task_id, kind, now)
            db.session.commit()
            if len(ids) < batch:
                break
    return reminded


def _remind_once(task_id: int, kind: ReminderKind, now: datetime) -> int:
    """1 when this call took the reminder (and told the people), 0 when another had taken it."""
    task = db.session.get(Task, task_id)
    if task is None or task.state not in OPEN_STATES:  # a returned task waits on the leader
        return 0
    row = {"task_id": task.id, "kind": str(kind), "deadline": task.deadline, "sent_at": now}
    taken = db.session.execute(
        insert_or_ignore(TaskReminder.__table__, row).returning(TaskReminder.__table__.c.task_id)
    ).scalar()
    if taken is None:
        return 0
    remind(task, kind)
    return 1
