"""Archive pages: the records files of a year, one file with its documents, the review and transfer lists, the
ZIP exports, and the records-file panel of the document page.

The views read the form, call one service function, commit and say what happened; the rules are in service.py.
A refusal rolls back whatever the service flushed before refusing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..auth.models import User
from ..clock import local_today
from ..documents.models import Document
from ..errors import DomainError, InvalidInput, InvalidState
from ..extensions import db
from ..validation import parse
from . import packages, retention, service
from .models import RETENTION_YEARS, RecordFile, RecordFileDocument
from .schemas import (
    PERMANENT,
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

archive_pages = Blueprint("archive_pages", __name__)

STATUS_LABELS: dict[str, Any] = {
    service.RecordFileStatus.OPEN: _l("Open"),
    service.RecordFileStatus.CLOSED: _l("Closed"),
    service.RecordFileStatus.TRANSFERRED: _l("Transferred"),
}
FORM_FIELDS = ("year", "code", "title", "retention_years", "keeper_id", "opened_on", "notes")


def retention_label(years: int | None) -> str:
    return gettext("Permanent") if years is None else gettext("%(n)s years", n=years)


def retention_choices() -> list[tuple[str, str]]:
    return [(PERMANENT, retention_label(None)), *((str(y), retention_label(y)) for y in RETENTION_YEARS)]


def _form() -> dict[str, Any]:
    form = request.form.to_dict()
    form.pop("csrf_token", None)
    return form


def _problem(err: DomainError) -> str:
    if isinstance(err, InvalidInput) and err.fields and not err.message:
        return " ".join(err.fields.values())
    return err.text()


def _values(form: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """The form's fields the model knows; blanks are left out (a blank keeper or day means none)."""
    return {name: form[name] for name in fields if name in form and str(form[name]).strip()}


def _back(default: str) -> str:
    """Where a form asks to go back to: a path of this site only."""
    target = request.form.get("next", "")
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else default


def _file_url(f: RecordFile | int) -> str:
    return url_for("archive_pages.record_file", record_file_id=f if isinstance(f, int) else f.id)


def _zip(package: packages.Package) -> Response:
    db.session.commit()  # the downloads' audit events, before anything is sent
    response = send_file(
        package.file, mimetype="application/zip", as_attachment=True, download_name=package.filename, max_age=0
    )
    response.content_length = package.size
    response.headers["X-Content-SHA256"] = package.sha256
    response.headers["Cache-Control"] = "no-store"
    return response


def _keepers() -> list[tuple[str, str]]:
    """The organisation's active people, as the keeper's choices."""
    users = db.session.scalars(
        sa.select(User)
        .where(User.organisation_id == current_user.organisation_id, User.active)
        .order_by(User.full_name)
    )
    return [(str(u.id), f"{u.full_name} ({u.username})") for u in users]


@archive_pages.app_context_processor
def _archive_helpers() -> dict[str, Any]:
    return {
        "archive_panel": archive_panel,
        "may_read_archive": lambda: current_user.is_authenticated and service.may_read(current_user),
        "record_file_status": lambda f: STATUS_LABELS[service.status_of(f)],
        "retention_label": retention_label,
        "expires_on": retention.expires_on,
        "transfer_due_on": retention.transfer_due_on,
    }


# --- The document page's panel ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArchivePanel:
    entry: RecordFileDocument | None
    open_files: list[RecordFile]
    can_file: bool


def archive_panel(doc: Document) -> ArchivePanel | None:
    """The records file a document is filed in, and for an archivist or a clerk the open files to file it into;
    None for whoever does not see records files."""
    if doc.organisation_id != current_user.organisation_id or not service.may_read(current_user):
        return None
    entry = service.filed_in(current_user, doc.id)
    can_file = entry is None and service.may_manage(current_user) and doc.status not in service.UNFILED_STATUSES
    return ArchivePanel(entry, service.open_files(current_user) if can_file else [], can_file)


@archive_pages.post("/documents/<int:document_id>/record-file")
def file_from_document(document_id: int):  # type: ignore[no-untyped-def]
    """File the document into the records file chosen on its page."""
    target = url_for("documents.detail", document_id=document_id, _anchor="record-file")
    chosen = request.form.get("record_file_id", "")
    if not chosen.isdigit():
        flash(gettext("Choose a records file."), "error")
        return redirect(target)
    try:
        service.file_document(current_user, int(chosen), parse(FileDocumentInput, {"document_id": document_id}))
    except DomainError as err:
        if err.status == 403:
            raise
        db.session.rollback()
        flash(_problem(err), "error")
        return redirect(target)
    db.session.commit()
    flash(gettext("Filed in the records file."), "success")
    return redirect(target)


# --- The records files of a year ----------------------------------------------------------------------------------


@archive_pages.get("/archive")
def index():  # type: ignore[no-untyped-def]
    return redirect(url_for("archive_pages.files"))


def _files_page(year: int, form: dict[str, Any], errors: dict[str, str], status: int = 200) -> tuple[str, int]:
    page_number = request.args.get("page", "1")
    query = {"year": year, "page": int(page_number) if page_number.isdigit() and 0 < int(page_number) < 100_000 else 1}
    page = service.list_record_files(current_user, parse(RecordFileQuery, query))
    return render_template(
        "archive/files.html",
        year=year,
        years=service.years_of(current_user),
        page=page,
        form=form,
        errors=errors,
        can_manage=service.may_manage(current_user),
        keepers=_keepers(),
        retention_choices=retention_choices(),
    ), status


def _chosen_year() -> int:
    text = request.args.get("year", "")
    return int(text) if text.isdigit() and 1900 <= int(text) <= 2999 else local_today().year


@archive_pages.get("/archive/files")
def files():  # type: ignore[no-untyped-def]
    year = _chosen_year()
    return _files_page(year, {"year": str(year), "retention_years": "10"}, {})


@archive_pages.post("/archive/files")
def create():  # type: ignore[no-untyped-def]
    form = _form()
    try:
        f = service.create_record_file(current_user, parse(RecordFileInput, _values(form, FORM_FIELDS)))
    except DomainError as err:
        if err.status == 403:
            raise
        db.session.rollback()
        errors = dict(err.fields) if isinstance(err, InvalidInput) and err.fields else {"code": err.text()}
        year = form.get("year", "")
        return _files_page(
            int(year) if year.isdigit() and 1900 <= int(year) <= 2999 else _chosen_year(), form, errors, 422
        )
    db.session.commit()
    flash(gettext("Records file %(code)s opened.", code=f.code), "success")
    return redirect(_file_url(f))


# --- One records file ---------------------------------------------------------------------------------------------


@archive_pages.get("/archive/files/<int:record_file_id>")
def record_file(record_file_id: int):  # type: ignore[no-untyped-def]
    f = service.get_record_file(current_user, record_file_id)
    return render_template(
        "archive/file.html",
        f=f,
        entries=service.entries_of(current_user, f),
        status=service.status_of(f),
        can_manage=service.may_manage(current_user),
        today=local_today(),
    )


def _edit_form(f: RecordFile) -> dict[str, Any]:
    return {
        "year": str(f.year),
        "code": f.code,
        "title": f.title,
        "retention_years": PERMANENT if f.retention_years is None else str(f.retention_years),
        "keeper_id": str(f.keeper_id or ""),
        "opened_on": f.opened_on.isoformat() if f.opened_on else "",
        "notes": f.notes or "",
    }


def _edit_page(f: RecordFile, form: dict[str, Any], errors: dict[str, str], status: int = 200) -> tuple[str, int]:
    return render_template(
        "archive/edit.html",
        f=f,
        form=form,
        errors=errors,
        keepers=_keepers(),
        retention_choices=retention_choices(),
    ), status


@archive_pages.route("/archive/files/<int:record_file_id>/edit", methods=["GET", "POST"])
def edit(record_file_id: int):  # type: ignore[no-untyped-def]
    f = service.get_record_file(current_user, record_file_id)
    if request.method == "GET":
        return _edit_page(f, _edit_form(f), {})
    form = _form()
    # Every field of the form is sent: a blank keeper, day or notes clears it.
    values: dict[str, Any] = {name: form.get(name, "") for name in FORM_FIELDS}
    values["keeper_id"] = values["keeper_id"] or None
    try:
        service.update_record_file(current_user, f.id, parse(RecordFilePatch, values))
    except DomainError as err:
        if err.status == 403:
            raise
        db.session.rollback()
        errors = dict(err.fields) if isinstance(err, InvalidInput) and err.fields else {"code": err.text()}
        return _edit_page(service.get_record_file(current_user, record_file_id), form, errors, 422)
    db.session.commit()
    flash(gettext("Saved."), "success")
    return redirect(_file_url(f))


def _act(record_file_id: int, action: Any, success: str) -> Response:
    """Run one action on a records file from its page: done, or the reason it was refused, on the page."""
    service.get_record_file(current_user, record_file_id)  # 404 and 403 as pages
    try:
        action()
    except DomainError as err:
        if err.status == 403:
            raise
        db.session.rollback()
        flash(_problem(err), "error")
        return redirect(_back(_file_url(record_file_id)))
    db.session.commit()
    flash(success, "success")
    return redirect(_back(_file_url(record_file_id)))


@archive_pages.post("/archive/files/<int:record_file_id>/documents")
def add_document(record_file_id: int):  # type: ignore[no-untyped-def]
    form = _form()
    form.pop("next", None)
    return _act(
        record_file_id,
        lambda: service.file_document(
            current_user, record_file_id, parse(FileDocumentInput, _values(form, ("document_id", "position")))
        ),
        gettext("Document filed."),
    )


@archive_pages.post("/archive/files/<int:record_file_id>/documents/<int:document_id>/remove")
def remove_document(record_file_id: int, document_id: int):  # type: ignore[no-untyped-def]
    return _act(
        record_file_id,
        lambda: service.unfile_document(current_user, record_file_id, document_id),
        gettext("Document taken out of the records file."),
    )


@archive_pages.post("/archive/files/<int:record_file_id>/documents/<int:document_id>/move")
def move_document(record_file_id: int, document_id: int):  # type: ignore[no-untyped-def]
    form = _form()
    return _act(
        record_file_id,
        lambda: service.move_document(
            current_user, record_file_id, document_id, parse(MoveInput, _values(form, ("position",))).position
        ),
        gettext("Order saved."),
    )


@archive_pages.post("/archive/files/<int:record_file_id>/close")
def close(record_file_id: int):  # type: ignore[no-untyped-def]
    form = _form()
    return _act(
        record_file_id,
        lambda: service.close_record_file(
            current_user, record_file_id, parse(CloseInput, _values(form, ("closed_on",)))
        ),
        gettext("Records file closed."),
    )


@archive_pages.post("/archive/files/<int:record_file_id>/transfer")
def transfer(record_file_id: int):  # type: ignore[no-untyped-def]
    form = _form()
    return _act(
        record_file_id,
        lambda: service.mark_transferred(
            current_user, record_file_id, parse(TransferInput, _values(form, ("transferred_on",)))
        ),
        gettext("Marked as transferred to the agency's archive."),
    )


@archive_pages.get("/archive/files/<int:record_file_id>/export.zip")
def export(record_file_id: int):  # type: ignore[no-untyped-def]
    return _zip(packages.export_record_file(current_user, record_file_id))


# --- Review and transfer ----------------------------------------------------------------------------------------


def _page_query() -> PageQuery:
    page = request.args.get("page", "1")
    return PageQuery(page=int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1)


@archive_pages.get("/archive/review")
def review():  # type: ignore[no-untyped-def]
    query = _page_query()
    page = retention.review_list(current_user, query.page, query.per_page)
    return render_template("archive/review.html", page=page, today=local_today())


@archive_pages.get("/archive/transfers")
def transfers():  # type: ignore[no-untyped-def]
    query = _page_query()
    items, total = retention.transfer_list(current_user, query.page, query.per_page)
    return render_template(
        "archive/transfers.html",
        items=items,
        total=total,
        notice_days=retention.TRANSFER_NOTICE_DAYS,
        can_manage=service.may_manage(current_user),
        today=local_today(),
    )


@archive_pages.get("/archive/transfers/package.zip")
def package():  # type: ignore[no-untyped-def]
    try:
        made = packages.transfer_package(current_user, package_ids(request.args.getlist("files")))
    except (InvalidInput, InvalidState) as err:
        db.session.rollback()
        flash(_problem(err), "error")
        return redirect(url_for("archive_pages.transfers"))
    return _zip(made)
