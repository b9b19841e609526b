"""The public lookup over JSON, without logging in: GET /api/v1/public/dossiers/<code>?s=<secret>."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from ..api import api
from ..clock import to_local
from ..ratelimit import client_key, hit
from ..security import public
from .lookup import LOOKUPS_PER_MINUTE, PublicDossier, find_public


def _moment(value: Any) -> str | None:
    local = to_local(value)
    return local.isoformat() if local is not None else None


def public_json(found: PublicDossier) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": found.code,
        "status": found.portal_status,
        "status_name": found.status_name,
        "received_at": _moment(found.received_at),
        "appointment_at": _moment(found.appointment_at),
        "new_appointment_at": _moment(found.promised_at) if found.promised_at != found.appointment_at else None,
    }
    if found.full:
        body["procedure"] = {"code": found.procedure_code, "name": found.procedure_name}
        body["applicant"] = found.applicant
        body["history"] = [
            {"at": _moment(s.at), "status": s.portal_status, "status_name": s.status_name, "message": s.message}
            for s in found.steps
        ]
    return body


@api.get("/public/dossiers/<path:code>")
@public
def public_dossier(code: str):  # type: ignore[no-untyped-def]
    """A dossier's status and dates by its receipt code; with the slip's secret (`s`), its procedure, masked
    applicant and the messages written for the applicant. Limited per client address (429, Retry-After)."""
    hit(client_key("lookup"), LOOKUPS_PER_MINUTE, 60)
    response = jsonify(public_json(find_public(code, request.args.get("s"))))
    response.headers["Cache-Control"] = "no-store"
    return response
