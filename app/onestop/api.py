"""The procedures catalogue over JSON: /api/v1/onestop/procedures (read by every signed-in user, written by the
admin)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from flask_babel import gettext
from flask_login import current_user

from ..api import api, json_object
from ..errors import InvalidInput
from ..extensions import db
from ..validation import parse
from . import procedures
from .models import Procedure
from .schemas import ProcedureQuery

# A procedure with its papers and steps fits in well under a megabyte.
MAX_JSON_BYTES = 1024 * 1024


def procedure_json(p: Procedure) -> dict[str, Any]:
    org = p.resolving_organisation
    return {
        "id": p.id,
        "code": p.code,
        "name": p.name,
        "field": p.field,
        "organisation": {"id": org.id, "code": org.code, "name": org.name},
        "channels": [str(c) for c in p.channel_list],
        "statutory_days": float(p.statutory_days),
        "fees": p.fees or [],
        "total_fee": p.total_fee,
        "papers": [
            {"name": paper.name, "form": paper.form, "copies": paper.copies, "required": paper.required}
            for paper in p.papers
        ],
        "steps": [
            {
                "name": step.name,
                "unit": {"id": step.unit.id, "name": step.unit.name, "code": step.unit.code} if step.unit else None,
                "days": float(step.days),
            }
            for step in p.steps
        ],
        "active": p.active,
        "updated_at": p.updated_at.isoformat(),
        "url": url_for("api.get_procedure", code=p.code),
    }


@api.get("/onestop/procedures")
def list_procedures():  # type: ignore[no-untyped-def]
    """The catalogue, by code: words of the name or code (q), field, resolving organisation (its id)."""
    query = parse(ProcedureQuery, request.args.to_dict())
    page, per_page = query.page or 1, query.per_page or 50
    found = procedures.list_procedures(
        q=query.q or "",
        field=query.field,
        organisation_id=query.organisation_id,
        active_only=not query.include_inactive,
        page=page,
        per_page=per_page,
    )
    return jsonify(
        {"items": [procedure_json(p) for p in found.items], "total": found.total, "page": page, "per_page": per_page}
    )


@api.get("/onestop/procedures/<code>")
def get_procedure(code: str):  # type: ignore[no-untyped-def]
    return jsonify(procedure_json(procedures.get_procedure(code)))


@api.put("/onestop/procedures/<code>")
def put_procedure(code: str):  # type: ignore[no-untyped-def]
    """Make or replace the procedure with this code (the admin); the body's code, if any, must be the same."""
    body = json_object(MAX_JSON_BYTES)
    body.setdefault("code", code)
    data = procedures.procedure_input(body)
    if data.code != code.strip().upper():
        raise InvalidInput({"code": gettext("The code in the body is not the one in the address.")})
    procedure, made = procedures.save_procedure(current_user, data)
    result = procedure_json(procedure)
    db.session.commit()
    response = jsonify(result)
    response.status_code = 201 if made else 200
    if made:
        response.headers["Location"] = url_for("api.get_procedure", code=procedure.code)
    return response
