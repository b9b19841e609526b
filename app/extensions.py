"""Extensions created once, unbound; `create_app` binds them."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A moment stored in UTC and always handed back time-zone aware (SQLite keeps no zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a moment in UTC is expected")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


_as_of: ContextVar[datetime | None] = ContextVar("as_of", default=None)


def utcnow() -> datetime:
    """Now, in UTC; inside `as_of(moment)`, that moment."""
    return _as_of.get() or datetime.now(UTC)


@contextmanager
def as_of(moment: datetime) -> Iterator[None]:
    """Run the services as if it were `moment` (a time-zone aware moment in the past): the demo's history is
    made this way, by the same code as today's work."""
    if moment.tzinfo is None:
        raise ValueError("as_of takes a time-zone aware moment")
    token = _as_of.set(moment.astimezone(UTC))
    try:
        yield
    finally:
        _as_of.reset(token)


# Objects stay readable after a commit: a request ends its short authentication transaction early
# (see app/security.py) and goes on using the user it loaded without reading it again.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection: object, _record: object) -> None:
    """SQLite: foreign keys on, WAL, wait for locks, and let SQLAlchemy emit BEGIN itself."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# A pooled connection idle for longer than this is pinged before use (see ping_idle_connections).
PING_AFTER_IDLE_SECONDS = 1.0


def ping_idle_connections(engine: sa.Engine) -> None:
    """Ping a pooled connection before use only when it has been idle: one that served a request a moment ago is
    alive, and pinging every checkout (pool_pre_ping) would cost every request one more round trip.

    A connection the server closed while it sat in the pool (a restart, an idle timeout) fails the ping, and the
    pool opens a new one in its place, so no request sees the dead one. A busy app's connections are never idle
    long; after a restart under load, the connections in use when it happened fail their statement once, and
    SQLAlchemy then invalidates every connection opened before it."""

    @event.listens_for(engine, "checkin")
    def _idle_since(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as err:
            raise sa.exc.DisconnectionError(str(err)) from err
        if not alive:
            raise sa.exc.DisconnectionError("the connection did not answer")


SQLITE_LOCK_WAIT_SECONDS = 30.0


@event.listens_for(Engine, "begin")
def _sqlite_begin_immediate(conn: sa.Connection) -> None:
    """SQLite: take the write lock at BEGIN, waiting for it in short steps.

    A deferred transaction that reads and then writes fails at once with "database is locked" when
    another writer committed in between; BEGIN IMMEDIATE makes writers queue instead, which is what keeps
    register numbers gap-free under concurrent clerks. SQLite's own busy handler sleeps in steps of up to
    100 ms, which leaves the other workers idle long after the lock is free; this loop looks again
    every millisecond or so.
    """
    if conn.dialect.name != "sqlite":
        return
    if conn.get_execution_options().get("sqlite_begin") == "DEFERRED":
        # Said by a transaction that only reads: WAL readers neither wait for nor block the writer.
        conn.exec_driver_sql("BEGIN")
        return
    conn.exec_driver_sql("PRAGMA busy_timeout=0")
    deadline = time.monotonic() + SQLITE_LOCK_WAIT_SECONDS
    delay = 0.0005
    try:
        while True:
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except sa.exc.OperationalError as err:
                if "locked" not in str(err) or time.monotonic() > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 1.5, 0.004)
    finally:
        conn.exec_driver_sql("PRAGMA busy_timeout=30000")


def only_reading(engine: sa.Engine) -> dict[str, Any]:
    """The execution options of a connection that only reads: on SQLite a deferred BEGIN (it takes no write lock,
    so the writers do not wait for it); on PostgreSQL no transaction at all, each statement committed on its own,
    which saves the BEGIN and the COMMIT (two round trips) a read alone would cost."""
    if engine.dialect.name == "postgresql":
        return {"isolation_level": "AUTOCOMMIT"}
    return {"sqlite_begin": "DEFERRED"}


def read_before_writing(statement: sa.Executable) -> list[sa.Row]:
    """The rows of a read made before the request's write transaction starts.

    Outside a transaction it runs on a connection of its own that only reads (see only_reading), so the
    write lock is held only while rows are written; inside one it simply uses the session.
    """
    session = db.session()
    if session.in_transaction():
        return list(session.execute(statement))
    with db.engine.connect().execution_options(**only_reading(db.engine)) as conn:
        return list(conn.execute(statement))


def dialect_insert(table: sa.Table) -> Any:
    """An INSERT of the database's own dialect, which knows ON CONFLICT (PostgreSQL and SQLite)."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def insert_or_ignore(table: sa.Table, values: dict) -> sa.Executable:
    """An INSERT that does nothing when the row's key already exists (PostgreSQL and SQLite)."""
    return dialect_insert(table).values(**values).on_conflict_do_nothing()
