"""The calendar's part of the OpenAPI description."""

from __future__ import annotations

from typing import Any


def paths() -> dict[str, Any]:
    from ..openapi import _errors, _json

    day = {"name": "day", "in": "path", "required": True, "schema": {"type": "string", "format": "date"}}
    calendar = {
        "type": "object",
        "description": "year, organisation_id, version, own_hours, office_hours [{weekday (0 Monday), opens, "
        "closes}], holidays [{day, name}], days [{day, kind, note}]",
    }
    return {
        "/calendar": {
            "get": {
                "summary": "The year's working calendar: office hours, public holidays, the admin's days",
                "parameters": [
                    {"name": "year", "in": "query", "required": False, "schema": {"type": "integer"}},
                    {"name": "organisation_id", "in": "query", "required": False, "schema": {"type": "integer"}},
                ],
                "responses": {"200": {"description": "The calendar", **_json(calendar)}, **_errors("401", "422")},
            }
        },
        "/calendar/office-hours": {
            "put": {
                "summary": "Replace the office hours, the deployment's or an organisation's own (admin)",
                "requestBody": {
                    "required": True,
                    **_json(
                        {
                            "type": "object",
                            "required": ["intervals"],
                            "properties": {
                                "organisation_id": {"type": ["integer", "null"]},
                                "intervals": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "weekday": {"type": "integer", "minimum": 0, "maximum": 6},
                                            "opens": {"type": "string", "example": "07:30"},
                                            "closes": {"type": "string", "example": "11:30"},
                                        },
                                    },
                                },
                            },
                        }
                    ),
                },
                "responses": {
                    "200": {"description": "The calendar with the new hours", **_json(calendar)},
                    **_errors("401", "403", "404", "422"),
                },
            }
        },
        "/calendar/days/{day}": {
            "put": {
                "summary": "Mark a date as a day off or a make-up working day, with why (admin)",
                "parameters": [day],
                "requestBody": {
                    "required": True,
                    **_json(
                        {
                            "type": "object",
                            "required": ["kind", "note"],
                            "properties": {
                                "kind": {"type": "string", "enum": ["day_off", "working_day"]},
                                "note": {"type": "string", "maxLength": 200},
                            },
                        }
                    ),
                },
                "responses": {"200": {"description": "Marked"}, **_errors("401", "403", "422")},
            },
            "delete": {
                "summary": "Remove the mark on a date (admin)",
                "parameters": [day],
                "responses": {"200": {"description": "Removed"}, **_errors("401", "403", "404", "422")},
            },
        },
    }
