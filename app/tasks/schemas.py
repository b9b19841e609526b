"""What a client may send to assign a document and to act on a task, validated in one place."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from flask_babel import gettext
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator

from ..validation import Flag, OptionalDate, Text, opt_text
from .models import TaskAction

MAX_NOTE = 10_000
MAX_REASON = 2_000
MAX_PEOPLE = 200


def _whole_number(value: Any) -> Any:
    """Ids and counts: a whole number (a form sends it as text); true and false are not numbers."""
    if isinstance(value, bool):
        raise ValueError(gettext("Must be a whole number."))
    return value


def _moment(value: Any) -> datetime | date | None:
    """A deadline: a date (YYYY-MM-DD or DD/MM/YYYY), or a date and time with its time zone (ISO 8601)."""
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            raise ValueError(gettext("Give the time zone with the time, for example 2026-12-01T17:00:00+07:00."))
        return value
    if value is None or isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(gettext("Give a date, or a date and time with its time zone."))
    text = value.strip()
    if not text:
        return None
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    try:
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError(gettext("Give a date, or a date and time with its time zone.")) from None
    if moment.utcoffset() is None:
        raise ValueError(gettext("Give the time zone with the time, for example 2026-12-01T17:00:00+07:00."))
    return moment


def _moment_required(value: Any) -> datetime | date:
    moment = _moment(value)
    if moment is None:
        raise ValueError(gettext("Required."))
    return moment


def _required(value: str) -> str:
    """Text that must say something once cleaned (spaces and control characters alone say nothing)."""
    if not value:
        raise ValueError(gettext("Required."))
    return value


def whole(ge: int, le: int) -> Any:
    """A whole number from `ge` to `le`."""
    return Annotated[int, Field(ge=ge, le=le), BeforeValidator(_whole_number)]


Id = whole(1, 2**31 - 1)
Deadline = Annotated[datetime | date | None, PlainValidator(_moment, json_schema_input_type=str | None)]
WorkingDays = whole(1, 365) | None
Note = opt_text(MAX_NOTE)
Reason = Annotated[Text, AfterValidator(_required), Field(max_length=MAX_REASON)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Assignee(_Input):
    """One person or one unit: exactly one of the two ids (the service checks that)."""

    user_id: Id | None = None
    unit_id: Id | None = None


class AssignInput(_Input):
    """A leader assigns a document: the lead (chủ trì), coordinators (phối hợp), informed (để biết), a deadline
    and instructions (ý kiến chỉ đạo). No deadline: the document's due date, else the admin's rule for its
    urgency."""

    lead: Assignee
    coordinators: Annotated[list[Assignee], Field(max_length=MAX_PEOPLE)] = []
    informed: Annotated[list[Assignee], Field(max_length=MAX_PEOPLE)] = []
    deadline: Deadline = None
    deadline_working_days: WorkingDays = None
    instructions: Note = None


class NoteInput(_Input):
    """Accept, grant an extension, cancel, mark read: an optional note."""

    note: Note = None


class ProgressInput(_Input):
    percent: whole(0, 100)
    note: Note = None


class ExtensionInput(_Input):
    deadline: Annotated[datetime | date, PlainValidator(_moment_required, json_schema_input_type=str)]
    reason: Reason


class ReasonInput(_Input):
    """Refuse an extension, return a task: the reason is required."""

    reason: Reason


class TransferInput(_Input):
    user_id: Id
    note: Note = None


class CompleteInput(_Input):
    note: Note = None
    reply_document_id: Id | None = None
    create_reply: Flag = False


class ReopenInput(_Input):
    note: Note = None
    deadline: Deadline = None
    deadline_working_days: WorkingDays = None


class ContributeInput(_Input):
    note: Annotated[Text, AfterValidator(_required), Field(max_length=MAX_NOTE)]


ACTION_INPUTS: dict[TaskAction, type[_Input]] = {
    TaskAction.ACCEPT: NoteInput,
    TaskAction.PROGRESS: ProgressInput,
    TaskAction.REQUEST_EXTENSION: ExtensionInput,
    TaskAction.GRANT_EXTENSION: NoteInput,
    TaskAction.REFUSE_EXTENSION: ReasonInput,
    TaskAction.TRANSFER: TransferInput,
    TaskAction.COMPLETE: CompleteInput,
    TaskAction.RETURN: ReasonInput,
    TaskAction.REOPEN: ReopenInput,
    TaskAction.CANCEL: NoteInput,
    TaskAction.CONTRIBUTE: ContributeInput,
    TaskAction.MARK_READ: NoteInput,
}


class TaskQuery(BaseModel):
    """The list's filters, as query-string parameters (others are ignored).

    `scope=organisation` lists the tasks a leader (their organisation) or a unit head (their units) oversees,
    as the dashboard counts them, instead of the caller's own; `assigned_from` and `assigned_to` are local
    days, both included; `outcome` is one of the dashboard's columns; `unit` keeps the tasks led by the unit or
    by one of its members, `no_unit=1` those led by people of no unit, `lead_user` those led by this person,
    `lead_unit` those the unit leads itself (not yet given to a person).
    """

    role: Annotated[str | None, Field(pattern="^(lead|coordinator|informed|assigned_by_me)$")] = None
    status: str | None = None
    due_before: Deadline = None
    unit: Id | None = None
    overdue: Flag | None = None
    open: Flag | None = None  # 1: still to be done (new, in progress, extension asked, reopened); 0: the others
    scope: Literal["organisation"] | None = None
    assigned_from: OptionalDate = None
    assigned_to: OptionalDate = None
    outcome: Literal["completed_on_time", "completed_late", "in_progress", "overdue", "cancelled"] | None = None
    lead_user: Id | None = None
    lead_unit: Id | None = None
    no_unit: Flag | None = None
    page: whole(1, 100_000) | None = None
    per_page: whole(1, 200) | None = None


class RulesInput(_Input):
    """The admin's default deadlines in working days, per urgency; the urgencies left out keep theirs."""

    normal: whole(1, 365) | None = None
    urgent: whole(1, 365) | None = None
    very_urgent: whole(1, 365) | None = None
    express: whole(1, 365) | None = None
