"""The one-stop desk's part of the OpenAPI description (app/openapi.py merges it)."""

from __future__ import annotations

from typing import Any

from ..openapi import _errors, _json, _ref
from .processing import ApologyInput, MoveInput
from .results import ResultDraftInput
from .schemas import IntakeInput, ProcedureInput


def components() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for model in (ProcedureInput, IntakeInput, MoveInput, ApologyInput, ResultDraftInput):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
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
    moment = {"type": ["string", "null"], "format": "date-time"}
    schemas["Dossier"] = {
        "type": "object",
        "description": "A dossier as the staff of the receiving or resolving organisation see it",
        "properties": {
            "id": {"type": "integer"},
            "code": {"type": "string", "description": "Receipt code: {org}-{yymmdd}-{NNNN}-{check character}"},
            "secret": {"type": "string", "description": "Printed on the slip; with the code, opens the public lookup"},
            "procedure": {"type": "object", "description": "code, name"},
            "status": {"type": "string"},
            "portal_status": {"type": "integer", "minimum": 1, "maximum": 10},
            "applicant": {"type": "object", "description": "name, id_number, phone, email, address"},
            "papers": {
                "type": "array",
                "items": {
                    "type": "object",
                    "description": "name, form, copies, scan (sha256, size, content_type, filename, url) or null",
                },
            },
            "reason": {"type": ["object", "null"], "description": "code, text: why papers were asked for or refused"},
            "received_at": moment,
            "counting_from": {**moment, "description": "The office opening the statutory time counts from"},
            "appointment_at": {**moment, "description": "Ngày hẹn trả kết quả"},
            "calendar_version": {"type": ["string", "null"]},
            "events": {"type": "array", "items": {"type": "object"}},
            "result": {
                "type": ["object", "null"],
                "description": "The result's outgoing document: document_id, status, subject, and once issued its "
                "number, notation and issued_on",
            },
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
    multipart = {
        "type": "object",
        "properties": {
            "dossier": {"type": "string", "description": "The IntakeInput as JSON text"},
            "paper_0": {"type": "string", "format": "binary", "description": "The scan of paper 0 (PDF, JPEG, PNG)"},
        },
    }
    received = {"201": {"description": "Received (or recorded as to complete, or refused)", **_json(_ref("Dossier"))}}
    return {
        "/onestop/dossiers": {
            "get": {
                "summary": "The dossiers received at the caller's desk (or, view=resolving, resolved by their "
                "organisation), newest first, filtered",
                "parameters": [
                    {
                        "name": "q",
                        "in": "query",
                        "description": "A receipt code or its beginning, a phone or identity number, or words of the "
                        "applicant's name (with or without diacritics); a whole valid code, or the slip's QR code "
                        "(the lookup's address) as a scanner reads it, finds that dossier alone",
                        "schema": {"type": "string", "maxLength": 300},
                    },
                    {"name": "view", "in": "query", "schema": {"type": "string", "enum": ["received", "resolving"]}},
                    {"name": "status", "in": "query", "schema": {"type": "string"}},
                    {"name": "procedure", "in": "query", "schema": {"type": "string"}},
                    {"name": "overdue", "in": "query", "schema": {"type": "boolean"}},
                    {
                        "name": "mine",
                        "in": "query",
                        "description": "Taken in hand by the caller",
                        "schema": {"type": "boolean"},
                    },
                    {"name": "received_from", "in": "query", "schema": {"type": "string", "format": "date"}},
                    {"name": "received_to", "in": "query", "schema": {"type": "string", "format": "date"}},
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}},
                ],
                "responses": {
                    "200": {
                        "description": "items (code, procedure, applicant, status, dates, overdue, url), total, page",
                        **_json({"type": "object"}),
                    },
                    **_errors("401", "422"),
                },
            },
            "post": {
                "summary": "Receive a dossier at the caller's one-stop desk; scans as paper_<n> of a multipart form",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": _ref("IntakeInput")},
                        "multipart/form-data": {"schema": multipart},
                    },
                },
                "responses": {**received, **_errors("401", "403", "422", "503")},
            },
        },
        "/onestop/dossiers/{code}": {
            "get": {
                "summary": "A dossier of the caller's desk, or one their organisation resolves",
                "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "The dossier", **_json(_ref("Dossier"))}, **_errors("401", "404")},
            }
        },
        "/onestop/dossiers/{code}/moves": {
            "post": {
                "summary": "Move the dossier on (transfer, take, submit, approve, send back, ask for papers, ...), "
                "as JSON, or as a multipart form with the move's fields and its files (PDF, JPEG, PNG) in `files`",
                "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": _ref("MoveInput")},
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["move"],
                                "properties": {
                                    "move": {"type": "string"},
                                    "note": {"type": "string"},
                                    "public_message": {"type": "string"},
                                    "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                                },
                            }
                        },
                    },
                },
                "responses": {
                    "200": {"description": "Moved", **_json(_ref("Dossier"))},
                    "409": {
                        "description": "Not a move from its status (error.state)",
                        **_json(_ref("Error")),
                    },
                    **_errors("401", "403", "404", "422", "503"),
                },
            }
        },
        "/onestop/dossiers/{code}/apology": {
            "post": {
                "summary": "Issue the apology drafted when the dossier cannot make its appointment, with a new date",
                "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
                "requestBody": {"required": False, **_json(_ref("ApologyInput"))},
                "responses": {
                    "200": {"description": "Issued", **_json(_ref("Dossier"))},
                    "409": {"description": "No apology is waiting to be issued", **_json(_ref("Error"))},
                    **_errors("401", "403", "404", "422"),
                },
            }
        },
        "/onestop/dossiers/{code}/fee-paid": {
            "post": {
                "summary": "The desk records the dossier's fee as paid (once)",
                "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "Recorded", **_json(_ref("Dossier"))},
                    "409": {"description": "Paid already, or nothing to pay", **_json(_ref("Error"))},
                    **_errors("401", "403", "404"),
                },
            }
        },
        "/onestop/calendar-report": {
            "get": {
                "summary": "The desk's open dossiers whose appointment the current working calendar would move",
                "responses": {"200": {"description": "items: code, appointment_at, would_be"}, **_errors("401", "403")},
            }
        },
        "/onestop/dossiers/{code}/reissue": {
            "post": {
                "summary": "Give the dossier the current calendar's appointment, for a new slip",
                "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "Reissued", **_json(_ref("Dossier"))},
                    "409": {"description": "Nothing to move", **_json(_ref("Error"))},
                    **_errors("401", "403", "404"),
                },
            }
        },
        "/onestop/dossiers/{code}/papers/{position}": {
            "get": {
                "summary": "The scan of one of the dossier's papers (its position in the papers received), verified "
                "against its SHA-256; the download is audited",
                "parameters": [
                    {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "position", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0}},
                ],
                "responses": {
                    "200": {
                        "description": "The scan; X-Content-SHA256 gives its hash",
                        "content": {"application/pdf": {}, "image/jpeg": {}, "image/png": {}},
                    },
                    **_errors("401", "404", "503"),
                },
            }
        },
        "/onestop/dossiers/{code}/files/{file_id}": {
            "get": {
                "summary": "A file that came with one of the dossier's moves (listed in its history with its url), "
                "verified against its SHA-256; the download is audited",
                "parameters": [
                    {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "file_id", "in": "path", "required": True, "schema": {"type": "integer"}},
                ],
                "responses": {
                    "200": {
                        "description": "The file; X-Content-SHA256 gives its hash",
                        "content": {"application/pdf": {}, "image/jpeg": {}, "image/png": {}},
                    },
                    **_errors("401", "404", "503"),
                },
            }
        },
        "/onestop/dossiers/{code}/slip.pdf": {
            "get": {
                "summary": "The intake's slip (receipt and appointment, papers to complete, or refusal), a PDF",
                "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "The slip", "content": {"application/pdf": {}}},
                    **_errors("401", "404"),
                },
            }
        },
        "/onestop/dossiers/{code}/result": {
            "post": {
                "summary": "Draft the dossier's result as an outgoing document (signed and issued in the documents "
                "module; the approval waits for it to be issued)",
                "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["file"],
                                "properties": {
                                    "file": {"type": "string", "format": "binary", "description": "The result, a PDF"},
                                    "document_type": {"type": "string", "description": "QĐ (default), CV, TB, ..."},
                                    "subject": {"type": "string"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "201": {"description": "Drafted: the dossier, its result's document id", **_json(_ref("Dossier"))},
                    "409": {"description": "Not in process, or drafted already", **_json(_ref("Error"))},
                    **_errors("401", "403", "404", "422"),
                },
            }
        },
        "/onestop/dossiers/{code}/apology.pdf": {
            "get": {
                "summary": "The latest apology and new appointment (form 04), a PDF; a draft is marked as one",
                "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "The apology slip", "content": {"application/pdf": {}}},
                    **_errors("401", "404"),
                },
            }
        },
        "/public/dossiers/{code}": {
            "get": {
                "summary": "Public lookup (no login): status and dates by receipt code; more with the slip's secret",
                "security": [],
                "parameters": [
                    {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "s", "in": "query", "required": False, "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {"description": "Code, portal status 1-10, dates; with s: procedure, masked name, history"},
                    "404": {"description": "Unknown code or wrong secret (the same answer)", **_json(_ref("Error"))},
                    "429": {
                        "description": "Too many lookups from this address (Retry-After)",
                        **_json(_ref("Error")),
                    },
                },
            }
        },
        "/onestop/sms/inbound": {
            "post": {
                "summary": "The SMS gateway's webhook: {from, text} of a text message HS <code> <secret>; {reply}",
                "security": [],
                "description": "Authenticated by the gateway's token in the X-SMS-Gateway-Token header",
                "responses": {
                    "200": {"description": "The reply to send back: the status and dates, or that nothing was found"},
                    "401": {"description": "The gateway's token is missing or wrong", **_json(_ref("Error"))},
                    "429": {"description": "Too many messages from this sender (Retry-After)", **_json(_ref("Error"))},
                    **_errors("422"),
                },
            }
        },
        "/onestop/statistics": {
            "get": {
                "summary": "Form 06's figures for a period, per resolving organisation or per procedure",
                "parameters": [
                    {"name": "from", "in": "query", "required": True, "schema": {"type": "string", "format": "date"}},
                    {"name": "to", "in": "query", "required": True, "schema": {"type": "string", "format": "date"}},
                    {"name": "by", "in": "query", "schema": {"type": "string", "enum": ["organisation", "procedure"]}},
                ],
                "responses": {
                    "200": {"description": "rows, total, and a link to the dossiers behind each figure"},
                    **_errors("401", "422"),
                },
            }
        },
        "/onestop/statistics/dossiers": {
            "get": {
                "summary": "The dossiers behind one figure: their count, and those of the caller's organisation",
                "parameters": [
                    {
                        "name": name,
                        "in": "query",
                        "required": name in ("figure", "from", "to"),
                        "schema": {"type": "string"},
                    }
                    for name in ("figure", "from", "to", "organisation_id", "procedure_id")
                ],
                "responses": {"200": {"description": "total, items"}, **_errors("401", "422")},
            }
        },
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
