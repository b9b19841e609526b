"""The one-stop pages: the desk's dossiers and the resolving organisation's, receiving a dossier (choose the
procedure, then its papers, the applicant, the channel and the fee), and one dossier with its steps, timeline, the
moves the reader may make, its slip and its apology.

The views read the form, call one service function, commit and say what happened; the rules are in intake.py,
processing.py and deadlines.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..auth.models import Role
from ..documents.api import uploads_from_request, uploads_in
from ..documents.uploads import Upload
from ..documents.vocabulary import DOCUMENT_TYPES
from ..errors import DomainError, Forbidden, InvalidInput
from ..extensions import db, utcnow
from ..validation import parse, parse_query
from . import deadlines, intake, processing, results
from .machine import Move
from .models import CHANNEL_LABELS, FEE_MODE_LABELS, STATUS_LABELS, Dossier, DossierStatus, FeeMode, Procedure
from .schemas import INCOMPLETE_REASONS, REASON_LABELS, REFUSAL_REASONS, DossierQuery, IntakeInput

onestop_pages = Blueprint("onestop_pages", __name__)

STAFF = (Role.ONESTOP, Role.SPECIALIST, Role.LEADER)
MOVE_LABELS = {
    Move.TRANSFER: _l("Transfer for processing"),
    Move.TAKE: _l("Take it in hand"),
    Move.SUBMIT: _l("Submit for approval"),
    Move.APPROVE: _l("Approve the result"),
    Move.SEND_BACK: _l("Send back"),
    Move.REQUEST_SUPPLEMENT: _l("Ask for papers"),
    Move.SUPPLEMENT_RECEIVED: _l("Papers received"),
    Move.SUSPEND: _l("Suspend"),
    Move.WITHDRAW: _l("Withdraw"),
    Move.RETURN_RESULT: _l("Hand the result back"),
}


def _staff_only() -> None:
    if not current_user.has_role(*STAFF):
        raise Forbidden(gettext("The one-stop pages are for one-stop officers and the officials who resolve dossiers."))


@onestop_pages.get("/onestop")
def index():  # type: ignore[no-untyped-def]
    _staff_only()
    resolving = request.args.get("view") == "resolving" or not current_user.has_role(Role.ONESTOP)
    try:
        query = parse_query(DossierQuery)  # the form's "every status" sends it empty
    except InvalidInput as err:
        flash(err.text(), "error")
        query = DossierQuery()
    found = intake.list_dossiers(current_user, query, resolving=resolving)
    scanned = intake.opened_by_scan(query, found)
    if scanned is not None:
        return redirect(url_for("onestop_pages.dossier", code=scanned.code))
    now = utcnow()
    return render_template(
        "onestop/index.html",
        page=found,
        query=query,
        resolving=resolving,
        labels=STATUS_LABELS,
        statuses=[(str(s), STATUS_LABELS[s]) for s in DossierStatus],
        overdue={d.id for d in found.items if deadlines.is_overdue(d, now)},
    )


def _procedures() -> list[Procedure]:
    return list(db.session.scalars(sa.select(Procedure).where(Procedure.active.is_(True)).order_by(Procedure.name)))


def _receive_page(form: dict[str, Any], errors: dict[str, str], status: int = 200):  # type: ignore[no-untyped-def]
    chosen = None
    code = form.get("procedure", "")
    if code:
        chosen = db.session.scalars(sa.select(Procedure).where(Procedure.code == code)).one_or_none()
    page = render_template(
        "onestop/receive.html",
        procedures=_procedures(),
        chosen=chosen,
        form=form,
        errors=errors,
        fee_modes=[(m, FEE_MODE_LABELS[m]) for m in FeeMode],
        channel_labels=CHANNEL_LABELS,
        incomplete_reasons=[(r, REASON_LABELS[r]) for r in INCOMPLETE_REASONS],
        refusal_reasons=[(r, REASON_LABELS[r]) for r in REFUSAL_REASONS],
    )
    return page, status


@onestop_pages.get("/onestop/receive")
def receive_form():  # type: ignore[no-untyped-def]
    intake.check_officer(current_user)
    return _receive_page({"procedure": request.args.get("procedure", ""), "channel": "direct", "fee_mode": ""}, {})


def _intake_from_form(form: dict[str, Any], chosen: Procedure) -> tuple[dict[str, Any], dict[int, Upload]]:
    """The form as the intake's fields: the papers ticked (with their copies) in the procedure's order, and each
    one's scan if a file was chosen."""
    papers, scans = [], {}
    for index, _paper in enumerate(chosen.papers):
        if form.get(f"paper_{index}") != "on":
            continue
        copies = form.get(f"copies_{index}", "1")
        papers.append({"paper": index, "copies": int(copies) if copies.isdigit() else copies})
        upload = request.files.get(f"scan_{index}")
        if upload and upload.filename:
            scans[len(papers) - 1] = Upload(upload.filename, upload.read())
    decision = form.get("decision", "receive")
    reason = form.get("reason_code_refuse" if decision == "refuse" else "reason_code_incomplete") or None
    fields = {
        "procedure": chosen.code,
        "applicant": {
            "name": form.get("applicant_name", ""),
            "id_number": form.get("applicant_id_number") or None,
            "phone": form.get("applicant_phone") or None,
            "email": form.get("applicant_email") or None,
            "address": form.get("applicant_address") or None,
        },
        "channel": form.get("channel", "direct"),
        "fee_mode": form.get("fee_mode") or ("paid" if chosen.total_fee else "none"),
        "papers": papers,
        "decision": decision,
        "reason_code": reason if decision != "receive" else None,
        "reason_text": form.get("reason_text") or None,
    }
    return fields, scans


def _flat_errors(err: DomainError) -> dict[str, str]:
    if isinstance(err, InvalidInput) and err.fields:
        return {k.replace("applicant.", "applicant_"): v for k, v in err.fields.items()}
    return {"form": err.text()}


def _change(action: Callable[[], Dossier]) -> Dossier | None:
    """A change made from the dossier's page: committed, or rolled back with what was wrong flashed (None). A 403
    or 404 is not flashed but raised: the error page, telling nothing of the dossier."""
    try:
        done = action()
    except DomainError as err:
        db.session.rollback()
        if err.status in (403, 404):
            raise
        flash("; ".join(_flat_errors(err).values()), "error")
        return None
    db.session.commit()
    return done


@onestop_pages.post("/onestop/receive")
def receive():  # type: ignore[no-untyped-def]
    intake.check_officer(current_user)
    form = request.form.to_dict()
    chosen = db.session.scalars(sa.select(Procedure).where(Procedure.code == form.get("procedure", ""))).one_or_none()
    if chosen is None:
        return _receive_page(form, {"procedure": gettext("Choose the procedure.")}, 422)
    fields, scans = _intake_from_form(form, chosen)
    try:
        dossier = intake.receive_dossier(current_user, parse(IntakeInput, fields), scans)
    except DomainError as err:
        if err.status == 403:
            raise
        db.session.rollback()
        return _receive_page(form, _flat_errors(err), 422)
    db.session.commit()
    flash(gettext("Dossier %(code)s recorded. Print its slip for the applicant.", code=dossier.code), "success")
    return redirect(url_for("onestop_pages.dossier", code=dossier.code))


@onestop_pages.get("/onestop/dossiers/<code>")
def dossier(code: str):  # type: ignore[no-untyped-def]
    _staff_only()
    found = intake.get_dossier(current_user, code)
    calendar = deadlines.calendar_of(found)
    return render_template(
        "onestop/dossier.html",
        dossier=found,
        status_label=STATUS_LABELS[DossierStatus(found.status)],
        steps=deadlines.steps_view(found, calendar, utcnow()),
        promised=deadlines.promised(found),
        moves=[(str(m), MOVE_LABELS[m]) for m in processing.available_moves(current_user, found)],
        can_apologise=processing.can_issue_apology(current_user, found),
        can_draft_result=results.can_draft_result(current_user, found),
        result=results.result_of(found),
        result_types=[(t, DOCUMENT_TYPES[t]) for t in results.RESULT_TYPES],
        own_desk=found.organisation_id == current_user.organisation_id,
        labels=STATUS_LABELS,
        reason_labels=REASON_LABELS,
    )


@onestop_pages.post("/onestop/dossiers/<code>/moves")
def move(code: str):  # type: ignore[no-untyped-def]
    _staff_only()
    form = request.form.to_dict()
    fields = {
        "move": form.get("move", ""),
        "note": form.get("note") or None,
        "public_message": form.get("public_message") or None,
    }
    files = uploads_in("files")
    moved = _change(lambda: processing.move_dossier(current_user, code, parse(processing.MoveInput, fields), files))
    if moved is None:
        return redirect(url_for("onestop_pages.dossier", code=code))
    flash(
        gettext("Done: the dossier is now %(status)s.", status=str(STATUS_LABELS[DossierStatus(moved.status)]).lower()),
        "success",
    )
    return redirect(url_for("onestop_pages.dossier", code=moved.code))


@onestop_pages.post("/onestop/dossiers/<code>/result")
def draft_result(code: str):  # type: ignore[no-untyped-def]
    """Open the result's outgoing draft and go to it, to write and attach its text."""
    _staff_only()
    fields = {k: v for k, v in request.form.to_dict().items() if k in ("document_type", "subject") and v.strip()}
    main, _ = uploads_from_request()
    drafted = _change(lambda: results.draft_result(current_user, code, parse(results.ResultDraftInput, fields), main))
    if drafted is None:
        return redirect(url_for("onestop_pages.dossier", code=code))
    flash(gettext("The result's draft was opened: have it signed and issued."), "success")
    return redirect(url_for("documents.detail", document_id=drafted.result_document_id))


@onestop_pages.post("/onestop/dossiers/<code>/apology")
def apologise(code: str):  # type: ignore[no-untyped-def]
    _staff_only()
    reason = (request.form.get("reason") or "").strip()
    issued = _change(
        lambda: processing.issue_apology(
            current_user, code, parse(processing.ApologyInput, {"reason": reason} if reason else {})
        )
    )
    if issued is not None:
        flash(gettext("The apology was issued with its new appointment."), "success")
    return redirect(url_for("onestop_pages.dossier", code=code))
