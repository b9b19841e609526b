"""A notification waiting to be read, and the once-only keys that stop a reminder from being sent twice."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db, utcnow


class Notification(db.Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    link: Mapped[str | None] = mapped_column(sa.String(500))
    # Set for notifications that must exist once only (a reminder of a task, of a kind): a second attempt,
    # by a worker restarted or running twice, hits the unique key and is dropped.
    once_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    emailed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    __table_args__ = (sa.Index("ix_notifications_user_unread", "user_id", "read_at"),)
