"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.

Input schemas come from the same pydantic models that validate requests, so the description cannot
drift from what the API accepts; a test checks that every API route is described.
"""

from __future__ import annotations

from typing import Any

from .documents.schemas import DocumentPatch, DocumentQuery, DraftInput, IncomingInput


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


ERRORS = {
    "401": {"description": "Not logged in, or the token is invalid, expired or revoked", **_json(_ref("Error"))},
    "403": {"description": "Not allowed for this user's roles", **_json(_ref("Error"))},
    "404": {"description": "No such object in the user's organisation", **_json(_ref("Error"))},
    "422": {"description": "Missing or invalid fields; `error.fields` names each", **_json(_ref("Error"))},
    "503": {"description": "A dependency (the file store) is not answering; nothing was saved", **_json(_ref("Error"))},
}


def _errors(*codes: str) -> dict[str, Any]:
    return {code: ERRORS[code] for code in codes}


def _query_parameters() -> list[dict[str, Any]]:
    schema = DocumentQuery.model_json_schema()
    return [
        {"name": name, "in": "query", "required": False, "schema": prop} for name, prop in schema["properties"].items()
    ]


def _id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def _multipart_document() -> dict[str, Any]:
    incoming = IncomingInput.model_json_schema(ref_template="#/components/schemas/{model}")
    properties = {
        "direction": {"type": "string", "enum": ["incoming", "outgoing"]},
        "file": {"type": "string", "format": "binary", "description": "The main file: a PDF"},
        "attachments": {"type": "array", "items": {"type": "string", "format": "binary"}},
        **incoming["properties"],
    }
    return {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["direction", "file", "document_type", "subject"],
                    "properties": properties,
                    "description": "Fields of IncomingInput (direction=incoming) or DraftInput (outgoing).",
                }
            }
        },
    }


def _components() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for model in (IncomingInput, DraftInput, DocumentPatch):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    schemas["Error"] = {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string", "description": "In the reader's language"},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                },
            }
        },
    }
    schemas["File"] = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "role": {"type": "string", "enum": ["main", "attachment"]},
            "version": {"type": "integer"},
            "filename": {"type": "string"},
            "content_type": {"type": "string"},
            "size": {"type": "integer"},
            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "created_at": {"type": "string", "format": "date-time"},
            "url": {"type": "string"},
        },
    }
    text = {"type": ["string", "null"]}
    day = {"type": ["string", "null"], "format": "date"}
    schemas["Document"] = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "direction": {"type": "string", "enum": ["incoming", "outgoing"]},
            "status": {"type": "string"},
            "organisation": {"type": "object"},
            "document_type": {"type": "string"},
            **{
                name: text
                for name in (
                    "number",
                    "notation",
                    "issuer",
                    "issuer_code",
                    "place",
                    "signer_name",
                    "signer_position",
                    "recipients",
                    "notes",
                    "channel",
                )
            },
            "subject": {"type": "string"},
            "issued_on": day,
            "received_on": day,
            "due_on": day,
            "urgency": {"type": "string", "enum": ["normal", "urgent", "very_urgent", "express"]},
            "secrecy": {"type": "string", "enum": ["normal", "confidential", "secret", "top_secret"]},
            "page_count": {"type": ["integer", "null"]},
            "register_number": {"type": ["integer", "null"], "description": "Số đến / số đi in this year's register"},
            "register_year": {"type": ["integer", "null"]},
            "created_by": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
            "files": {"type": "array", "items": _ref("File")},
        },
    }
    schemas["DocumentList"] = {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": _ref("Document")},
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
        },
    }
    from .tasks.openapi import components as task_components

    schemas.update(task_components())
    from .archive.openapi import components as archive_components
    from .onestop.openapi import components as onestop_components

    schemas.update(archive_components())
    schemas.update(onestop_components())
    return {
        "schemas": schemas,
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "description": "From POST /api/v1/auth/token"},
            "session": {
                "type": "apiKey",
                "in": "cookie",
                "name": "session",
                "description": "The web session; changes also need the X-CSRFToken header",
            },
        },
    }


def _search_parameters() -> dict[str, Any]:
    from .search.service import SearchInput

    return dict(SearchInput.model_json_schema()["properties"])


def build_spec() -> dict[str, Any]:
    from .archive.openapi import paths as archive_paths
    from .archive.register_openapi import paths as register_paths
    from .calendar.openapi import paths as calendar_paths
    from .onestop.openapi import paths as onestop_paths
    from .tasks.openapi import paths as task_paths

    doc_id = _id("document_id")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "E-office API",
            "version": "1",
            "description": "Documents, registers and files of the caller's organisation. Errors are "
            '`{"error": {"code", "message", "fields"?}}`.',
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}, {"session": []}],
        "components": _components(),
        "paths": {
            "/health": {
                "get": {
                    "summary": "State of the database and the file store",
                    "security": [],
                    "responses": {"200": {"description": "Both answer"}, "503": {"description": "One is down"}},
                }
            },
            "/openapi.json": {
                "get": {"summary": "This description", "security": [], "responses": {"200": {"description": "OK"}}}
            },
            "/auth/token": {
                "post": {
                    "summary": "Get a bearer token with a username and password",
                    "security": [],
                    "requestBody": _json(
                        {
                            "type": "object",
                            "required": ["username", "password"],
                            "properties": {
                                "username": {"type": "string"},
                                "password": {"type": "string"},
                                "name": {"type": "string"},
                            },
                        }
                    ),
                    "responses": {
                        "201": {
                            "description": "The token (shown once)",
                            **_json(
                                {
                                    "type": "object",
                                    "properties": {
                                        "token": {"type": "string"},
                                        "id": {"type": "integer"},
                                        "expires_at": {"type": "string"},
                                    },
                                }
                            ),
                        },
                        "401": ERRORS["401"],
                        "422": ERRORS["422"],
                    },
                },
                "delete": {
                    "summary": "Revoke the token this request carries",
                    "responses": {"204": {"description": "Revoked"}, **_errors("401")},
                },
            },
            "/auth/tokens": {"get": {"summary": "The caller's tokens", "responses": {"200": {"description": "OK"}}}},
            "/auth/tokens/{token_id}": {
                "delete": {
                    "summary": "Revoke one of the caller's tokens",
                    "parameters": [_id("token_id")],
                    "responses": {"204": {"description": "Revoked"}, **_errors("401", "404")},
                }
            },
            "/me": {
                "get": {"summary": "The caller: name, roles, organisation", "responses": {"200": {"description": "OK"}}}
            },
            "/documents": {
                "get": {
                    "summary": "Documents of the caller's organisation, newest first, with filters",
                    "parameters": _query_parameters(),
                    "responses": {
                        "200": {"description": "A page", **_json(_ref("DocumentList"))},
                        **_errors("401", "422"),
                    },
                },
                "post": {
                    "summary": "Register an incoming document (clerk) or create an outgoing draft",
                    "requestBody": _multipart_document(),
                    "responses": {
                        "201": {"description": "Created", **_json(_ref("Document"))},
                        "409": {
                            "description": "Looks already registered (`error.existing_id`); send "
                            "confirm_duplicate=true to register anyway",
                            **_json(_ref("Error")),
                        },
                        "413": {"description": "Larger than MAX_UPLOAD_MB", **_json(_ref("Error"))},
                        **_errors("401", "403", "422", "503"),
                    },
                },
            },
            "/documents/{document_id}": {
                "get": {
                    "summary": "One document",
                    "parameters": [doc_id],
                    "responses": {"200": {"description": "OK", **_json(_ref("Document"))}, **_errors("401", "404")},
                },
                "patch": {
                    "summary": "Change metadata; each change is kept in the history",
                    "parameters": [doc_id],
                    "requestBody": _json(_ref("DocumentPatch")),
                    "responses": {
                        "200": {"description": "Changed", **_json(_ref("Document"))},
                        "409": {"description": "Not in a state that allows it", **_json(_ref("Error"))},
                        **_errors("401", "403", "404", "422"),
                    },
                },
            },
            "/documents/{document_id}/history": {
                "get": {
                    "summary": "Metadata changes, newest first",
                    "parameters": [doc_id],
                    "responses": {"200": {"description": "OK"}, **_errors("401", "404")},
                }
            },
            "/documents/{document_id}/view-history": {
                "get": {
                    "summary": "Who viewed, downloaded and printed the document, newest first: items of "
                    "{at, action (viewed, downloaded, printed), user {id, name}, file, file_id, via (web, api)}",
                    "parameters": [
                        doc_id,
                        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                        {
                            "name": "per_page",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                        },
                    ],
                    "responses": {
                        "200": {"description": "items, total, page, per_page"},
                        "400": {"description": "page or per_page out of bounds", **_json(_ref("Error"))},
                        **_errors("401", "404"),
                    },
                }
            },
            "/documents/{document_id}/printed": {
                "post": {
                    "summary": "Record that the client printed the document (its main file, or file_id)",
                    "parameters": [doc_id],
                    "requestBody": {
                        "required": False,
                        **_json({"type": "object", "properties": {"file_id": {"type": "integer"}}}),
                    },
                    "responses": {"201": {"description": "The history entry"}, **_errors("401", "404", "422")},
                }
            },
            "/documents/{document_id}/attachments": {
                "post": {
                    "summary": "Add an attachment",
                    "parameters": [doc_id],
                    "requestBody": {
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"file": {"type": "string", "format": "binary"}},
                                }
                            },
                            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                        }
                    },
                    "responses": {
                        "201": {"description": "Added", **_json(_ref("File"))},
                        **_errors("401", "403", "404", "422", "503"),
                    },
                }
            },
            "/documents/{document_id}/grants": {
                "post": {
                    "summary": "Let a colleague read a secret document",
                    "parameters": [doc_id],
                    "requestBody": _json(
                        {"type": "object", "required": ["user_id"], "properties": {"user_id": {"type": "integer"}}}
                    ),
                    "responses": {"201": {"description": "Granted"}, **_errors("401", "403", "404", "422")},
                }
            },
            "/documents/{document_id}/sign": {
                "post": {
                    "summary": "The leader signs a draft (PAdES, visible); the signed PDF is a new version",
                    "parameters": [doc_id],
                    "requestBody": _json(
                        {
                            "type": "object",
                            "properties": {
                                "pin": {"type": "string", "description": "The token's PIN, for a PKCS#11 credential"},
                                "page": {"type": "integer", "description": "Page index; -1 is the last page"},
                                "box": {
                                    "type": "array",
                                    "items": {"type": "number"},
                                    "minItems": 4,
                                    "maxItems": 4,
                                    "description": "[x1, y1, x2, y2] in points; default: last page, lower right",
                                },
                                "number_box": {
                                    "type": "array",
                                    "items": {"type": "number"},
                                    "description": "Where issue writes the number (page 1)",
                                },
                                "date_box": {
                                    "type": "array",
                                    "items": {"type": "number"},
                                    "description": "Where issue writes the place and date (page 1)",
                                },
                            },
                        }
                    ),
                    "responses": {
                        "200": {"description": "Signed, with the signature report", **_json(_ref("Document"))},
                        "409": {
                            "description": "Not a draft, no certificate, or a revoked, expired or "
                            "not yet valid one (the reason is named)",
                            **_json(_ref("Error")),
                        },
                        **_errors("401", "403", "404", "422", "503"),
                    },
                }
            },
            "/documents/{document_id}/issue": {
                "post": {
                    "summary": "The clerk issues a signed document: number, date and the organisation's seal",
                    "parameters": [doc_id],
                    "requestBody": _json({"type": "object", "properties": {"pin": {"type": "string"}}}),
                    "responses": {
                        "200": {"description": "Issued", **_json(_ref("Document"))},
                        "409": {
                            "description": "Not signed, or the leader's signature is not valid",
                            **_json(_ref("Error")),
                        },
                        **_errors("401", "403", "404", "422", "503"),
                    },
                }
            },
            "/documents/{document_id}/signatures": {
                "get": {
                    "summary": "The signature report of the current main file (refresh=1 validates again)",
                    "parameters": [doc_id, {"name": "refresh", "in": "query", "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "verdict, reasons, signatures"}, **_errors("401", "404")},
                }
            },
            "/verify": {
                "post": {
                    "summary": "Validate the signatures of any PDF; nothing is stored",
                    "requestBody": {
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"file": {"type": "string", "format": "binary"}},
                                }
                            },
                            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                        }
                    },
                    "responses": {"200": {"description": "verdict, reasons, signatures"}, **_errors("401", "422")},
                }
            },
            "/me/credential": {
                "get": {"summary": "The caller's signing certificate", "responses": {"200": {"description": "OK"}}}
            },
            "/me/credential/pkcs12": {
                "post": {
                    "summary": "Import a key and certificate from a PKCS#12 file (file, password)",
                    "responses": {"201": {"description": "Imported"}, **_errors("401", "422")},
                }
            },
            "/me/credential/token": {
                "post": {
                    "summary": "Use a PKCS#11 token (module, token_label, key_label, certificate PEM)",
                    "responses": {"201": {"description": "Registered"}, **_errors("401", "422")},
                }
            },
            "/me/signature-image": {
                "put": {
                    "summary": "The caller's handwritten-signature image (a transparent PNG)",
                    "responses": {"200": {"description": "Stored"}, **_errors("401", "422")},
                }
            },
            "/organisations/{organisation_id}/seal": {
                "put": {
                    "summary": "The organisation's seal image (admin; a transparent PNG)",
                    "parameters": [_id("organisation_id")],
                    "responses": {"200": {"description": "Stored"}, **_errors("401", "403", "422")},
                }
            },
            "/organisations/{organisation_id}/signing-level": {
                "put": {
                    "summary": "The organisation's PAdES level: B-B, B-T, B-LT or B-LTA (admin)",
                    "parameters": [_id("organisation_id")],
                    "responses": {"200": {"description": "Set"}, **_errors("401", "403", "422")},
                }
            },
            "/trust-roots": {
                "get": {
                    "summary": "The CA certificates validation trusts",
                    "responses": {"200": {"description": "OK"}},
                },
                "post": {
                    "summary": "Trust one more CA (certificate PEM, name); a top-level administrator only",
                    "responses": {"201": {"description": "Added"}, **_errors("401", "403", "422")},
                },
            },
            "/documents/{document_id}/files/{file_id}": {
                "get": {
                    "summary": "A file's bytes, re-hashed against their SHA-256 before they are sent",
                    "parameters": [doc_id, _id("file_id")],
                    "responses": {
                        "200": {
                            "description": "The bytes; X-Content-SHA256 carries the hash",
                            "content": {"application/octet-stream": {}},
                        },
                        **_errors("401", "404", "503"),
                    },
                }
            },
            "/units/{unit_id}/head": {
                "put": {
                    "summary": "Name the head of a unit (an admin): {user_id}, or {user_id: null} for none",
                    "parameters": [_id("unit_id")],
                    "responses": {"200": {"description": "Set"}, **_errors("401", "403", "404", "422")},
                }
            },
            **_routing_paths(doc_id),
            **task_paths(),
            **archive_paths(),
            **register_paths(),
            **onestop_paths(),
            **calendar_paths(),
        },
    }


def _routing_paths(doc_id: dict[str, Any]) -> dict[str, Any]:
    arrival_id = _id("arrival_id")
    decided = {
        "200": {"description": "Decided; the sender is told (03 accepted, 02 returned)"},
        "409": {"description": "Already decided: `error.state` names how", **_json(_ref("Error"))},
        **_errors("401", "403", "404", "422"),
    }
    return {
        "/documents/{document_id}/send": {
            "post": {
                "summary": "Send an issued document to organisations (their codes), here or on peer servers",
                "parameters": [doc_id],
                "requestBody": _json(
                    {
                        "type": "object",
                        "required": ["recipients"],
                        "properties": {"recipients": {"type": "array", "items": {"type": "string"}}},
                    }
                ),
                "responses": {
                    "200": {"description": "One dispatch per recipient (a recipient already sent to keeps its own)"},
                    "409": {"description": "Not an issued outgoing document, or a secret one", **_json(_ref("Error"))},
                    **_errors("401", "403", "404", "422"),
                },
            }
        },
        "/documents/{document_id}/dispatches": {
            "get": {
                "summary": "Where the document is at each recipient, with each status it went through",
                "parameters": [doc_id],
                "responses": {"200": {"description": "items"}, **_errors("401", "404")},
            }
        },
        "/inbox": {
            "get": {
                "summary": "Documents that arrived for the caller's organisation (clerks and leaders)",
                "parameters": [
                    {
                        "name": "status",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["waiting", "accepted", "returned", "recalled", "all"]},
                    }
                ],
                "responses": {"200": {"description": "items, total"}, **_errors("401", "403", "422")},
            }
        },
        "/inbox/{arrival_id}": {
            "get": {
                "summary": "One arrived document, with the signature report made on arrival",
                "parameters": [arrival_id],
                "responses": {"200": {"description": "OK"}, **_errors("401", "403", "404")},
            }
        },
        "/inbox/{arrival_id}/files/{index}": {
            "get": {
                "summary": "A file of an arrived document, before it is accepted",
                "parameters": [arrival_id, _id("index")],
                "responses": {
                    "200": {"description": "The bytes", "content": {"application/octet-stream": {}}},
                    **_errors("401", "403", "404", "503"),
                },
            }
        },
        "/documents/{document_id}/change": {
            "post": {
                "summary": "Ask the recipients to recall, update or replace the document (13); for a replacement, "
                "send a form with the corrected PDF as `file`",
                "parameters": [doc_id],
                "requestBody": _json(
                    {
                        "type": "object",
                        "required": ["kind", "reason"],
                        "properties": {
                            "kind": {"type": "string", "enum": ["recall", "update", "replace"]},
                            "reason": {"type": "string"},
                        },
                    }
                ),
                "responses": {
                    "200": {"description": "The dispatches asked"},
                    "409": {"description": "Not issued, or no recipient holds it", **_json(_ref("Error"))},
                    **_errors("401", "403", "404", "422"),
                },
            }
        },
        "/inbox/{arrival_id}/change": {
            "post": {
                "summary": "Agree (15) or refuse with a reason (16) the sender's recall or replacement (clerk)",
                "parameters": [arrival_id],
                "requestBody": _json(
                    {
                        "type": "object",
                        "required": ["agree"],
                        "properties": {"agree": {"type": "boolean"}, "reason": {"type": "string"}},
                    }
                ),
                "responses": decided,
            }
        },
        "/notifications": {
            "get": {
                "summary": "The caller's unread notifications (reminders, arrivals), newest first",
                "responses": {"200": {"description": "items, unread"}, **_errors("401")},
            }
        },
        "/notifications/{notification_id}/read": {
            "post": {
                "summary": "Mark one of the caller's notifications read",
                "parameters": [_id("notification_id")],
                "responses": {"200": {"description": "Read"}, **_errors("401", "404")},
            }
        },
        "/search": {
            "get": {
                "summary": 'Search the documents the caller may open: words with or without diacritics, "phrases", '
                "prefix*, AND/OR/NOT, fields (so:, kyhieu:, coquan:, trichyeu:, loai:, nam:, nguoiky:), an exact "
                "notation (123/QĐ-UBND); items with a highlighted snippet and a score, facets with counts",
                "parameters": [
                    {"name": name, "in": "query", "required": False, "schema": schema}
                    for name, schema in _search_parameters().items()
                ],
                "responses": {"200": {"description": "items, total, page, per_page, facets"}, **_errors("401", "422")},
            }
        },
        "/directory": {
            "get": {
                "summary": "Every organisation a document can be sent to, on this server and on the peers",
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "items: code, name, peer"}, **_errors("401")},
            }
        },
        "/peers": {
            "get": {
                "summary": "The peer servers (top-level administrator)",
                "responses": {"200": {"description": "items"}, **_errors("401", "403")},
            },
            "post": {
                "summary": "Add a peer: its identity is fetched from base_url and must show the fingerprint given",
                "requestBody": _json(
                    {
                        "type": "object",
                        "required": ["name", "base_url", "fingerprint"],
                        "properties": {
                            "name": {"type": "string"},
                            "base_url": {"type": "string"},
                            "fingerprint": {"type": "string", "description": "SHA-256 of its certificate"},
                        },
                    }
                ),
                "responses": {
                    "201": {"description": "Added"},
                    "409": {"description": "Name, certificate or organisations taken", **_json(_ref("Error"))},
                    **_errors("401", "403", "422"),
                },
            },
        },
        "/peers/{peer_id}/refresh": {
            "post": {
                "summary": "Fetch the peer's directory of organisations again",
                "parameters": [_id("peer_id")],
                "responses": {"200": {"description": "The peer"}, **_errors("401", "403", "404")},
            }
        },
        "/dispatches/{dispatch_id}/resend": {
            "post": {
                "summary": "Send a failed delivery to a peer again (clerk)",
                "parameters": [_id("dispatch_id")],
                "responses": {
                    "200": {"description": "Queued again"},
                    "409": {"description": "Not a failed delivery", **_json(_ref("Error"))},
                    **_errors("401", "403", "404"),
                },
            }
        },
        "/exchange/identity": {
            "get": {
                "summary": "This server in the exchange: its certificate, fingerprint and hosted organisations",
                "security": [],
                "responses": {"200": {"description": "name, base_url, certificate, fingerprint, organisations"}},
            }
        },
        "/exchange/messages": {
            "post": {
                "summary": "A peer posts a signed edXML envelope or status (authenticated by its XML signature)",
                "security": [],
                "requestBody": {"content": {"application/xml": {"schema": {"type": "string"}}}},
                "responses": {
                    "200": {"description": "Taken (a replay gets the first answer again)"},
                    "400": {"description": "Not edXML, an entity, a bad signature or digest", **_json(_ref("Error"))},
                    "403": {"description": "The sender is not a known peer", **_json(_ref("Error"))},
                    "413": {"description": "Too large", **_json(_ref("Error"))},
                    "422": {"description": "No recipient hosted here, or no PDF", **_json(_ref("Error"))},
                },
            }
        },
        "/inbox/{arrival_id}/accept": {
            "post": {
                "summary": "Register the arrived document in the incoming register (clerk)",
                "parameters": [arrival_id],
                "responses": decided,
            }
        },
        "/inbox/{arrival_id}/return": {
            "post": {
                "summary": "Return the arrived document to its sender with a reason (clerk)",
                "parameters": [arrival_id],
                "requestBody": _json(
                    {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string"}}}
                ),
                "responses": decided,
            }
        },
    }
