"""The audit log: every create, view, download, edit and login, hash-chained; tampering is found."""

from __future__ import annotations

import itertools

import sqlalchemy as sa

from tests.support import make_pdf, web_login


def _actions(app) -> list[str]:  # type: ignore[no-untyped-def]
    from app.audit.models import AuditEvent
    from app.extensions import db

    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.seq)))


def _verify(app):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def test_what_users_do_to_a_document_is_recorded_in_order(app, api) -> None:  # type: ignore[no-untyped-def]
    clerk = api("clerk_a")
    start = len(_actions(app))
    doc = clerk.register(make_pdf()).get_json()
    clerk.get(f"/api/v1/documents/{doc['id']}")
    clerk.get(doc["files"][0]["url"])
    clerk.patch(f"/api/v1/documents/{doc['id']}", json={"subject": "Sửa trích yếu"})
    assert _actions(app)[start:] == [
        "document:created",
        "document:viewed",
        "document:file:downloaded",
        "document:updated",
    ]


def test_logins_are_recorded_failed_or_not(app, world) -> None:  # type: ignore[no-untyped-def]
    start = len(_actions(app))
    client = app.test_client()
    web_login(client, "clerk_a", "wrong password")
    web_login(client, "nobody", "x")
    web_login(client, "clerk_a")
    assert _actions(app)[start:] == ["auth:login:failed", "auth:login:failed", "auth:login:succeeded"]


def test_a_refused_request_leaves_no_event(app, api) -> None:  # type: ignore[no-untyped-def]
    clerk = api("clerk_a")
    start = len(_actions(app))
    assert clerk.register(b"not a pdf").status_code == 422
    assert clerk.register(make_pdf(), subject="").status_code == 422
    assert _actions(app)[start:] == []


def test_each_event_carries_the_hash_of_the_one_before(app, api) -> None:  # type: ignore[no-untyped-def]
    from app.audit.models import AuditEvent
    from app.audit.service import GENESIS
    from app.extensions import db

    api("clerk_a").register(make_pdf())
    with app.app_context():
        events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.seq)).all()
        assert events[0].prev_hash == GENESIS
        for before, after in itertools.pairwise(events):
            assert after.prev_hash == before.hash
            assert after.seq == before.seq + 1
    result = _verify(app)
    assert result.exit_code == 0, result.output
    assert f"audit log intact: {len(events)} events" in result.output


def _tamper(app, sql: str, **params) -> None:  # type: ignore[no-untyped-def]
    from app.extensions import db

    with app.app_context(), db.engine.begin() as conn:
        conn.execute(sa.text(sql), params)


def test_a_changed_event_is_reported_with_its_number(app, api) -> None:  # type: ignore[no-untyped-def]
    api("clerk_a").register(make_pdf())
    _tamper(app, "UPDATE audit_events SET actor_id = NULL WHERE action = 'document:created'")
    result = _verify(app)
    assert result.exit_code == 1
    from app.audit.models import AuditEvent
    from app.extensions import db

    with app.app_context():
        seq = db.session.scalar(sa.select(AuditEvent.seq).where(AuditEvent.action == "document:created"))
    assert f"TAMPERED at event {seq}: its content was changed" in result.output


def test_a_deleted_event_is_reported(app, api) -> None:  # type: ignore[no-untyped-def]
    clerk = api("clerk_a")
    doc = clerk.register(make_pdf()).get_json()
    clerk.get(f"/api/v1/documents/{doc['id']}")
    _tamper(app, "DELETE FROM audit_events WHERE action = 'document:created'")
    result = _verify(app)
    assert result.exit_code == 1
    assert "is missing" in result.output


def test_events_cut_off_the_end_are_reported(app, api) -> None:  # type: ignore[no-untyped-def]
    clerk = api("clerk_a")
    doc = clerk.register(make_pdf()).get_json()
    clerk.get(f"/api/v1/documents/{doc['id']}")
    _tamper(app, "DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)")
    result = _verify(app)
    assert result.exit_code == 1
    assert "removed" in result.output


def test_a_rewritten_chain_is_caught_by_the_head(app, api) -> None:  # type: ignore[no-untyped-def]
    """Recomputing every hash after an edit still fails: the head keeps the last hash."""
    from app.audit.models import AuditEvent
    from app.audit.service import event_hash
    from app.extensions import db

    api("clerk_a").register(make_pdf())
    with app.app_context():
        rows = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.seq)).all()
        prev = rows[0].prev_hash
        for row in rows:
            if row.action == "document:created":
                row.data = {**row.data, "register_number": 999}
            row.prev_hash = prev
            row.hash = event_hash(
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
            prev = row.hash
        db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1
