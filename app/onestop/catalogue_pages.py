"""The procedures catalogue in the browser: everyone signed in reads it; the administrator adds and edits a
procedure in a form whose boxes are written as a catalogue file's cells (one paper, step or fee per line), and
imports a whole file (CSV or JSON), checked first if asked."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from ..auth.models import Organisation, Role
from ..errors import DomainError, Forbidden, InvalidInput
from ..extensions import db
from ..validation import parse_query
from . import catalogue, procedures
from .models import PAPER_FORM_LABELS
from .schemas import ProcedureQuery

catalogue_pages = Blueprint("catalogue_pages", __name__)

FIELDS = ("code", "name", "field", "organisation", "channels", "statutory_days", "fees", "papers", "steps", "active")


def _admin_only() -> None:
    if not current_user.has_role(Role.ADMIN):
        raise Forbidden(gettext("Only an administrator edits the procedures catalogue."))


@catalogue_pages.get("/onestop/procedures")
def procedure_list():  # type: ignore[no-untyped-def]
    query = parse_query(ProcedureQuery)
    found = procedures.list_procedures(
        q=query.q or "",
        field=query.field,
        organisation_id=query.organisation_id,
        active_only=not query.include_inactive,
        page=query.page or 1,
        per_page=query.per_page or 50,
    )
    fields = db.session.scalars(sa.select(procedures.Procedure.field).distinct().order_by(procedures.Procedure.field))
    return render_template(
        "onestop/procedures.html",
        page=found,
        query=query,
        fields=list(fields),
        is_admin=current_user.has_role(Role.ADMIN),
        report=None,
        form_labels=PAPER_FORM_LABELS,
    )


def _form_page(form: dict[str, Any], errors: dict[str, str], editing: str | None, status: int = 200):  # type: ignore[no-untyped-def]
    organisations = db.session.scalars(
        sa.select(Organisation).where(Organisation.active.is_(True)).order_by(Organisation.name)
    ).all()
    page = render_template(
        "onestop/procedure_form.html", form=form, errors=errors, editing=editing, organisations=organisations
    )
    return page, status


@catalogue_pages.get("/onestop/procedures/new")
def new_procedure():  # type: ignore[no-untyped-def]
    _admin_only()
    return _form_page({"channels": "trực tiếp, trực tuyến, bưu chính", "active": "có"}, {}, None)


@catalogue_pages.get("/onestop/procedures/<path:code>/edit")
def edit_procedure(code: str):  # type: ignore[no-untyped-def]
    _admin_only()
    return _form_page(catalogue.procedure_cells(procedures.get_procedure(code)), {}, code)


def _grouped(fields: dict[str, str]) -> dict[str, str]:
    """The schema's field names (`steps.2.unit`) told on the form's boxes (`steps`), each box's reasons joined."""
    boxes: dict[str, list[str]] = {}
    for name, reason in fields.items():
        box, _, rest = name.partition(".")
        where = rest.split(".")[0] if rest else ""
        label = gettext("line %(n)s", n=int(where) + 1) + ": " if where.isdigit() else ""
        boxes.setdefault(box if box in FIELDS else "code", []).append(label + reason)
    return {box: "; ".join(reasons) for box, reasons in boxes.items()}


@catalogue_pages.post("/onestop/procedures/save")
def save_procedure():  # type: ignore[no-untyped-def]
    _admin_only()
    form = {name: request.form.get(name, "") for name in FIELDS}
    form["active"] = "có" if request.form.get("active") else "không"
    editing = request.form.get("editing") or None
    try:
        saved, made = procedures.save_procedure(
            current_user, procedures.procedure_input(catalogue.procedure_from_row(form)), editing=editing
        )
    except InvalidInput as err:
        db.session.rollback()
        return _form_page(form, _grouped(err.fields) or {"code": err.text()}, editing, 422)
    db.session.commit()
    if made:
        flash(gettext("Procedure %(code)s added.", code=saved.code), "success")
    else:
        flash(gettext("Procedure %(code)s saved.", code=saved.code), "success")
    return redirect(url_for("catalogue_pages.procedure_list", q=saved.code))


@catalogue_pages.post("/onestop/procedures/import")
def import_procedures():  # type: ignore[no-untyped-def]
    """A catalogue file uploaded (CSV or JSON): every right procedure saved (none when only checking), the others
    listed with their line and reasons."""
    _admin_only()
    upload = request.files.get("file")
    dry_run = bool(request.form.get("dry_run"))
    if upload is None or not upload.filename:
        flash(gettext("Choose a CSV or JSON file of procedures."), "error")
        return redirect(url_for("catalogue_pages.procedure_list"))
    suffix = ".json" if upload.filename.lower().endswith(".json") else ".csv"
    data = upload.read(catalogue.MAX_FILE_BYTES + 1)
    if len(data) > catalogue.MAX_FILE_BYTES:
        flash(gettext("The procedures file is larger than %(n)s MB.", n=catalogue.MAX_FILE_BYTES // 1_000_000), "error")
        return redirect(url_for("catalogue_pages.procedure_list"))
    with tempfile.TemporaryDirectory(prefix="catalogue-") as folder:
        path = Path(folder) / ("catalogue" + suffix)
        path.write_bytes(data)
        try:
            report = catalogue.import_catalogue(path, dry_run=dry_run)
        except DomainError as err:  # the file as a whole cannot be read (InvalidTable), or saving was refused
            db.session.rollback()
            flash(err.text(), "error")
            return redirect(url_for("catalogue_pages.procedure_list"))
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    found = procedures.list_procedures(page=1, per_page=50)
    fields = db.session.scalars(sa.select(procedures.Procedure.field).distinct().order_by(procedures.Procedure.field))
    status = 200 if not report.rejected else 422
    page = render_template(
        "onestop/procedures.html",
        page=found,
        query=ProcedureQuery(),
        fields=list(fields),
        is_admin=True,
        report=report,
        dry_run=dry_run,
        filename=upload.filename,
        form_labels=PAPER_FORM_LABELS,
    )
    return page, status
