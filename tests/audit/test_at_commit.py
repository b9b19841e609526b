"""Audit events take their place in the chain at the commit: a savepoint that rolls back drops its own events only,
a transaction that rolls back drops all of its, and the chain's head is not held while a transaction is still at
work (PostgreSQL, where writers run side by side)."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa


def _events(app) -> list[tuple[int, str, str | None]]:  # type: ignore[no-untyped-def]
    from app.audit.models import AuditEvent
    from app.extensions import db

    with app.app_context():
        rows = db.session.execute(
            sa.select(AuditEvent.seq, AuditEvent.action, AuditEvent.object_id).order_by(AuditEvent.seq)
        )
        return [tuple(row) for row in rows]


def _intact(app) -> None:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output


def test_a_savepoint_rolled_back_drops_only_its_own_events(app) -> None:  # type: ignore[no-untyped-def]
    from app.audit.models import AuditAction
    from app.audit.service import record
    from app.extensions import db

    start = len(_events(app))
    with app.app_context():
        record(AuditAction.LOGIN_FAILED, obj=("test", "before"))
        with pytest.raises(RuntimeError), db.session.begin_nested():
            record(AuditAction.LOGIN_FAILED, obj=("test", "inside, rolled back"))
            raise RuntimeError("the savepoint fails")
        with db.session.begin_nested():
            record(AuditAction.LOGIN_FAILED, obj=("test", "inside, released"))
        record(AuditAction.LOGIN_FAILED, obj=("test", "after"))
        db.session.commit()
    written = [object_id for _, _, object_id in _events(app)[start:]]
    assert written == ["before", "inside, released", "after"]
    _intact(app)


def test_a_transaction_rolled_back_leaves_nothing_for_the_next(app) -> None:  # type: ignore[no-untyped-def]
    from app.audit.models import AuditAction
    from app.audit.service import record
    from app.extensions import db

    start = len(_events(app))
    with app.app_context():
        record(AuditAction.LOGIN_FAILED, obj=("test", "rolled back"))
        db.session.rollback()
        record(AuditAction.LOGIN_FAILED, obj=("test", "closed unfinished"))
        db.session.close()
        db.session.commit()  # a transaction of its own, with nothing recorded
        record(AuditAction.LOGIN_FAILED, obj=("test", "kept"))
        db.session.commit()
    assert [object_id for _, _, object_id in _events(app)[start:]] == ["kept"]
    _intact(app)


def test_a_savepoint_rolled_back_keeps_the_documents_changed_before_it_queued_for_the_index(  # type: ignore[no-untyped-def]
    app, api
) -> None:
    from app import outbox
    from app.documents.models import Document
    from app.extensions import db
    from app.search.indexing import INDEX
    from tests.support import make_pdf

    doc_id = api("clerk_a").register(make_pdf()).get_json()["id"]
    with app.app_context():
        queued_before = db.session.scalar(sa.select(sa.func.count()).select_from(outbox.OutboxItem))
        doc = db.session.get(Document, doc_id)
        doc.subject = "Sửa trước điểm lưu"
        db.session.flush()
        with pytest.raises(RuntimeError), db.session.begin_nested():
            raise RuntimeError("a later row of the same batch fails")
        db.session.commit()
        rows = db.session.scalars(
            sa.select(outbox.OutboxItem).where(outbox.OutboxItem.kind == INDEX).order_by(outbox.OutboxItem.id)
        ).all()
        total = db.session.scalar(sa.select(sa.func.count()).select_from(outbox.OutboxItem))
    assert total == queued_before + 1
    assert rows[-1].payload == {"document_ids": [doc_id]}


def test_the_chain_head_is_not_held_while_a_transaction_is_at_work(app) -> None:  # type: ignore[no-untyped-def]
    """One transaction has recorded an event and is still at work; another records and commits without waiting for
    it (the head was locked from the record to the commit before). The chain follows the commits."""
    from app.audit.models import AuditAction
    from app.audit.service import record
    from app.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite lets one writer at a time anyway")
    start = len(_events(app))
    recorded, finish = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def slow() -> None:
        try:
            with app.app_context():
                record(AuditAction.LOGIN_FAILED, obj=("test", "slow"))
                db.session.execute(sa.text("SELECT 1"))  # the transaction is open on the server
                recorded.set()
                assert finish.wait(30)
                db.session.commit()
        except BaseException as err:  # pragma: no cover - reported below
            failures.append(err)
            recorded.set()

    worker = threading.Thread(target=slow)
    worker.start()
    try:
        assert recorded.wait(30)
        with app.app_context():
            db.session.execute(sa.text("SET LOCAL lock_timeout = '5s'"))
            record(AuditAction.LOGIN_FAILED, obj=("test", "quick"))
            db.session.commit()  # would fail with a lock timeout if the slow one held the head
    finally:
        finish.set()
        worker.join(30)
    assert not failures
    assert [object_id for _, _, object_id in _events(app)[start:]] == ["quick", "slow"]
    _intact(app)
