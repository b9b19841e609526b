"""The records files part of the OpenAPI description (app/openapi.py merges it): paths, and the input schemas
taken from the pydantic models that validate the requests."""

from __future__ import annotations

from typing import Any

from ..openapi import _errors, _id, _json, _ref
from .schemas import CloseInput, FileDocumentInput, MoveInput, RecordFileInput, RecordFilePatch, TransferInput

INPUTS = (RecordFileInput, RecordFilePatch, FileDocumentInput, MoveInput, CloseInput, TransferInput)


def components() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for model in INPUTS:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    day = {"type": ["string", "null"], "format": "date"}
    schemas["RecordFile"] = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "year": {"type": "integer"},
            "code": {"type": "string", "description": "Số và ký hiệu hồ sơ, unique in the organisation's year"},
            "title": {"type": "string"},
            "retention_years": {
                "type": ["integer", "null"],
                "enum": [70, 50, 20, 10, 5, None],
                "description": "null: permanent",
            },
            "permanent": {"type": "boolean"},
            "status": {"type": "string", "enum": ["open", "closed", "transferred"]},
            "keeper": {"type": ["object", "null"], "description": "id, username, full_name"},
            "notes": {"type": ["string", "null"]},
            "opened_on": day,
            "closed_on": day,
            "transferred_on": day,
            "transferred_by_id": {"type": ["integer", "null"]},
            "expires_on": {**day, "description": "1 January of the year after the work ended plus the retention"},
            "transfer_due_on": {"type": "string", "format": "date", "description": "A year after the work ended"},
            "document_count": {"type": "integer"},
            "documents": {
                "type": "array",
                "description": "In their order; a secret document the caller may not read shows only its place",
                "items": {
                    "type": "object",
                    "properties": {
                        "position": {"type": "integer"},
                        "document_id": {"type": "integer"},
                        "readable": {"type": "boolean"},
                        "document": {"type": "object"},
                    },
                },
            },
        },
    }
    schemas["RecordFileList"] = {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": _ref("RecordFile")},
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
        },
    }
    return schemas


def _query(*names: str) -> list[dict[str, Any]]:
    kinds = {"year": "integer", "page": "integer", "per_page": "integer"}
    found = []
    for name in names:
        schema: dict[str, Any] = {"type": kinds.get(name, "string")}
        if name == "status":
            schema["enum"] = ["open", "closed", "transferred"]
        found.append({"name": name, "in": "query", "required": False, "schema": schema})
    return found


def paths() -> dict[str, Any]:
    file_id = _id("record_file_id")
    doc_id = _id("document_id")
    one = {"200": {"description": "The records file with its documents", **_json(_ref("RecordFile"))}}
    conflict = {"409": {"description": "Not in a state that allows it (the reason is named)", **_json(_ref("Error"))}}
    zipped = {"description": "A ZIP; X-Content-SHA256 carries its hash", "content": {"application/zip": {}}}
    return {
        "/archive/files": {
            "get": {
                "summary": "The organisation's records files, newest year first (archivists, clerks, leaders)",
                "parameters": _query("year", "status", "q", "page", "per_page"),
                "responses": {
                    "200": {"description": "A page", **_json(_ref("RecordFileList"))},
                    **_errors("401", "403", "422"),
                },
            },
            "post": {
                "summary": "Open a records file (archivist or clerk): year, code, title, retention (null: permanent)",
                "requestBody": _json(_ref("RecordFileInput")),
                "responses": {
                    "201": {"description": "Created", **_json(_ref("RecordFile"))},
                    "409": {"description": "The code is taken in that year", **_json(_ref("Error"))},
                    "413": {"description": "The request is too large", **_json(_ref("Error"))},
                    **_errors("401", "403", "422"),
                },
            },
        },
        "/archive/files/{record_file_id}": {
            "get": {
                "summary": "One records file, with its documents in their order",
                "parameters": [file_id],
                "responses": {**one, **_errors("401", "403", "404")},
            },
            "patch": {
                "summary": "Change a records file's fields (not once transferred)",
                "parameters": [file_id],
                "requestBody": _json(_ref("RecordFilePatch")),
                "responses": {**one, **conflict, **_errors("401", "403", "404", "422")},
            },
        },
        "/archive/files/{record_file_id}/documents": {
            "post": {
                "summary": "File a document of the organisation into the records file (at the end or at `position`)",
                "parameters": [file_id],
                "requestBody": _json(_ref("FileDocumentInput")),
                "responses": {
                    "201": {"description": "Filed", **_json(_ref("RecordFile"))},
                    "409": {
                        "description": "The file is closed or transferred, the document is not final, or it is "
                        "already in a records file (`error.record_file_code` names it)",
                        **_json(_ref("Error")),
                    },
                    **_errors("401", "403", "404", "422"),
                },
            }
        },
        "/archive/files/{record_file_id}/documents/{document_id}": {
            "patch": {
                "summary": "Move a document to another place in the records file",
                "parameters": [file_id, doc_id],
                "requestBody": _json(_ref("MoveInput")),
                "responses": {**one, **conflict, **_errors("401", "403", "404", "422")},
            },
            "delete": {
                "summary": "Take a document out of an open records file (the document stays)",
                "parameters": [file_id, doc_id],
                "responses": {**one, **conflict, **_errors("401", "403", "404")},
            },
        },
        "/archive/files/{record_file_id}/close": {
            "post": {
                "summary": "Close the records file: its work ended on `closed_on` (today when not given)",
                "parameters": [file_id],
                "requestBody": _json(_ref("CloseInput")),
                "responses": {**one, **conflict, **_errors("401", "403", "404", "422")},
            }
        },
        "/archive/files/{record_file_id}/transfer": {
            "post": {
                "summary": "Mark a closed records file handed to the agency's archive",
                "parameters": [file_id],
                "requestBody": _json(_ref("TransferInput")),
                "responses": {**one, **conflict, **_errors("401", "403", "404", "422")},
            }
        },
        "/archive/files/{record_file_id}/export.zip": {
            "get": {
                "summary": "The records file as a ZIP: a folder per document with its PDF and attachments, "
                "manifest.csv and manifest.json (names, sizes, SHA-256); each document's download is recorded",
                "parameters": [file_id],
                "responses": {"200": zipped, **_errors("401", "403", "404", "503")},
            }
        },
        "/archive/review": {
            "get": {
                "summary": "Records files whose retention has run out, with their documents, for review; "
                "nothing is deleted",
                "parameters": _query("page", "per_page"),
                "responses": {"200": {"description": "items, total"}, **_errors("401", "403", "422")},
            }
        },
        "/archive/transfers": {
            "get": {
                "summary": "Records files not yet transferred that are due at the agency's archive within 30 days, "
                "or late",
                "parameters": _query("page", "per_page"),
                "responses": {"200": {"description": "items (with `overdue`), total"}, **_errors("401", "403", "422")},
            }
        },
        "/archive/transfers/package.zip": {
            "get": {
                "summary": "The transfer package of closed records files (`?files=1,2`): PDFs, HoSo.xml and "
                "VanBan.xml (Decree 30/2020, Appendix VI), manifests",
                "parameters": [
                    {
                        "name": "files",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string"},
                        "description": "Ids of records files, separated by commas",
                    }
                ],
                "responses": {"200": zipped, **conflict, **_errors("401", "403", "404", "422", "503")},
            }
        },
    }
