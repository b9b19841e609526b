"""Routing across servers: envelopes out through the outbox, envelopes and statuses in from peers.

Out: a dispatch to a peer's organisation commits with an outbox row; the worker builds the edXML envelope
(app/routing/edxml.py) from the document and its files, signs it with this server's key, and posts it. The
peer answers 200 once it has stored the message (or had stored it before: a replay gets the same answer);
the dispatch then shows "delivered". A refusal (4xx) fails the dispatch at once with the peer's words; no
answer or a 5xx is tried again with backoff until the attempts run out.

In: the sender is found by the organisation code in the message's From, the signature is checked against
that peer's pinned certificate, and only the verified bytes are read. Files go to the store before any row is
written; the arrival rows and the message id commit together, so a message is taken exactly once.

The database transaction is never held while talking to a peer or to the store: reads happen in a
transaction that takes no write lock, and the writes come after, in a short one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext

from .. import outbox
from ..audit.models import AuditAction
from ..audit.service import record
from ..auth.models import Organisation, Role, User
from ..documents.models import Document
from ..documents.vocabulary import DOCUMENT_TYPES, FileRole
from ..errors import Forbidden, InvalidState, NotFound
from ..extensions import db, utcnow
from ..storage.service import PutBlob, put_blob, read_blob, record_blob
from . import edxml, http, service
from .identity import signing_material
from .models import Arrival, ChangeKind, Dispatch, DispatchStatus, Peer, PeerOrganisation, ReceivedMessage
from .peers import MESSAGES_PATH

DELIVER = "routing.deliver"
CHANGE = "routing.change"
STATUS = "routing.status"

PRIORITY_OF_URGENCY = {"normal": 0, "urgent": 1, "very_urgent": 2, "express": 3}
URGENCY_OF_PRIORITY = {v: k for k, v in PRIORITY_OF_URGENCY.items()} | {4: "express"}
PERMANENT_REFUSALS = {400, 401, 403, 404, 409, 413, 415, 422}


class Rejected(Exception):
    """A message from a peer that is not taken: `status` is the HTTP answer, `code` and `message` say why."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _reading() -> None:
    """Start a transaction that only reads (no write lock on SQLite) for what comes before network work."""
    db.session.connection(execution_options={"sqlite_begin": "DEFERRED"})


def _organisation_of(org: Organisation) -> edxml.Organisation:
    return edxml.Organisation(organ_id=org.code, organ_name=org.name, organ_add=org.place or "")


# --- Out: envelopes -----------------------------------------------------------------------------------------


def queue_delivery(dispatch: Dispatch) -> None:
    outbox.enqueue(DELIVER, {"dispatch_id": dispatch.id})


service.REMOTE_DELIVERY.append(queue_delivery)


BUSINESS_OF_CHANGE = {
    ChangeKind.RECALL: edxml.BusinessKind.RECALL,
    ChangeKind.UPDATE: edxml.BusinessKind.UPDATE,
    ChangeKind.REPLACE: edxml.BusinessKind.REPLACE,
}
CHANGE_OF_BUSINESS = {v: k for k, v in BUSINESS_OF_CHANGE.items()}


def build_envelope(dispatch: Dispatch, doc: Document, change: dict[str, Any] | None = None) -> edxml.Envelope:
    """The envelope of a dispatch: the document and its files; or, with `change`, the sender's request to
    recall, update or replace it (with the corrected file, if any), under its own message id."""
    sender = doc.organisation
    issued_on = doc.issued_on or utcnow().date()
    files = service.file_entries(doc) if change is None else list(change["files"])
    kind = edxml.BusinessKind.NEW if change is None else BUSINESS_OF_CHANGE[ChangeKind(change["kind"])]
    attachments = tuple(
        edxml.Attachment(
            name=f["filename"],
            content_type=f["content_type"],
            description="main" if f["role"] == FileRole.MAIN else "attachment",
            content=read_blob(f["sha256"]),
        )
        for f in files
    )
    return edxml.Envelope(
        message_id=dispatch.message_id if change is None else change["message_id"],
        from_=_organisation_of(sender),
        to=(edxml.Organisation(organ_id=dispatch.recipient_code, organ_name=dispatch.recipient_name),),
        code=edxml.Code(number=doc.number or "", notation=doc.notation or ""),
        promulgation=edxml.Promulgation(place=doc.place or "", date=issued_on),
        document_type=edxml.DocumentType(type=2, type_name=DOCUMENT_TYPES.get(doc.document_type, doc.document_type)),
        subject=doc.subject,
        signer=edxml.Signer(competence="", position=doc.signer_position or "", full_name=doc.signer_name or ""),
        due_date=doc.due_on,
        to_places=tuple(line.strip() for line in (doc.recipients or "").splitlines() if line.strip()),
        other_info=edxml.OtherInfo(
            priority=PRIORITY_OF_URGENCY.get(doc.urgency, 0),
            page_amount=doc.page_count or 0,
            appendixes=tuple(f["filename"] for f in files if f["role"] == FileRole.ATTACHMENT),
        ),
        response_for=None,
        steering_type=0,
        document_id=service.exchange_id(sender.code, issued_on, doc.number, doc.notation),
        traces=(
            edxml.Trace(
                organ_id=sender.code,
                timestamp=utcnow(),
                business_kind=kind,
                reason="" if change is None else change["reason"],
            ),
        ),
        business_kind=kind,
        business_reason="" if change is None else change["reason"],
        attachments=attachments,
    )


def _signed(xml: bytes) -> bytes:
    material = signing_material()
    return edxml.sign_xml(xml, material.key_pem, material.certificate_pem)


def _refusal_words(answer: http.Answer) -> str:
    body = answer.json()
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return f"{answer.status} {body['error'].get('code', '')}: {body['error'].get('message', '')}"
    return f"{answer.status}: {answer.body[:300].decode('utf-8', 'replace')}"


def _post_signed(base_url: str, xml: bytes) -> http.Answer:
    """Sign a message and post it to a peer, outside any transaction; a refusal for good is GiveUp, anything
    else but 200 is tried again later."""
    body = _signed(xml)
    db.session.rollback()  # no transaction while the peer takes its time
    answer = http.post_xml(base_url + MESSAGES_PATH, body)
    if answer.status in PERMANENT_REFUSALS:
        raise outbox.GiveUp(_refusal_words(answer))
    if answer.status != 200:
        raise http.PeerUnreachable(_refusal_words(answer))
    return answer


@outbox.handler(DELIVER, on_failure=lambda payload, error: _delivery_failed(payload["dispatch_id"], error))
def deliver(payload: dict[str, Any]) -> None:
    _reading()
    dispatch = db.session.get(Dispatch, payload["dispatch_id"])
    if dispatch is None or dispatch.peer is None:
        raise outbox.GiveUp("the dispatch is gone")
    if dispatch.status not in {DispatchStatus.SENT, DispatchStatus.FAILED}:
        return  # delivered already (a row claimed again after its worker died, say)
    doc = db.session.get(Document, dispatch.document_id)
    answer = _post_signed(dispatch.peer.base_url, edxml.envelope_xml(build_envelope(dispatch, doc)))
    received = answer.json() or {}
    arrived_at = _moment(received.get("received_at")) or utcnow()
    dispatch = db.session.get(Dispatch, payload["dispatch_id"])
    dispatch.attempts += 1
    dispatch.last_error = None
    service.apply_status(dispatch, "01", arrived_at, None, None)


def queue_change(dispatch: Dispatch, request: dict[str, Any]) -> None:
    outbox.enqueue(CHANGE, {"dispatch_id": dispatch.id, **request, "message_id": str(uuid.uuid4())})


service.REMOTE_CHANGE.append(queue_change)


@outbox.handler(CHANGE)
def deliver_change(payload: dict[str, Any]) -> None:
    _reading()
    dispatch = db.session.get(Dispatch, payload["dispatch_id"])
    if dispatch is None or dispatch.peer is None:
        raise outbox.GiveUp("the dispatch is gone")
    doc = db.session.get(Document, dispatch.document_id)
    _post_signed(dispatch.peer.base_url, edxml.envelope_xml(build_envelope(dispatch, doc, payload)))


def _delivery_failed(dispatch_id: int, error: str) -> None:
    dispatch = db.session.get(Dispatch, dispatch_id)
    if dispatch is not None:
        service.mark_failed(dispatch, error)
        db.session.commit()


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def resend(actor: User, dispatch_id: int) -> Dispatch:
    """The clerk sends a failed dispatch again: its delivery starts over with fresh attempts."""
    if not actor.has_role(Role.CLERK):
        raise Forbidden(gettext("Only a clerk sends documents."))
    dispatch = db.session.get(Dispatch, dispatch_id)
    if dispatch is None or dispatch.sender_organisation_id != actor.organisation_id:
        raise NotFound(gettext("No such dispatch."))
    service.dispatches(actor, dispatch.document_id)  # the same rights as the document's table
    if dispatch.status != DispatchStatus.FAILED or dispatch.peer_id is None:
        raise InvalidState(gettext("Only a failed delivery is sent again."), state=dispatch.status)
    service.record_resent(dispatch, actor)
    outbox.enqueue(DELIVER, {"dispatch_id": dispatch.id})
    record(AuditAction.DOCUMENT_RESENT, actor=actor, obj=("dispatch", dispatch.id))
    return dispatch


# --- Out: statuses back to the sender -----------------------------------------------------------------------------


def queue_status(arrival: Arrival, code: str, description: str | None, actor: User) -> None:
    """A status of an arrival from a peer, to send back to it (timestamp and id fixed now, so a retry is the
    same message)."""
    recipient = db.session.get(Organisation, arrival.organisation_id)
    outbox.enqueue(
        STATUS,
        {
            "peer_id": arrival.peer_id,
            "message_id": str(uuid.uuid4()),
            "response_for": {
                "organ_id": arrival.sender_code,
                "code": f"{arrival.details.get('number') or ''}/{arrival.details.get('notation') or ''}",
                "promulgation_date": arrival.details.get("issued_on"),
                "document_id": arrival.exchange_id,
            },
            "from": {"organ_id": recipient.code, "organ_name": recipient.name, "organ_add": recipient.place or ""},
            "status_code": code,
            "description": description or "",
            "timestamp": utcnow().isoformat(),
            "staff": {"full_name": actor.full_name, "department": actor.position or ""},
        },
        max_attempts=int(current_app.config.get("STATUS_MAX_ATTEMPTS", 400)),
    )


service.REMOTE_STATUS.append(queue_status)


def status_message(payload: dict[str, Any]) -> edxml.StatusMessage:
    rf = payload["response_for"]
    day = rf.get("promulgation_date")
    return edxml.StatusMessage(
        message_id=payload["message_id"],
        response_for=edxml.ResponseFor(
            organ_id=rf["organ_id"],
            code=rf["code"],
            promulgation_date=date.fromisoformat(day) if day else utcnow().date(),
            document_id=rf["document_id"],
        ),
        from_=edxml.Organisation(**payload["from"]),
        status_code=edxml.StatusCode(payload["status_code"]),
        description=payload["description"],
        timestamp=datetime.fromisoformat(payload["timestamp"]),
        staff=edxml.Staff(**payload["staff"]),
    )


def _status_undelivered(payload: dict[str, Any], error: str) -> None:
    """A status the sender never took: kept in the audit log for the administrator, with the peer's last answer."""
    record(
        AuditAction.EXCHANGE_STATUS_UNDELIVERED,
        obj=("peer", payload["peer_id"]),
        message_id=payload["message_id"],
        status_code=payload["status_code"],
        document_id=payload["response_for"]["document_id"],
        error=error,
    )


@outbox.handler(STATUS, on_failure=_status_undelivered)
def send_status(payload: dict[str, Any]) -> None:
    _reading()
    peer = db.session.get(Peer, payload["peer_id"])
    if peer is None:
        raise outbox.GiveUp("the peer is gone")
    _post_signed(peer.base_url, edxml.status_xml(status_message(payload)))


# --- In: messages from peers ----------------------------------------------------------------------------------


def _reject(peer: Peer | None, status: int, code: str, message: str, **data: Any) -> Rejected:
    db.session.rollback()
    record(
        AuditAction.EXCHANGE_REJECTED,
        obj=("peer", peer.id) if peer else None,
        code=code,
        reason=message[:500],
        **data,
    )
    db.session.commit()
    return Rejected(status, code, message)


def _sender_peer(claimed_code: str | None) -> Peer | None:
    if not claimed_code:
        return None
    row = db.session.get(PeerOrganisation, claimed_code)
    return row.peer if row is not None and row.peer.active else None


def receive(data: bytes) -> dict[str, Any]:
    """Take one message (an envelope or a status) posted by a peer; the answer to send back as JSON.

    Raises `Rejected` for anything not taken; nothing of it is stored (an audit event says why).
    """
    limit = int(current_app.config.get("EXCHANGE_MAX_MESSAGE_MB", 80)) * 1024 * 1024
    _reading()
    try:
        kind, claimed = edxml.peek(data, max_bytes=limit)
    except edxml.EnvelopeError as err:
        raise _reject(None, 400, err.code, err.message) from None
    peer = _sender_peer(claimed)
    if peer is None:
        raise _reject(None, 403, "unknown_peer", f"no known peer hosts the sender {claimed!r}", sender=claimed)
    try:
        verified = edxml.verify_xml(data, peer.certificate_pem.encode(), max_bytes=limit)
        if kind == "envelope":
            message: Any = edxml.parse_envelope(verified, max_bytes=limit)
        else:
            message = edxml.parse_status(verified)
    except edxml.EnvelopeError as err:
        status = 413 if err.code == "too_large" else 400
        raise _reject(peer, status, err.code, err.message) from None
    if message.from_.organ_id != claimed or _sender_peer(message.from_.organ_id) != peer:
        raise _reject(peer, 403, "wrong_sender", "the signed sender is not the peer that signed")
    earlier = db.session.get(ReceivedMessage, (peer.id, message.message_id))
    if earlier is not None:
        return dict(earlier.answer)
    if kind == "envelope":
        return _take_envelope(peer, message)
    return _take_status(peer, message)


def _take_envelope(peer: Peer, env: edxml.Envelope) -> dict[str, Any]:
    codes = [o.organ_id for o in env.to]
    here = list(
        db.session.scalars(sa.select(Organisation).where(Organisation.code.in_(codes), Organisation.active.is_(True)))
    )
    if not here:
        raise _reject(peer, 422, "no_recipient", f"no organisation of this server among {codes}")
    if env.business_kind != edxml.BusinessKind.NEW:
        return _take_change(peer, env, here)
    files = _file_list(env)
    if not files or not env.attachments[0].content.startswith(b"%PDF-"):
        raise _reject(peer, 422, "no_main_file", "the first attachment must be the document's PDF")
    db.session.rollback()
    # The files go to the store before any row refers to them.
    puts = [put_blob(a.content, a.content_type, a.name) for a in env.attachments]
    report = _report_of(env.attachments[0].content)
    received_at = utcnow()
    answer = {
        "message_id": env.message_id,
        "status": "01",
        "received_at": received_at.isoformat(),
        "recipients": [o.code for o in here],
    }

    def write() -> None:
        for org in here:
            arrival = Arrival(
                organisation_id=org.id,
                message_id=env.message_id,
                peer_id=peer.id,
                exchange_id=env.document_id,
                sender_code=env.from_.organ_id,
                sender_name=env.from_.organ_name,
                details=_details(env),
                files=files,
                verdict=report.get("verdict"),
                report=report,
                received_at=received_at,
            )
            db.session.add(arrival)
            db.session.flush()
            record(
                AuditAction.ARRIVAL_RECEIVED,
                organisation_id=org.id,
                obj=("arrival", arrival.id),
                sender=env.from_.organ_id,
                peer=peer.name,
                message_id=env.message_id,
            )
        peer.last_ok_at = received_at

    return _take_once(peer, env.message_id, "envelope", answer, puts, write, die_after=True)


def _take_change(peer: Peer, env: edxml.Envelope, here: list[Organisation]) -> dict[str, Any]:
    """The sender asks to recall, update or replace a document it sent earlier: put the request on each
    arrival of it here, for the clerk to answer."""
    arrivals = list(
        db.session.scalars(
            sa.select(Arrival)
            .where(
                Arrival.organisation_id.in_([o.id for o in here]),
                Arrival.exchange_id == env.document_id,
                Arrival.sender_code == env.from_.organ_id,
                Arrival.peer_id == peer.id,
            )
            .execution_options(all_organisations=True)
        )
    )
    if not arrivals:
        raise _reject(peer, 404, "unknown_document", f"no document {env.document_id!r} arrived here from the sender")
    files = _file_list(env)
    db.session.rollback()
    puts = [put_blob(a.content, a.content_type, a.name) for a in env.attachments]
    answer = {"message_id": env.message_id, "status": "taken", "received_at": utcnow().isoformat()}
    change = CHANGE_OF_BUSINESS[env.business_kind]

    def write() -> None:
        for arrival in arrivals:
            service.ask(db.session.get(Arrival, arrival.id), change, env.business_reason or "-", files, env.message_id)

    return _take_once(peer, env.message_id, "change", answer, puts, write)


def _file_list(env: edxml.Envelope) -> list[dict[str, Any]]:
    """What a message's attachments are, as an arrival keeps them: the first is the main file."""
    return [
        {
            "role": FileRole.MAIN if index == 0 else FileRole.ATTACHMENT,
            "filename": a.name,
            "content_type": a.content_type,
            "sha256": a.sha256,
            "size": len(a.content),
        }
        for index, a in enumerate(env.attachments)
    ]


def _take_once(
    peer: Peer,
    message_id: str,
    kind: str,
    answer: dict[str, Any],
    puts: list[PutBlob],
    write: Callable[[], None],
    die_after: bool = False,
) -> dict[str, Any]:
    """Write what a message brings (its files already in the store) and that it was taken, in one transaction.
    The same message at the same moment from a second connection hits the received message's key: the first
    one took it, and its answer is given again."""
    try:
        for put in puts:
            record_blob(put)
        write()
        db.session.add(ReceivedMessage(peer_id=peer.id, message_id=message_id, kind=kind, answer=answer))
        db.session.commit()
        if die_after:
            _maybe_die()
    except sa.exc.IntegrityError:
        db.session.rollback()
        earlier = db.session.get(ReceivedMessage, (peer.id, message_id))
        if earlier is None:
            raise
        return dict(earlier.answer)
    return answer


def _maybe_die() -> None:
    """The crash tests' fault: die between storing a message and answering for it."""
    if current_app.config.get("EXCHANGE_DIE_AFTER_STORE"):
        import os
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


def _report_of(main_pdf: bytes) -> dict[str, Any]:
    from ..errors import InvalidInput
    from ..signing import service as signing

    try:
        return signing.check_pdf(main_pdf).to_json()
    except InvalidInput as err:
        return {"verdict": "invalid", "reasons": list(err.fields.values()), "signatures": []}


def _details(env: edxml.Envelope) -> dict[str, Any]:
    code = next((k for k, v in DOCUMENT_TYPES.items() if v == env.document_type.type_name), "CV")
    return {
        "document_type": code,
        "number": env.code.number or None,
        "notation": env.code.notation or None,
        "issuer": env.from_.organ_name,
        "issuer_code": env.from_.organ_id,
        "place": env.promulgation.place or None,
        "issued_on": env.promulgation.date.isoformat(),
        "subject": env.subject,
        "signer_name": env.signer.full_name or None,
        "signer_position": env.signer.position or None,
        "urgency": URGENCY_OF_PRIORITY.get(env.other_info.priority, "normal"),
        "page_count": env.other_info.page_amount or None,
        "due_on": env.due_date.isoformat() if env.due_date else None,
        "recipients": "\n".join(env.to_places) or None,
    }


def _take_status(peer: Peer, msg: edxml.StatusMessage) -> dict[str, Any]:
    dispatch = _dispatch_for(peer, msg)
    if dispatch is None:
        raise _reject(
            peer,
            404,
            "unknown_document",
            f"no document {msg.response_for.document_id!r} was sent to {msg.from_.organ_id}",
        )
    answer = {"message_id": msg.message_id, "status": "taken"}
    db.session.rollback()
    try:
        dispatch = db.session.get(Dispatch, dispatch.id)
        service.apply_status(
            dispatch, str(msg.status_code), msg.timestamp.astimezone(UTC), msg.description or None, msg.staff.full_name
        )
        db.session.add(ReceivedMessage(peer_id=peer.id, message_id=msg.message_id, kind="status", answer=answer))
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
    return answer


def _dispatch_for(peer: Peer, msg: edxml.StatusMessage) -> Dispatch | None:
    """The dispatch a status is about: the document by its exchange id, sent to the status's sender."""
    parts = msg.response_for.document_id.split(",", 2)
    if len(parts) != 3:
        return None
    organ_id, day, code = parts
    number, _, notation = code.partition("/")
    try:
        issued_on = datetime.strptime(day, "%Y/%m/%d").date()
    except ValueError:
        return None
    return db.session.scalars(
        sa.select(Dispatch)
        .join(Document, Document.id == Dispatch.document_id)
        .join(Organisation, Organisation.id == Document.organisation_id)
        .where(
            Organisation.code == organ_id,
            Document.issued_on == issued_on,
            Document.number == number,
            Document.notation == notation,
            Dispatch.recipient_code == msg.from_.organ_id,
            Dispatch.peer_id == peer.id,
        )
        .execution_options(all_organisations=True)
    ).first()
