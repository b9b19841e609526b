"""Records files over JSON: /api/v1/archive/... (the files, their documents, review, transfer, ZIP exports)."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request, send_file, url_for
from flask_login import current_user

from ..api import api, json_object
from ..auth.models import User
from ..extensions import db
from ..validation import parse, parse_query
from . import packages, retention, service
from .models import RecordFile
from .schemas import (
    CloseInput,
    FileDocumentInput,
    MoveInput,
    PageQuery,
    RecordFileInput,
    RecordFilePatch,
    RecordFileQuery,
    TransferInput,
    package_ids,
)

# A records file's fields fit in a few kilobytes (a title of 1,000 characters, notes of 10,000).
MAX_JSON_BYTES = 128 * 1024


def _body() -> dict[str, Any]:
    return json_object(MAX_JSON_BYTES)


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _person(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.id, "username": user.username, "full_name": user.full_name}


def record_file_json(f: RecordFile, documents: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": f.id,
        "year": f.year,
        "code": f.code,
        "title": f.title,
        "retention_years": f.retention_years,
        "permanent": f.retention_years is None,
        "status": str(service.status_of(f)),
        "keeper": _person(f.keeper),
        "notes": f.notes,
        "opened_on": _day(f.opened_on),
        "closed_on": _day(f.closed_on),
        "transferred_on": _day(f.transferred_on),
        "transferred_by_id": f.transferred_by_id,
        "expires_on": _day(retention.expires_on(f)),
        "transfer_due_on": _day(retention.transfer_due_on(f)),
        "created_at": f.created_at.isoformat(),
        "updated_at": f.updated_at.isoformat(),
        "url": url_for("api.get_record_file", record_file_id=f.id),
    }
    if documents is not None:
        body["document_count"] = documents
    return body


def entry_json(e: service.Entry) -> dict[str, Any]:
    body: dict[str, Any] = {
        "position": e.entry.position,
        "document_id": e.document.id,
        "readable": e.readable,
        "filed_at": e.entry.filed_at.isoformat(),
    }
    if e.readable:  # a secret document without a grant: its place only
        doc = e.document
        body["document"] = {
            "id": doc.id,
            "direction": doc.direction,
            "status": doc.status,
            "document_type": doc.document_type,
            "number": doc.number,
            "notation": doc.notation,
            "issuer": doc.issuer,
            "issued_on": _day(doc.issued_on),
            "received_on": _day(doc.received_on),
            "subject": doc.subject,
            "page_count": doc.page_count,
            "secrecy": doc.secrecy,
            "url": url_for("api.get_document", document_id=doc.id),
        }
    return body


def _full(f: RecordFile) -> dict[str, Any]:
    entries = service.entries_of(current_user, f)
    body = record_file_json(f, len(entries))
    body["documents"] = [entry_json(e) for e in entries]
    return body


def _page_json(page: service.FilePage) -> dict[str, Any]:
    return page.as_json(lambda f: record_file_json(f, page.counts[f.id]))


def _zip_response(package: packages.Package) -> Response:
    response = send_file(
        package.file, mimetype="application/zip", as_attachment=True, download_name=package.filename, max_age=0
    )
    response.content_length = package.size
    response.headers["X-Content-SHA256"] = package.sha256
    response.headers["Cache-Control"] = "no-store"
    return response


@api.get("/archive/files")
def list_record_files():  # type: ignore[no-untyped-def]
    """The organisation's records files (archivists, clerks, leaders), filtered by year, status and words."""
    page = service.list_record_files(current_user, parse_query(RecordFileQuery))
    return jsonify(_page_json(page))


@api.post("/archive/files")
def create_record_file():  # type: ignore[no-untyped-def]
    f = service.create_record_file(current_user, parse(RecordFileInput, _body()))
    body = _full(f)
    db.session.commit()
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_record_file", record_file_id=f.id)
    return response


@api.get("/archive/files/<int:record_file_id>")
def get_record_file(record_file_id: int):  # type: ignore[no-untyped-def]
    return jsonify(_full(service.get_record_file(current_user, record_file_id)))


@api.patch("/archive/files/<int:record_file_id>")
def update_record_file(record_file_id: int):  # type: ignore[no-untyped-def]
    f = service.update_record_file(current_user, record_file_id, parse(RecordFilePatch, _body()))
    body = _full(f)
    db.session.commit()
    return jsonify(body)


@api.post("/archive/files/<int:record_file_id>/documents")
def file_document(record_file_id: int):  # type: ignore[no-untyped-def]
    service.file_document(current_user, record_file_id, parse(FileDocumentInput, _body()))
    body = _full(service.get_record_file(current_user, record_file_id))
    db.session.commit()
    return jsonify(body), 201


@api.patch("/archive/files/<int:record_file_id>/documents/<int:document_id>")
def move_document(record_file_id: int, document_id: int):  # type: ignore[no-untyped-def]
    data = parse(MoveInput, _body())
    service.move_document(current_user, record_file_id, document_id, data.position)
    body = _full(service.get_record_file(current_user, record_file_id))
    db.session.commit()
    return jsonify(body)


@api.delete("/archive/files/<int:record_file_id>/documents/<int:document_id>")
def unfile_document(record_file_id: int, document_id: int):  # type: ignore[no-untyped-def]
    service.unfile_document(current_user, record_file_id, document_id)
    body = _full(service.get_record_file(current_user, record_file_id))
    db.session.commit()
    return jsonify(body)


@api.post("/archive/files/<int:record_file_id>/close")
def close_record_file(record_file_id: int):  # type: ignore[no-untyped-def]
    f = service.close_record_file(current_user, record_file_id, parse(CloseInput, _body()))
    body = _full(f)
    db.session.commit()
    return jsonify(body)


@api.post("/archive/files/<int:record_file_id>/transfer")
def transfer_record_file(record_file_id: int):  # type: ignore[no-untyped-def]
    f = service.mark_transferred(current_user, record_file_id, parse(TransferInput, _body()))
    body = _full(f)
    db.session.commit()
    return jsonify(body)


@api.get("/archive/files/<int:record_file_id>/export.zip")
def export_record_file(record_file_id: int):  # type: ignore[no-untyped-def]
    """The file's documents with manifests, built whole before the first byte is sent."""
    package = packages.export_record_file(current_user, record_file_id)
    db.session.commit()  # the downloads' audit events, before anything is sent
    return _zip_response(package)


@api.get("/archive/review")
def review_list():  # type: ignore[no-untyped-def]
    """Records files whose retention has run out: for the review council; nothing is deleted."""
    query = parse_query(PageQuery)
    page = retention.review_list(current_user, query.page, query.per_page)
    body = _page_json(page)
    for item, f in zip(body["items"], page.items, strict=True):
        item["documents"] = [entry_json(e) for e in service.entries_of(current_user, f)]
    return jsonify(body)


@api.get("/archive/transfers")
def transfer_list():  # type: ignore[no-untyped-def]
    """Records files due at the agency's archive within 30 days, or late."""
    query = parse_query(PageQuery)
    items, total = retention.transfer_list(current_user, query.page, query.per_page)
    return jsonify(
        {
            "items": [{**record_file_json(d.record_file, d.documents), "overdue": d.overdue} for d in items],
            "total": total,
            "page": query.page or 1,
            "per_page": query.per_page or 50,
            "notice_days": retention.TRANSFER_NOTICE_DAYS,
        }
    )


@api.get("/archive/transfers/package.zip")
def transfer_package():  # type: ignore[no-untyped-def]
    """The transfer package of closed records files: `?files=1,2`."""
    ids = package_ids(request.args.getlist("files"))
    package = packages.transfer_package(current_user, ids)
    db.session.commit()
    return _zip_response(package)
