"""Telling people things: a notification in the app, and the same by e-mail when the user has an address and
SMTP is configured. The e-mail goes through the outbox, so it leaves only if the notification commits, and is
retried when the mail server is away."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext

from .. import outbox
from ..auth.models import User
from ..errors import NotFound
from ..extensions import db, insert_or_ignore, utcnow
from .models import Notification

MAIL = "mail.send"


def notify(
    user: User,
    kind: str,
    subject: str,
    body: str = "",
    link: str | None = None,
    *,
    once_key: str | None = None,
) -> Notification | None:
    """A notification for `user` (and an e-mail, when possible), in the caller's transaction.

    With `once_key`, at most one notification ever exists for that key: None when there is one already.
    """
    values: dict[str, Any] = {
        "user_id": user.id,
        "kind": kind,
        "subject": subject[:300],
        "body": body,
        "link": link,
        "once_key": once_key,
        "emailed": False,
        "created_at": utcnow(),
    }
    if once_key is not None:
        statement = insert_or_ignore(Notification.__table__, values).returning(Notification.__table__.c.id)
        inserted = db.session.execute(statement).scalar()
        if inserted is None:  # the key was there: sent already
            return None
        row = db.session.get(Notification, inserted)
        assert row is not None
    else:
        row = Notification(**values)
        db.session.add(row)
        db.session.flush()
    if user.email and current_app.config.get("SMTP_HOST"):
        row.emailed = True
        outbox.enqueue(
            MAIL,
            {
                "to": user.email,
                "name": user.full_name,
                "subject": row.subject,
                "body": body + (f"\n\n{_absolute(link)}" if link else ""),
                "message_id": make_msgid(domain="e-office"),
            },
        )
    return row


def _absolute(link: str) -> str:
    base = (current_app.config.get("PUBLIC_URL") or "http://127.0.0.1:5000").rstrip("/")
    return base + link if link.startswith("/") else link


@outbox.handler(MAIL)
def send_mail(payload: dict[str, Any]) -> None:
    """One e-mail through the configured SMTP server; the same Message-ID on every attempt."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config.get("SMTP_FROM") or "e-office@localhost"
    message["To"] = f"{payload['name']} <{payload['to']}>"
    message["Subject"] = payload["subject"]
    message["Message-ID"] = payload["message_id"]
    message.set_content(payload["body"] or payload["subject"])
    timeout = float(config.get("SMTP_TIMEOUT_SECONDS", 20))
    with smtplib.SMTP(config["SMTP_HOST"], int(config.get("SMTP_PORT", 25)), timeout=timeout) as smtp:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD", ""))
        try:
            smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as err:
            raise outbox.GiveUp(f"the mail server refused {payload['to']}: {err.recipients}") from err


def unread(user: User, limit: int = 50) -> list[Notification]:
    return list(
        db.session.scalars(
            sa.select(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def unread_count(user: User) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def mark_read(user: User, notification_id: int) -> Notification:
    row = db.session.get(Notification, notification_id)
    if row is None or row.user_id != user.id:
        raise NotFound(gettext("No such notification."))
    if row.read_at is None:
        row.read_at = utcnow()
    return row
