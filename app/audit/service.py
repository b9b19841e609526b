"""Recording audit events in the caller's transaction, and checking the chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import has_request_context, request
from sqlalchemy.orm import Session

from ..at_commit import AtCommit
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


def _lock_head(session: Session) -> tuple[int, str]:
    """Lock the chain's head row until the transaction ends (created on first use); its last seq and hash."""
    head = AuditChainHead.__table__
    locked = sa.select(head.c.last_seq, head.c.last_hash).where(head.c.id == 1).with_for_update()
    row = session.execute(locked).one_or_none()
    if row is None:
        session.execute(insert_or_ignore(head, {"id": 1, "last_seq": 0, "last_hash": GENESIS}))
        row = session.execute(locked).one()
    return row.last_seq, row.last_hash


def _append(session: Session, events: list[dict[str, Any]]) -> None:
    """Link the transaction's events to the chain and write them, just before it commits: the head stays locked
    for these three statements and the commit, and concurrent writers line up here only."""
    last_seq, last_hash = _lock_head(session)
    rows = []
    for fields in events:
        last_seq += 1
        linked = {**fields, "seq": last_seq, "prev_hash": last_hash}
        last_hash = event_hash(**linked)
        rows.append({**linked, "hash": last_hash})
    session.execute(sa.insert(AuditEvent.__table__), rows)
    session.execute(
        sa.update(AuditChainHead.__table__)
        .where(AuditChainHead.__table__.c.id == 1)
        .values(last_seq=last_seq, last_hash=last_hash)
    )


_events = AtCommit("audit", _append, order=100)  # after any other work at the commit: the lock comes last


def record(
    action: AuditAction,
    *,
    actor: Any = None,
    organisation_id: int | None = None,
    obj: tuple[str, Any] | None = None,
    **data: Any,
) -> datetime:
    """Append one event to the chain in the caller's transaction: it commits or rolls back with the work (and is
    dropped with a savepoint that rolls back). Returns the event's moment.

    The event takes its place in the chain (its sequence number, the hash of the one before it) when the
    transaction commits, so the chain's head is locked only for its commit: concurrent writers line up there and
    every event links to exactly one predecessor. The chain's order is the order of the commits; an event's
    moment is when it was recorded, so two transactions committing close together may have their moments in the
    other order. Written with Core statements: this runs in every request that changes or reads a document.
    """
    at = utcnow()
    _events.add(
        db.session(),
        {
            "at": at,
            "action": str(action),
            "actor_id": getattr(actor, "id", None),
            "organisation_id": organisation_id
            if organisation_id is not None
            else getattr(actor, "organisation_id", None),
            "object_type": obj[0] if obj else None,
            "object_id": str(obj[1]) if obj else None,
            "ip": request.remote_addr if has_request_context() else None,
            "data": json.loads(json.dumps(data, default=str)),
        },
    )
    return at


def recorded_in_transaction(object_type: str, object_id: Any) -> list[dict[str, Any]]:
    """The events about this object that the current transaction recorded and that join the chain at its commit,
    newest first (each with `at`, `action`, `actor_id` and `data`): a page listing an object's events in the request
    that added one shows it."""
    wanted = (object_type, str(object_id))
    mine = [e for e in _events.pending(db.session()) if (e["object_type"], e["object_id"]) == wanted]
    return mine[::-1]


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
