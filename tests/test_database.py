"""The connection pool against a database that closed a connection behind its back."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from flask import Flask


def test_a_connection_closed_while_idle_in_the_pool_is_replaced(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    from app import extensions
    from app.extensions import db

    monkeypatch.setattr(extensions, "PING_AFTER_IDLE_SECONDS", 0.01)
    with app.app_context():
        engine = db.engine
        postgres = engine.dialect.name == "postgresql"
        with engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            backend = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar() if postgres else None
        # The server ends it (a restart, an idle timeout) while it sits in the pool.
        if postgres:
            killer = sa.create_engine(engine.url, poolclass=sa.pool.NullPool)
            with killer.connect() as admin:
                assert admin.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": backend}).scalar()
            killer.dispose()
        else:
            raw.close()
        time.sleep(0.05)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT 1")).scalar() == 1
            assert conn.connection.dbapi_connection is not raw
        # A connection back from a request a moment ago is used without a ping.
        with engine.connect() as conn:
            again = conn.connection.dbapi_connection
        monkeypatch.setattr(extensions, "PING_AFTER_IDLE_SECONDS", 60.0)
        pings = []
        monkeypatch.setattr(engine.dialect, "do_ping", lambda c: pings.append(c) or True)
        with engine.connect() as conn:
            assert conn.connection.dbapi_connection is again
        assert pings == []
