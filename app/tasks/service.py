"""The rules of tasks: a leader assigns the processing of a document, the lead carries it out, the leader follows.

Every change goes through `act` (or `assign`), which locks the task's row, asks the state machine
(machine.py) whether the action is allowed in the current state and by this user, applies it, and writes a
`TaskEvent` and an audit event in the caller's transaction. When the document came from another organisation
through the exchange, its sender is told: assigned (04), in progress (05), completed (06).

Deadlines are counted by the working calendar (app/calendar) and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import selectinload

from ..audit.models import AuditAction
from ..audit.service import record
from ..auth.models import Role, Unit, User
from ..calendar.service import load_calendar
from ..clock import LOCAL_TZ
from ..documents import service as documents
from ..documents.models import Document
from ..documents.rendering import DocumentLayout, render_document
from ..documents.schemas import DraftInput
from ..documents.uploads import Upload, content_type_for, safe_filename
from ..documents.vocabulary import Direction, DocumentStatus
from ..errors import Forbidden, InvalidInput, InvalidState, NotFound
from ..extensions import db, utcnow
from ..pagination import Page
from ..routing import service as routing
from ..routing.models import Arrival, ArrivalStatus
from ..storage.service import PutBlob, put_blob, read_blob, record_blob
from .deadlines import as_deadline, chosen_deadline, default_deadline, in_calendar
from .machine import PARTIES, next_state
from .messages import tell_about
from .models import (
    STATE_LABELS,
    DeadlineBasis,
    ParticipantRole,
    Task,
    TaskAction,
    TaskEvent,
    TaskFile,
    TaskParticipant,
    TaskState,
)
from .people import REFUSALS, is_lead, lead_unit_headed_by, may, named_people, participant_as, unit_ids_of, user_of
from .schemas import (
    AssignInput,
    CompleteInput,
    ContributeInput,
    ExtensionInput,
    NoteInput,
    ProgressInput,
    ReasonInput,
    ReopenInput,
    TaskQuery,
    TransferInput,
)

MAX_FILES = 10
# The actions that may bring files: a progress report, the result, a coordinator's contribution.
WITH_FILES = frozenset({TaskAction.PROGRESS, TaskAction.COMPLETE, TaskAction.CONTRIBUTE})

AUDIT_ACTIONS: dict[TaskAction, AuditAction] = {
    TaskAction.ASSIGN: AuditAction.TASK_ASSIGNED,
    TaskAction.ACCEPT: AuditAction.TASK_ACCEPTED,
    TaskAction.PROGRESS: AuditAction.TASK_PROGRESS_REPORTED,
    TaskAction.REQUEST_EXTENSION: AuditAction.TASK_EXTENSION_REQUESTED,
    TaskAction.GRANT_EXTENSION: AuditAction.TASK_EXTENSION_GRANTED,
    TaskAction.REFUSE_EXTENSION: AuditAction.TASK_EXTENSION_REFUSED,
    TaskAction.TRANSFER: AuditAction.TASK_TRANSFERRED,
    TaskAction.COMPLETE: AuditAction.TASK_COMPLETED,
    TaskAction.RETURN: AuditAction.TASK_RETURNED,
    TaskAction.REOPEN: AuditAction.TASK_REOPENED,
    TaskAction.CANCEL: AuditAction.TASK_CANCELLED,
    TaskAction.CONTRIBUTE: AuditAction.TASK_CONTRIBUTED,
    TaskAction.MARK_READ: AuditAction.TASK_READ,
}

# Where the lead still has work to do.
OPEN_STATES = (TaskState.NEW, TaskState.IN_PROGRESS, TaskState.EXTENSION_REQUESTED, TaskState.REOPENED)

# The exchange's status codes the sender of an arrived document is told.
CODE_ASSIGNED, CODE_IN_PROGRESS, CODE_COMPLETED = "04", "05", "06"


# --- Reading ------------------------------------------------------------------------------------------------


def get_task(actor: User, task_id: int) -> Task:
    """A task of the user's organisation whose document the user may read; else NotFound."""
    task = db.session.get(Task, task_id)
    if task is None or task.organisation_id != actor.organisation_id or not documents.can_read(actor, task.document):
        raise NotFound(gettext("No such task."))
    return task


def events_of(task_ids: list[int]) -> dict[int, list[TaskEvent]]:
    found: dict[int, list[TaskEvent]] = {task_id: [] for task_id in task_ids}
    if task_ids:
        for event in db.session.scalars(
            sa.select(TaskEvent).where(TaskEvent.task_id.in_(task_ids)).order_by(TaskEvent.id)
        ):
            found[event.task_id].append(event)
    return found


def timeline(actor: User, document_id: int) -> list[TaskEvent]:
    """Everything done in the processing of a document, every task together, in the order it was done."""
    doc = documents.get_document(actor, document_id)
    return list(
        db.session.scalars(
            sa.select(TaskEvent)
            .join(Task, Task.id == TaskEvent.task_id)
            .where(Task.document_id == doc.id)
            # The order they were written in: one transaction's events share their moment.
            .order_by(TaskEvent.id)
        )
    )


def read_file(actor: User, task_id: int, file_id: int) -> tuple[TaskFile, bytes]:
    """A file of a progress report, verified against its hash; the download is recorded."""
    task = get_task(actor, task_id)
    file = db.session.get(TaskFile, file_id)
    if file is None or file.task_id != task.id:
        raise NotFound(gettext("No such file."))
    data = read_blob(file.blob_sha256)
    record(AuditAction.TASK_FILE_DOWNLOADED, actor=actor, obj=("task", task.id), file_id=file.id)
    return file, data


TaskPage = Page[Task]


def list_tasks(actor: User, query: TaskQuery, default_per_page: int = 50) -> TaskPage:
    """The user's tasks, soonest deadline first: where they lead (themselves or their unit, or a unit they
    head), coordinate, are informed, or that they assigned; `role` keeps one of those.

    With `scope=organisation`, the tasks the dashboard counts instead (dashboard.py): a leader's whole
    organisation, or the units a unit head heads; anyone else is refused (Forbidden). The dashboard's cells
    link here with `assigned_from`, `assigned_to`, `outcome` and the row's `unit`, `no_unit` (led by a person
    of no unit), `lead_user` or `lead_unit` (led by the unit itself, not yet given to a person).
    """
    from .dashboard import (
        TaskOutcome,
        assigned_within,
        outcome_condition,
        oversight_of,
        scope_condition,
        unreadable_documents,
    )

    now = utcnow()
    units = unit_ids_of(actor)

    def involved(role: ParticipantRole) -> sa.ColumnElement[bool]:
        # One look-up of the user's few participations, not a subquery per task of the organisation.
        return Task.id.in_(
            sa.select(TaskParticipant.task_id).where(
                TaskParticipant.role == role,
                sa.or_(TaskParticipant.user_id == actor.id, TaskParticipant.unit_id.in_(units)),
            )
        )

    roles = {
        "lead": sa.or_(Task.lead_user_id == actor.id, Task.lead_unit_id.in_(units)),
        "coordinator": involved(ParticipantRole.COORDINATOR),
        "informed": involved(ParticipantRole.INFORMED),
        "assigned_by_me": Task.assigned_by_id == actor.id,
    }
    if query.scope == "organisation":
        overseen = scope_condition(oversight_of(actor))
        mine = sa.and_(overseen, roles[query.role]) if query.role else overseen
    else:
        mine = roles[query.role] if query.role else sa.or_(*roles.values())
    # documents.readable_by, without a join
    readable = Task.document_id.not_in(unreadable_documents(actor.id, actor.organisation_id))
    stmt = sa.select(Task).where(Task.organisation_id == actor.organisation_id, readable, mine)
    if query.status:
        try:
            stmt = stmt.where(Task.state == TaskState(query.status))
        except ValueError:
            raise InvalidInput({"status": gettext("Unknown status.")}) from None
    if query.due_before is not None:
        before = query.due_before
        if not isinstance(before, datetime):  # a date: due on that day or earlier
            before = datetime.combine(before + timedelta(days=1), time.min, tzinfo=LOCAL_TZ)
        stmt = stmt.where(Task.deadline < before)
    if query.unit is not None:
        unit = db.session.get(Unit, query.unit)
        if unit is None or unit.organisation_id != actor.organisation_id:
            raise InvalidInput({"unit": gettext("No such unit in your organisation.")})
        members = sa.select(User.id).where(User.unit_id == unit.id)
        stmt = stmt.where(sa.or_(Task.lead_unit_id == unit.id, Task.lead_user_id.in_(members)))
    if query.no_unit:
        stmt = stmt.where(Task.lead_user_id.in_(sa.select(User.id).where(User.unit_id.is_(None))))
    if query.lead_user is not None:
        lead = db.session.get(User, query.lead_user)
        if lead is None or lead.organisation_id != actor.organisation_id:
            raise InvalidInput({"lead_user": gettext("No such user in your organisation.")})
        stmt = stmt.where(Task.lead_user_id == lead.id)
    if query.lead_unit is not None:
        lead_unit = db.session.get(Unit, query.lead_unit)
        if lead_unit is None or lead_unit.organisation_id != actor.organisation_id:
            raise InvalidInput({"lead_unit": gettext("No such unit in your organisation.")})
        stmt = stmt.where(Task.lead_unit_id == lead_unit.id)
    if query.assigned_from and query.assigned_to and query.assigned_from > query.assigned_to:
        raise InvalidInput({"assigned_to": gettext("The end of the period comes before its start.")})
    if query.assigned_from is not None or query.assigned_to is not None:
        stmt = stmt.where(assigned_within(query.assigned_from, query.assigned_to))
    if query.outcome is not None:
        stmt = stmt.where(outcome_condition(TaskOutcome(query.outcome), now))
    if query.overdue is not None:
        late = sa.and_(Task.deadline < now, Task.state.not_in([TaskState.COMPLETED, TaskState.CANCELLED]))
        stmt = stmt.where(late if query.overdue else sa.not_(late))
    if query.open is not None:
        to_do = Task.state.in_(OPEN_STATES)
        stmt = stmt.where(to_do if query.open else sa.not_(to_do))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())) or 0
    per_page = query.per_page or default_per_page
    page = query.page or 1
    shown = (
        stmt.options(
            selectinload(Task.document),
            selectinload(Task.assigned_by),
            selectinload(Task.lead_user),
            selectinload(Task.lead_unit),
            selectinload(Task.accepted_by),
            selectinload(Task.participants).options(
                selectinload(TaskParticipant.user), selectinload(TaskParticipant.unit)
            ),
        )
        .order_by(Task.deadline, Task.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    items = list(db.session.scalars(shown))
    return TaskPage(items=items, total=total, page=page, per_page=per_page)


# --- Assigning ---------------------------------------------------------------------------------------------


def assign(actor: User, document_id: int, data: AssignInput) -> Task:
    """A leader assigns the processing of a document they may read: one lead (a user or a unit), coordinators
    and informed people (users or units), all of the document's organisation, a deadline and instructions.

    Decree 30, art. 24: the head of the agency assigns incoming documents for processing, with instructions
    and a deadline. With no deadline given, the document's due date holds; else the admin's rule for its
    urgency, in working days. A secret document is assigned to named people, who are given access to it.
    """
    if not actor.has_role(Role.LEADER):
        raise Forbidden(gettext("Only a leader assigns the processing of a document."))
    doc = documents.get_document(actor, document_id)
    if doc.status == DocumentStatus.RECALLED:
        raise InvalidState(gettext("Its sender recalled this document: it is not processed."), state=doc.status)
    now = utcnow()
    people = named_people(doc, data)
    errors = people.errors
    chosen = None
    try:
        chosen = chosen_deadline(data.deadline, data.deadline_working_days, now) or default_deadline(doc, now)
    except InvalidInput as err:
        errors.update(err.fields)
    if errors or chosen is None or people.lead is None:
        raise InvalidInput(errors)
    lead, coordinators, informed = people.lead, people.coordinators, people.informed
    deadline, basis = chosen
    task = Task(
        organisation_id=doc.organisation_id,
        document_id=doc.id,
        state=str(TaskState.NEW),
        assigned_by_id=actor.id,
        lead_user_id=lead.user.id if lead.user else None,
        lead_unit_id=lead.unit.id if lead.unit else None,
        instructions=data.instructions,
        deadline=deadline,
        deadline_basis=str(basis),
        assigned_at=now,
    )
    db.session.add(task)
    for role, targets in ((ParticipantRole.COORDINATOR, coordinators), (ParticipantRole.INFORMED, informed)):
        for target in targets:
            task.participants.append(
                TaskParticipant(
                    role=str(role),
                    user_id=target.user.id if target.user else None,
                    unit_id=target.unit.id if target.unit else None,
                )
            )
    db.session.flush()
    if doc.is_secret:
        for target in (lead, *coordinators, *informed):
            if target.user is not None:  # units were refused above
                documents.grant_access(actor, doc.id, target.user.id)
    details = {
        "lead": lead.json(),
        "coordinators": [t.json() for t in coordinators],
        "informed": [t.json() for t in informed],
        "deadline": deadline.isoformat(),
        "deadline_basis": str(basis),
    }
    _write_event(actor, task, TaskAction.ASSIGN, None, data.instructions, details)
    tell_about(task, TaskAction.ASSIGN, actor)
    _tell_sender(doc, CODE_ASSIGNED, actor)
    return task


# --- Acting on a task -----------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What a handler did: the event's note and data, and the status the document's sender is told."""

    note: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    code: str | None = None


@dataclass(frozen=True)
class StoredUpload:
    """A progress report's file, already in the store."""

    filename: str
    blob: PutBlob


def _locked(actor: User, task_id: int) -> Task:
    task = get_task(actor, task_id)
    return db.session.scalars(
        sa.select(Task).where(Task.id == task.id).with_for_update().execution_options(populate_existing=True)
    ).one()


def store_files(uploads: list[Upload]) -> list[StoredUpload]:
    """Check a progress report's files and put them in the store, before the transaction's first statement."""
    if len(uploads) > MAX_FILES:
        raise InvalidInput({"attachments": gettext("At most %(n)s files at once.", n=MAX_FILES)})
    for index, upload in enumerate(uploads):
        if not upload.data:
            raise InvalidInput({f"attachments[{index}]": gettext("The file is empty.")})
    stored = []
    for upload in uploads:
        filename = safe_filename(upload.filename, "attachment")
        stored.append(StoredUpload(filename, put_blob(upload.data, content_type_for(filename), filename)))
    return stored


def act(actor: User, task_id: int, action: TaskAction, data: Any, files: list[StoredUpload] | None = None) -> Task:
    """Take an action on a task, by the rules of the state machine (machine.py).

    The task's row is locked first, so two people acting at once are taken one after the other and the second
    sees the state the first left. Not allowed in the current state: InvalidState naming the state; by someone
    who is not of the action's party: Forbidden.
    """
    if action == TaskAction.ASSIGN or action not in PARTIES:
        raise NotFound(gettext("No such action."))
    if files and action not in WITH_FILES:
        raise InvalidInput({"attachments": gettext("Files go with a progress report, a result or a contribution.")})
    task = _locked(actor, task_id)
    before = TaskState(task.state)
    after = next_state(before, action)
    if after is None:
        raise InvalidState(
            gettext('Not possible now: the task is "%(state)s".', state=STATE_LABELS[before]), state=str(before)
        )
    party = PARTIES[action]
    if not may(actor, task, party):
        raise Forbidden(str(REFUSALS[party]))
    outcome = _HANDLERS[action](actor, task, data)
    if outcome is None:  # nothing changed (read twice)
        return task
    task.state = str(after)
    event = _write_event(actor, task, action, before, outcome.note, outcome.data)
    for stored in files or []:
        record_blob(stored.blob)
        db.session.add(
            TaskFile(
                task_id=task.id,
                event_id=event.id,
                blob_sha256=stored.blob.sha256,
                filename=stored.filename,
                content_type=stored.blob.content_type,
                size=stored.blob.size,
                created_by_id=actor.id,
            )
        )
    db.session.flush()
    tell_about(task, action, actor)
    if outcome.code is not None:
        _tell_sender(task.document, outcome.code, actor)
    return task


def _write_event(
    actor: User, task: Task, action: TaskAction, before: TaskState | None, note: str | None, data: dict[str, Any]
) -> TaskEvent:
    """The task's own history and the audit log, in the same transaction."""
    event = TaskEvent(
        task_id=task.id,
        actor_id=actor.id,
        action=str(action),
        from_state=str(before) if before else None,
        to_state=task.state,
        note=note,
        data=data,
        at=utcnow(),
    )
    db.session.add(event)
    db.session.flush()
    record(
        AUDIT_ACTIONS[action],
        actor=actor,
        obj=("task", task.id),
        document_id=task.document_id,
        event_id=event.id,
        from_state=event.from_state,
        to_state=event.to_state,
        **data,
    )
    return event


def _tell_sender(doc: Document, code: str, actor: User) -> None:
    """A document registered from an arrival: its sender hears how its processing goes (04, 05, 06).

    The leader's instructions and the notes stay inside the organisation: only the status and who set it go.
    """
    arrival = db.session.scalars(
        sa.select(Arrival).where(Arrival.document_id == doc.id, Arrival.status == ArrivalStatus.ACCEPTED)
    ).first()
    if arrival is not None:
        routing.report_status(arrival, code, None, actor)


def _accept(actor: User, task: Task, data: NoteInput) -> Outcome:
    earlier = db.session.scalar(
        sa.select(sa.func.count(TaskEvent.id)).where(
            TaskEvent.task_id == task.id, TaskEvent.action == TaskAction.ACCEPT
        )
    )
    task.accepted_by = actor
    task.accepted_at = utcnow()
    # The sender hears "in progress" once, when the work first starts, not again after each transfer.
    return Outcome(data.note, {}, code=None if earlier else CODE_IN_PROGRESS)


def _progress(actor: User, task: Task, data: ProgressInput) -> Outcome:
    task.progress = data.percent
    return Outcome(data.note, {"percent": data.percent})


def _request_extension(actor: User, task: Task, data: ExtensionInput) -> Outcome:
    wanted = in_calendar("deadline", lambda: as_deadline(data.deadline, load_calendar()))
    if wanted <= task.deadline or wanted <= utcnow():
        raise InvalidInput({"deadline": gettext("Ask for a deadline later than the current one.")})
    task.requested_deadline = wanted
    return Outcome(data.reason, {"deadline": wanted.isoformat(), "previous": task.deadline.isoformat()})


def _grant_extension(actor: User, task: Task, data: NoteInput) -> Outcome:
    assert task.requested_deadline is not None
    previous, task.deadline = task.deadline, task.requested_deadline
    task.deadline_basis = str(DeadlineBasis.EXTENSION)
    task.requested_deadline = None
    return Outcome(data.note, {"deadline": task.deadline.isoformat(), "previous": previous.isoformat()})


def _refuse_extension(actor: User, task: Task, data: ReasonInput) -> Outcome:
    asked = task.requested_deadline
    task.requested_deadline = None
    return Outcome(data.reason, {"requested": asked.isoformat() if asked else None})


def _holders(task: Task) -> list[dict[str, int]]:
    """Who held the lead, in order: the first lead and each transfer's receiver."""
    held: list[dict[str, int]] = []
    for event in db.session.scalars(
        sa.select(TaskEvent)
        .where(TaskEvent.task_id == task.id, TaskEvent.action.in_([TaskAction.ASSIGN, TaskAction.TRANSFER]))
        .order_by(TaskEvent.id)
    ):
        held.append(event.data["lead"] if event.action == TaskAction.ASSIGN else event.data["to"])
    return held


def _transfer(actor: User, task: Task, data: TransferInput) -> Outcome:
    """The lead hands the task to another person of the organisation; the head of the lead's unit may hand it
    to a member of the unit. Never back to someone who held it before in this task: that is a loop."""
    target = user_of(task.organisation_id, data.user_id)
    if target is None:
        raise InvalidInput({"user_id": gettext("No such user in the document's organisation.")})
    current = {"user_id": task.lead_user_id} if task.lead_user_id else {"unit_id": task.lead_unit_id}
    if task.lead_user_id == target.id:
        raise InvalidInput({"user_id": gettext("This person already leads the task.")})
    if {"user_id": target.id} in _holders(task):
        raise InvalidInput(
            {"user_id": gettext("This person already held the lead of this task: it would go round in a circle.")}
        )
    head_of = lead_unit_headed_by(actor, task)
    if not is_lead(actor, task) and head_of is not None and target.unit_id != head_of.id:
        raise InvalidInput({"user_id": gettext("As head of the unit, you transfer the task to its members only.")})
    if not documents.can_read(target, task.document):
        raise InvalidInput(
            {"user_id": gettext("This person may not read this secret document; a leader can grant access first.")}
        )
    task.lead_user, task.lead_unit = target, None
    task.accepted_by, task.accepted_at = None, None
    task.requested_deadline = None
    return Outcome(data.note, {"from": current, "to": {"user_id": target.id}})


def _complete(actor: User, task: Task, data: CompleteInput) -> Outcome:
    if data.create_reply and data.reply_document_id is not None:
        raise InvalidInput({"create_reply": gettext("Either draft a new reply or link an existing one, not both.")})
    details: dict[str, Any] = {}
    if data.create_reply:
        reply = draft_reply(actor, task.document, data.note)
        task.reply_document_id = reply.id
        details["reply_document_id"] = reply.id
        details["reply_drafted"] = True
    elif data.reply_document_id is not None:
        reply = db.session.get(Document, data.reply_document_id)
        if (
            reply is None
            or reply.id == task.document_id
            or reply.organisation_id != task.organisation_id
            or reply.direction != Direction.OUTGOING
            or reply.status == DocumentStatus.RECALLED
            or not documents.can_read(actor, reply)
        ):
            raise InvalidInput(
                {"reply_document_id": gettext("No such outgoing document of this organisation that you may read.")}
            )
        task.reply_document_id = reply.id
        details["reply_document_id"] = reply.id
    task.completed_at = utcnow()
    task.progress = 100
    task.requested_deadline = None
    return Outcome(data.note, details, code=CODE_COMPLETED)


def draft_reply(actor: User, doc: Document, note: str | None) -> Document:
    """An outgoing draft answering `doc`, typeset as a Decree 30 official letter (công văn) addressed to its
    issuer, its body the lead's result: the lead then edits the text, a leader signs it, the clerk issues it."""
    org = actor.organisation
    reference = "/".join(part for part in (doc.number, doc.notation) if part) or str(doc.register_number or "")
    dated = f" ngày {doc.issued_on.strftime('%d/%m/%Y')}" if doc.issued_on else ""
    subject = f"V/v trả lời văn bản số {reference}{dated} của {doc.issuer or ''}".strip()[:4000]
    addressee = doc.issuer or ""
    body = [line.strip() for line in (note or "").splitlines() if line.strip()] or [
        f"{org.name} nhận được văn bản số {reference}{dated} của {addressee} về việc {doc.subject}."
    ]
    layout = DocumentLayout(
        organisation=org.name,
        parent_organisation=org.parent.name if org.parent else "",
        place=org.place or "",
        type_name="",
        subject=subject,
        body=[f"Kính gửi: {addressee}.", *body] if addressee else body,
        recipients=[r for r in (addressee, "Lưu: VT") if r],
        signer_block=False,
    )
    draft = DraftInput(document_type="CV", subject=subject, recipients=addressee or None)
    try:
        return documents.create_draft(actor, draft, Upload("tra-loi.pdf", render_document(layout)))
    except Forbidden:
        raise InvalidInput(
            {"create_reply": gettext("Only specialists, leaders and clerks draft outgoing documents.")}
        ) from None


def _return(actor: User, task: Task, data: ReasonInput) -> Outcome:
    task.requested_deadline = None
    return Outcome(data.reason, {})


def _reopen(actor: User, task: Task, data: ReopenInput) -> Outcome:
    details: dict[str, Any] = {}
    chosen = chosen_deadline(data.deadline, data.deadline_working_days, utcnow())
    if chosen is not None:
        details = {"deadline": chosen[0].isoformat(), "previous": task.deadline.isoformat()}
        task.deadline, task.deadline_basis = chosen[0], str(chosen[1])
    task.completed_at = None
    return Outcome(data.note, details)


def _cancel(actor: User, task: Task, data: NoteInput) -> Outcome:
    task.cancelled_at = utcnow()
    task.requested_deadline = None
    return Outcome(data.note, {})


def _contribute(actor: User, task: Task, data: ContributeInput) -> Outcome:
    return Outcome(data.note, {})


def _mark_read(actor: User, task: Task, data: NoteInput) -> Outcome | None:
    already = db.session.scalar(
        sa.select(TaskEvent.id).where(
            TaskEvent.task_id == task.id, TaskEvent.action == TaskAction.MARK_READ, TaskEvent.actor_id == actor.id
        )
    )
    if already is not None:
        return None
    row = participant_as(actor, task, ParticipantRole.INFORMED)
    if row is not None and row.read_at is None:
        row.read_at = utcnow()
    return Outcome(data.note, {})


_HANDLERS: dict[TaskAction, Callable[[User, Task, Any], Outcome | None]] = {
    TaskAction.ACCEPT: _accept,
    TaskAction.PROGRESS: _progress,
    TaskAction.REQUEST_EXTENSION: _request_extension,
    TaskAction.GRANT_EXTENSION: _grant_extension,
    TaskAction.REFUSE_EXTENSION: _refuse_extension,
    TaskAction.TRANSFER: _transfer,
    TaskAction.COMPLETE: _complete,
    TaskAction.RETURN: _return,
    TaskAction.REOPEN: _reopen,
    TaskAction.CANCEL: _cancel,
    TaskAction.CONTRIBUTE: _contribute,
    TaskAction.MARK_READ: _mark_read,
}
