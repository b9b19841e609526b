"""API tokens: `POST /api/v1/auth/token` with a username and password."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext
from flask_login import current_user

from ..api import api
from ..errors import InvalidInput, Unauthorized
from ..extensions import db
from ..security import public
from . import service


def _json_body() -> dict:
    data = request.get_json(silent=True)
    if data is None and request.form:
        data = request.form.to_dict()
    if not isinstance(data, dict):
        raise InvalidInput(message=gettext("Send a JSON object."))
    return data


@api.post("/auth/token")
@public
def create_token():  # type: ignore[no-untyped-def]
    data = _json_body()
    username, password = data.get("username"), data.get("password")
    missing = {
        k: gettext("Required.")
        for k, v in (("username", username), ("password", password))
        if not isinstance(v, str) or not v
    }
    if missing:
        raise InvalidInput(missing)
    outcome = service.authenticate(username, password, channel="api")
    if not outcome.ok:
        db.session.commit()  # the failure count and its audit event are kept
        raise Unauthorized(service.login_error_message(outcome))
    row, token = service.create_token(outcome.user, data.get("name") if isinstance(data.get("name"), str) else None)
    return jsonify({"token": token, "id": row.id, "expires_at": row.expires_at.isoformat()}), 201


@api.get("/auth/tokens")
def list_tokens():  # type: ignore[no-untyped-def]
    rows = service.tokens_of(current_user)
    return jsonify({"items": [_token_json(r) for r in rows], "total": len(rows)})


@api.delete("/auth/token")
def revoke_current_token():  # type: ignore[no-untyped-def]
    """Revoke the token this request carries."""
    from ..security import _bearer_token

    token = _bearer_token()
    if token is None:
        raise InvalidInput(message=gettext("This request carries no bearer token."))
    service.revoke_token_value(current_user, token)
    return "", 204


@api.delete("/auth/tokens/<int:token_id>")
def revoke_token(token_id: int):  # type: ignore[no-untyped-def]
    service.revoke_token(current_user, token_id)
    return "", 204


@api.get("/me")
def me():  # type: ignore[no-untyped-def]
    user = current_user
    return jsonify(
        {
            "id": user.id,
            "username": user.username,
            "full_name": user.full_name,
            "position": user.position,
            "roles": sorted(user.roles),
            "organisation": {
                "id": user.organisation.id,
                "code": user.organisation.code,
                "name": user.organisation.name,
            },
        }
    )


@api.put("/units/<int:unit_id>/head")
def set_unit_head(unit_id: int):  # type: ignore[no-untyped-def]
    """Name the head of a unit: {"user_id": 12}, or {"user_id": null} for none (an admin)."""
    data = _json_body()
    user_id = data.get("user_id")
    whole = isinstance(user_id, int) and not isinstance(user_id, bool) and 1 <= user_id < 2**31
    if "user_id" not in data or not (user_id is None or whole):
        raise InvalidInput({"user_id": gettext("Must be a user id (a whole number), or null for none.")})
    unit = service.set_unit_head(current_user, unit_id, user_id)
    db.session.commit()
    return jsonify({"id": unit.id, "name": unit.name, "head_user_id": unit.head_user_id})


def _token_json(row) -> dict:  # type: ignore[no-untyped-def]
    return {
        "id": row.id,
        "prefix": row.prefix,
        "name": row.name,
        "created_at": row.created_at.isoformat(),
        "expires_at": row.expires_at.isoformat() if row.expires_at else None,
        "last_used_at": row.last_used_at.isoformat() if row.last_used_at else None,
        "revoked": row.revoked_at is not None,
    }
