"""A process killed in the middle of a receipt (SIGKILL, the scan already in the store): no dossier, paper, timeline
entry, notice or audit event of it is left, its scan is an unreferenced object that `storage gc` removes, the next
receipt is taken normally and no receipt number is given twice."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import textwrap
import time
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.onestop.conftest import intake
from tests.onestop.test_intake import png_bytes, post_with_scans
from tests.routing.servers import wait_until
from tests.support import python_child

# The officer's browser in another process: the same app, the same database and store, one receipt with a scan.
RECEIVER = textwrap.dedent(
    """
    import io, json, sys
    from tests.conftest import S3Server, make_app

    settings = json.loads(sys.argv[1])
    s3 = S3Server(settings["endpoint"], settings["access_key"], settings["secret_key"], settings["secure"])
    app = make_app(settings["database"], s3, settings["bucket"], SEARCH_INDEX_DIR=settings["index"])
    client = app.test_client()
    data = {"dossier": settings["fields"], "paper_0": (io.BytesIO(bytes.fromhex(settings["scan"])), "don.png")}
    print("posting", flush=True)
    answer = client.post(
        "/api/v1/onestop/dossiers",
        data=data,
        content_type="multipart/form-data",
        headers={"Authorization": "Bearer " + settings["token"]},
    )
    print("answered", answer.status_code, flush=True)
    """
)


@pytest.fixture
def app(app_factory) -> Flask:  # type: ignore[no-untyped-def]
    """A bucket of its own: the store's collector sees this test's objects only."""
    return app_factory(BABEL_DEFAULT_LOCALE="en", S3_BUCKET=f"killed-intake-{uuid.uuid4().hex[:8]}")


def _counts(app) -> dict[str, int]:  # type: ignore[no-untyped-def]
    from app.extensions import db

    with app.app_context():
        return {
            table: db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))  # noqa: S608 - our own names
            for table in ("dossiers", "dossier_papers", "dossier_events", "outbox", "audit_events", "blobs")
        }


def _hold_the_database(app):  # type: ignore[no-untyped-def]
    """What makes the receipt wait, where a real one may be slow: on PostgreSQL the audit chain's head (taken at the
    commit, after the receipt number and the rows), on SQLite the write lock (taken before any write)."""
    from app.extensions import db

    with app.app_context():
        url = db.engine.url
    if url.get_backend_name() == "postgresql":
        engine = sa.create_engine(url)
        conn = engine.connect()
        conn.execute(sa.text("SELECT last_seq FROM audit_chain_head WHERE id = 1 FOR UPDATE")).one()
        return conn, engine
    conn = sqlite3.connect(url.database, isolation_level=None, timeout=30)
    conn.execute("BEGIN IMMEDIATE")
    return conn, None


def _waiting_on_a_lock(engine: sa.Engine) -> bool:
    with engine.connect() as conn:
        waiting = conn.execute(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
        return bool(waiting.scalar())


def test_a_receipt_killed_midway_leaves_nothing_half_written_and_numbers_are_not_reused(  # type: ignore[no-untyped-def]
    app, desk
) -> None:
    from app.extensions import db
    from app.storage.service import collect_garbage, current_store

    fields = intake(applicant={"name": "Lê Văn Dở Dang", "phone": "0912345678"})
    scan = png_bytes() + b"killed-midway"  # distinct bytes: its object is this test's alone
    assert desk["a"].get("/api/v1/onestop/dossiers").status_code == 200  # the token's first use is written down
    before = _counts(app)
    settings = {
        "database": app.config["SQLALCHEMY_DATABASE_URI"],
        "endpoint": app.config["S3_ENDPOINT"],
        "access_key": app.config["S3_ACCESS_KEY"],
        "secret_key": app.config["S3_SECRET_KEY"],
        "secure": app.config["S3_SECURE"],
        "bucket": app.config["S3_BUCKET"],
        "index": app.config["SEARCH_INDEX_DIR"],
        "token": desk["a"].token,
        "fields": json.dumps(fields),
        "scan": scan.hex(),
    }
    held, engine = _hold_the_database(app)
    child = python_child(RECEIVER, json.dumps(settings))
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "posting"
        if engine is not None:
            wait_until(lambda: _waiting_on_a_lock(engine), 30, what="the receipt to wait at its commit")
        else:
            time.sleep(1.5)  # the scan checked and stored, the receipt waiting for the write lock
        os.kill(child.pid, signal.SIGKILL)
        child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(30)
        if child.stdout is not None:
            child.stdout.close()
        if engine is not None:
            held.rollback()
        else:
            held.execute("ROLLBACK")
        held.close()
        if engine is not None:
            engine.dispose()
    assert child.returncode == -signal.SIGKILL
    assert _counts(app) == before  # nothing of the killed receipt, whatever it had done

    digest = hashlib.sha256(scan).hexdigest()
    with app.app_context():
        assert current_store().exists(digest)  # put before the transaction: an unreferenced object ...
        assert collect_garbage(min_age=timedelta(0)) == [digest]  # ... that the collector removes
        assert not current_store().exists(digest)
        postgres = db.engine.dialect.name == "postgresql"

    answer = post_with_scans(desk["a"], fields, {"paper_0": (png_bytes(), "don.png")})
    assert answer.status_code == 201, answer.get_json()
    sequence = int(answer.get_json()["code"].split("-")[-2])
    # PostgreSQL: the killed receipt had taken number 1 in a statement of its own (a gap, never a number twice);
    # SQLite: its number was taken in its transaction, which never committed.
    assert sequence == (2 if postgres else 1)
    after = _counts(app)
    assert after["dossiers"] == before["dossiers"] + 1
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
