"""Signing pages: the leader's and the clerk's queues, sign and issue from the document page, the signature panel,
one's certificate and signature image, and an organisation's seal and PAdES level.

The views only read the form, call one service function and say what happened; the rules are in service.py and
credentials.py. The app's unit of work commits a success; a refusal that is answered with a redirect (a status
below 400) rolls back here first, so that nothing a service flushed before refusing is kept.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from ..documents.models import Document
from ..errors import DomainError, Forbidden, InvalidInput, InvalidState, NotFound
from ..extensions import db
from ..templating import local_datetime
from . import credentials, reasons, service
from .models import Credential, CredentialKind, SignatureImage, SignatureLevel, SignatureReport, SigningProfile

signing_pages = Blueprint("signing_pages", __name__)

# What the validation report's codes mean, in the reader's language.
VERDICTS = {
    "valid": _l("Valid"),
    "untrusted": _l("Untrusted"),
    "modified": _l("Modified"),
    "invalid": _l("Invalid"),
    "unsigned": _l("Unsigned"),
}
MODIFICATION_LEVELS = {
    "NONE": _l("No changes"),
    "LTA_UPDATES": _l("Validation data or timestamps added"),
    "FORM_FILLING": _l("Form fields filled in or signed"),
    "ANNOTATIONS": _l("Annotations added or changed"),
    "OTHER": _l("Other changes"),
}
COVERAGE = {
    "ENTIRE_FILE": _l("The entire file"),
    "ENTIRE_REVISION": _l("The file as it was when signed"),
    "CONTIGUOUS_BLOCK_FROM_START": _l("Only part of the file"),
    "UNCLEAR": _l("Unclear"),
}
REVOCATION = {
    "good": _l("Not revoked"),
    "revoked": _l("Revoked"),
    "unknown": _l("Unknown"),
    "not checked": _l("Not checked"),
}
CREDENTIAL_KINDS = {
    CredentialKind.BUILTIN: _l("Issued by this system's certificate authority"),
    CredentialKind.PKCS12: _l("Imported from a PKCS#12 file"),
    CredentialKind.PKCS11: _l("On a USB token (PKCS#11)"),
}
LEVELS = {
    SignatureLevel.B_B: _l("B-B: basic signature"),
    SignatureLevel.B_T: _l("B-T: with a trusted timestamp"),
    SignatureLevel.B_LT: _l("B-LT: with validation data, for the long term"),
    SignatureLevel.B_LTA: _l("B-LTA: with archive timestamps, for archiving"),
}
LABELS: dict[str, dict[Any, Any]] = {
    "verdict": VERDICTS,
    "modification": MODIFICATION_LEVELS,
    "coverage": COVERAGE,
    "revocation": REVOCATION,
    "credential": CREDENTIAL_KINDS,
    "level": LEVELS,
}


def signature_label(kind: str, code: str | None) -> str:
    """The label of a code of the validation report (or of a credential kind, a level); the code when unknown."""
    if code is None:
        return ""
    return str(LABELS[kind].get(code, code))


def signature_report(doc: Document) -> SignatureReport | None:
    """The newest stored report of the document's current main file, as it is: nothing is validated here."""
    main = doc.main_file
    if main is None:
        return None
    return db.session.scalars(
        sa.select(SignatureReport).where(SignatureReport.file_id == main.id).order_by(SignatureReport.id.desc())
    ).first()


def my_credential() -> Credential | None:
    return credentials.credential_of_user(current_user.id)


def organisation_credential(organisation_id: int) -> Credential | None:
    return credentials.credential_of_organisation(organisation_id)


def has_signature_image() -> bool:
    return db.session.get(SignatureImage, current_user.id) is not None


def signing_profile_of(organisation_id: int) -> SigningProfile | None:
    """Read only: an organisation without a profile signs at B-B and has no seal yet."""
    return db.session.get(SigningProfile, organisation_id)


def queue_count(kind: str) -> int:
    """How many documents wait in the current user's queue ("sign" or "issue"), for the menu."""
    return service.queue_size(current_user, kind)


def report_time(value: str | None) -> str:
    """A time of the report (ISO 8601 text in the stored JSON) as dd/mm/yyyy HH:MM in Vietnam's time."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return local_datetime(moment) if moment.tzinfo else value


@signing_pages.app_context_processor
def _signing_helpers() -> dict[str, Any]:
    return {
        "signature_report": signature_report,
        "signature_label": signature_label,
        "my_credential": my_credential,
        "organisation_credential": organisation_credential,
        "has_signature_image": has_signature_image,
        "signing_profile_of": signing_profile_of,
        "queue_count": queue_count,
        "SIGNATURE_LEVELS": list(SignatureLevel),
        "CredentialKind": CredentialKind,
    }


@signing_pages.app_template_filter("report_time")
def _report_time(value: str | None) -> str:
    return report_time(value)


@signing_pages.app_template_filter("localised_reason")
def _localised_reason(reason: str) -> str:
    """A reason of the stored report (the validator's English) in the page's language."""
    return reasons.localise(reason, str(get_locale() or "vi"))


def _problem(err: DomainError) -> str:
    """What to tell the user: the field problems of bad input (their names are for programs), or the message."""
    if isinstance(err, InvalidInput) and err.fields and not err.message:
        return " ".join(err.fields.values())
    return err.text()


def _refused(err: DomainError, target: str) -> WerkzeugResponse:
    """Back to the page with the reason; whatever the service flushed before refusing is not kept."""
    db.session.rollback()
    flash(_problem(err), "error")
    return redirect(target)


def _to_document(document_id: int) -> str:
    return url_for("documents.detail", document_id=document_id, _anchor="signatures")


def _confirmed() -> bool:
    return request.form.get("confirm") == "yes"


def _pin() -> str | None:
    return request.form.get("pin") or None


def _upload() -> bytes:
    """The uploaded file's bytes; none chosen is empty, which the service refuses with its own message."""
    upload = request.files.get("file")
    return upload.read() if upload is not None else b""


# --- The queues ---------------------------------------------------------------------------------------------


@signing_pages.get("/sign")
def to_sign():  # type: ignore[no-untyped-def]
    return render_template("signing/queue.html", docs=service.queue_to_sign(current_user), kind="sign")


@signing_pages.get("/issue")
def to_issue():  # type: ignore[no-untyped-def]
    return render_template("signing/queue.html", docs=service.queue_to_issue(current_user), kind="issue")


# --- Sign, issue, validate again ------------------------------------------------------------------------------


@signing_pages.post("/documents/<int:document_id>/sign")
def sign(document_id: int):  # type: ignore[no-untyped-def]
    if not _confirmed():
        flash(gettext("Tick the box to confirm that you sign this document."), "error")
        return redirect(_to_document(document_id))
    try:
        service.sign_document(current_user, document_id, pin=_pin())
    except (InvalidInput, InvalidState, Forbidden) as err:
        return _refused(err, _to_document(document_id))
    service.latest_report(current_user, document_id)  # the page shows the new signature's verdict at once
    flash(gettext("Signed. The clerk can now issue the document."), "success")
    return redirect(_to_document(document_id))


@signing_pages.post("/documents/<int:document_id>/issue")
def issue(document_id: int):  # type: ignore[no-untyped-def]
    if not _confirmed():
        flash(gettext("Tick the box to confirm that you issue this document."), "error")
        return redirect(_to_document(document_id))
    try:
        doc = service.issue_document(current_user, document_id, pin=_pin())
    except (InvalidInput, InvalidState, Forbidden) as err:
        return _refused(err, _to_document(document_id))
    flash(gettext("Issued as outgoing no. %(n)s.", n=doc.register_number), "success")
    return redirect(_to_document(document_id))


@signing_pages.post("/documents/<int:document_id>/signatures/refresh")
def refresh(document_id: int):  # type: ignore[no-untyped-def]
    try:
        _doc, row = service.latest_report(current_user, document_id, refresh=True)
    except (InvalidInput, InvalidState) as err:
        return _refused(err, _to_document(document_id))
    flash(gettext("Signatures checked again: %(verdict)s.", verdict=signature_label("verdict", row.verdict)), "success")
    return redirect(_to_document(document_id))


# --- One's own signature image and certificate ----------------------------------------------------------------


@signing_pages.get("/profile/signature-image")
def signature_image():  # type: ignore[no-untyped-def]
    data = service.signature_image(current_user.id)
    if data is None:
        raise NotFound(gettext("You have no signature image yet."))
    return Response(data, mimetype="image/png")


@signing_pages.post("/profile/signature-image")
def upload_signature_image():  # type: ignore[no-untyped-def]
    target = url_for("auth.profile", _anchor="signing")
    try:
        service.set_signature_image(current_user, _upload())
    except InvalidInput as err:
        return _refused(err, target)
    flash(gettext("Signature image saved."), "success")
    return redirect(target)


@signing_pages.post("/profile/credential/pkcs12")
def import_pkcs12():  # type: ignore[no-untyped-def]
    target = url_for("auth.profile", _anchor="signing")
    try:
        cred = credentials.import_pkcs12(current_user, _upload(), request.form.get("password", ""))
    except InvalidInput as err:
        return _refused(err, target)
    flash(gettext("Certificate %(serial)s imported: you now sign with it.", serial=cred.certificate.serial), "success")
    return redirect(target)


# --- An organisation's seal and signature level (its administrators) -----------------------------------------


def _to_organisation(org_id: int) -> str:
    return url_for("admin.organisation", org_id=org_id, _anchor="signing")


@signing_pages.post("/admin/organisations/<int:org_id>/seal")
def set_seal(org_id: int):  # type: ignore[no-untyped-def]
    try:
        service.set_seal(current_user, org_id, _upload())
    except InvalidInput as err:
        return _refused(err, _to_organisation(org_id))
    flash(gettext("Seal image saved."), "success")
    return redirect(_to_organisation(org_id))


@signing_pages.post("/admin/organisations/<int:org_id>/signing-level")
def set_level(org_id: int):  # type: ignore[no-untyped-def]
    try:
        profile = service.set_level(current_user, org_id, request.form.get("level", ""))
    except InvalidInput as err:
        return _refused(err, _to_organisation(org_id))
    flash(gettext("Signature level saved: %(level)s.", level=profile.level), "success")
    return redirect(_to_organisation(org_id))
