"""The caller's notifications over JSON."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user

from ..api import api
from ..extensions import db
from . import service
from .models import Notification


def notification_json(n: Notification) -> dict[str, Any]:
    return {
        "id": n.id,
        "kind": n.kind,
        "subject": n.subject,
        "body": n.body,
        "link": n.link,
        "emailed": n.emailed,
        "created_at": n.created_at.isoformat(),
        "read_at": n.read_at.isoformat() if n.read_at else None,
    }


@api.get("/notifications")
def notifications():  # type: ignore[no-untyped-def]
    """The caller's unread notifications, newest first."""
    rows = service.unread(current_user)
    return jsonify({"items": [notification_json(n) for n in rows], "unread": service.unread_count(current_user)})


@api.post("/notifications/<int:notification_id>/read")
def read_notification(notification_id: int):  # type: ignore[no-untyped-def]
    row = service.mark_read(current_user, notification_id)
    db.session.commit()
    return jsonify(notification_json(row))
