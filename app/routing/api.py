"""Routing over JSON: sending a document, the per-recipient table, and the incoming queue (/api/v1/inbox)."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request, url_for
from flask_babel import gettext
from flask_login import current_user

from ..api import api
from ..documents.api import bytes_response
from ..documents.uploads import Upload
from ..errors import InvalidInput, NotFound, TooLarge
from ..extensions import db
from ..security import public
from ..signing.api import in_reader_language
from ..storage.service import read_blob
from ..validation import query_args
from . import federation, peers, service
from .identity import identity_document, spaced
from .models import Arrival, Dispatch, Peer


def _json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InvalidInput(message=gettext("Send a JSON object."))
    return data


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def dispatch_json(d: Dispatch, history: list[Any] | None = None) -> dict[str, Any]:
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
    if history is not None:
        body["history"] = [
            {
                "status": e.status,
                "code": e.code,
                "description": e.description,
                "staff": e.staff,
                "at": _when(e.happened_at),
            }
            for e in history
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
    events = service.histories([d.id for d in rows])
    return jsonify({"items": [dispatch_json(d, events[d.id]) for d in rows]})


@api.get("/inbox")
def inbox():  # type: ignore[no-untyped-def]
    status = query_args().get("status", "waiting")
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


@api.post("/documents/<int:document_id>/change")
def change_document(document_id: int):  # type: ignore[no-untyped-def]
    """Ask the recipients to recall, update or replace the document: JSON {kind, reason}, or a form with the
    corrected PDF as `file` for a replacement."""
    if request.mimetype == "multipart/form-data":
        data: dict[str, Any] = dict(request.form)
        upload = request.files.get("file")
        replacement = Upload(upload.filename or "van-ban.pdf", upload.read()) if upload else None
    else:
        data, replacement = _json_body(), None
    asked = service.request_change(current_user, document_id, data.get("kind"), data.get("reason"), replacement)
    db.session.commit()
    return jsonify({"items": [dispatch_json(d) for d in asked]})


@api.post("/inbox/<int:arrival_id>/change")
def answer_change(arrival_id: int):  # type: ignore[no-untyped-def]
    """The clerk's answer to the sender's recall or replacement: {"agree": true} or {"agree": false, "reason"}."""
    data = _json_body()
    answered = service.answer_change(current_user, arrival_id, data.get("agree"), data.get("reason"))
    db.session.commit()
    return jsonify(arrival_json(answered))


# --- Peers, the directory, and the exchange endpoints peers call ----------------------------------------------


def peer_json(p: Peer) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "base_url": p.base_url,
        "fingerprint": p.fingerprint,
        "organisations": p.organisations,
        "directory_fetched_at": _when(p.directory_fetched_at),
        "last_ok_at": _when(p.last_ok_at),
        "last_error": p.last_error,
        "active": p.active,
    }


@api.get("/directory")
def directory():  # type: ignore[no-untyped-def]
    """Every organisation a document can be sent to, here and on the peers (?q= filters by name or code)."""
    return jsonify({"items": peers.directory(request.args.get("q"))})


@api.get("/peers")
def list_peers():  # type: ignore[no-untyped-def]
    peers.require_admin(current_user)
    return jsonify({"items": [peer_json(p) for p in peers.list_peers()]})


@api.post("/peers")
def add_peer():  # type: ignore[no-untyped-def]
    """Add a peer: its identity is fetched from base_url, and must show the fingerprint given (confirmation)."""
    data = _json_body()
    peers.require_admin(current_user)
    identity = peers.fetch_identity(peers.normalise_url(data.get("base_url")))
    expected = data.get("fingerprint")
    if not isinstance(expected, str) or expected.replace(":", "").lower() != identity.fingerprint:
        raise InvalidInput(
            {
                "fingerprint": gettext(
                    "Confirm the peer's certificate: give its fingerprint %(fp)s, after checking it with the "
                    "peer's administrator.",
                    fp=spaced(identity.fingerprint),
                )
            }
        )
    peer = peers.add_peer(current_user, data.get("name"), data.get("base_url"), identity)
    db.session.commit()
    return jsonify(peer_json(peer)), 201


@api.post("/peers/<int:peer_id>/refresh")
def refresh_peer(peer_id: int):  # type: ignore[no-untyped-def]
    peers.require_admin(current_user)
    peer = peers.refresh(current_user, peer_id)
    db.session.commit()
    return jsonify(peer_json(peer))


@api.post("/dispatches/<int:dispatch_id>/resend")
def resend_dispatch(dispatch_id: int):  # type: ignore[no-untyped-def]
    dispatch = federation.resend(current_user, dispatch_id)
    db.session.commit()
    return jsonify(dispatch_json(dispatch))


@api.get("/exchange/identity")
@public
def exchange_identity():  # type: ignore[no-untyped-def]
    """Who this server is in the exchange: its certificate and the organisations it hosts."""
    body = identity_document()
    db.session.commit()  # the identity is made on first use
    return jsonify(body)


@api.post("/exchange/messages")
@public
def exchange_message():  # type: ignore[no-untyped-def]
    """An envelope or a status from a peer, authenticated by its XML signature (no login)."""
    limit = int(current_app.config.get("EXCHANGE_MAX_MESSAGE_MB", 80)) * 1024 * 1024
    if request.content_length is not None and request.content_length > limit:
        raise TooLarge(gettext("The message is larger than %(mb)s MB.", mb=limit // (1024 * 1024)))
    request.max_content_length = limit
    data = request.get_data(cache=False)
    try:
        answer = federation.receive(data)
    except federation.Rejected as err:
        return jsonify({"error": {"code": err.code, "message": err.message}}), err.status
    return jsonify(answer)
