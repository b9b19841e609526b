"""Recording audit events in the caller's transaction, and checking the chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import has_request_context, request

from ..extensions import db, insert_or_ignore, utcnow
from .models import AuditAction, AuditChainHead, AuditEvent

GENESIS = "0" * 64


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(
    *,
    seq: int,
    at: datetime,
    action: str,
    actor_id: int | None,
    organisation_id: int | None,
    object_type: str | None,
    object_id: str | None,
    ip: str | None,
    data: dict[str, Any],
    prev_hash: str,
) -> str:
    """SHA-256 over a canonical JSON of the event and the hash of the one before it."""
    canonical = json.dumps(
        [seq, _moment(at), action, actor_id, organisation_id, object_type, object_id, ip, data, prev_hash],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _lock_head() -> tuple[int, str]:
    """Lock the chain's head row until the transaction ends (created on first use); its last seq and hash."""
    head = AuditChainHead.__table__
    locked = sa.select(head.c.last_seq, head.c.last_hash).where(head.c.id == 1).with_for_update()
    row = db.session.execute(locked).one_or_none()
    if row is None:
        db.session.execute(insert_or_ignore(head, {"id": 1, "last_seq": 0, "last_hash": GENESIS}))
        row = db.session.execute(locked).one()
    return row.last_seq, row.last_hash


def record(
    action: AuditAction,
    *,
    actor: Any = None,
    organisation_id: int | None = None,
    obj: tuple[str, Any] | None = None,
    **data: Any,
) -> int:
    """Append one event to the chain, in the caller's transaction: it commits or rolls back with the work.

    The chain head is locked (SELECT ... FOR UPDATE) until that transaction ends, so concurrent writers
    line up and every event links to exactly one predecessor. Returns the event's sequence number.
    Written with Core statements: this runs in every request that changes or reads a document.
    """
    last_seq, last_hash = _lock_head()
    fields: dict[str, Any] = {
        "seq": last_seq + 1,
        "at": utcnow(),
        "action": str(action),
        "actor_id": getattr(actor, "id", None),
        "organisation_id": organisation_id if organisation_id is not None else getattr(actor, "organisation_id", None),
        "object_type": obj[0] if obj else None,
        "object_id": str(obj[1]) if obj else None,
        "ip": request.remote_addr if has_request_context() else None,
        "data": json.loads(json.dumps(data, default=str)),
        "prev_hash": last_hash,
    }
    digest = event_hash(**fields)
    db.session.execute(sa.insert(AuditEvent.__table__), {**fields, "hash": digest})
    db.session.execute(
        sa.update(AuditChainHead.__table__)
        .where(AuditChainHead.__table__.c.id == 1)
        .values(last_seq=fields["seq"], last_hash=digest)
    )
    return fields["seq"]


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str


def verify_chain(batch: int = 1000) -> tuple[int, ChainProblem | None]:
    """Walk the log in order; return how many rows were checked and the first problem found."""
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    last_seq = 0
    while True:
        rows = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.seq > last_seq).order_by(AuditEvent.seq).limit(batch)
        ).all()
        if not rows:
            break
        for row in rows:
            if row.seq != expected_seq:
                return checked, ChainProblem(expected_seq, f"row {expected_seq} is missing")
            if row.prev_hash != expected_prev:
                return checked, ChainProblem(row.seq, "does not link to the row before it")
            recomputed = event_hash(
                seq=row.seq,
                at=row.at,
                action=row.action,
                actor_id=row.actor_id,
                organisation_id=row.organisation_id,
                object_type=row.object_type,
                object_id=row.object_id,
                ip=row.ip,
                data=row.data,
                prev_hash=row.prev_hash,
            )
            if recomputed != row.hash:
                return checked, ChainProblem(row.seq, "its content was changed after it was written")
            checked += 1
            expected_prev = row.hash
            expected_seq += 1
            last_seq = row.seq
        db.session.expunge_all()
    head = db.session.get(AuditChainHead, 1)
    if head is not None and (head.last_seq != last_seq or head.last_hash != expected_prev):
        return checked, ChainProblem(last_seq + 1, "rows after this point were removed")
    return checked, None


def events_for(object_type: str, object_id: Any, limit: int = 200) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.object_type == object_type, AuditEvent.object_id == str(object_id))
            .order_by(AuditEvent.seq.desc())
            .limit(limit)
        )
    )
