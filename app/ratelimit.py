"""Requests counted per client and per minute in the database, so that every app server and worker process shares
the count (a limit kept in one process's memory is no limit behind several).

A hit is counted in a transaction of its own, committed at once: a request refused or failing afterwards still
counts, and its own rollback cannot take the count back.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import request
from sqlalchemy.orm import Mapped, mapped_column

from .errors import TooManyRequests
from .extensions import db, insert_or_ignore, utcnow

KEEP = timedelta(hours=1)  # windows older than this are deleted when a client's new window opens


class RateWindow(db.Model):
    """How many requests one client made of one kind in one window."""

    __tablename__ = "rate_windows"

    key: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


def client_key(kind: str) -> str:
    """The kind of request and the client's address, hashed (the table holds no address)."""
    address = request.remote_addr or "unknown"
    return f"{kind}:{hashlib.sha256(address.encode()).hexdigest()[:40]}"


def hit(key: str, limit: int, window_seconds: int, now: datetime | None = None) -> int:
    """Count one request of `key`; TooManyRequests (with the seconds to wait) past `limit` in the window."""
    now = now or utcnow()
    epoch = int(now.timestamp())
    start = datetime.fromtimestamp(epoch - epoch % window_seconds, tz=now.tzinfo)
    table = RateWindow.__table__
    increment = (
        sa.update(table)
        .where(table.c.key == key, table.c.window_start == start)
        .values(count=table.c.count + 1)
        .returning(table.c.count)
    )
    with db.engine.begin() as conn:
        count = conn.execute(increment).scalar()
        if count is None:  # the client's first request of this window
            conn.execute(insert_or_ignore(table, {"key": key, "window_start": start, "count": 0}))
            conn.execute(sa.delete(table).where(table.c.key == key, table.c.window_start < start - KEEP))
            count = conn.execute(increment).scalar_one()
    if count > limit:
        raise TooManyRequests(retry_after=max(1, math.ceil((start - now).total_seconds()) + window_seconds))
    return count
