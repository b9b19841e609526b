"""The rules of signing: who signs what and when (Decree 30/2020, art. 32 and appendix I)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import get_locale, gettext

from ..audit.models import AuditAction
from ..audit.service import record
from ..auth.models import Organisation, Role, User
from ..clock import local_now, local_today
from ..documents import service as documents
from ..documents.models import Document, DocumentFile
from ..documents.uploads import Upload, pdf_page_count, safe_filename
from ..documents.vocabulary import Direction, DocumentStatus, Secrecy
from ..errors import Forbidden, InvalidInput, InvalidState
from ..extensions import db
from ..storage.service import read_blob
from . import credentials, pdf
from .models import SignatureImage, SignatureLevel, SignatureReport, SigningProfile
from .reasons import localise


@dataclass(frozen=True)
class Placement:
    """Where the leader's signature goes when the PDF has no empty signature field for it."""

    page: int = -1
    box: tuple[float, float, float, float] | None = None
    number_box: tuple[float, float, float, float] | None = None  # on page 1
    date_box: tuple[float, float, float, float] | None = None


def signing_profile(organisation_id: int) -> SigningProfile:
    profile = db.session.get(SigningProfile, organisation_id)
    if profile is None:
        profile = SigningProfile(organisation_id=organisation_id, level=str(SignatureLevel.B_B))
        db.session.add(profile)
        db.session.flush()
    return profile


def signing_options(organisation: Organisation) -> pdf.SigningOptions:
    """The organisation's PAdES level, with the timestamp authority and revocation data it needs."""
    level = signing_profile(organisation.id).level
    timestamper = None
    context = None
    if level != SignatureLevel.B_B:
        url = current_app.config.get("TSA_URL")
        if url:
            from pyhanko.sign.timestamps import HTTPTimeStamper

            timestamper = HTTPTimeStamper(url, timeout=10)
        else:  # the app's own authority
            timestamper = credentials.InProcessTimeStamper(credentials.time_stamp_authority())
    if level in {SignatureLevel.B_LT, SignatureLevel.B_LTA}:
        context = validation_context()
    return pdf.SigningOptions(
        level=level, timestamper=timestamper, validation_context=context, location=organisation.place
    )


def validation_context() -> Any:
    """Trust roots and the built-in CA's current CRL: nothing is fetched from the network."""
    from asn1crypto import crl as asn1_crl
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko_certvalidator import ValidationContext

    roots = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in credentials.trust_roots()]
    crls = []
    if credentials.authority_row() is not None:
        crls.append(asn1_crl.CertificateList.load(credentials.current_crl().public_bytes(serialization.Encoding.DER)))
    return ValidationContext(trust_roots=roots, crls=crls, allow_fetching=False, revocation_mode="soft-fail")


def _current_main(doc: Document) -> tuple[DocumentFile, bytes]:
    main = doc.main_file
    if main is None:
        raise InvalidState(gettext("The document has no main file."))
    return main, read_blob(main.blob_sha256)


def _image(sha256: str | None) -> bytes | None:
    return read_blob(sha256) if sha256 else None


def signature_image(user_id: int) -> bytes | None:
    row = db.session.get(SignatureImage, user_id)
    return _image(row.blob_sha256) if row else None


def sign_document(
    actor: User,
    document_id: int,
    *,
    pin: str | None = None,
    placement: Placement | None = None,
) -> Document:
    """The competent signer signs a draft (Decree 30, art. 32): a visible PAdES approval signature with
    their name, position, organisation, time and handwritten-signature image. The signed PDF is a new
    version of the main file; the unsigned one is kept."""
    doc = documents.get_document(actor, document_id)
    if not actor.has_role(Role.LEADER):
        raise Forbidden(gettext("Only a leader signs documents."))
    if doc.direction != Direction.OUTGOING or doc.status != DocumentStatus.DRAFT:
        raise InvalidState(
            gettext("Only an outgoing draft can be signed; this document is %(status)s.", status=doc.status)
        )
    cred = credentials.credential_of_user(actor.id)
    if cred is None:
        raise InvalidState(gettext("You have no signing certificate. Ask the administrator, or import yours."))
    credentials.check_usable(cred.certificate)
    main, data = _current_main(doc)
    pdf_page_count(data, "file")
    box = None
    if placement is not None and placement.box is not None:
        pages = pdf.page_count(data)
        if not -pages <= placement.page < pages:
            raise InvalidInput({"page": gettext("The document has %(n)s pages.", n=pages)})
        box = pdf.Box(placement.page, *placement.box)
    if box is None:
        box = pdf.default_leader_box(data)
    appearance = pdf.signer_appearance(
        box.width,
        box.height,
        position=actor.position or "",
        name=actor.full_name,
        organisation=actor.organisation.name,
        image_png=signature_image(actor.id),
    )
    options = signing_options(actor.organisation)
    with credentials.signer_for(cred, pin) as signer:
        try:
            signed = pdf.sign_as_leader(
                data, signer, appearance, box=box, options=options, issue_fields=_issue_fields(placement)
            )
        except ValueError as err:
            raise InvalidState(str(err)) from None
    new_file = documents.add_file_version(actor, doc, signed, _signed_name(main.filename, "ky"), main)
    doc.status = str(DocumentStatus.SIGNED)
    doc.signer_name = actor.full_name
    doc.signer_position = actor.position
    documents.refresh_derived(doc)
    record(
        AuditAction.DOCUMENT_SIGNED,
        actor=actor,
        obj=("document", doc.id),
        file_id=new_file.id,
        sha256=new_file.blob_sha256,
        certificate=cred.certificate.serial,
        level=options.level,
    )
    # Its report is made when first asked for (GET .../signatures, the document page, or the issue).
    return doc


def _issue_fields(placement: Placement | None) -> pdf.IssueFields:
    default = pdf.IssueFields()
    if placement is None:
        return default
    number = pdf.Box(0, *placement.number_box) if placement.number_box else default.number
    date = pdf.Box(0, *placement.date_box) if placement.date_box else default.date
    return pdf.IssueFields(number=number, date=date)


def _signed_name(filename: str, suffix: str) -> str:
    stem, dot, ext = filename.rpartition(".")
    return safe_filename(f"{stem}.{suffix}.{ext}" if dot else f"{filename}.{suffix}.pdf")


def issue_document(actor: User, document_id: int, *, pin: str | None = None) -> Document:
    """The clerk issues a signed document: the next number of the outgoing register and today's date are
    written into the fields the leader's signature left for them, and the organisation's signature (its
    digital seal) is applied. Decree 30, art. 32: only over a present and valid signature of the competent
    signer. Attachments get the organisation's signature too. The document is then final."""
    doc = documents.get_document(actor, document_id)
    if not actor.has_role(Role.CLERK):
        raise Forbidden(gettext("Only a clerk issues documents."))
    # One clerk at a time per document: the row is locked until this transaction ends.
    db.session.execute(sa.select(Document.id).where(Document.id == doc.id).with_for_update())
    db.session.refresh(doc)
    if doc.status != DocumentStatus.SIGNED:
        raise InvalidState(
            gettext(
                "Only a document signed by its competent signer can be issued; this one is %(status)s.",
                status=doc.status,
            )
        )
    main, data = _current_main(doc)
    report = check_pdf(data)
    leader = next((s for s in report.signatures if s.field_name == pdf.LEADER_FIELD), None)
    if leader is None or leader.verdict != "valid":
        why = (
            "; ".join(localise(r, str(get_locale() or "vi")) for r in leader.reasons)
            if leader is not None
            else gettext("there is no leader's signature")
        )
        raise InvalidState(
            gettext("The competent signer's signature is not valid (%(why)s): it cannot be issued.", why=why),
            code="leader_signature_invalid",
        )
    org = actor.organisation
    cred = credentials.credential_of_organisation(org.id)
    if cred is None:
        raise InvalidState(gettext("The organisation has no certificate for its seal. Ask the administrator."))
    credentials.check_usable(cred.certificate)
    options = signing_options(org)
    year = local_today().year
    today = local_today()
    place = doc.place or org.place or ""
    profile = signing_profile(org.id)
    with credentials.signer_for(cred, pin) as signer:  # a wrong PIN fails here, before a number is taken
        register, number = documents.take_register_number(
            org.id, Direction.OUTGOING, year, doc.secrecy != Secrecy.NORMAL
        )
        number_text = f"{number:02d}"  # Decree 30, art. 15: numbers below 10 are written with a leading 0
        try:
            issued = pdf.issue_with_seal(
                data,
                signer,
                number_text=f"Số: {number_text}/{doc.notation}" if doc.notation else f"Số: {number_text}",
                date_text=f"{place}, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}".lstrip(", "),
                seal_png=_image(profile.seal_blob_sha256),
                options=options,
            )
        except ValueError as err:
            raise InvalidState(str(err)) from None
        attachment_lines = [
            f"{number_text}/{doc.notation}" if doc.notation else number_text,
            local_now().isoformat(timespec="seconds"),
        ]
        signed_attachments = []
        for attachment in doc.attachments:
            if attachment.content_type != "application/pdf":
                continue
            content = read_blob(attachment.blob_sha256)
            signed_attachments.append(
                (attachment, pdf.sign_attachment(content, signer, attachment_lines, options=options))
            )
    new_file = documents.add_file_version(actor, doc, issued, _signed_name(main.filename, "ban-hanh"), main)
    for attachment, content in signed_attachments:
        documents.add_file_version(actor, doc, content, _signed_name(attachment.filename, "ky"), attachment)
    doc.register = register
    doc.register_number = number
    doc.number = number_text
    doc.issued_on = today
    doc.status = str(DocumentStatus.ISSUED)
    documents.refresh_derived(doc)
    record(
        AuditAction.DOCUMENT_ISSUED,
        actor=actor,
        obj=("document", doc.id),
        register_number=number,
        year=year,
        file_id=new_file.id,
        sha256=new_file.blob_sha256,
        certificate=cred.certificate.serial,
    )
    check_signatures(doc, new_file, issued)
    return doc


# --- Validation ---------------------------------------------------------------------------------------------


def check_pdf(data: bytes) -> Any:
    """The validation report of any PDF against this deployment's trust roots and revocation data."""
    from . import validation

    roots, crls = credentials.validation_material()
    try:
        return validation.validate(data, roots, crls=crls)
    except validation.UnreadablePdf as err:
        raise InvalidInput({"file": str(err)}) from None


def check_signatures(doc: Document, file: DocumentFile, data: bytes | None = None) -> SignatureReport:
    """Validate a stored PDF and keep the report with the document (re-run on demand)."""
    report = check_pdf(data if data is not None else read_blob(file.blob_sha256))
    body = report.to_json()
    row = SignatureReport(
        document_id=doc.id,
        file_id=file.id,
        verdict=body["verdict"],
        reasons=body["reasons"],
        signatures=body["signatures"],
    )
    db.session.add(row)
    db.session.flush()
    return row


def _check_if_signed(doc: Document, file: DocumentFile, data: bytes) -> None:
    """Every PDF that enters with signatures gets its report at once; an unsigned one gets it when asked."""
    if b"/ByteRange" in data:
        # pyHanko may not read what pypdf read: asking for the report later says why.
        with contextlib.suppress(InvalidInput):
            check_signatures(doc, file, data)


documents.NEW_MAIN_FILE_CHECKS.append(_check_if_signed)


def latest_report(actor: User, document_id: int, refresh: bool = False) -> tuple[Document, SignatureReport]:
    doc = documents.get_document(actor, document_id)
    main = doc.main_file
    if main is None:
        raise InvalidState(gettext("The document has no main file."))
    row = db.session.scalars(
        sa.select(SignatureReport).where(SignatureReport.file_id == main.id).order_by(SignatureReport.id.desc())
    ).first()
    if row is None or refresh:
        row = check_signatures(doc, main)
        record(AuditAction.DOCUMENT_SIGNATURES_CHECKED, actor=actor, obj=("document", doc.id), verdict=row.verdict)
    return doc, row


def verify_upload(upload: Upload) -> Any:
    """Check any PDF, for an official who received a document by mail; nothing is stored."""
    if b"%PDF-" not in upload.data[:1024]:
        raise InvalidInput({"file": gettext("The main file must be a PDF.")})
    return check_pdf(upload.data)  # the validator refuses what it cannot read, with the reason


# --- Images -------------------------------------------------------------------------------------------------


def _check_png(data: bytes, field: str) -> None:
    from io import BytesIO

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(BytesIO(data)) as image:
            if image.format != "PNG":
                raise InvalidInput({field: gettext("Upload a PNG image.")})
            if image.mode not in {"RGBA", "LA", "P"}:
                raise InvalidInput({field: gettext("The image must be a transparent PNG.")})
            if max(image.size) > 4000:
                raise InvalidInput({field: gettext("The image is too large (at most 4000 pixels a side).")})
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise InvalidInput({field: gettext("Upload a PNG image.")}) from None


def set_signature_image(actor: User, data: bytes) -> SignatureImage:
    """The user's handwritten signature, a transparent PNG, shown in their signature's appearance."""
    from ..storage.service import store_blob

    _check_png(data, "file")
    blob = store_blob(data, "image/png", f"chu-ky-{actor.username}.png")
    row = db.session.get(SignatureImage, actor.id)
    if row is None:
        row = SignatureImage(user_id=actor.id, blob_sha256=blob.sha256)
        db.session.add(row)
    else:
        row.blob_sha256 = blob.sha256
    record(AuditAction.SIGNATURE_IMAGE_SET, actor=actor, obj=("user", actor.id), sha256=blob.sha256)
    return row


def set_seal(actor: User | None, organisation_id: int, data: bytes) -> SigningProfile:
    """The organisation's seal image (a transparent PNG, red), applied with its signature at issue."""
    from ..auth.service import require_admin_of
    from ..storage.service import store_blob

    if actor is not None:
        require_admin_of(actor, organisation_id)
    _check_png(data, "file")
    blob = store_blob(data, "image/png", f"con-dau-{organisation_id}.png")
    profile = signing_profile(organisation_id)
    profile.seal_blob_sha256 = blob.sha256
    record(
        AuditAction.ORGANISATION_SEAL_SET,
        actor=actor,
        organisation_id=organisation_id,
        obj=("organisation", organisation_id),
        sha256=blob.sha256,
    )
    return profile


def set_level(actor: User, organisation_id: int, level: str) -> SigningProfile:
    from ..auth.service import require_admin_of

    require_admin_of(actor, organisation_id)
    try:
        level = str(SignatureLevel(level))
    except ValueError:
        raise InvalidInput({"level": gettext("Must be one of: %(values)s.", values="B-B, B-T, B-LT, B-LTA")}) from None
    profile = signing_profile(organisation_id)
    profile.level = level
    record(
        AuditAction.ORGANISATION_SIGNING_LEVEL_SET,
        actor=actor,
        organisation_id=organisation_id,
        obj=("organisation", organisation_id),
        level=level,
    )
    return profile


def queue_to_sign(actor: User) -> list[Document]:
    """Drafts of the leader's organisation waiting for a signature."""
    if not actor.has_role(Role.LEADER):
        return []
    return _queue(actor, DocumentStatus.DRAFT)


def queue_to_issue(actor: User) -> list[Document]:
    """Documents signed by their competent signer, waiting for the clerk to issue them."""
    if not actor.has_role(Role.CLERK):
        return []
    return _queue(actor, DocumentStatus.SIGNED)


def _waiting(actor: User, status: DocumentStatus) -> sa.ColumnElement[bool]:
    return sa.and_(documents.readable_by(actor), Document.direction == Direction.OUTGOING, Document.status == status)


def _queue(actor: User, status: DocumentStatus) -> list[Document]:
    return list(db.session.scalars(sa.select(Document).where(_waiting(actor, status)).order_by(Document.created_at)))


def queue_size(actor: User, kind: str) -> int:
    """How many documents wait in the user's queue, "sign" or "issue" (one count query, for the menu)."""
    role, status = (Role.LEADER, DocumentStatus.DRAFT) if kind == "sign" else (Role.CLERK, DocumentStatus.SIGNED)
    if not actor.has_role(role):
        return 0
    return db.session.scalar(sa.select(sa.func.count(Document.id)).where(_waiting(actor, status))) or 0
