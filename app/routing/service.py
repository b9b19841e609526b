"""Sending issued documents to their recipients, the recipients' incoming queue, and the statuses in between.

A recipient on this server gets the document in the sending transaction: its arrival row is written with the
dispatch, so it is there exactly when the send commits. A recipient on a peer server gets it through the
outbox (app/routing/federation.py): the dispatch and its outbox row commit together, and the worker delivers.

Statuses: every status a recipient reports is kept as an event; the dispatch shows the latest by the time it
happened. A status that arrives twice is kept once, one that arrives late does not hide a later one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext

from ..audit.models import AuditAction
from ..audit.service import record
from ..auth.models import Organisation, Role, User
from ..documents import service as documents
from ..documents.models import Document
from ..documents.schemas import IncomingInput
from ..documents.service import StoredFile
from ..documents.uploads import Upload
from ..documents.vocabulary import Channel, Direction, DocumentStatus, FileRole
from ..errors import Forbidden, InvalidInput, InvalidState, NotFound
from ..extensions import db, utcnow
from ..storage.service import PutBlob, read_blob
from . import edxml
from .models import (
    Arrival,
    ArrivalStatus,
    ChangeKind,
    Dispatch,
    DispatchEvent,
    DispatchStatus,
    PeerOrganisation,
)

MAX_RECIPIENTS = 200
MAX_REASON = 2000

# The exchange's status codes and what the sender sees for each.
STATUS_OF_CODE: dict[str, DispatchStatus] = {
    "01": DispatchStatus.DELIVERED,
    "02": DispatchStatus.RETURNED,
    "03": DispatchStatus.ACCEPTED,
    "04": DispatchStatus.ASSIGNED,
    "05": DispatchStatus.IN_PROGRESS,
    "06": DispatchStatus.COMPLETED,
    "13": DispatchStatus.RECALL_REQUESTED,
    "16": DispatchStatus.CHANGE_REFUSED,
}
# For statuses that happened at the same moment: the one further along wins.
_PROGRESS = {status: rank for rank, status in enumerate(DispatchStatus)}


def exchange_id(organisation_code: str, issued_on: date | None, number: str | None, notation: str | None) -> str:
    """A document's id in the exchange (edxml.exchange_id), for a document that may lack parts of it."""
    if issued_on is None:
        return f"{organisation_code},,{number or ''}/{notation or ''}"
    return edxml.exchange_id(organisation_code, issued_on, number or "", notation or "")


# --- Recipients -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    code: str
    name: str
    organisation: Organisation | None = None  # on this server
    peer_id: int | None = None  # on a peer server


def _recipient_codes(codes: object) -> list[str]:
    if not isinstance(codes, list) or not codes:
        raise InvalidInput({"recipients": gettext("Give the codes of the organisations to send to.")})
    if len(codes) > MAX_RECIPIENTS:
        raise InvalidInput({"recipients": gettext("At most %(n)s recipients at once.", n=MAX_RECIPIENTS)})
    cleaned: list[str] = []
    for code in codes:
        if not isinstance(code, str) or not code.strip() or len(code) > 32:
            raise InvalidInput({"recipients": gettext("Each recipient is an organisation code.")})
        if code.strip() not in cleaned:
            cleaned.append(code.strip())
    return cleaned


def resolve_recipients(sender: Organisation, codes: object) -> list[Recipient]:
    """Each code as an organisation of this server or of a known peer; unknown codes are refused together."""
    cleaned = _recipient_codes(codes)
    local = {
        o.code: o
        for o in db.session.scalars(
            sa.select(Organisation).where(Organisation.code.in_(cleaned), Organisation.active.is_(True))
        )
    }
    remote = {
        p.code: p
        for p in db.session.scalars(sa.select(PeerOrganisation).where(PeerOrganisation.code.in_(cleaned)))
        if p.peer.active
    }
    unknown = [c for c in cleaned if c not in local and c not in remote]
    if unknown:
        raise InvalidInput(
            {"recipients": gettext("No organisation known with the code(s): %(codes)s.", codes=", ".join(unknown))}
        )
    if sender.code in cleaned:
        raise InvalidInput({"recipients": gettext("An organisation does not send documents to itself.")})
    found = []
    for code in cleaned:
        if code in local:
            found.append(Recipient(code, local[code].name, organisation=local[code]))
        else:
            found.append(Recipient(code, remote[code].name, peer_id=remote[code].peer_id))
    return found


# --- Sending --------------------------------------------------------------------------------------------------


def _sendable(actor: User, document_id: int) -> Document:
    if not actor.has_role(Role.CLERK):
        raise Forbidden(gettext("Only a clerk sends documents."))
    doc = documents.get_document(actor, document_id)
    if doc.direction != Direction.OUTGOING or doc.status != DocumentStatus.ISSUED:
        raise InvalidState(
            gettext("Only an issued outgoing document can be sent; this one is %(status)s.", status=doc.status),
            state=doc.status,
        )
    if doc.is_secret:
        raise InvalidState(gettext("Secret documents do not travel through the electronic exchange."))
    return doc


def file_entries(doc: Document) -> list[dict[str, Any]]:
    """The files that travel: the current main file, then the current version of each attachment."""
    main = doc.main_file
    files = [main] if main else []
    files += doc.attachments
    return [
        {
            "role": f.role,
            "filename": f.filename,
            "content_type": f.content_type,
            "sha256": f.blob_sha256,
            "size": f.size,
        }
        for f in files
    ]


def document_details(doc: Document) -> dict[str, Any]:
    """What a recipient learns of the document besides its files (the envelope's header, for a peer)."""
    return {
        "document_type": doc.document_type,
        "number": doc.number,
        "notation": doc.notation,
        "issuer": doc.issuer,
        "issuer_code": doc.issuer_code,
        "place": doc.place,
        "issued_on": doc.issued_on.isoformat() if doc.issued_on else None,
        "subject": doc.subject,
        "signer_name": doc.signer_name,
        "signer_position": doc.signer_position,
        "urgency": doc.urgency,
        "page_count": doc.page_count,
        "due_on": doc.due_on.isoformat() if doc.due_on else None,
        "recipients": doc.recipients,
    }


# Called for a dispatch to a peer, in the sending transaction: federation puts its delivery in the outbox.
REMOTE_DELIVERY: list[Callable[[Dispatch], None]] = []


def send(actor: User, document_id: int, codes: object) -> list[Dispatch]:
    """Send an issued document to each recipient once; recipients it was already sent to keep their dispatch."""
    doc = _sendable(actor, document_id)
    recipients = resolve_recipients(actor.organisation, codes)
    existing = {d.recipient_code: d for d in dispatches_of_document(doc.id)}
    report: dict[str, Any] | None = None
    result = []
    for recipient in recipients:
        if recipient.code in existing:
            result.append(existing[recipient.code])
            continue
        dispatch = Dispatch(
            document_id=doc.id,
            sender_organisation_id=doc.organisation_id,
            recipient_code=recipient.code,
            recipient_name=recipient.name,
            recipient_organisation_id=recipient.organisation.id if recipient.organisation else None,
            peer_id=recipient.peer_id,
            message_id=str(uuid.uuid4()),
            status=DispatchStatus.SENT,
            sent_by_id=actor.id,
        )
        db.session.add(dispatch)
        db.session.flush()
        _event(dispatch, DispatchStatus.SENT, None, utcnow(), None, actor.full_name)
        if recipient.organisation is not None:
            if report is None:
                report = arrival_report(file_entries(doc))
            arrive_locally(doc, dispatch, recipient.organisation, report)
        else:
            for deliver in REMOTE_DELIVERY:
                deliver(dispatch)
        record(
            AuditAction.DOCUMENT_SENT,
            actor=actor,
            obj=("document", doc.id),
            dispatch_id=dispatch.id,
            recipient=recipient.code,
            remote=recipient.peer_id is not None,
        )
        result.append(dispatch)
    return result


def arrival_report(files: list[dict[str, Any]]) -> dict[str, Any]:
    """The signature report of the main file, as the recipient's clerk sees it on opening the arrival."""
    from ..signing import service as signing

    main = next((f for f in files if f["role"] == FileRole.MAIN), None)
    if main is None:
        return {"verdict": "unsigned", "reasons": ["the document has no main file"], "signatures": []}
    try:
        return signing.check_pdf(read_blob(main["sha256"])).to_json()
    except InvalidInput as err:
        return {"verdict": "invalid", "reasons": list(err.fields.values()), "signatures": []}


def arrive_locally(doc: Document, dispatch: Dispatch, recipient: Organisation, report: dict[str, Any]) -> Arrival:
    arrival = Arrival(
        organisation_id=recipient.id,
        message_id=dispatch.message_id,
        dispatch_id=dispatch.id,
        exchange_id=exchange_id(doc.organisation.code, doc.issued_on, doc.number, doc.notation),
        sender_code=doc.organisation.code,
        sender_name=doc.organisation.name,
        details=document_details(doc),
        files=file_entries(doc),
        verdict=report.get("verdict"),
        report=report,
    )
    db.session.add(arrival)
    db.session.flush()
    record(
        AuditAction.ARRIVAL_RECEIVED,
        organisation_id=recipient.id,
        obj=("arrival", arrival.id),
        sender=doc.organisation.code,
        message_id=dispatch.message_id,
    )
    _event(dispatch, DispatchStatus.DELIVERED, "01", arrival.received_at, None, None)
    return arrival


def dispatches_of_document(document_id: int) -> list[Dispatch]:
    return list(
        db.session.scalars(sa.select(Dispatch).where(Dispatch.document_id == document_id).order_by(Dispatch.id))
    )


def dispatches(actor: User, document_id: int) -> list[Dispatch]:
    """The sender's table for a document: one row per recipient."""
    doc = documents.get_document(actor, document_id)
    return dispatches_of_document(doc.id)


def histories(dispatch_ids: list[int]) -> dict[int, list[DispatchEvent]]:
    """The history of each dispatch, in one query (the sender's table shows them all)."""
    found: dict[int, list[DispatchEvent]] = {i: [] for i in dispatch_ids}
    if dispatch_ids:
        for event in db.session.scalars(
            sa.select(DispatchEvent)
            .where(DispatchEvent.dispatch_id.in_(dispatch_ids))
            .order_by(DispatchEvent.happened_at, DispatchEvent.id)
        ):
            found[event.dispatch_id].append(event)
    return found


def history(dispatch_id: int) -> list[DispatchEvent]:
    return list(
        db.session.scalars(
            sa.select(DispatchEvent)
            .where(DispatchEvent.dispatch_id == dispatch_id)
            .order_by(DispatchEvent.happened_at, DispatchEvent.id)
        )
    )


# --- Statuses ----------------------------------------------------------------------------------------------


def _event(
    dispatch: Dispatch,
    status: DispatchStatus,
    code: str | None,
    happened_at: datetime,
    description: str | None,
    staff: str | None,
) -> bool:
    """Keep one status of a dispatch (once: the same code at the same moment is the same status) and show the
    latest. False when it was already kept."""
    duplicate = db.session.scalar(
        sa.select(DispatchEvent.id).where(
            DispatchEvent.dispatch_id == dispatch.id,
            DispatchEvent.status == status,
            DispatchEvent.happened_at == happened_at,
        )
    )
    if duplicate is not None:
        return False
    db.session.add(
        DispatchEvent(
            dispatch_id=dispatch.id,
            status=status,
            code=code,
            description=description,
            staff=staff,
            happened_at=happened_at,
        )
    )
    current = (_as_aware(dispatch.status_at), _PROGRESS.get(DispatchStatus(dispatch.status), 0))
    if (_as_aware(happened_at), _PROGRESS[status]) >= current or dispatch.status == DispatchStatus.SENT:
        dispatch.status = status
        dispatch.status_at = happened_at
        dispatch.reason = description if status in _WITH_REASON else dispatch.reason
    return True


_WITH_REASON = {DispatchStatus.RETURNED, DispatchStatus.CHANGE_REFUSED, DispatchStatus.FAILED}


def _as_aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def apply_status(
    dispatch: Dispatch,
    code: str,
    happened_at: datetime,
    description: str | None = None,
    staff: str | None = None,
) -> bool:
    """A recipient's status for a dispatch (by its exchange code); False when it was already applied."""
    if code == "15":
        status = DispatchStatus.RECALLED if dispatch.pending_change == "recall" else DispatchStatus.REPLACED
        dispatch.pending_change = None
    elif code in STATUS_OF_CODE:
        status = STATUS_OF_CODE[code]
        if code == "16":
            dispatch.pending_change = None
    else:
        raise InvalidInput({"status_code": gettext("Unknown status code %(code)s.", code=code)})
    applied = _event(dispatch, status, code, happened_at, description, staff)
    if applied:
        record(
            AuditAction.DISPATCH_STATUS,
            organisation_id=dispatch.sender_organisation_id,
            obj=("dispatch", dispatch.id),
            code=code,
            status=str(status),
        )
    return applied


def record_resent(dispatch: Dispatch, actor: User) -> None:
    """A failed delivery starts again: the dispatch shows "sent" until the peer takes it."""
    _event(dispatch, DispatchStatus.SENT, None, utcnow(), None, actor.full_name)
    dispatch.last_error = None


def mark_failed(dispatch: Dispatch, error: str) -> None:
    _event(dispatch, DispatchStatus.FAILED, None, utcnow(), error[:MAX_REASON], None)
    dispatch.last_error = error[:MAX_REASON]
    record(
        AuditAction.DISPATCH_FAILED,
        organisation_id=dispatch.sender_organisation_id,
        obj=("dispatch", dispatch.id),
        error=error[:500],
    )


# Called when a recipient's clerk decides on an arrival from a peer: federation sends the status back.
REMOTE_STATUS: list[Callable[[Arrival, str, str | None, User], None]] = []


def report_status(arrival: Arrival, code: str, description: str | None, actor: User) -> None:
    """Tell the sender what happened to the arrival: at once on this server, through the outbox to a peer."""
    if arrival.dispatch_id is not None:
        dispatch = db.session.get(Dispatch, arrival.dispatch_id)
        if dispatch is not None:
            apply_status(dispatch, code, utcnow(), description, actor.full_name)
        return
    for send_back in REMOTE_STATUS:
        send_back(arrival, code, description, actor)


# --- The recipient's incoming queue ----------------------------------------------------------------------------


def _clerk_or_leader(actor: User) -> None:
    if not actor.has_role(Role.CLERK, Role.LEADER):
        raise Forbidden(gettext("Only clerks and leaders see the documents that arrived."))


def inbox(actor: User, status: str | None = ArrivalStatus.WAITING) -> list[Arrival]:
    _clerk_or_leader(actor)
    stmt = sa.select(Arrival).where(Arrival.organisation_id == actor.organisation_id)
    if status:
        try:
            stmt = stmt.where(Arrival.status == ArrivalStatus(status))
        except ValueError:
            raise InvalidInput({"status": gettext("Unknown status.")}) from None
    return list(db.session.scalars(stmt.order_by(Arrival.received_at.desc(), Arrival.id.desc())))


def waiting_count(actor: User) -> int:
    if not actor.has_role(Role.CLERK, Role.LEADER):
        return 0
    return (
        db.session.scalar(
            sa.select(sa.func.count(Arrival.id)).where(
                Arrival.organisation_id == actor.organisation_id, Arrival.status == ArrivalStatus.WAITING
            )
        )
        or 0
    )


def get_arrival(actor: User, arrival_id: int) -> Arrival:
    _clerk_or_leader(actor)
    arrival = db.session.get(Arrival, arrival_id)
    if arrival is None or arrival.organisation_id != actor.organisation_id:
        raise NotFound(gettext("No such document in your incoming queue."))
    return arrival


def _locked_arrival(actor: User, arrival_id: int) -> Arrival:
    """The arrival, for a clerk of its organisation, its row locked: two clerks deciding at once are taken one
    after the other, and the second sees what the first decided."""
    if not actor.has_role(Role.CLERK):
        raise Forbidden(gettext("Only a clerk accepts or returns arrived documents."))
    arrival = get_arrival(actor, arrival_id)
    return db.session.scalars(
        sa.select(Arrival).where(Arrival.id == arrival.id).with_for_update().execution_options(populate_existing=True)
    ).one()


def _decidable(actor: User, arrival_id: int) -> Arrival:
    locked = _locked_arrival(actor, arrival_id)
    if locked.status != ArrivalStatus.WAITING:
        raise InvalidState(
            gettext("This document was already decided on: it is %(status)s.", status=locked.status),
            state=locked.status,
        )
    return locked


def _incoming_input(arrival: Arrival) -> IncomingInput:
    details = arrival.details
    known_type = details.get("document_type") or "CV"
    return IncomingInput.model_validate(
        {
            "document_type": known_type,
            "number": details.get("number"),
            "notation": details.get("notation"),
            "issuer": details.get("issuer") or arrival.sender_name,
            "issuer_code": details.get("issuer_code") or arrival.sender_code,
            "place": details.get("place"),
            "issued_on": details.get("issued_on"),
            "subject": details.get("subject") or "-",
            "signer_name": details.get("signer_name"),
            "signer_position": details.get("signer_position"),
            "urgency": details.get("urgency") or "normal",
            "page_count": details.get("page_count"),
            "due_on": details.get("due_on"),
            "channel": Channel.EXCHANGE,
        }
    )


def stored_files(files: list[dict[str, Any]]) -> list[StoredFile]:
    """The arrival's files as already-stored uploads (the main file's bytes are read: it is validated again)."""
    stored = []
    for f in files:
        role = FileRole(f["role"])
        data = read_blob(f["sha256"]) if role == FileRole.MAIN else b""
        stored.append(StoredFile(role, f["filename"], PutBlob(f["sha256"], int(f["size"]), f["content_type"]), data))
    return stored


def accept(actor: User, arrival_id: int) -> Arrival:
    """Register the arrived document with the next number of the organisation's incoming register (03)."""
    arrival = _decidable(actor, arrival_id)
    doc = documents.register_stored(
        actor, _incoming_input(arrival), stored_files(arrival.files), arrival_id=arrival.id, via="exchange"
    )
    arrival.status = ArrivalStatus.ACCEPTED
    arrival.document_id = doc.id
    arrival.decided_at = utcnow()
    arrival.decided_by_id = actor.id
    record(AuditAction.ARRIVAL_ACCEPTED, actor=actor, obj=("arrival", arrival.id), document_id=doc.id)
    report_status(arrival, "03", None, actor)
    return arrival


def return_arrival(actor: User, arrival_id: int, reason: object) -> Arrival:
    """Send the document back to its sender with the reason (02); nothing is registered."""
    words = _reason(reason, missing=gettext("Say why the document is returned."))
    arrival = _decidable(actor, arrival_id)
    arrival.status = ArrivalStatus.RETURNED
    arrival.reason = words
    arrival.decided_at = utcnow()
    arrival.decided_by_id = actor.id
    record(AuditAction.ARRIVAL_RETURNED, actor=actor, obj=("arrival", arrival.id), reason=arrival.reason)
    report_status(arrival, "02", arrival.reason, actor)
    return arrival


# --- Recall, update and replacement (the trace header's business kinds 1, 2 and 3) ------------------------------

CHANGEABLE = {
    DispatchStatus.DELIVERED,
    DispatchStatus.ACCEPTED,
    DispatchStatus.ASSIGNED,
    DispatchStatus.IN_PROGRESS,
    DispatchStatus.COMPLETED,
    DispatchStatus.CHANGE_REFUSED,
    DispatchStatus.REPLACED,
}

# Called for each dispatch to a peer a change is asked of, in the same transaction: federation sends it.
REMOTE_CHANGE: list[Callable[[Dispatch, dict[str, Any]], None]] = []


def _change_kind(kind: object) -> ChangeKind:
    try:
        return ChangeKind(str(kind))
    except ValueError:
        raise InvalidInput({"kind": gettext("Say whether to recall, update or replace the document.")}) from None


def _reason(reason: object, field: str = "reason", missing: str | None = None) -> str:
    """A reason given by a person: some words, not too many."""
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInput({field: missing or gettext("Give the reason.")})
    if len(reason) > MAX_REASON:
        raise InvalidInput({field: gettext("The reason is too long.")})
    return reason.strip()


def request_change(
    actor: User, document_id: int, kind: object, reason: object, replacement: Upload | None = None
) -> list[Dispatch]:
    """The sender asks every recipient holding the document to recall it, or to take a corrected file (13).

    A replacement is a PDF; it becomes the sender's document's new main version at once (the issued one is
    kept), and each recipient's clerk agrees (15) or refuses (16).
    """
    doc = _sendable(actor, document_id)
    change = _change_kind(kind)
    words = _reason(reason)
    if change == ChangeKind.REPLACE and replacement is None:
        raise InvalidInput({"file": gettext("Attach the corrected PDF that replaces the document.")})
    targets = [d for d in dispatches_of_document(doc.id) if d.status in CHANGEABLE and d.pending_change is None]
    if not targets:
        raise InvalidState(gettext("No recipient holds this document now: there is nothing to recall or replace."))
    files: list[dict[str, Any]] = []
    if replacement is not None:
        if b"%PDF-" not in replacement.data[:1024]:
            raise InvalidInput({"file": gettext("The main file must be a PDF.")})
        main = doc.main_file
        assert main is not None
        added = documents.add_file_version(actor, doc, replacement.data, replacement.filename, replaces=main)
        files = [
            {
                "role": FileRole.MAIN,
                "filename": added.filename,
                "content_type": added.content_type,
                "sha256": added.blob_sha256,
                "size": added.size,
            }
        ]
    request = {"kind": str(change), "reason": words, "files": files}
    for dispatch in targets:
        dispatch.pending_change = change
        _event(dispatch, DispatchStatus.RECALL_REQUESTED, "13", utcnow(), words, actor.full_name)
        if dispatch.recipient_organisation_id is not None:
            arrival = db.session.scalars(
                sa.select(Arrival).where(Arrival.dispatch_id == dispatch.id).execution_options(all_organisations=True)
            ).first()
            if arrival is not None:
                ask(arrival, change, words, files, str(uuid.uuid4()))
        else:
            for ask_peer in REMOTE_CHANGE:
                ask_peer(dispatch, request)
    record(
        AuditAction.DOCUMENT_CHANGE_REQUESTED,
        actor=actor,
        obj=("document", doc.id),
        kind=str(change),
        reason=words,
        recipients=[d.recipient_code for d in targets],
    )
    return targets


def ask(arrival: Arrival, change: ChangeKind, reason: str, files: list[dict[str, Any]], message_id: str) -> None:
    """Put the sender's request on the arrival, for its clerk to answer (from this server or a peer)."""
    arrival.pending_change = change
    arrival.pending_reason = reason
    arrival.pending_files = files
    arrival.pending_message_id = message_id


def answer_change(actor: User, arrival_id: int, agree: object, reason: object = None) -> Arrival:
    """The recipient's clerk agrees to the sender's recall or replacement (15), or refuses it with a reason (16).

    An agreed recall freezes the arrival and the document registered from it (kept for the audit, out of the
    active lists); an agreed replacement makes the corrected file the main file (the earlier one is kept).
    """
    arrival = _locked_arrival(actor, arrival_id)
    if arrival.pending_change is None:
        raise InvalidState(gettext("The sender asks nothing of this document now."), state=arrival.status)
    change = ChangeKind(arrival.pending_change)
    if not isinstance(agree, bool):
        raise InvalidInput({"agree": gettext("Say whether you agree.")})
    if not agree:
        words = _reason(reason)
        _clear(arrival)
        record(AuditAction.ARRIVAL_CHANGE_REFUSED, actor=actor, obj=("arrival", arrival.id), kind=str(change))
        report_status(arrival, "16", words, actor)
        return arrival
    doc = db.session.get(Document, arrival.document_id) if arrival.document_id else None
    if change == ChangeKind.RECALL:
        arrival.status = ArrivalStatus.RECALLED
        if doc is not None:
            doc.status = DocumentStatus.RECALLED
    elif arrival.pending_files:
        new_main = arrival.pending_files[0]
        if doc is not None and doc.main_file is not None:
            documents.add_file_version(
                actor, doc, read_blob(new_main["sha256"]), new_main["filename"], replaces=doc.main_file
            )
        details = dict(arrival.details)
        details["replaced_files"] = [*details.get("replaced_files", []), arrival.files[0]]
        arrival.details = details
        arrival.files = [new_main, *arrival.files[1:]]
    words = arrival.pending_reason
    _clear(arrival)
    record(
        AuditAction.ARRIVAL_CHANGE_AGREED,
        actor=actor,
        obj=("arrival", arrival.id),
        kind=str(change),
        document_id=doc.id if doc else None,
    )
    report_status(arrival, "15", words, actor)
    return arrival


def _clear(arrival: Arrival) -> None:
    arrival.pending_change = None
    arrival.pending_reason = None
    arrival.pending_files = None
    arrival.pending_message_id = None
