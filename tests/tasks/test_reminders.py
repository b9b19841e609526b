"""Reminders of deadlines: due soon and overdue, in the app and by e-mail through a real SMTP server, once per
task, kind and deadline, also when the worker runs again or twice at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app import worker
from app.extensions import db, utcnow
from tests.mailserver import Inbox, free_port, smtp_server
from tests.tasks.support import ASSIGNER, LEAD, act, assign, set_task


@pytest.fixture
def mail() -> Iterator[Inbox]:
    with smtp_server() as inbox:
        yield inbox


@pytest.fixture
def mail_app(app_factory, mail: Inbox, world) -> Flask:  # type: ignore[no-untyped-def]
    """The worker's app, with the SMTP server; every user of A has an address."""
    from app.auth.models import User

    made = app_factory(SMTP_HOST=mail.host, SMTP_PORT=mail.port, SMTP_FROM="vpdt@example.vn")
    with made.app_context():
        for user in db.session.scalars(sa.select(User)):
            user.email = f"{user.username}@example.vn"
        db.session.commit()
    return made


def _reminders(app: Flask, username: str) -> list[tuple[str, str]]:
    from app.auth.models import User
    from app.notify.models import Notification

    with app.app_context():
        rows = db.session.execute(
            sa.select(Notification.kind, Notification.subject)
            .join(User, User.id == Notification.user_id)
            .where(User.username == username, Notification.kind.in_(["task.due_soon", "task.overdue"]))
            .order_by(Notification.id)
        ).all()
    return [(kind, subject) for kind, subject in rows]


def _mails_to(inbox: Inbox, username: str) -> list[str]:
    return [str(m["Subject"]) for m in inbox.messages if f"<{username}@example.vn>" in str(m["To"])]


def test_due_soon_then_overdue_each_once(app, mail_app, api, world, assigned, mail: Inbox) -> None:  # type: ignore[no-untyped-def]
    from app.auth.models import User

    with app.app_context():
        db.session.get(User, world.users[ASSIGNER]).locale = "en"
        db.session.commit()
    task = assigned(instructions="Báo cáo trước hạn.")
    soon = utcnow() + timedelta(hours=3)  # within two working days whatever the day
    set_task(app, task["id"], deadline=soon)

    assert worker.send_reminders(mail_app) == 1
    worker.run_until_idle(mail_app)
    assert [k for k, _ in _reminders(app, LEAD)] == ["task.due_soon"]
    assert _reminders(app, ASSIGNER) == []  # the leader hears once it is late, not before
    assert _reminders(app, LEAD)[0][1].startswith("Sắp đến hạn xử lý: ")  # in the reader's language
    assert mail.wait_for(1) and _mails_to(mail, LEAD) == [_reminders(app, LEAD)[0][1]]

    # The worker restarted, or run again: nothing more.
    assert worker.send_reminders(mail_app) == 0
    worker.run_until_idle(mail_app)
    assert len(_reminders(app, LEAD)) == 1 and len(mail.messages) == 1

    set_task(app, task["id"], deadline=utcnow() - timedelta(minutes=5))  # the deadline passed
    assert worker.send_reminders(mail_app) == 1
    worker.run_until_idle(mail_app)
    assert [k for k, _ in _reminders(app, LEAD)] == ["task.due_soon", "task.overdue"]
    assert [k for k, _ in _reminders(app, ASSIGNER)] == ["task.overdue"]
    assert _reminders(app, ASSIGNER)[0][1].startswith("Overdue: ")  # the leader reads English
    mail.wait_for(3)
    assert len(_mails_to(mail, LEAD)) == 2 and len(_mails_to(mail, ASSIGNER)) == 1
    assert worker.send_reminders(mail_app) == 0
    worker.run_until_idle(mail_app)
    assert len(mail.messages) == 3

    listed = api(LEAD).get("/api/v1/notifications").get_json()["items"]
    overdue = next(n for n in listed if n["kind"] == "task.overdue")
    assert overdue["link"] == f"/tasks/{task['id']}"
    assert task["document"]["subject"] in overdue["subject"]


def test_a_new_deadline_is_reminded_of_again(app, mail_app, api, assigned) -> None:  # type: ignore[no-untyped-def]
    task = assigned()
    tid = task["id"]
    set_task(app, tid, deadline=utcnow() - timedelta(hours=1))
    assert act(api, tid, "accept", LEAD).status_code == 200
    assert worker.send_reminders(mail_app) == 1
    later = (utcnow() + timedelta(days=30)).date().isoformat()
    assert act(api, tid, "request_extension", LEAD, deadline=later, reason="Chờ số liệu.").status_code == 200
    assert act(api, tid, "grant_extension", ASSIGNER).status_code == 200
    set_task(app, tid, deadline=utcnow() - timedelta(minutes=1))  # and that one passed too
    assert worker.send_reminders(mail_app) == 1
    assert [k for k, _ in _reminders(app, LEAD)] == ["task.overdue", "task.overdue"]


def test_finished_tasks_are_not_reminded_of(app, mail_app, api, assigned) -> None:  # type: ignore[no-untyped-def]
    done, cancelled, returned = assigned(), assigned(), assigned()
    assert act(api, done["id"], "accept", LEAD).status_code == 200
    assert act(api, done["id"], "complete", LEAD, note="Xong.").status_code == 200
    assert act(api, cancelled["id"], "cancel", ASSIGNER, note="Không cần.").status_code == 200
    assert act(api, returned["id"], "return", LEAD, reason="Không thuộc thẩm quyền.").status_code == 200
    for task in (done, cancelled, returned):
        set_task(app, task["id"], deadline=utcnow() - timedelta(hours=1))
    assert worker.send_reminders(mail_app) == 0
    assert _reminders(app, LEAD) == [] and _reminders(app, ASSIGNER) == []


def test_a_unit_lead_is_reminded_through_its_head(app, mail_app, api, world, incoming, units) -> None:  # type: ignore[no-untyped-def]
    doc = incoming()
    unit = units["a"]
    assert (
        api("admin_a").put(f"/api/v1/units/{unit}/head", json={"user_id": world.users["archivist_a"]}).status_code
        == 200
    )
    created = assign(api, doc["id"], {"lead": {"unit_id": unit}}).get_json()
    set_task(app, created["id"], deadline=utcnow() - timedelta(hours=2))
    assert worker.send_reminders(mail_app) == 1
    assert [k for k, _ in _reminders(app, "archivist_a")] == ["task.overdue"]
    assert _reminders(app, LEAD) == []  # a member, not the head


def test_two_workers_at_once_send_each_reminder_once(app, app_factory, mail_app, assigned, mail: Inbox) -> None:  # type: ignore[no-untyped-def]
    tasks = [assigned() for _ in range(6)]
    for task in tasks:
        set_task(app, task["id"], deadline=utcnow() - timedelta(hours=1))
    other = app_factory(SMTP_HOST=mail.host, SMTP_PORT=mail.port)  # a second worker: the same database
    counts: list[int] = []
    start = threading.Barrier(2)

    def run(made: Flask) -> None:
        start.wait()
        counts.append(worker.send_reminders(made))

    threads = [threading.Thread(target=run, args=(made,)) for made in (mail_app, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(counts) == 6
    assert len(_reminders(app, LEAD)) == 6 and len(_reminders(app, ASSIGNER)) == 6
    worker.run_until_idle(mail_app)
    mail.wait_for(12)
    assert len(mail.messages) == 12


def test_the_mail_server_away_delays_the_mail_not_the_reminder(app, app_factory, world, assigned) -> None:  # type: ignore[no-untyped-def]
    from app.auth.models import User

    port = free_port()  # nothing listens here yet
    away = app_factory(SMTP_HOST="127.0.0.1", SMTP_PORT=port, OUTBOX_BACKOFF_SECONDS=0.01)
    with away.app_context():
        db.session.get(User, world.users[LEAD]).email = "cv@example.vn"
        db.session.commit()
    task = assigned()
    set_task(app, task["id"], deadline=utcnow() - timedelta(hours=1))
    assert worker.send_reminders(away) == 1
    worker.run_due(away)  # the mail server is away: the e-mail waits in the outbox
    assert len(_reminders(app, LEAD)) == 1
    with smtp_server() as inbox:
        inbox_app = app_factory(SMTP_HOST=inbox.host, SMTP_PORT=inbox.port)
        # The outbox row keeps the address it was given; the server now answers on another port, so the
        # row is sent by an app that points there, as after fixing the settings and restarting the worker.
        from app.outbox import OutboxItem

        with inbox_app.app_context():
            db.session.execute(sa.update(OutboxItem).values(next_attempt_at=utcnow()))
            db.session.commit()
        assert worker.send_reminders(inbox_app) == 0  # not a second reminder
        worker.run_until_idle(inbox_app)
        assert len(inbox.wait_for(1)) == 1


def _kinds(app: Flask, username: str) -> list[str]:
    from app.auth.models import User
    from app.notify.models import Notification

    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(Notification.kind)
                .join(User, User.id == Notification.user_id)
                .where(User.username == username)
                .order_by(Notification.id)
            )
        )


def test_people_hear_of_what_concerns_them(app, api, assigned) -> None:  # type: ignore[no-untyped-def]
    task = assigned()  # specialist_a leads, archivist_a coordinates, clerk_a is informed, leader_a assigned
    tid = task["id"]
    assert _kinds(app, LEAD) == ["task.assign"]
    assert _kinds(app, "archivist_a") == ["task.coordinator"]
    assert _kinds(app, "clerk_a") == ["task.informed"]
    assert _kinds(app, ASSIGNER) == []  # nobody is told of their own action
    assert act(api, tid, "accept", LEAD).status_code == 200
    later = (utcnow() + timedelta(days=40)).date().isoformat()
    assert act(api, tid, "request_extension", LEAD, deadline=later, reason="Chờ số liệu.").status_code == 200
    assert act(api, tid, "refuse_extension", ASSIGNER, reason="Cần gấp.").status_code == 200
    assert act(api, tid, "complete", LEAD, note="Đã xong.").status_code == 200
    assert _kinds(app, ASSIGNER) == ["task.request_extension", "task.complete"]
    assert _kinds(app, LEAD) == ["task.assign", "task.refuse_extension"]
    listed = api(LEAD).get("/api/v1/notifications").get_json()["items"]
    assert any(task["document"]["subject"] in n["subject"] for n in listed)
