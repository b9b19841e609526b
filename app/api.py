"""The JSON API under /api/v1: one blueprint; each domain adds its routes from its own api.py."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext

from .errors import InvalidInput, TooLarge
from .extensions import db
from .security import public

api = Blueprint("api", __name__, url_prefix="/api/v1")


def json_object(max_bytes: int, too_large: str | None = None) -> dict[str, Any]:
    """The request's JSON object; an empty body is an empty object; a body over `max_bytes` is refused unread
    (413, `too_large` or a message naming the limit), also one sent without its length."""
    if request.content_length is not None and request.content_length > max_bytes:
        raise TooLarge(too_large or gettext("The request is larger than %(kb)s KB.", kb=max_bytes // 1024))
    request.max_content_length = max_bytes
    if not request.get_data(cache=True).strip():
        return {}
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InvalidInput(message=gettext("Send a JSON object."))
    return data


@api.get("/health")
@public
def health():  # type: ignore[no-untyped-def]
    """The state of the database and the object store; 503 when either is down."""
    from .storage.errors import StorageUnavailable
    from .storage.service import current_store

    state = {"database": "ok", "storage": "ok"}
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as err:
        state["database"] = f"down: {type(err).__name__}"
        db.session.rollback()
    try:
        current_store().ping()
    except StorageUnavailable:
        state["storage"] = "down"
    healthy = all(v == "ok" for v in state.values())
    body = {"status": "ok" if healthy else "degraded", **state, "version": current_app.config.get("VERSION", "dev")}
    return jsonify(body), 200 if healthy else 503


@api.get("/openapi.json")
@public
def openapi():  # type: ignore[no-untyped-def]
    from .openapi import build_spec

    return jsonify(build_spec())


from .archive import api as _archive_api  # noqa: E402,F401
from .archive import register_api as _register_api  # noqa: E402,F401
from .auth import api as _auth_api  # noqa: E402,F401 - routes register themselves on `api`
from .calendar import api as _calendar_api  # noqa: E402,F401
from .documents import api as _documents_api  # noqa: E402,F401
from .notify import api as _notify_api  # noqa: E402,F401
from .onestop import api as _onestop_api  # noqa: E402,F401
from .onestop import public_api as _onestop_public_api  # noqa: E402,F401
from .routing import api as _routing_api  # noqa: E402,F401
from .search import api as _search_api  # noqa: E402,F401
from .signing import api as _signing_api  # noqa: E402,F401
from .tasks import api as _tasks_api  # noqa: E402,F401
