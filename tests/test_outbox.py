"""The outbox: rows claimed for a lease, retried with backoff, failed after their attempts, never taken twice
at once (on PostgreSQL with SKIP LOCKED, on SQLite by the write lock)."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from app import outbox
from app.extensions import db, utcnow
from app.outbox import OutboxItem, OutboxState


@pytest.fixture
def calls() -> list[tuple[str, dict[str, Any]]]:
    seen: list[tuple[str, dict[str, Any]]] = []

    def ok(payload: dict[str, Any]) -> None:
        seen.append(("ok", payload))

    def flaky(payload: dict[str, Any]) -> None:
        seen.append(("flaky", payload))
        raise ConnectionError("the peer is away")

    def refused(payload: dict[str, Any]) -> None:
        seen.append(("refused", payload))
        raise outbox.GiveUp("413: too large")

    outbox.HANDLERS["test.ok"] = outbox.Handler(ok)
    outbox.HANDLERS["test.flaky"] = outbox.Handler(flaky, lambda p, e: seen.append(("failed", {"error": e, **p})))
    outbox.HANDLERS["test.refused"] = outbox.Handler(refused, lambda p, e: seen.append(("failed", {"error": e, **p})))
    yield seen
    for kind in ("test.ok", "test.flaky", "test.refused"):
        outbox.HANDLERS.pop(kind, None)


def _add(app: Flask, kind: str, n: int = 1, **payload: Any) -> list[int]:
    with app.app_context():
        items = [outbox.enqueue(kind, {"n": i, **payload}, max_attempts=3) for i in range(n)]
        db.session.commit()
        return [item.id for item in items]


def _row(app: Flask, item_id: int) -> OutboxItem:
    with app.app_context():
        row = db.session.get(OutboxItem, item_id)
        db.session.expunge(row)
        return row


def test_work_done_once_is_marked_done(app: Flask, calls) -> None:  # type: ignore[no-untyped-def]
    (item_id,) = _add(app, "test.ok")
    with app.app_context():
        (item,) = outbox.claim(10, timedelta(seconds=60))
        assert outbox.run_one(item, base=0.01, cap=0.01) == OutboxState.DONE
        assert outbox.claim(10, timedelta(seconds=60)) == []
    row = _row(app, item_id)
    assert row.state == OutboxState.DONE and row.attempts == 1 and row.done_at is not None
    assert calls == [("ok", {"n": 0})]


def test_a_claimed_row_waits_for_its_lease_before_another_worker_takes_it(app: Flask, calls) -> None:  # type: ignore[no-untyped-def]
    (item_id,) = _add(app, "test.ok")
    with app.app_context():
        assert len(outbox.claim(10, timedelta(seconds=60))) == 1  # then the worker dies
        assert outbox.claim(10, timedelta(seconds=60)) == []  # the lease holds it
        db.session.execute(
            sa.update(OutboxItem).where(OutboxItem.id == item_id).values(locked_until=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
        (again,) = outbox.claim(10, timedelta(seconds=60))
        assert again.id == item_id and again.attempts == 2


def test_failures_back_off_then_fail_with_the_last_error(app: Flask, calls) -> None:  # type: ignore[no-untyped-def]
    (item_id,) = _add(app, "test.flaky")
    with app.app_context():
        for attempt in (1, 2):
            (item,) = outbox.claim(10, timedelta(seconds=60))
            assert outbox.run_one(item, base=30, cap=60) == OutboxState.PENDING
            row = db.session.get(OutboxItem, item_id)
            db.session.refresh(row)
            assert row.attempts == attempt and row.last_error == "the peer is away"
            assert outbox.claim(10, timedelta(seconds=60)) == []  # not due yet: it backs off
            db.session.execute(sa.update(OutboxItem).where(OutboxItem.id == item_id).values(next_attempt_at=utcnow()))
            db.session.commit()
        (item,) = outbox.claim(10, timedelta(seconds=60))
        assert outbox.run_one(item, base=30, cap=60) == OutboxState.FAILED
    row = _row(app, item_id)
    assert row.state == OutboxState.FAILED and row.attempts == 3
    assert calls[-1] == ("failed", {"error": "the peer is away", "n": 0})
    with app.app_context():
        outbox.retry_now([item_id])
        db.session.commit()
        (item,) = outbox.claim(10, timedelta(seconds=60))
        assert item.attempts == 1  # counted afresh


def test_a_refusal_fails_at_once(app: Flask, calls) -> None:  # type: ignore[no-untyped-def]
    (item_id,) = _add(app, "test.refused")
    with app.app_context():
        (item,) = outbox.claim(10, timedelta(seconds=60))
        assert outbox.run_one(item, base=0.01, cap=0.01) == OutboxState.FAILED
    row = _row(app, item_id)
    assert row.attempts == 1 and row.last_error == "413: too large"
    assert calls[-1][0] == "failed"


def test_backoff_grows_with_full_jitter_and_a_cap() -> None:
    waits = [outbox.backoff(attempt, base=2, cap=600).total_seconds() for attempt in range(1, 12) for _ in range(50)]
    assert min(waits) >= 0
    assert max(waits) <= 600
    first = [outbox.backoff(1, base=2, cap=600).total_seconds() for _ in range(200)]
    assert max(first) <= 2 and len({round(w, 6) for w in first}) > 100  # jittered, not fixed
    late = [outbox.backoff(9, base=2, cap=600).total_seconds() for _ in range(200)]
    assert max(late) > 100


def test_two_workers_claiming_at_once_never_take_the_same_row(app: Flask, calls) -> None:  # type: ignore[no-untyped-def]
    _add(app, "test.ok", n=40)
    taken: list[list[int]] = []
    start = threading.Barrier(4)

    def worker() -> None:
        with app.app_context():
            start.wait()
            mine = []
            while batch := outbox.claim(3, timedelta(seconds=60)):
                mine += [item.id for item in batch]
            taken.append(mine)
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    every = [item_id for mine in taken for item_id in mine]
    assert len(every) == 40 and len(set(every)) == 40


def test_a_status_the_sender_never_takes_is_kept_in_the_audit_log(app: Flask) -> None:
    """A status for a peer that is gone is given up at once, and the administrator finds it in the audit log."""
    from app import worker
    from app.audit.models import AuditEvent
    from app.routing import federation

    payload = {
        "peer_id": 987654,
        "message_id": "5d3c0f0e-0000-4000-8000-000000000001",
        "response_for": {"document_id": "abc", "organ_id": "000.00.00.A01", "code": "1/QĐ", "promulgation_date": None},
        "status_code": "04",
    }
    with app.app_context():
        outbox.enqueue(federation.STATUS, payload)
        db.session.commit()
    worker.run_until_idle(app)
    with app.app_context():
        row = db.session.scalars(sa.select(OutboxItem).where(OutboxItem.kind == federation.STATUS)).one()
        assert row.state == OutboxState.FAILED and "the peer is gone" in (row.last_error or "")
        event = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "exchange:status:undelivered")
        ).one()
        assert event.data["message_id"] == payload["message_id"] and event.data["status_code"] == "04"
