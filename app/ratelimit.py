"""Requests counted per client and per minute in the database, so that every app server and worker process shares
the count (a limit kept in one process's memory is no limit behind several).

A hit is counted in a transaction of its own, committed at once: a request refused or failing afterwards still
counts, and its own rollback cannot take the count back.
"""

from __future__ import annotations

import hashlib
import math
from collections import namedtuple
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import sqlalchemy as sa
from flask import request
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Mapped, mapped_column

from .errors import DependencyDown, TooManyRequests
from .extensions import db, dialect_insert, utcnow

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


def _window(now: datetime, window_seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % window_seconds, tz=now.tzinfo)


def _window_upsert(insert: Any, key: Any, start: Any) -> Any:
    """The client's window counted once more (made at 1), returning its count; `insert` is the dialect's."""
    table = RateWindow.__table__
    return (
        insert.values(key=key, window_start=start, count=1)
        .on_conflict_do_update(index_elements=[table.c.key, table.c.window_start], set_={"count": table.c.count + 1})
        .returning(table.c.count)
    )


def _count(conn: sa.Connection, key: str, start: datetime) -> int:
    """One upsert of the client's window, returning its count; a new window clears the client's old ones."""
    count = int(conn.execute(_window_upsert(dialect_insert(RateWindow.__table__), key, start)).scalar_one())
    if count == 1:
        _forget_old(conn, key, start)
    return count


def _forget_old(conn: sa.Connection, key: str, start: datetime) -> None:
    """A client's new window: its windows older than KEEP go."""
    table = RateWindow.__table__
    conn.execute(sa.delete(table).where(table.c.key == key, table.c.window_start < start - KEEP))


def _check(count: int, limit: int, start: datetime, now: datetime, window_seconds: int) -> None:
    if count > limit:
        raise TooManyRequests(retry_after=max(1, math.ceil((start - now).total_seconds()) + window_seconds))


@dataclass(frozen=True)
class _CountingRead:
    """A read with the client's count beside it, compiled once to PostgreSQL's SQL."""

    compiled: Any  # the statement compiled for the psycopg dialect; construct_params fills its parameters
    sql: str
    row: type  # a named tuple of the read's columns


@cache
def _counting_read(read: sa.Select) -> _CountingRead:
    """PostgreSQL: the upsert of the client's window as a CTE, and `read` beside its count, in one statement, its
    columns in this order: the count, `read`'s, and a flag that says a row of `read` matched."""
    from sqlalchemy.dialects.postgresql import psycopg

    insert = pg_insert(RateWindow.__table__)
    upsert = _window_upsert(insert, sa.bindparam("_rate_key"), sa.bindparam("_rate_start")).cte("hit")
    found = read.add_columns(sa.literal_column("1").label("_rate_found")).subquery("found")
    statement = sa.select(upsert.c.count.label("_rate_count"), found).select_from(upsert.outerjoin(found, sa.true()))
    compiled = statement.compile(dialect=psycopg.dialect())
    return _CountingRead(compiled, str(compiled), namedtuple("Row", list(read.selected_columns.keys())))


def _driver_read(counting: _CountingRead, params: Mapping[str, Any]) -> list[tuple]:
    """The statement run on a pooled connection's driver (psycopg) in autocommit: SQLAlchemy's statement execution
    costs more than the query on this path (see bench/onestop.py), and the statement is compiled already. The
    connection goes back to the pool as it came, out of autocommit; one the server dropped is thrown away with the
    pool's others (the server restarted, most likely), and the request answered 503 (DependencyDown)."""
    pooled = db.engine.raw_connection()
    try:
        driver = pooled.driver_connection
        driver.autocommit = True
        try:
            with driver.cursor() as cursor:
                return cursor.execute(counting.sql, counting.compiled.construct_params(params)).fetchall()
        finally:
            driver.autocommit = False
    except db.engine.dialect.loaded_dbapi.OperationalError as err:
        pooled.invalidate()  # a connection the server dropped is not handed to the next request
        if db.engine.dialect.is_disconnect(err, driver, None):
            db.engine.dispose()  # nor those opened before it, as SQLAlchemy does on a disconnect
        raise DependencyDown() from err
    finally:
        pooled.close()


def counted_read(key: str, limit: int, window_seconds: int, read: sa.Select, params: Mapping[str, Any]) -> list[Any]:
    """Count one request of `key` (TooManyRequests past `limit`) and give the rows of `read` with `params`, as
    named tuples of `read`'s columns, in no particular order.

    For the public pages every phone may ask for. On PostgreSQL the count and the read are one statement, one round
    trip, in autocommit: the count is committed with its statement, into an unlogged table (migration 0018: no
    WAL, no wait for the disk; a crash forgets a minute of counts). On SQLite the count takes a short write
    transaction of its own and the read a deferred one, which takes no lock. `read` must be built once (its
    parameters bound by name): the combined statement is compiled once per `read`."""
    now = utcnow()
    start = _window(now, window_seconds)
    if db.engine.dialect.name == "postgresql":
        counting = _counting_read(read)
        rows = _driver_read(counting, {**params, "_rate_key": key, "_rate_start": start})
        count = rows[0][0]  # the CTE always gives the count, on one row with NULLs if nothing matched
        if count == 1:
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                _forget_old(conn, key, start)
        _check(count, limit, start, now, window_seconds)
        return [counting.row._make(row[1:-1]) for row in rows if row[-1] is not None]
    with db.engine.begin() as conn:
        count = _count(conn, key, start)
    _check(count, limit, start, now, window_seconds)
    with db.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn, conn.begin():
        return list(conn.execute(read, dict(params)).all())


def hit(key: str, limit: int, window_seconds: int, now: datetime | None = None) -> int:
    """Count one request of `key` in a transaction of its own; TooManyRequests (with the seconds to wait) past
    `limit` in the window."""
    now = now or utcnow()
    start = _window(now, window_seconds)
    connection = db.engine.connect()
    if db.engine.dialect.name == "postgresql":
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
    with connection as conn, conn.begin():
        count = _count(conn, key, start)
    _check(count, limit, start, now, window_seconds)
    return count
