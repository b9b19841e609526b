"""Routing over JSON: sending a document, the per-recipient table, and the incoming queue (/api/v1/inbox)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from flask_babel import gettext
from flask_login import current_user

from ..api import api
from ..documents.api import bytes_response
from ..errors import InvalidInput, NotFound
from ..extensions import db
from ..signing.api import in_reader_language
from ..storage.service import read_blob
from . import service
from .models import Arrival, Dispatch


def _json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InvalidInput(message=gettext("Send a JSON object."))
    return data


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def dispatch_json(d: Dispatch, with_history: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": d.id,
        "document_id": d.document_id,
        "recipient": {"code": d.recipient_code, "name": d.recipient_name},
        "remote": d.remote,
        "peer": d.peer.name if d.peer else None,
        "status": d.status,
        "status_at": _when(d.status_at),
        "reason": d.reason,
        "last_error": d.last_error,
        "pending_change": d.pending_change,
        "message_id": d.message_id,
        "sent_at": _when(d.created_at),
    }
    if with_history:
        body["history"] = [
            {
                "status": e.status,
                "code": e.code,
                "description": e.description,
                "staff": e.staff,
                "at": _when(e.happened_at),
            }
            for e in service.history(d.id)
        ]
    return body


def arrival_json(a: Arrival, with_report: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": a.id,
        "exchange_id": a.exchange_id,
        "sender": {"code": a.sender_code, "name": a.sender_name},
        "from_peer": a.peer.name if a.peer else None,
        "status": a.status,
        "reason": a.reason,
        "verdict": a.verdict,
        "received_at": _when(a.received_at),
        "decided_at": _when(a.decided_at),
        "document_id": a.document_id,
        "pending_change": a.pending_change,
        "pending_reason": a.pending_reason,
        **a.details,
        "files": [
            {
                **{k: f[k] for k in ("role", "filename", "content_type", "sha256", "size")},
                "url": url_for("api.arrival_file", arrival_id=a.id, index=index),
            }
            for index, f in enumerate(a.files)
        ],
    }
    if with_report and a.report is not None:
        body["signatures"] = in_reader_language(a.report)
    return body


@api.post("/documents/<int:document_id>/send")
def send_document(document_id: int):  # type: ignore[no-untyped-def]
    data = _json_body()
    sent = service.send(current_user, document_id, data.get("recipients"))
    db.session.commit()
    return jsonify({"items": [dispatch_json(d) for d in sent]})


@api.get("/documents/<int:document_id>/dispatches")
def document_dispatches(document_id: int):  # type: ignore[no-untyped-def]
    rows = service.dispatches(current_user, document_id)
    return jsonify({"items": [dispatch_json(d, with_history=True) for d in rows]})


@api.get("/inbox")
def inbox():  # type: ignore[no-untyped-def]
    status = request.args.get("status", "waiting")
    rows = service.inbox(current_user, None if status == "all" else status)
    return jsonify({"items": [arrival_json(a) for a in rows], "total": len(rows)})


@api.get("/inbox/<int:arrival_id>")
def arrival(arrival_id: int):  # type: ignore[no-untyped-def]
    return jsonify(arrival_json(service.get_arrival(current_user, arrival_id), with_report=True))


@api.get("/inbox/<int:arrival_id>/files/<int:index>")
def arrival_file(arrival_id: int, index: int):  # type: ignore[no-untyped-def]
    found = service.get_arrival(current_user, arrival_id)
    if index >= len(found.files):
        raise NotFound(gettext("No such file."))
    f = found.files[index]
    return bytes_response(f["filename"], f["content_type"], f["sha256"], read_blob(f["sha256"]), inline=True)


@api.post("/inbox/<int:arrival_id>/accept")
def accept_arrival(arrival_id: int):  # type: ignore[no-untyped-def]
    accepted = service.accept(current_user, arrival_id)
    db.session.commit()
    return jsonify(arrival_json(accepted))


@api.post("/inbox/<int:arrival_id>/return")
def return_arrival(arrival_id: int):  # type: ignore[no-untyped-def]
    returned = service.return_arrival(current_user, arrival_id, _json_body().get("reason"))
    db.session.commit()
    return jsonify(arrival_json(returned))
