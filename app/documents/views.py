"""Document pages: the list, registering and drafting, the detail page, edits, files and registers."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from ..auth.models import Role, User
from ..clock import local_today
from ..errors import InvalidInput, InvalidState
from ..extensions import db
from ..validation import drop_blanks, parse, query_args
from . import service, view_history
from .api import file_response, uploads_from_request
from .models import Document
from .schemas import DocumentPatch, DocumentQuery, IncomingInput, blanks_to_none
from .uploads import Upload, stash_uploads, unstash_uploads
from .vocabulary import Direction

documents = Blueprint("documents", __name__)

FORM_FIELDS = [
    "document_type",
    "number",
    "notation",
    "issuer",
    "issuer_code",
    "place",
    "issued_on",
    "subject",
    "signer_name",
    "signer_position",
    "recipients",
    "urgency",
    "secrecy",
    "page_count",
    "notes",
    "received_on",
    "due_on",
    "channel",
]


@documents.get("/documents")
def index():  # type: ignore[no-untyped-def]
    args = query_args()
    errors: dict = {}
    try:
        query = parse(DocumentQuery, args)
    except InvalidInput as err:
        errors = err.fields
        query = DocumentQuery()
    page = service.list_documents(current_user, query)
    return render_template("documents/list.html", page=page, query=query, args=args, errors=errors)


def _can_create(direction: str) -> bool:
    if direction == Direction.INCOMING:
        return current_user.has_role(Role.CLERK)
    return current_user.has_role(Role.SPECIALIST, Role.LEADER, Role.CLERK)


@documents.route("/documents/new", methods=["GET", "POST"])
def new():  # type: ignore[no-untyped-def]
    direction = request.values.get("direction", Direction.INCOMING)
    if direction not in (Direction.INCOMING, Direction.OUTGOING):
        abort(404)
    if not _can_create(direction):
        flash(gettext("Your roles do not allow this."), "error")
        return redirect(url_for("documents.index"))
    form = {
        "received_on": local_today().isoformat(),
        "urgency": "normal",
        "secrecy": "normal",
        "document_type": "CV",
    }
    errors: dict = {}
    duplicate = None
    pending_names: list[str] = []
    if request.method == "POST":
        form = request.form.to_dict()
        values = drop_blanks({k: form.get(k, "") for k in [*FORM_FIELDS, "confirm_duplicate"]})
        main, attachments = uploads_from_request()
        pending = form.get("pending_files", "")
        if main is None and pending:
            main, attachments = unstash_uploads(current_user.id, pending)
        try:
            if direction == Direction.OUTGOING:
                for name in ("received_on", "due_on", "channel"):
                    values.pop(name, None)
            data = service.check_new_document(direction, values, main, attachments)
            if isinstance(data, IncomingInput):
                doc = service.register_incoming(current_user, data, main, attachments)
                flash(gettext("Registered as incoming no. %(n)s.", n=doc.register_number), "success")
            else:
                doc = service.create_draft(current_user, data, main, attachments)
                flash(gettext("Draft saved."), "success")
            return redirect(url_for("documents.detail", document_id=doc.id))
        except service.DuplicateDocument as err:
            duplicate = err
            form["pending_files"] = stash_uploads(current_user.id, main, attachments)
            pending_names = [u.filename for u in [main, *attachments] if u is not None]
        except InvalidInput as err:
            errors = err.fields
    status = 422 if errors else (409 if duplicate else 200)
    return render_template(
        "documents/form.html",
        direction=direction,
        form=form,
        errors=errors,
        duplicate=duplicate,
        pending_names=pending_names,
        document=None,
    ), status


@documents.get("/documents/<int:document_id>")
def detail(document_id: int):  # type: ignore[no-untyped-def]
    doc = service.view_document(current_user, document_id, via="web")
    changes = service.history(current_user, doc.id)
    grants = service.grants(current_user, doc.id) if doc.is_secret else []
    colleagues = []
    if doc.is_secret and current_user.has_role(Role.CLERK, Role.LEADER):
        colleagues = db.session.scalars(
            sa.select(User).where(User.organisation_id == doc.organisation_id, User.active).order_by(User.full_name)
        ).all()
    return render_template(
        "documents/detail.html",
        doc=doc,
        changes=changes,
        grants=grants,
        colleagues=colleagues,
        can_edit=service.can_edit(current_user, doc),
    )


@documents.route("/documents/<int:document_id>/edit", methods=["GET", "POST"])
def edit(document_id: int):  # type: ignore[no-untyped-def]
    doc = service.get_editable(current_user, document_id)
    errors: dict = {}
    form = {k: getattr(doc, k) for k in FORM_FIELDS}
    form = {k: (v.isoformat() if hasattr(v, "isoformat") else ("" if v is None else v)) for k, v in form.items()}
    if request.method == "POST":
        form = request.form.to_dict()
        fields = (
            FORM_FIELDS
            if doc.direction == Direction.INCOMING
            else [f for f in FORM_FIELDS if f not in {"received_on", "due_on", "channel"}]
        )
        values = blanks_to_none({k: form.get(k, "") for k in fields})
        try:
            service.update_document(current_user, doc.id, parse(DocumentPatch, values))
        except InvalidInput as err:
            errors = err.fields
        except InvalidState as err:
            errors = {"secrecy": err.text()}
        else:
            flash(gettext("Saved."), "success")
            return redirect(url_for("documents.detail", document_id=doc.id))
    return render_template(
        "documents/form.html", direction=doc.direction, form=form, errors=errors, duplicate=None, document=doc
    ), 422 if errors else 200


@documents.get("/documents/<int:document_id>/files/<int:file_id>")
def download(document_id: int, file_id: int):  # type: ignore[no-untyped-def]
    file, data = service.read_file(current_user, document_id, file_id, via="web")
    return file_response(file, data, inline=request.args.get("inline") == "1")


@documents.get("/documents/<int:document_id>/print")
def print_document(document_id: int):  # type: ignore[no-untyped-def]
    """The main file's PDF inline, for the browser's viewer to print; the print is recorded in the view history."""
    file, data = view_history.print_main_file(
        current_user, document_id, via=view_history.Via.WEB, record=request.method != "HEAD"
    )
    return file_response(file, data, inline=True)


def view_history_panel(doc: Document) -> view_history.HistoryPage:
    """The page of the view history the detail page shows (`history_page` in its query string, else the first)."""
    try:
        query = view_history.parse_history_query({"page": request.args.get("history_page", "")})
    except InvalidInput:
        query = view_history.HistoryQuery()
    return view_history.view_history(current_user, doc.id, query.page, query.per_page)


@documents.app_context_processor
def _view_history_helpers() -> dict[str, Any]:
    return {
        "view_history_panel": view_history_panel,
        "history_action_label": lambda action: view_history.ACTION_LABELS.get(action, action),
        "history_via_label": lambda via: view_history.VIA_LABELS.get(via, via or ""),
    }


@documents.post("/documents/<int:document_id>/attachments")
def add_attachment(document_id: int):  # type: ignore[no-untyped-def]
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(gettext("Choose a file first."), "error")
    else:
        service.add_attachment(current_user, document_id, Upload(upload.filename, upload.read()))
        flash(gettext("Attachment added."), "success")
    return redirect(url_for("documents.detail", document_id=document_id))


@documents.post("/documents/<int:document_id>/grants")
def grant(document_id: int):  # type: ignore[no-untyped-def]
    user_id = request.form.get("user_id", "")
    if not user_id.isdigit():
        raise InvalidInput({"user_id": gettext("Choose a colleague.")})
    service.grant_access(current_user, document_id, int(user_id))
    flash(gettext("Access granted."), "success")
    return redirect(url_for("documents.detail", document_id=document_id))


@documents.get("/registers")
def registers():  # type: ignore[no-untyped-def]
    return render_template("documents/registers.html", registers=service.registers_of(current_user))


@documents.get("/registers/<direction>/<int:year>")
def register(direction: str, year: int):  # type: ignore[no-untyped-def]
    if direction not in (Direction.INCOMING, Direction.OUTGOING):
        abort(404)
    secret = request.args.get("secret") == "1"
    entries = service.register_entries(current_user, Direction(direction), year, secret)
    return render_template("documents/register.html", entries=entries, direction=direction, year=year, secret=secret)
