"""Notifications in the app and by e-mail through a real SMTP server; once-only keys; the mail server away."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from app import worker
from app.extensions import db
from app.notify import service
from app.notify.models import Notification
from app.outbox import OutboxItem
from tests.mailserver import Inbox, free_port, smtp_server


@pytest.fixture
def mail() -> Iterator[Inbox]:
    with smtp_server() as inbox:
        yield inbox


def _user(app: Flask, world, username: str, email: str | None = "ai@example.vn"):  # type: ignore[no-untyped-def]
    from app.auth.models import User

    user = db.session.get(User, world.users[username])
    user.email = email
    db.session.commit()
    return user


def test_a_notification_is_shown_in_the_app_and_mailed(app_factory, world, mail: Inbox, api) -> None:  # type: ignore[no-untyped-def]
    app = app_factory(SMTP_HOST=mail.host, SMTP_PORT=mail.port, SMTP_FROM="vpdt@example.vn")
    with app.app_context():
        user = _user(app, world, "specialist_a", "chuyenvien@example.vn")
        service.notify(user, "task.due_soon", "Văn bản sắp đến hạn xử lý", "Còn 2 ngày làm việc.", "/documents/1")
        db.session.commit()
    worker.run_until_idle(app)
    (message,) = mail.wait_for(1)
    assert message["To"] == "Người specialist A <chuyenvien@example.vn>"
    assert message["From"] == "vpdt@example.vn"
    assert message["Subject"] == "Văn bản sắp đến hạn xử lý"
    body = message.get_content()
    assert "Còn 2 ngày làm việc." in body and "/documents/1" in body
    listed = api("specialist_a").get("/api/v1/notifications").get_json()
    assert listed["unread"] == 1 and listed["items"][0]["subject"] == "Văn bản sắp đến hạn xử lý"
    nid = listed["items"][0]["id"]
    assert api("leader_a").post(f"/api/v1/notifications/{nid}/read").status_code == 404  # someone else's
    assert api("specialist_a").post(f"/api/v1/notifications/{nid}/read").status_code == 200
    assert api("specialist_a").get("/api/v1/notifications").get_json()["unread"] == 0


def test_a_once_only_notification_exists_once(app_factory, world, mail: Inbox) -> None:  # type: ignore[no-untyped-def]
    app = app_factory(SMTP_HOST=mail.host, SMTP_PORT=mail.port)
    with app.app_context():
        user = _user(app, world, "leader_a")
        first = service.notify(user, "task.overdue", "Quá hạn", once_key="task:7:overdue")
        db.session.commit()
        again = service.notify(user, "task.overdue", "Quá hạn", once_key="task:7:overdue")
        db.session.commit()
        assert first is not None and again is None
        assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 1
        assert db.session.scalar(sa.select(sa.func.count(OutboxItem.id))) == 1
    worker.run_until_idle(app)
    assert len(mail.wait_for(1)) == 1


def test_without_an_address_or_smtp_it_stays_in_the_app(app_factory, world) -> None:  # type: ignore[no-untyped-def]
    app = app_factory(SMTP_HOST="")
    with app.app_context():
        row = service.notify(_user(app, world, "clerk_a"), "x", "Không gửi thư")
        db.session.commit()
        assert row is not None and row.emailed is False
        assert db.session.scalar(sa.select(sa.func.count(OutboxItem.id))) == 0


def test_the_mail_server_away_is_tried_again_later(app_factory, world) -> None:  # type: ignore[no-untyped-def]
    port = free_port()  # nothing listens here yet
    app = app_factory(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_TIMEOUT_SECONDS=2)
    with app.app_context():
        service.notify(_user(app, world, "clerk_a"), "x", "Thư chờ gửi")
        db.session.commit()
    worker.run_due(app)
    with app.app_context():
        item = db.session.scalars(sa.select(OutboxItem)).one()
        assert item.state == "pending" and item.attempts == 1 and item.last_error
        item.next_attempt_at = item.created_at  # due again now
        db.session.commit()
    from aiosmtpd.controller import Controller

    from tests.mailserver import Inbox

    inbox = Inbox("127.0.0.1", port)
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        worker.run_until_idle(app)
        assert len(inbox.wait_for(1)) == 1
    finally:
        controller.stop()
    with app.app_context():
        assert db.session.scalars(sa.select(OutboxItem)).one().state == "done"
