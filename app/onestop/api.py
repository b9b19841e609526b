"""The one-stop desk over JSON: /api/v1/onestop/procedures (the catalogue: read by every signed-in user, written
by the admin) and /api/v1/onestop/dossiers (received by one-stop officers)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from flask import current_app, jsonify, request, url_for
from flask_babel import gettext
from flask_login import current_user

from ..api import api, json_object
from ..auth.models import Organisation, User
from ..clock import to_local
from ..documents.api import bytes_response, uploads_from_request, uploads_in
from ..documents.uploads import Upload
from ..errors import InvalidInput, NotFound
from ..extensions import db, utcnow
from ..validation import drop_blanks, parse, parse_query
from . import deadlines, intake, procedures, processing, results, slips, statistics
from .models import PORTAL_STATUS, PORTAL_STATUS_NAMES, STATUS_LABELS, Dossier, DossierPaper, DossierStatus, Procedure
from .schemas import DossierQuery, IntakeInput, ProcedureQuery, StatsQuery

# A procedure with its papers and steps fits in well under a megabyte.
MAX_JSON_BYTES = 1024 * 1024


def procedure_json(p: Procedure) -> dict[str, Any]:
    org = p.resolving_organisation
    return {
        "id": p.id,
        "code": p.code,
        "name": p.name,
        "field": p.field,
        "organisation": {"id": org.id, "code": org.code, "name": org.name},
        "channels": [str(c) for c in p.channel_list],
        "statutory_days": float(p.statutory_days),
        "fees": p.fees or [],
        "total_fee": p.total_fee,
        "papers": [
            {"name": paper.name, "form": paper.form, "copies": paper.copies, "required": paper.required}
            for paper in p.papers
        ],
        "steps": [
            {
                "name": step.name,
                "unit": {"id": step.unit.id, "name": step.unit.name, "code": step.unit.code} if step.unit else None,
                "days": float(step.days),
            }
            for step in p.steps
        ],
        "active": p.active,
        "updated_at": p.updated_at.isoformat(),
        "url": url_for("api.get_procedure", code=p.code),
    }


@api.get("/onestop/procedures")
def list_procedures():  # type: ignore[no-untyped-def]
    """The catalogue, by code: words of the name or code (q), field, resolving organisation (its id)."""
    query = parse_query(ProcedureQuery)
    page, per_page = query.page or 1, query.per_page or 50
    found = procedures.list_procedures(
        q=query.q or "",
        field=query.field,
        organisation_id=query.organisation_id,
        active_only=not query.include_inactive,
        page=page,
        per_page=per_page,
    )
    return jsonify(found.as_json(procedure_json))


@api.get("/onestop/procedures/<code>")
def get_procedure(code: str):  # type: ignore[no-untyped-def]
    return jsonify(procedure_json(procedures.get_procedure(code)))


@api.put("/onestop/procedures/<code>")
def put_procedure(code: str):  # type: ignore[no-untyped-def]
    """Make or replace the procedure with this code (the admin); the body's code, if any, must be the same."""
    body = json_object(MAX_JSON_BYTES)
    body.setdefault("code", code)
    procedure, made = procedures.save_procedure(current_user, procedures.procedure_input(body), editing=code)
    result = procedure_json(procedure)
    db.session.commit()
    response = jsonify(result)
    response.status_code = 201 if made else 200
    if made:
        response.headers["Location"] = url_for("api.get_procedure", code=procedure.code)
    return response


# --- Dossiers ---------------------------------------------------------------------------------------------------

SCAN_FIELD = re.compile(r"^paper_(\d{1,2})$")


def _moment(value: datetime | None) -> str | None:
    local = to_local(value)
    return local.isoformat() if local is not None else None


def _scan(p: DossierPaper) -> dict[str, Any] | None:
    if p.blob_sha256 is None:
        return None
    return {
        "sha256": p.blob_sha256,
        "size": p.size,
        "content_type": p.content_type,
        "filename": p.filename,
        "url": url_for("api.dossier_paper", code=p.dossier.code, position=p.position),
    }


def _result_json(d: Dossier) -> dict[str, Any] | None:
    found = results.result_of(d)
    if found is None:
        return None
    return {
        "document_id": found.document_id,
        "status": found.status,
        "subject": found.subject,
        "number": found.number,
        "notation": found.notation,
        "issued_on": found.issued_on.isoformat() if found.issued_on else None,
    }


def dossier_json(d: Dossier) -> dict[str, Any]:
    """A dossier as the staff see it (the public lookup shows far less: see lookup.py)."""
    status = DossierStatus(d.status)
    return {
        "id": d.id,
        "code": d.code,
        "secret": d.secret,
        "procedure": {"code": d.procedure.code, "name": d.procedure.name},
        "resolving_organisation_id": d.resolving_organisation_id,
        "status": d.status,
        "status_label": str(STATUS_LABELS[status]),
        "portal_status": d.portal_status,
        "portal_status_name": PORTAL_STATUS_NAMES[d.portal_status],
        "channel": d.channel,
        "fee": {"mode": d.fee_mode, "amount": d.fee_amount, "paid_at": _moment(d.fee_paid_at)},
        "applicant": {
            "name": d.applicant_name,
            "id_number": d.applicant_id_number,
            "phone": d.applicant_phone,
            "email": d.applicant_email,
            "address": d.applicant_address,
        },
        "papers": [
            {
                "name": p.name,
                "form": p.form,
                "copies": p.copies,
                "scan": _scan(p),
            }
            for p in d.papers
        ],
        "statutory_days": float(d.statutory_days),
        "steps": d.steps,
        "reason": {"code": d.reason_code, "text": d.reason_text} if d.reason_code else None,
        "received_at": _moment(d.received_at),
        "counting_from": _moment(d.counting_from),
        "appointment_at": _moment(d.appointment_at),
        "calendar_version": d.calendar_version,
        "received_by": {"id": d.received_by.id, "full_name": d.received_by.full_name},
        "handler": {"id": d.handler.id, "full_name": d.handler.full_name} if d.handler else None,
        "clock_stopped_at": _moment(d.clock_stopped_at),
        "waited_seconds": d.waited_seconds,
        "resolved_at": _moment(d.resolved_at),
        "returned_at": _moment(d.returned_at),
        "promised_at": _moment(deadlines.promised(d)),
        "result": _result_json(d),
        "steps_progress": [
            {
                "index": v.index,
                "name": v.name,
                "unit": v.unit,
                "days": v.days,
                "due": _moment(v.due),
                "state": v.state,
                "hours_left": v.hours_left,
            }
            for v in deadlines.steps_view(d, deadlines.calendar_of(d), utcnow())
        ],
        "apologies": [
            {
                "drafted_at": _moment(a.drafted_at),
                "proposed_at": _moment(a.proposed_at),
                "issued_at": _moment(a.issued_at),
                "new_appointment_at": _moment(a.new_appointment_at),
            }
            for a in d.apologies
        ],
        "events": [
            {
                "at": _moment(e.at),
                "from": e.from_status,
                "to": e.to_status,
                "actor_id": e.actor_id,
                "note": e.note,
                "public_message": e.public_message,
                "data": e.data,
                "files": [
                    {
                        "id": f.id,
                        "filename": f.filename,
                        "content_type": f.content_type,
                        "size": f.size,
                        "sha256": f.blob_sha256,
                        "url": url_for("api.dossier_file", code=d.code, file_id=f.id),
                    }
                    for f in e.files
                ],
            }
            for e in d.events
        ],
        "url": url_for("api.get_dossier", code=d.code),
    }


def _intake_request() -> tuple[dict[str, Any], dict[int, Upload]]:
    """The intake's fields (JSON, or the `dossier` field of a multipart form) and its scans (`paper_<n>`: the scan
    of the n-th paper received)."""
    if request.mimetype != "multipart/form-data":
        return json_object(MAX_JSON_BYTES), {}
    try:
        fields = json.loads(request.form.get("dossier") or "{}")
    except json.JSONDecodeError:
        fields = None
    if not isinstance(fields, dict):
        raise InvalidInput({"dossier": gettext("Send the dossier's fields as a JSON object in `dossier`.")})
    scans: dict[int, Upload] = {}
    for name, upload in request.files.items(multi=True):
        found = SCAN_FIELD.match(name)
        if found is None:
            raise InvalidInput({name: gettext("Unknown file field: send each scan as paper_<n>.")})
        if int(found[1]) in scans:
            raise InvalidInput({name: gettext("One scan per paper.")})
        scans[int(found[1])] = Upload(upload.filename or "", upload.read())
    return fields, scans


def dossier_summary_json(d: Dossier, now: datetime) -> dict[str, Any]:
    """A dossier as a line of the staff's list."""
    status = DossierStatus(d.status)
    return {
        "code": d.code,
        "procedure": {"code": d.procedure.code, "name": d.procedure.name},
        "applicant": d.applicant_name,
        "status": d.status,
        "status_label": str(STATUS_LABELS[status]),
        "portal_status": PORTAL_STATUS[status],
        "received_at": _moment(d.received_at),
        "appointment_at": _moment(d.appointment_at),
        "overdue": deadlines.is_overdue(d, now),
        "url": url_for("api.get_dossier", code=d.code),
    }


@api.get("/onestop/dossiers")
def list_dossiers():  # type: ignore[no-untyped-def]
    """The dossiers received at the caller's desk (view=resolving: those their organisation resolves), newest first:
    q (a code or its beginning, a phone or identity number, words of the applicant's name), status, procedure,
    overdue, received_from, received_to."""
    query = parse_query(DossierQuery)
    found = intake.list_dossiers(current_user, query, resolving=query.view == "resolving")
    now = utcnow()
    return jsonify(found.as_json(lambda d: dossier_summary_json(d, now)))


@api.post("/onestop/dossiers")
def receive_dossier():  # type: ignore[no-untyped-def]
    """Receive a dossier at the caller's desk (or record it as to be completed, or refused)."""
    fields, scans = _intake_request()
    dossier = intake.receive_dossier(current_user, parse(IntakeInput, fields), scans)
    body = dossier_json(dossier)
    db.session.commit()
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_dossier", code=dossier.code)
    return response


@api.get("/onestop/dossiers/<code>")
def get_dossier(code: str):  # type: ignore[no-untyped-def]
    return jsonify(dossier_json(intake.get_dossier(current_user, code)))


def lookup_url(dossier: Dossier) -> str:
    """The public lookup's address for this dossier, with its secret: what the slip's QR code carries."""
    base = current_app.config.get("PUBLIC_URL") or request.url_root
    return f"{base.rstrip('/')}/tra-cuu/{dossier.code}?s={dossier.secret}"


def _printable(pdf: bytes, filename: str) -> Any:
    """A slip to open in the browser's viewer and print; never cached (it names the applicant)."""
    response = current_app.response_class(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@api.get("/onestop/dossiers/<code>/papers/<int:position>")
def dossier_paper(code: str, position: int):  # type: ignore[no-untyped-def]
    """The scan of one of the dossier's papers, verified against its hash (a PDF opens in the browser)."""
    paper, data = processing.read_paper(current_user, code, position)
    db.session.commit()  # the download's audit event
    name = paper.filename or f"{paper.dossier.code}-{position}"
    return bytes_response(name, paper.content_type or "application/octet-stream", paper.blob_sha256 or "", data, True)


@api.get("/onestop/dossiers/<code>/files/<int:file_id>")
def dossier_file(code: str, file_id: int):  # type: ignore[no-untyped-def]
    """A file that came with one of the dossier's moves, verified against its hash (a PDF opens in the browser)."""
    found, data = processing.read_event_file(current_user, code, file_id)
    db.session.commit()  # the download's audit event
    return bytes_response(found.filename, found.content_type, found.blob_sha256, data, True)


@api.get("/onestop/dossiers/<code>/slip.pdf")
def dossier_slip(code: str):  # type: ignore[no-untyped-def]
    """The intake's slip to print: receipt and appointment, request to complete the papers, or refusal."""
    dossier = intake.get_dossier(current_user, code, own_desk=True)
    desk = db.session.get(Organisation, dossier.organisation_id)
    assert desk is not None
    pdf = slips.dossier_slip(dossier, desk.name, dossier.received_by.full_name, lookup_url(dossier))
    return _printable(pdf, f"{dossier.code}.pdf")


@api.get("/onestop/dossiers/<code>/apology.pdf")
def apology_slip(code: str):  # type: ignore[no-untyped-def]
    """The dossier's latest apology and new appointment to print (form 04); a draft is marked as one."""
    dossier = intake.get_dossier(current_user, code)
    if not dossier.apologies:
        raise NotFound(gettext("No apology was drafted for this dossier."))
    apology = dossier.apologies[-1]
    resolver = db.session.get(Organisation, dossier.resolving_organisation_id)
    assert resolver is not None
    signer = db.session.get(User, apology.issued_by_id) if apology.issued_by_id else None
    pdf = slips.apology_slip(dossier, apology, resolver.name, signer.full_name if signer else None)
    return _printable(pdf, f"{dossier.code}-xin-loi.pdf")


def move_request() -> tuple[dict[str, Any], list[Upload]]:
    """A move's fields (JSON, or the fields of a multipart form, empty ones left out) and its files (`files`, one
    or more; a multipart form only)."""
    if request.mimetype != "multipart/form-data":
        return json_object(MAX_JSON_BYTES), []
    unknown = sorted(name for name in request.files if name != "files")
    if unknown:
        raise InvalidInput({unknown[0]: gettext("Unknown file field: send the move's files as `files`.")})
    fields = drop_blanks(request.form.to_dict())
    return fields, uploads_in("files")


@api.post("/onestop/dossiers/<code>/moves")
def move_dossier(code: str):  # type: ignore[no-untyped-def]
    """Move the dossier on: {"move": ..., "note": for the staff, "public_message": for the applicant}, as JSON, or
    as a multipart form with the files that come with the move in `files`."""
    fields, files = move_request()
    dossier = processing.move_dossier(current_user, code, parse(processing.MoveInput, fields), files)
    body = dossier_json(dossier)
    db.session.commit()
    return jsonify(body)


@api.post("/onestop/dossiers/<code>/result")
def draft_result(code: str):  # type: ignore[no-untyped-def]
    """Open the result's outgoing draft in the documents module: a multipart form with the result's PDF in `file`
    and `document_type`, `subject` optional; the dossier."""
    if request.mimetype == "multipart/form-data":
        fields: dict[str, Any] = drop_blanks(request.form.to_dict())
        main, _ = uploads_from_request()
    else:
        fields, main = json_object(MAX_JSON_BYTES), None
    dossier = results.draft_result(current_user, code, parse(results.ResultDraftInput, fields), main)
    answer = dossier_json(dossier)
    db.session.commit()
    return jsonify(answer), 201


@api.post("/onestop/dossiers/<code>/apology")
def issue_apology(code: str):  # type: ignore[no-untyped-def]
    """Issue the drafted apology with its new appointment ({"new_appointment_at"?, "public_message"?})."""
    body = json_object(MAX_JSON_BYTES)
    dossier = processing.issue_apology(current_user, code, parse(processing.ApologyInput, body))
    result = dossier_json(dossier)
    db.session.commit()
    return jsonify(result)


@api.post("/onestop/dossiers/<code>/fee-paid")
def mark_fee_paid(code: str):  # type: ignore[no-untyped-def]
    """The desk records the fee as paid."""
    dossier = processing.mark_fee_paid(current_user, code)
    body = dossier_json(dossier)
    db.session.commit()
    return jsonify(body)


@api.get("/onestop/calendar-report")
def calendar_report():  # type: ignore[no-untyped-def]
    """The open dossiers of the caller's desk whose appointment the current calendar would move."""
    intake.check_officer(current_user)
    moved = deadlines.calendar_report(current_user.organisation_id)
    return jsonify(
        {
            "items": [
                {
                    "code": m.dossier.code,
                    "appointment_at": _moment(m.old),
                    "would_be": _moment(m.new),
                    "calendar_version": m.dossier.calendar_version,
                    "url": url_for("api.get_dossier", code=m.dossier.code),
                }
                for m in moved
            ],
            "total": len(moved),
        }
    )


@api.post("/onestop/dossiers/<code>/reissue")
def reissue_dossier(code: str):  # type: ignore[no-untyped-def]
    """Give the dossier the current calendar's appointment (then print its slip again)."""
    dossier = processing.reissue_appointment(current_user, code)
    body = dossier_json(dossier)
    db.session.commit()
    return jsonify(body)


# --- Statistics -------------------------------------------------------------------------------------------------


def _row_json(row: statistics.StatsRow, stats: statistics.Statistics, behind: str) -> dict[str, Any]:
    """A row of figures, each with the link to its dossiers (`behind`: that endpoint's path, built once)."""
    key = {f"{stats.by}_id": row.key} if row.key is not None else {}
    period = {"from": stats.start.isoformat(), "to": stats.end.isoformat()}
    return {
        "id": row.key,
        "label": row.label,
        **row.figures,
        "received": row.received,
        "resolved": row.resolved,
        "in_progress": row.in_progress,
        "on_time_share": row.on_time_share,
        "links": {name: behind + "?" + urlencode({"figure": name, **period, **key}) for name in statistics.FIGURES},
    }


@api.get("/onestop/statistics")
def one_stop_statistics():  # type: ignore[no-untyped-def]
    """Form 06's figures for a period (from, to), per resolving organisation or per procedure (by)."""
    query = parse_query(StatsQuery)
    start, end = statistics.check_period(query.start, query.end)
    stats = statistics.statistics(start, end, query.by)
    behind = url_for("api.statistics_dossiers")
    return jsonify(
        {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "by": stats.by,
            "rows": [_row_json(row, stats, behind) for row in stats.rows],
            "total": _row_json(stats.total, stats, behind),
            "agencies_without_late_share": stats.agencies_without_late_share,
        }
    )


@api.get("/onestop/statistics/dossiers")
def statistics_dossiers():  # type: ignore[no-untyped-def]
    """The dossiers behind one figure (the count of all of them; the codes of those the caller's organisation
    received or resolves)."""
    query = parse_query(StatsQuery)
    start, end = statistics.check_period(query.start, query.end)
    figure = statistics.check_figure(query.figure)
    found = statistics.dossiers_behind(
        current_user, figure, start, end, organisation_id=query.organisation_id, procedure_id=query.procedure_id
    )
    return jsonify(
        {
            "figure": figure,
            "total": found.total,
            "items": [
                {"code": d.code, "status": d.status, "url": url_for("api.get_dossier", code=d.code)}
                for d in found.visible
            ],
        }
    )
