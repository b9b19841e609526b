"""The one-stop desk's part of the OpenAPI description (app/openapi.py merges it)."""

from __future__ import annotations

from typing import Any

from ..openapi import _errors, _json, _ref
from .schemas import ProcedureInput


def components() -> dict[str, Any]:
    schema = ProcedureInput.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas: dict[str, Any] = schema.pop("$defs", {})
    schemas["ProcedureInput"] = schema
    days = {"type": "number", "description": "Working days (halves allowed)"}
    schemas["Procedure"] = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "code": {"type": "string", "description": "As in the national database: 1.002835.000.00.00.H56"},
            "name": {"type": "string"},
            "field": {"type": "string", "description": "Lĩnh vực"},
            "organisation": {"type": "object", "description": "The resolving organisation: id, code, name"},
            "channels": {"type": "array", "items": {"type": "string", "enum": ["direct", "online", "post"]}},
            "statutory_days": days,
            "fees": {"type": "array", "items": {"type": "object", "description": "name, amount (VND)"}},
            "total_fee": {"type": "integer"},
            "papers": {"type": "array", "items": {"type": "object", "description": "name, form, copies, required"}},
            "steps": {
                "type": "array",
                "description": "In order; their days add up to statutory_days; unit null: the one-stop desk",
                "items": {"type": "object", "properties": {"name": {"type": "string"}, "unit": {}, "days": days}},
            },
            "active": {"type": "boolean"},
            "updated_at": {"type": "string", "format": "date-time"},
            "url": {"type": "string"},
        },
    }
    schemas["ProcedureList"] = {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": _ref("Procedure")},
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
        },
    }
    return schemas


def paths() -> dict[str, Any]:
    code = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
    query = [
        {"name": name, "in": "query", "required": False, "schema": {"type": kind}}
        for name, kind in (
            ("q", "string"),
            ("field", "string"),
            ("organisation_id", "integer"),
            ("include_inactive", "boolean"),
            ("page", "integer"),
            ("per_page", "integer"),
        )
    ]
    return {
        "/onestop/procedures": {
            "get": {
                "summary": "The procedures catalogue (filtered by words of the name or code, field, organisation)",
                "parameters": query,
                "responses": {
                    "200": {"description": "A page", **_json(_ref("ProcedureList"))},
                    **_errors("401", "422"),
                },
            }
        },
        "/onestop/procedures/{code}": {
            "get": {
                "summary": "One procedure with its papers and steps",
                "parameters": [code],
                "responses": {
                    "200": {"description": "The procedure", **_json(_ref("Procedure"))},
                    **_errors("401", "404"),
                },
            },
            "put": {
                "summary": "Make or replace the procedure with this code (an admin); steps' days add up to its time",
                "parameters": [code],
                "requestBody": {"required": True, **_json(_ref("ProcedureInput"))},
                "responses": {
                    "200": {"description": "Replaced", **_json(_ref("Procedure"))},
                    "201": {"description": "Made", **_json(_ref("Procedure"))},
                    "413": {"description": "The body is over 1 MB", **_json(_ref("Error"))},
                    **_errors("401", "403", "422"),
                },
            },
        },
    }
