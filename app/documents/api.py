"""Documents over JSON: /api/v1/documents."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Response, jsonify, request, url_for
from flask_babel import gettext
from flask_login import current_user

from ..api import api
from ..errors import InvalidInput
from ..extensions import db
from ..validation import drop_blanks, parse, parse_query, query_args
from . import service, view_history
from .models import Document, DocumentChange, DocumentFile
from .schemas import DocumentPatch, DocumentQuery, IncomingInput
from .uploads import Upload
from .vocabulary import Direction


def file_json(doc: Document, f: DocumentFile) -> dict[str, Any]:
    return {
        "id": f.id,
        "role": f.role,
        "version": f.version,
        "filename": f.filename,
        "content_type": f.content_type,
        "size": f.size,
        "sha256": f.blob_sha256,
        "created_at": f.created_at.isoformat(),
        "url": url_for("api.download_file", document_id=doc.id, file_id=f.id),
    }


def document_json(doc: Document) -> dict[str, Any]:
    def day(value: Any) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": doc.id,
        "direction": doc.direction,
        "status": doc.status,
        "organisation": {"id": doc.organisation.id, "code": doc.organisation.code, "name": doc.organisation.name},
        "document_type": doc.document_type,
        "number": doc.number,
        "notation": doc.notation,
        "issuer": doc.issuer,
        "issuer_code": doc.issuer_code,
        "place": doc.place,
        "issued_on": day(doc.issued_on),
        "subject": doc.subject,
        "signer_name": doc.signer_name,
        "signer_position": doc.signer_position,
        "recipients": doc.recipients,
        "urgency": doc.urgency,
        "secrecy": doc.secrecy,
        "page_count": doc.page_count,
        "notes": doc.notes,
        "register_number": doc.register_number,
        "register_year": doc.register_year,
        "received_on": day(doc.received_on),
        "due_on": day(doc.due_on),
        "channel": doc.channel,
        "created_by": doc.created_by.username,
        "created_at": doc.created_at.isoformat(),
        "updated_at": doc.updated_at.isoformat(),
        "files": [file_json(doc, f) for f in doc.files],
    }


def change_json(change: DocumentChange) -> dict[str, Any]:
    return {
        "id": change.id,
        "changed_by": change.changed_by.username,
        "changed_at": change.changed_at.isoformat(),
        "changes": {k: {"from": v[0], "to": v[1]} for k, v in change.changes.items()},
    }


def uploads_in(field: str) -> list[Upload]:
    """The files of a multipart request sent under `field`; a file input left empty counts as none."""
    return [Upload(f.filename or "", f.read()) for f in request.files.getlist(field) if f.filename]


def uploads_from_request() -> tuple[Upload | None, list[Upload]]:
    """The main file and the attachments of a multipart request; a file input left empty counts as none."""
    main = uploads_in("file")
    return (main[0] if main else None), uploads_in("attachments")


def _form_fields() -> dict[str, Any]:
    values = request.form.to_dict()
    if values.get("direction") is None and request.is_json:
        raise InvalidInput(message=gettext("Send multipart/form-data with the PDF in `file` and the fields beside it."))
    return drop_blanks(values)


@api.post("/documents")
def create_document():  # type: ignore[no-untyped-def]
    values = _form_fields()
    direction = values.pop("direction", None)
    if direction not in {Direction.INCOMING, Direction.OUTGOING}:
        raise InvalidInput({"direction": gettext("Must be one of: %(values)s.", values="incoming, outgoing")})
    main, attachments = uploads_from_request()
    data = service.check_new_document(direction, values, main, attachments)
    if isinstance(data, IncomingInput):
        doc = service.register_incoming(current_user, data, main, attachments)
    else:
        doc = service.create_draft(current_user, data, main, attachments)
    # Commit before writing the answer: on SQLite the transaction holds the database's write lock.
    db.session.commit()
    response = jsonify(document_json(doc))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_document", document_id=doc.id)
    return response


@api.get("/documents")
def list_documents():  # type: ignore[no-untyped-def]
    query = parse_query(DocumentQuery)
    page = service.list_documents(current_user, query)
    return jsonify(page.as_json(document_json))


@api.get("/documents/<int:document_id>")
def get_document(document_id: int):  # type: ignore[no-untyped-def]
    return jsonify(document_json(service.view_document(current_user, document_id, via="api")))


@api.patch("/documents/<int:document_id>")
def patch_document(document_id: int):  # type: ignore[no-untyped-def]
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InvalidInput(message=gettext("Send a JSON object with the fields to change."))
    unknown = set(data) - set(DocumentPatch.model_fields)
    if unknown:
        raise InvalidInput({name: gettext("This field cannot be changed here.") for name in sorted(unknown)})
    doc = service.update_document(current_user, document_id, parse(DocumentPatch, data))
    return jsonify(document_json(doc))


@api.get("/documents/<int:document_id>/history")
def document_history(document_id: int):  # type: ignore[no-untyped-def]
    changes = service.history(current_user, document_id)
    return jsonify({"items": [change_json(c) for c in changes], "total": len(changes)})


def history_entry_json(entry: view_history.HistoryEntry) -> dict[str, Any]:
    return {
        "at": entry.at.isoformat(),
        "action": str(entry.action),
        "user": {"id": entry.user.id, "name": entry.user.name} if entry.user else None,
        "file": entry.file_name,
        "file_id": entry.file_id,
        "via": entry.via,
    }


@api.get("/documents/<int:document_id>/view-history")
def document_view_history(document_id: int):  # type: ignore[no-untyped-def]
    """Who viewed, downloaded and printed the document, newest first (`page`, `per_page`)."""
    query = view_history.parse_history_query(query_args())
    page = view_history.view_history(current_user, document_id, query.page, query.per_page)
    return jsonify(page.as_json(history_entry_json))


@api.post("/documents/<int:document_id>/printed")
def document_printed(document_id: int):  # type: ignore[no-untyped-def]
    """A client printed the document (its main file, or `file_id`): the print goes into its view history."""
    data = request.get_json(silent=True) if request.get_data(cache=True).strip() else {}
    if not isinstance(data, dict):
        raise InvalidInput(message=gettext("Send a JSON object."))
    file_id = data.get("file_id")
    if file_id is not None and (not isinstance(file_id, int) or isinstance(file_id, bool)):
        raise InvalidInput({"file_id": gettext("Must be a whole number.")})
    entry = view_history.record_print(current_user, document_id, file_id, via=view_history.Via.API)
    return jsonify(history_entry_json(entry)), 201


@api.post("/documents/<int:document_id>/attachments")
def add_attachment(document_id: int):  # type: ignore[no-untyped-def]
    upload = request.files.get("file")
    if upload is None:
        raise InvalidInput({"file": gettext("Required.")})
    file = service.add_attachment(current_user, document_id, Upload(upload.filename or "", upload.read()))
    return jsonify(file_json(file.document, file)), 201


@api.post("/documents/<int:document_id>/grants")
def grant_access(document_id: int):  # type: ignore[no-untyped-def]
    data = request.get_json(silent=True) or {}
    user_id = data.get("user_id")
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        raise InvalidInput({"user_id": gettext("Must be a user id (a whole number).")})
    grant = service.grant_access(current_user, document_id, user_id)
    return jsonify({"document_id": grant.document_id, "user_id": grant.user_id}), 201


@api.get("/documents/<int:document_id>/files/<int:file_id>")
def download_file(document_id: int, file_id: int):  # type: ignore[no-untyped-def]
    file, data = service.read_file(current_user, document_id, file_id, via="api")
    return file_response(file, data, inline=False)


def file_response(file: DocumentFile, data: bytes, inline: bool) -> Response:
    return bytes_response(file.filename, file.content_type, file.blob_sha256, data, inline)


def bytes_response(filename: str, content_type: str, sha256: str, data: bytes, inline: bool) -> Response:
    """The bytes with a safe Content-Disposition (RFC 6266 with an RFC 5987 UTF-8 name) and no sniffing."""
    response = Response(data, mimetype=content_type)
    disposition = "inline" if inline and content_type == "application/pdf" else "attachment"
    ascii_name = filename.encode("ascii", "ignore").decode().replace('"', "") or "file"
    response.headers["Content-Disposition"] = (
        f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    response.headers["X-Content-SHA256"] = sha256
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
