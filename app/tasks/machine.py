"""The one state machine of tasks: which action is allowed in which state, what state it leads to, and who may
do it. Pure data and two functions; the service enforces it, the tests walk it.
"""

from __future__ import annotations

import enum

from .models import TaskAction, TaskState


class Party(enum.StrEnum):
    """Who may take an action on a task."""

    LEAD = "lead"  # the lead user; for a unit lead, any member of the unit or its head
    LEAD_OR_UNIT_HEAD = "lead_or_unit_head"  # the lead, or the head of the lead's unit
    ASSIGNER = "assigner"  # the leader who assigned the task
    COORDINATOR = "coordinator"  # a coordinating user, or a member or the head of a coordinating unit
    INFORMED = "informed"  # an informed user, or a member or the head of an informed unit


S = TaskState
A = TaskAction

# Where the lead is at work: it reports, asks for time, hands over, finishes or gives back.
_WORKING = (S.IN_PROGRESS, S.REOPENED)
# Where the task is still open to the coordinators' contributions and to being cancelled.
_OPEN = (S.NEW, S.IN_PROGRESS, S.EXTENSION_REQUESTED, S.REOPENED)

# (state, action) -> the state after it. A pair not in the table is refused (409) whoever asks.
TRANSITIONS: dict[tuple[TaskState, TaskAction], TaskState] = {
    (S.NEW, A.ACCEPT): S.IN_PROGRESS,
    # A transfer gives the lead to someone else, who accepts it in turn.
    (S.NEW, A.TRANSFER): S.NEW,
    **{(state, A.TRANSFER): S.NEW for state in _WORKING},
    **{(state, A.PROGRESS): state for state in (*_WORKING, S.EXTENSION_REQUESTED)},
    **{(state, A.REQUEST_EXTENSION): S.EXTENSION_REQUESTED for state in _WORKING},
    (S.EXTENSION_REQUESTED, A.GRANT_EXTENSION): S.IN_PROGRESS,
    (S.EXTENSION_REQUESTED, A.REFUSE_EXTENSION): S.IN_PROGRESS,
    # Finishing while an extension is asked for withdraws the request.
    **{(state, A.COMPLETE): S.COMPLETED for state in (*_WORKING, S.EXTENSION_REQUESTED)},
    **{(state, A.RETURN): S.RETURNED for state in _OPEN},
    (S.COMPLETED, A.REOPEN): S.REOPENED,
    (S.RETURNED, A.REOPEN): S.REOPENED,
    **{(state, A.CANCEL): S.CANCELLED for state in (*_OPEN, S.RETURNED)},
    **{(state, A.CONTRIBUTE): state for state in _OPEN},
    # Reading what one was told about is possible whatever became of the task.
    **{(state, A.MARK_READ): state for state in S},
}

# Who may take each action (assign is the service's own rule: a leader of the document's organisation).
PARTIES: dict[TaskAction, Party] = {
    A.ACCEPT: Party.LEAD,
    A.PROGRESS: Party.LEAD,
    A.REQUEST_EXTENSION: Party.LEAD,
    A.GRANT_EXTENSION: Party.ASSIGNER,
    A.REFUSE_EXTENSION: Party.ASSIGNER,
    A.TRANSFER: Party.LEAD_OR_UNIT_HEAD,
    A.COMPLETE: Party.LEAD,
    A.RETURN: Party.LEAD,
    A.REOPEN: Party.ASSIGNER,
    A.CANCEL: Party.ASSIGNER,
    A.CONTRIBUTE: Party.COORDINATOR,
    A.MARK_READ: Party.INFORMED,
}

# The actions one takes on an existing task (POST /api/v1/tasks/<id>/<action>).
TASK_ACTIONS: tuple[TaskAction, ...] = tuple(PARTIES)


def action_named(name: str) -> TaskAction | None:
    """The action one takes on an existing task by this name (a URL's last part), or None."""
    try:
        action = TaskAction(name)
    except ValueError:
        return None
    return action if action in PARTIES else None


def allowed(state: TaskState | str, action: TaskAction) -> bool:
    return (TaskState(state), action) in TRANSITIONS


def next_state(state: TaskState | str, action: TaskAction) -> TaskState | None:
    """The state `action` leads to from `state`, or None when it is not allowed there."""
    return TRANSITIONS.get((TaskState(state), action))
