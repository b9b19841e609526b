"""Signing over JSON: sign, issue, signature reports, verification of any PDF, one's credentials and images."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import get_locale, gettext
from flask_login import current_user

from ..api import api
from ..documents.api import document_json
from ..documents.uploads import Upload
from ..errors import InvalidInput
from ..extensions import db
from . import credentials, reasons, service
from .models import Credential


def _body() -> dict[str, Any]:
    if request.is_json:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise InvalidInput(message=gettext("Send a JSON object."))
        return data
    return request.form.to_dict()


def _pin(data: dict[str, Any]) -> str | None:
    pin = data.get("pin")
    if pin is not None and not isinstance(pin, str):
        raise InvalidInput({"pin": gettext("Must be text.")})
    return pin or None


def _rectangle(value: Any, field: str, errors: dict[str, str], min_w: float, min_h: float) -> tuple | None:
    """[x1, y1, x2, y2] in points from the lower left corner, at least min_w × min_h; errors are collected."""
    if value is None:
        return None
    if not (
        isinstance(value, list)
        and len(value) == 4
        and all(isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 14400 for v in value)
    ):
        errors[field] = gettext("Give the box as [x1, y1, x2, y2] in points from the lower left corner.")
        return None
    if abs(value[2] - value[0]) < min_w or abs(value[3] - value[1]) < min_h:
        errors[field] = gettext("The box is too small (at least %(w)s × %(h)s points).", w=min_w, h=min_h)
        return None
    return tuple(float(v) for v in value)


def _placement(data: dict[str, Any]) -> service.Placement | None:
    """Where the leader's signature goes (page, box), and where the clerk's number and date will go
    (number_box, date_box, on page 1), when the PDF is not laid out as Decree 30 lays it out."""
    keys = ("box", "page", "number_box", "date_box")
    if not any(k in data for k in keys):
        return None
    page = data.get("page", -1)
    errors: dict[str, str] = {}
    if not isinstance(page, int) or isinstance(page, bool):
        errors["page"] = gettext("Not a whole number.")
    box = _rectangle(data.get("box"), "box", errors, 50, 40)
    number_box = _rectangle(data.get("number_box"), "number_box", errors, 40, 10)
    date_box = _rectangle(data.get("date_box"), "date_box", errors, 40, 10)
    if errors:
        raise InvalidInput(errors)
    return service.Placement(page=page, box=box, number_box=number_box, date_box=date_box)


def in_reader_language(body: dict[str, Any]) -> dict[str, Any]:
    """The report's reasons in the language of the request (Accept-Language), like every other message."""
    return reasons.localise_report(body, str(get_locale() or "vi"))


def report_json(row: Any) -> dict[str, Any]:
    return in_reader_language(
        {
            "verdict": row.verdict,
            "reasons": row.reasons,
            "signatures": row.signatures,
            "file_id": row.file_id,
            "validated_at": row.validated_at.isoformat(),
        }
    )


@api.post("/documents/<int:document_id>/sign")
def sign_document(document_id: int):  # type: ignore[no-untyped-def]
    data = _body()
    doc = service.sign_document(current_user, document_id, pin=_pin(data), placement=_placement(data))
    db.session.commit()
    return jsonify(document_json(doc))


@api.post("/documents/<int:document_id>/issue")
def issue_document(document_id: int):  # type: ignore[no-untyped-def]
    data = _body()
    doc = service.issue_document(current_user, document_id, pin=_pin(data))
    db.session.commit()
    return jsonify({**document_json(doc), "signatures": _latest(doc.id)})


def _latest(document_id: int) -> dict[str, Any]:
    _doc, row = service.latest_report(current_user, document_id)
    return report_json(row)


@api.get("/documents/<int:document_id>/signatures")
def document_signatures(document_id: int):  # type: ignore[no-untyped-def]
    _doc, row = service.latest_report(current_user, document_id, refresh=request.args.get("refresh") == "1")
    return jsonify(report_json(row))


@api.post("/verify")
def verify():  # type: ignore[no-untyped-def]
    """The report of any PDF: sent as the form field `file`, or as the body itself (Content-Type: application/pdf)."""
    if request.mimetype == "application/pdf":
        data = request.get_data(cache=False)
        if not data:
            raise InvalidInput({"file": gettext("Attach the PDF to check.")})
        report = service.verify_upload(Upload("van-ban.pdf", data))
        return jsonify(in_reader_language(report.to_json()))
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise InvalidInput({"file": gettext("Attach the PDF to check.")})
    report = service.verify_upload(Upload(upload.filename, upload.read()))
    return jsonify(in_reader_language(report.to_json()))


def credential_json(cred: Credential | None) -> dict[str, Any] | None:
    if cred is None:
        return None
    cert = cred.certificate
    return {
        "id": cred.id,
        "kind": cred.kind,
        "serial": cert.serial,
        "subject": cert.subject,
        "issuer": cert.issuer,
        "not_before": cert.not_before.isoformat(),
        "not_after": cert.not_after.isoformat(),
        "revoked": cert.revoked_at is not None,
        "token_label": cred.pkcs11_token_label,
    }


@api.get("/me/credential")
def my_credential():  # type: ignore[no-untyped-def]
    return jsonify({"credential": credential_json(credentials.credential_of_user(current_user.id))})


@api.post("/me/credential/pkcs12")
def import_pkcs12():  # type: ignore[no-untyped-def]
    upload = request.files.get("file")
    if upload is None:
        raise InvalidInput({"file": gettext("Required.")})
    cred = credentials.import_pkcs12(current_user, upload.read(), request.form.get("password", ""))
    return jsonify({"credential": credential_json(cred)}), 201


@api.post("/me/credential/token")
def register_token():  # type: ignore[no-untyped-def]
    data = _body()
    values = {k: data.get(k) for k in ("module", "token_label", "key_label", "certificate")}
    bad = {k: gettext("Must be text.") for k, v in values.items() if v is not None and not isinstance(v, str)}
    if bad:
        raise InvalidInput(bad)
    cred = credentials.register_token(
        current_user,
        module=values["module"] or "",
        token_label=values["token_label"] or "",
        key_label=values["key_label"] or "",
        certificate_pem=values["certificate"] or "",
    )
    return jsonify({"credential": credential_json(cred)}), 201


@api.put("/me/signature-image")
def put_signature_image():  # type: ignore[no-untyped-def]
    upload = request.files.get("file")
    if upload is None:
        raise InvalidInput({"file": gettext("Required.")})
    row = service.set_signature_image(current_user, upload.read())
    return jsonify({"sha256": row.blob_sha256})


@api.put("/organisations/<int:organisation_id>/seal")
def put_seal(organisation_id: int):  # type: ignore[no-untyped-def]
    upload = request.files.get("file")
    if upload is None:
        raise InvalidInput({"file": gettext("Required.")})
    profile = service.set_seal(current_user, organisation_id, upload.read())
    return jsonify({"sha256": profile.seal_blob_sha256, "level": profile.level})


@api.put("/organisations/<int:organisation_id>/signing-level")
def put_level(organisation_id: int):  # type: ignore[no-untyped-def]
    level = _body().get("level")
    profile = service.set_level(current_user, organisation_id, level if isinstance(level, str) else "")
    return jsonify({"level": profile.level})


@api.get("/trust-roots")
def list_trust_roots():  # type: ignore[no-untyped-def]
    rows = credentials.trust_root_rows()
    return jsonify({"items": [{"id": r.id, "name": r.name, "sha256": r.sha256} for r in rows], "total": len(rows)})


@api.post("/trust-roots")
def add_trust_root():  # type: ignore[no-untyped-def]
    data = _body()
    pem, name = data.get("certificate"), data.get("name")
    if not isinstance(pem, str) or not pem.strip():
        raise InvalidInput({"certificate": gettext("Required.")})
    root = credentials.add_trust_root_as_admin(current_user, pem, name if isinstance(name, str) else None)
    return jsonify({"id": root.id, "name": root.name, "sha256": root.sha256}), 201
