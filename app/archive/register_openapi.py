"""The OpenAPI description of the register exports."""

from __future__ import annotations

from typing import Any

from .registers import FIRST_YEAR, LAST_YEAR, RegisterFormat


def _error(description: str) -> dict[str, Any]:
    error = {"$ref": "#/components/schemas/Error"}
    return {"description": description, "content": {"application/json": {"schema": error}}}


def paths() -> dict[str, Any]:
    year = {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR}
    direction = {"type": "string", "enum": ["incoming", "outgoing"]}
    formats = {"type": "string", "enum": [str(f) for f in RegisterFormat]}
    secret = {
        "name": "secret",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "enum": ["0", "1", "true", "false"]},
        "description": "1: the series of secret documents (entries the caller may not read show “(mật)”)",
    }
    responses = {
        "200": {
            "description": "The register, in number order, with the columns of Decree 30/2020, Appendix IV; "
            "X-Register-Rows says how many entries",
            "content": {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
                "application/pdf": {},
            },
        },
        "400": _error("A parameter is missing or invalid; `error.fields` names each"),
        "401": _error("Not logged in"),
        "403": _error("Not a clerk, an archivist or a leader"),
    }
    summary = "The register of incoming or outgoing documents of the caller's organisation for one year"
    return {
        "/archive/registers/{direction}/{year}.{fmt}": {
            "get": {
                "summary": summary + " (XLSX or PDF)",
                "parameters": [
                    {"name": "direction", "in": "path", "required": True, "schema": direction},
                    {"name": "year", "in": "path", "required": True, "schema": year},
                    {"name": "fmt", "in": "path", "required": True, "schema": formats},
                    secret,
                ],
                "responses": responses,
            }
        },
        "/archive/registers/export": {
            "get": {
                "summary": summary + ", with the parameters in the query string",
                "parameters": [
                    {"name": "direction", "in": "query", "required": True, "schema": direction},
                    {"name": "year", "in": "query", "required": True, "schema": year},
                    {"name": "format", "in": "query", "required": True, "schema": formats},
                    secret,
                ],
                "responses": responses,
            }
        },
    }
