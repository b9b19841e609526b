"""Who hears of what happens to a task, and in what words: the lead when a task is given to them, the leader
when the lead asks for time, finishes or gives the task back, the lead when the leader answers, and both when
the deadline nears or passes (reminders.py). Each message is written in its reader's language."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from ..auth.models import Unit, User
from ..extensions import db
from ..notify.service import notify
from ..templating import local_datetime
from .models import ParticipantRole, ReminderKind, Task, TaskAction


def task_link(task: Task) -> str:
    return f"/tasks/{task.id}"


def lead_people(task: Task) -> list[User]:
    """Who answers for the lead: the lead user; for a unit, its head, or every active member when it has none."""
    if task.lead_user_id is not None:
        return [task.lead_user] if task.lead_user is not None and task.lead_user.active else []
    unit = db.session.get(Unit, task.lead_unit_id)
    if unit is None:
        return []
    if unit.head_user_id is not None:
        head = db.session.get(User, unit.head_user_id)
        if head is not None and head.active:
            return [head]
    return list(db.session.scalars(sa.select(User).where(User.unit_id == unit.id, User.active).order_by(User.id)))


def _participants(task: Task, role: ParticipantRole) -> list[User]:
    found: list[User] = []
    for p in task.participants:
        if p.role != role:
            continue
        if p.user is not None:
            found.append(p.user)
        elif p.unit_id is not None:
            found.extend(db.session.scalars(sa.select(User).where(User.unit_id == p.unit_id, User.active)))
    return [u for u in found if u.active]


Text = tuple[LazyString, dict[str, str]]  # a message to translate, and what goes into it


def _say(user: User, subject: Text, body: Text) -> tuple[str, str]:
    """The message in its reader's language."""
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        return str(subject[0]) % subject[1], str(body[0]) % body[1]


def _about(task: Task) -> str:
    doc = task.document
    name = "/".join(part for part in (doc.number, doc.notation) if part)
    return f"{name} {doc.subject}".strip()


# Who hears of each action, and its title; the lead is told the deadline, the leader who did it.
_TO_LEAD = {
    TaskAction.ASSIGN: _l("A document was assigned to you: %(doc)s"),
    TaskAction.TRANSFER: _l("A task was transferred to you: %(doc)s"),
    TaskAction.REOPEN: _l("A task was sent back to work: %(doc)s"),
    TaskAction.GRANT_EXTENSION: _l("Extension granted: %(doc)s"),
    TaskAction.REFUSE_EXTENSION: _l("Extension refused: %(doc)s"),
    TaskAction.CANCEL: _l("A task was cancelled: %(doc)s"),
}
_TO_ASSIGNER = {
    TaskAction.REQUEST_EXTENSION: _l("An extension is asked for: %(doc)s"),
    TaskAction.COMPLETE: _l("A task was completed: %(doc)s"),
    TaskAction.RETURN: _l("A task was returned to you: %(doc)s"),
}
_TO_PARTICIPANTS = {
    ParticipantRole.COORDINATOR: _l("You coordinate on a document: %(doc)s"),
    ParticipantRole.INFORMED: _l("For your information: %(doc)s"),
}


def tell_about(task: Task, action: TaskAction, actor: User) -> None:
    """The notifications one action on a task brings, in the action's transaction. Nobody is told of their own
    action."""
    about, when = _about(task), local_datetime(task.deadline)
    told: list[tuple[Iterable[User], str, Text, Text]] = []
    if action in _TO_LEAD:
        told.append(
            (
                lead_people(task),
                str(action),
                (_TO_LEAD[action], {"doc": about}),
                (_l("Deadline: %(when)s."), {"when": when}),
            )
        )
    if action in _TO_ASSIGNER:
        told.append(
            (
                [task.assigned_by],
                str(action),
                (_TO_ASSIGNER[action], {"doc": about}),
                (_l("By %(name)s."), {"name": actor.full_name}),
            )
        )
    if action == TaskAction.ASSIGN:
        for role, title in _TO_PARTICIPANTS.items():
            told.append(
                (
                    _participants(task, role),
                    str(role),
                    (title, {"doc": about}),
                    (_l("Deadline: %(when)s."), {"when": when}),
                )
            )
    for users, kind, subject, body in told:
        for user in {u.id: u for u in users if u.id != actor.id}.values():
            notify(user, f"task.{kind}", *_say(user, subject, body), task_link(task))


def remind(task: Task, kind: ReminderKind) -> int:
    """A reminder of the task's deadline to the lead (and, once overdue, to the leader who assigned it); how
    many people were told. The caller makes it once only per task, kind and deadline (TaskReminder)."""
    about, when = _about(task), local_datetime(task.deadline)
    people = lead_people(task)
    if kind == ReminderKind.OVERDUE:
        people.append(task.assigned_by)
        subject = (_l("Overdue: %(doc)s"), {"doc": about})
        body = (_l("The deadline was %(when)s and the task is not completed."), {"when": when})
    else:
        subject, body = (_l("Due soon: %(doc)s"), {"doc": about}), (_l("The deadline is %(when)s."), {"when": when})
    told = 0
    for user in {u.id: u for u in people if u.active}.values():
        key = f"task:{task.id}:{kind}:{task.deadline.isoformat()}:{user.id}"
        if notify(user, f"task.{kind}", *_say(user, subject, body), task_link(task), once_key=key) is not None:
            told += 1
    return told
