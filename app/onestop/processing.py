"""Moving a dossier through its procedure (machine.py holds the table of moves).

Each move is checked against the table (409 naming the status it is in), the party (403), and the texts it needs:
a request for papers and a suspension tell the applicant why (the public message, shown in the lookup), a send-back,
a suspension and a withdrawal say why to the staff (the note, never shown to the public). Every move is on the
dossier's timeline and in the audit log.

The statutory clock stops while the applicant is asked for papers: when they come, the appointment moves by the
office time the applicant held the dossier, so a dossier is never late for that time.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import gettext
from pydantic import AwareDatetime, BaseModel, ConfigDict

from ..audit.models import AuditAction
from ..audit.service import record
from ..auth.models import Role, User
from ..calendar.service import WorkCalendar
from ..clock import to_local
from ..documents.uploads import Upload
from ..documents.vocabulary import DocumentStatus
from ..errors import Forbidden, InvalidInput, InvalidState, NotFound
from ..extensions import db, utcnow
from ..storage.service import PutBlob, read_blob, record_blob
from ..validation import opt_text
from . import notices
from .alerts import announce_arrival
from .deadlines import calendar_of, check_late_risk, recomputed_appointment, step_deadlines
from .intake import check_dossier_seen, get_dossier, put_scans
from .machine import (
    CLOCK_RUNS,
    FINAL,
    NEEDS_NOTE,
    NEEDS_PUBLIC_MESSAGE,
    PARTIES,
    TRANSITIONS,
    Move,
    Party,
    next_status,
)
from .models import STATUS_LABELS, Dossier, DossierEvent, DossierEventFile, DossierPaper, DossierStatus

# How many files may come with one move.
MAX_MOVE_FILES = 20
# Who may issue an apology with its new appointment.
APOLOGISERS = (Party.DESK, Party.RESOLVER_LEADER)


class MoveInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    move: Move
    note: opt_text(2000) = None  # for the staff only
    public_message: opt_text(1000) = None  # for the applicant too


def is_party(actor: User, dossier: Dossier, party: Party) -> bool:
    resolving = actor.organisation_id == dossier.resolving_organisation_id
    if party == Party.DESK:
        return actor.organisation_id == dossier.organisation_id and actor.has_role(Role.ONESTOP)
    if party == Party.RESOLVER:
        return resolving and actor.has_role(Role.SPECIALIST, Role.LEADER)
    if party == Party.RESOLVER_LEADER:
        return resolving and actor.has_role(Role.LEADER)
    assert party == Party.HANDLER
    return resolving and (actor.id == dossier.handler_id or actor.has_role(Role.LEADER))


def available_moves(actor: User, dossier: Dossier) -> list[Move]:
    """The moves the actor may make on the dossier now (the buttons a page shows)."""
    status = DossierStatus(dossier.status)
    return [
        move
        for (state, move) in TRANSITIONS
        if state == status and any(is_party(actor, dossier, party) for party in PARTIES[move])
    ]


def can_issue_apology(actor: User, dossier: Dossier) -> bool:
    """Whether an apology waits to be issued and the actor may issue it."""
    waiting = any(apology.issued_at is None for apology in dossier.apologies)
    return waiting and any(is_party(actor, dossier, party) for party in APOLOGISERS)


def lock_dossier(actor: User, code: str, parties: tuple[Party, ...], refusal: str) -> Dossier:
    """The dossier, locked for this change (a second change waits, then sees the first); Forbidden unless the actor
    is one of `parties`."""
    dossier = get_dossier(actor, code)
    db.session.refresh(dossier, with_for_update=True)
    if not any(is_party(actor, dossier, party) for party in parties):
        raise Forbidden(refusal)
    return dossier


def on_timeline(dossier: Dossier, actor: User, at: datetime, public_message: str | None = None, **data: object) -> None:
    """A timeline entry that leaves the status as it is (a fee paid, an apology, a new date)."""
    dossier.events.append(
        DossierEvent(
            at=at,
            actor_id=actor.id,
            from_status=dossier.status,
            to_status=dossier.status,
            public_message=public_message,
            data=data,
        )
    )
    db.session.flush()


def audit_dossier(action: AuditAction, actor: User, dossier: Dossier, **data: object) -> None:
    record(
        action,
        actor=actor,
        organisation_id=actor.organisation_id,
        obj=("dossier", dossier.id),
        code=dossier.code,
        **data,
    )


def _put_files(files: list[Upload]) -> list[tuple[str, PutBlob]]:
    """The move's files checked and put in the store as the intake's scans are (put_scans), at most MAX_MOVE_FILES."""
    if len(files) > MAX_MOVE_FILES:
        raise InvalidInput({"files": gettext("At most %(n)s files come with a move.", n=MAX_MOVE_FILES)})
    stored = put_scans(dict(enumerate(files)), "files.{n}", "file-{n}")
    return [stored[n] for n in range(len(files))]


def move_dossier(actor: User, code: str, data: MoveInput, files: list[Upload] | None = None) -> Dossier:
    """Make the move, with the files that come with it (the papers the applicant brought, an appraisal, a
    decision), or refuse it (nothing written)."""
    if files:
        check_dossier_seen(actor, code)  # another's dossier: 404 before any file reaches the store
    stored = _put_files(files or [])
    dossier = get_dossier(actor, code)
    db.session.refresh(dossier, with_for_update=True)  # one move at a time: a second waits, then sees the first
    status = DossierStatus(dossier.status)
    target = next_status(status, data.move)
    if target is None:
        raise InvalidState(
            gettext(
                "The dossier is %(status)s: it cannot be moved by %(move)s.",
                status=str(STATUS_LABELS[status]).lower(),
                move=str(data.move),
            ),
            state=str(status),
        )
    if not any(is_party(actor, dossier, party) for party in PARTIES[data.move]):
        raise Forbidden(gettext("You may not make this move on this dossier."))
    problems: dict[str, str] = {}
    if data.move in NEEDS_PUBLIC_MESSAGE and not data.public_message:
        problems["public_message"] = gettext("Tell the applicant what is needed, or why.")
    if data.move in NEEDS_NOTE and not data.note:
        problems["note"] = gettext("Say why.")
    if problems:
        raise InvalidInput(problems)

    now = utcnow()
    details: dict[str, object] = {"move": str(data.move)}
    if data.move == Move.TAKE:
        dossier.handler_id = actor.id
    elif data.move == Move.REQUEST_SUPPLEMENT:
        dossier.clock_stopped_at = now
    elif data.move == Move.SUPPLEMENT_RECEIVED:
        details.update(_restart_clock(dossier, now))
    elif data.move == Move.APPROVE:
        _check_result_issued(dossier, details)
        dossier.resolved_at = now
        dossier.resolved_on = _local_day(now)
    elif data.move in (Move.SUSPEND, Move.WITHDRAW):
        dossier.stopped_on = _local_day(now)
    elif data.move == Move.RETURN_RESULT:
        dossier.returned_at = now
    if status == DossierStatus.SUPPLEMENT_REQUESTED and data.move != Move.SUPPLEMENT_RECEIVED:
        dossier.clock_stopped_at = None  # suspended or withdrawn while waiting: the clock never runs again
    _advance_step(dossier, data.move)
    dossier.status = str(target)
    calendar = calendar_of(dossier)
    _set_step_due(dossier, calendar)
    if target in CLOCK_RUNS:
        check_late_risk(dossier, calendar, now)
    for _, put in stored:
        record_blob(put)
    dossier.events.append(
        DossierEvent(
            at=now,
            actor_id=actor.id,
            from_status=str(status),
            to_status=str(target),
            note=data.note,
            public_message=data.public_message,
            data=details,
            files=[
                DossierEventFile(
                    position=n, filename=name, content_type=put.content_type, size=put.size, blob_sha256=put.sha256
                )
                for n, (name, put) in enumerate(stored)
            ],
        )
    )
    db.session.flush()
    if data.move == Move.REQUEST_SUPPLEMENT:
        text = notices.notice_text(dossier, "supplement", data.public_message)
        notices.queue_notice(dossier, f"supplement:{dossier.events[-1].id}", text)
    elif data.move == Move.APPROVE:
        notices.queue_notice(dossier, "result_ready", notices.notice_text(dossier, "result_ready"))
    elif data.move == Move.TRANSFER:
        announce_arrival(dossier, dossier.events[-1].id)
    audit_dossier(
        AuditAction.DOSSIER_MOVED,
        actor,
        dossier,
        move=str(data.move),
        from_status=str(status),
        to_status=str(target),
        files=[put.sha256 for _, put in stored],
    )
    return dossier


def read_paper(actor: User, code: str, position: int) -> tuple[DossierPaper, bytes]:
    """The scan of the dossier's paper at `position`, verified against its hash (for the desk that received it and
    the organisation that resolves it, as the dossier itself); the download is recorded. A paper received on paper
    only has none (NotFound); a store that is down answers 503 (StorageUnavailable)."""
    dossier = get_dossier(actor, code)
    paper = next((p for p in dossier.papers if p.position == position), None)
    if paper is None:
        raise NotFound(gettext("The dossier has no paper %(n)s.", n=position))
    if paper.blob_sha256 is None:
        raise NotFound(gettext("This paper was received without a scan."))
    data = read_blob(paper.blob_sha256)
    audit_dossier(AuditAction.DOSSIER_PAPER_DOWNLOADED, actor, dossier, position=position, sha256=paper.blob_sha256)
    return paper, data


def read_event_file(actor: User, code: str, file_id: int) -> tuple[DossierEventFile, bytes]:
    """A file that came with one of the dossier's moves, verified against its hash (for those who see the dossier);
    the download is recorded."""
    dossier = get_dossier(actor, code)
    found = db.session.get(DossierEventFile, file_id)
    if found is None or found.event.dossier_id != dossier.id:
        raise NotFound(gettext("The dossier has no such file."))
    data = read_blob(found.blob_sha256)
    audit_dossier(AuditAction.DOSSIER_FILE_DOWNLOADED, actor, dossier, file_id=found.id, sha256=found.blob_sha256)
    return found, data


def _check_result_issued(dossier: Dossier, details: dict[str, object]) -> None:
    """A dossier whose result was drafted as a document is approved once that document is issued (its number and
    notation go on the timeline); one without (a result on paper) is approved as it is."""
    doc = dossier.result_document
    if doc is None:
        return
    if doc.status != DocumentStatus.ISSUED:
        raise InvalidState(
            gettext("The result document is not issued yet: have it signed and issued first."), state=dossier.status
        )
    details.update(result_document=doc.id, number=doc.number, notation=doc.notation)


def _advance_step(dossier: Dossier, move: Move) -> None:
    """The step a move brings the dossier to: the desk's first step, the handling steps, the approval step (when
    the procedure has one before the return), the return."""
    last = len(dossier.steps) - 1
    if move == Move.TRANSFER:
        dossier.step_index = min(1, last)
    elif move == Move.SUBMIT:
        dossier.step_index = min(dossier.step_index + 1, max(last - 1, dossier.step_index))
    elif move == Move.SEND_BACK:
        dossier.step_index = max(min(1, last), dossier.step_index - 1)
    elif move == Move.APPROVE:
        dossier.step_index = last
    elif move == Move.RETURN_RESULT:
        dossier.step_index = last + 1


def _set_step_due(dossier: Dossier, calendar: WorkCalendar) -> None:
    """The current step's deadline while the clock runs (what the worker's check of late dossiers reads)."""
    deadlines = step_deadlines(dossier, calendar)
    running = DossierStatus(dossier.status) in CLOCK_RUNS and dossier.clock_stopped_at is None
    dossier.step_due_at = deadlines[dossier.step_index] if running and dossier.step_index < len(deadlines) else None


def _restart_clock(dossier: Dossier, now: object) -> dict[str, object]:
    """The papers came: the appointment moves by the office time waited since the clock stopped."""
    stopped = dossier.clock_stopped_at
    dossier.clock_stopped_at = None
    if stopped is None or dossier.appointment_at is None:
        return {}
    calendar = calendar_of(dossier)
    waited = max(calendar.working_time_between(stopped, now), timedelta(0))  # type: ignore[arg-type]
    seconds = int(waited.total_seconds())  # whole seconds, as kept: the step deadlines add the same
    dossier.waited_seconds += seconds
    dossier.appointment_at = calendar.add_working_hours(dossier.appointment_at, seconds / 3600)
    dossier.appointment_on = _local_day(dossier.appointment_at)
    return {"waited_seconds": seconds}


class ApologyInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    new_appointment_at: AwareDatetime | None = None  # default: the date proposed when the apology was drafted
    public_message: opt_text(1000) = None  # default: the apology's usual words with the new date
    reason: opt_text(1000) = None  # why it is late, printed on the apology slip


def issue_apology(actor: User, code: str, data: ApologyInput) -> Dossier:
    """Issue the drafted apology with its new appointment (the desk or the resolving organisation's leader); the
    applicant sees it in the lookup. The dossier is still counted late against its first appointment."""
    refusal = gettext("You may not make this move on this dossier.")
    dossier = lock_dossier(actor, code, APOLOGISERS, refusal)
    draft = next((a for a in dossier.apologies if a.issued_at is None), None)
    if draft is None:
        raise InvalidState(gettext("No apology is waiting to be issued for this dossier."), state=dossier.status)
    new = data.new_appointment_at or draft.proposed_at
    if new < draft.proposed_at:
        raise InvalidInput(
            {
                "new_appointment_at": gettext(
                    "The new appointment cannot come before %(when)s, when the remaining steps can end.",
                    when=format_moment(draft.proposed_at),
                )
            }
        )
    now = utcnow()
    draft.issued_at, draft.issued_by_id, draft.new_appointment_at = now, actor.id, new
    draft.reason = data.reason or draft.reason
    message = data.public_message or (
        "Hồ sơ của ông/bà chưa giải quyết xong theo ngày hẹn. Chúng tôi thành thật xin lỗi và hẹn lại ngày trả kết "
        f"quả: {format_moment(new)}."
    )
    on_timeline(dossier, actor, now, message, apology=draft.id, new_appointment_at=new.isoformat())
    notices.queue_notice(dossier, f"apology:{draft.id}", notices.notice_text(dossier, "late", when=new))
    audit_dossier(AuditAction.DOSSIER_APOLOGY_ISSUED, actor, dossier, new_appointment_at=new.isoformat())
    return dossier


def _local_day(moment: datetime) -> date:
    local = to_local(moment)
    assert local is not None
    return local.date()


def format_moment(moment: datetime) -> str:
    local = to_local(moment)
    assert local is not None
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def mark_fee_paid(actor: User, code: str) -> Dossier:
    """The desk records that the fee was paid (once; a dossier with nothing to pay has nothing to mark)."""
    refusal = gettext("Only the desk that received the dossier records its fee.")
    dossier = lock_dossier(actor, code, (Party.DESK,), refusal)
    if dossier.fee_amount <= 0 or dossier.fee_mode in ("exempt", "none"):
        raise InvalidState(gettext("This dossier has no fee to pay."), state=dossier.status)
    if dossier.fee_paid_at is not None:
        raise InvalidState(gettext("The fee was recorded as paid already."), state=dossier.status)
    now = utcnow()
    dossier.fee_paid_at = now
    on_timeline(dossier, actor, now, fee_paid=dossier.fee_amount)
    audit_dossier(AuditAction.DOSSIER_FEE_PAID, actor, dossier, amount=dossier.fee_amount)
    return dossier


def reissue_appointment(actor: User, code: str) -> Dossier:
    """The desk gives the dossier the appointment the current calendar makes (after the admin changed the calendar),
    for a new slip; the applicant is told in the lookup."""
    refusal = gettext("Only the desk that received the dossier reissues its slip.")
    dossier = lock_dossier(actor, code, (Party.DESK,), refusal)
    calendar = calendar_of(dossier)
    new = recomputed_appointment(dossier, calendar)
    if new is None or DossierStatus(dossier.status) in FINAL or dossier.status == DossierStatus.RESULT_READY:
        raise InvalidState(gettext("This dossier has no appointment to move."), state=dossier.status)
    if dossier.calendar_version == calendar.version and new == dossier.appointment_at:
        raise InvalidState(gettext("The appointment is already the current calendar's."), state=dossier.status)
    old = dossier.appointment_at
    dossier.appointment_at, dossier.calendar_version = new, calendar.version
    dossier.appointment_on = _local_day(new)
    _set_step_due(dossier, calendar)
    now = utcnow()
    message = f"Ngày hẹn trả kết quả được điều chỉnh theo lịch làm việc mới: {format_moment(new)}."
    on_timeline(
        dossier,
        actor,
        now,
        message,
        old_appointment_at=old.isoformat() if old else None,
        new_appointment_at=new.isoformat(),
    )
    audit_dossier(AuditAction.DOSSIER_REISSUED, actor, dossier, new_appointment_at=new.isoformat())
    return dossier
