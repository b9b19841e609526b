"""The outbox: work that leaves the transaction (a delivery to a peer, a status back), written in the same
transaction as what caused it, and done later by the worker (app/worker.py).

A row is claimed for a lease: the claiming transaction sets `locked_until` and commits at once, so no database
lock is held while the work talks to the network. A worker killed mid-work leaves the row to be claimed again
when the lease runs out; the receiving side is idempotent (message ids), so doing it twice does it once.
On PostgreSQL several workers claim with `SELECT ... FOR UPDATE SKIP LOCKED`; on SQLite the claiming
transaction takes the database's write lock (BEGIN IMMEDIATE), which serialises them.

Retries back off exponentially with full jitter; after `max_attempts` the row is marked failed and its
handler's `on_failure` tells the domain (a dispatch shows "failed" with the last error).
"""

from __future__ import annotations

import enum
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db, utcnow


class OutboxState(enum.StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class OutboxItem(db.Model):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    state: Mapped[str] = mapped_column(sa.String(10), default=OutboxState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=8)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None]

    __table_args__ = (sa.Index("ix_outbox_due", "state", "next_attempt_at"),)


class RetryLater(Exception):
    """The work could not be done now (a peer down, a timeout): try again after the backoff."""


class GiveUp(Exception):
    """The work can never succeed (the peer refused the message for good): fail it now, without retrying."""


@dataclass(frozen=True)
class Handler:
    run: Callable[[dict[str, Any]], None]
    on_failure: Callable[[dict[str, Any], str], None] | None = None


HANDLERS: dict[str, Handler] = {}


def handler(kind: str, on_failure: Callable[[dict[str, Any], str], None] | None = None) -> Callable:
    """Register the function that does the work of `kind` (called with the payload, outside any transaction)."""

    def register(run: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
        HANDLERS[kind] = Handler(run, on_failure)
        return run

    return register


def enqueue(kind: str, payload: dict[str, Any], *, max_attempts: int | None = None) -> OutboxItem:
    """Add work to the outbox in the current transaction: it exists exactly when what caused it commits."""
    from flask import current_app

    attempts = max_attempts or int(current_app.config.get("OUTBOX_MAX_ATTEMPTS", 8))
    item = OutboxItem(kind=kind, payload=payload, max_attempts=attempts, next_attempt_at=utcnow())
    db.session.add(item)
    return item


def backoff(attempt: int, base: float, cap: float) -> timedelta:
    """Full jitter: a random wait between 0 and min(cap, base * 2**attempt) seconds."""
    ceiling = min(cap, base * (2 ** max(0, attempt - 1)))
    return timedelta(seconds=random.uniform(0, ceiling))  # noqa: S311 - jitter, not a secret


def claim(limit: int, lease: timedelta) -> list[OutboxItem]:
    """Take up to `limit` due rows for `lease`, in a transaction of its own, committed before returning."""
    now = utcnow()
    due = (
        sa.select(OutboxItem)
        .where(
            OutboxItem.state == OutboxState.PENDING,
            OutboxItem.next_attempt_at <= now,
            sa.or_(OutboxItem.locked_until.is_(None), OutboxItem.locked_until <= now),
        )
        .order_by(OutboxItem.next_attempt_at, OutboxItem.id)
        .limit(limit)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    items = list(db.session.scalars(due))
    for item in items:
        item.locked_until = now + lease
        item.attempts += 1
    db.session.commit()
    return items


def _finish(item_id: int, values: dict[str, Any]) -> None:
    db.session.execute(sa.update(OutboxItem).where(OutboxItem.id == item_id).values(**values))
    db.session.commit()


def run_one(item: OutboxItem, *, base: float, cap: float) -> str:
    """Do one claimed row's work and record the outcome; returns the row's new state."""
    entry = HANDLERS.get(item.kind)
    item_id, payload, attempts = item.id, dict(item.payload), item.attempts
    if entry is None:
        _finish(item_id, {"state": OutboxState.FAILED, "last_error": f"no handler for {item.kind}"})
        return OutboxState.FAILED
    try:
        entry.run(payload)
    except GiveUp as err:
        return _fail(item_id, entry, payload, str(err))
    except Exception as err:  # noqa: BLE001 - any failure of the work is retried, and its words kept
        db.session.rollback()
        error = str(err) or type(err).__name__
        if attempts >= item.max_attempts:
            return _fail(item_id, entry, payload, error)
        wait = backoff(attempts, base, cap)
        _finish(
            item_id,
            {"last_error": error[:2000], "next_attempt_at": utcnow() + wait, "locked_until": None},
        )
        return OutboxState.PENDING
    _finish(item_id, {"state": OutboxState.DONE, "done_at": utcnow(), "locked_until": None, "last_error": None})
    return OutboxState.DONE


def _fail(item_id: int, entry: Handler, payload: dict[str, Any], error: str) -> str:
    db.session.rollback()
    if entry.on_failure is not None:
        entry.on_failure(payload, error)
    _finish(item_id, {"state": OutboxState.FAILED, "last_error": error[:2000], "locked_until": None})
    return OutboxState.FAILED


def retry_now(item_ids: list[int]) -> None:
    """Make failed or waiting rows due again at once, with their attempts counted afresh (a clerk's resend)."""
    if item_ids:
        db.session.execute(
            sa.update(OutboxItem)
            .where(OutboxItem.id.in_(item_ids), OutboxItem.state != OutboxState.DONE)
            .values(state=OutboxState.PENDING, attempts=0, next_attempt_at=utcnow(), locked_until=None)
        )
