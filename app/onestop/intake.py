"""Receiving a dossier at the one-stop desk (tiếp nhận), or asking for its papers to be completed first, or
refusing it.

The officer records the applicant, the procedure, the papers received (each scan checked, then stored by its
content hash before the dossier exists), the channel and how the fee is paid. A received dossier gets its receipt
code (the desk's sequence of the day, from one atomic upsert: safe with many app servers; see
next_receipt_sequence),
its lookup secret and its appointment: the statutory working days counted from the next office opening after it
was received (deadlines.py; half a day is four office hours), with the calendar's version kept. A
dossier asked to be completed (form 02) or refused (form 03) gets a code too, for its slip, and a reason from the
list (a refusal without a reason is impossible); its clock never starts.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext
from PIL import Image, UnidentifiedImageError
from sqlalchemy.orm import joinedload

from ..audit.models import AuditAction
from ..audit.service import record
from ..auth.models import Organisation, Role, User
from ..calendar.service import load_calendar
from ..documents.uploads import Upload, pdf_page_count, safe_filename
from ..errors import Forbidden, InvalidInput, NotFound
from ..extensions import db, dialect_insert, read_before_writing, utcnow
from ..pagination import Page
from ..storage.service import PutBlob, put_blob, record_blob
from ..text import fold
from . import notices
from .codes import new_secret, receipt_code
from .deadlines import appointment, overdue_clause, step_deadlines
from .machine import NOT_RECEIVED
from .models import (
    Dossier,
    DossierEvent,
    DossierPaper,
    DossierStatus,
    FeeMode,
    Procedure,
    ProcedureStep,
    ReceiptCounter,
)
from .schemas import INCOMPLETE_REASONS, REFUSAL_REASONS, DossierQuery, IntakeDecision, IntakeInput

OFFICERS = (Role.ONESTOP,)
SCAN_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
MAX_SCAN_PIXELS = 100_000_000


def check_officer(actor: User) -> None:
    if not actor.has_role(*OFFICERS):
        raise Forbidden(gettext("Only a one-stop officer receives dossiers."))


def _procedure(code: str) -> Procedure:
    """The procedure in force with its papers and steps (and their units), in one query: intake reads them all."""
    found = (
        db.session.scalars(
            sa.select(Procedure)
            .where(Procedure.code == code.strip().upper())
            .options(joinedload(Procedure.papers), joinedload(Procedure.steps).joinedload(ProcedureStep.unit))
        )
        .unique()
        .one_or_none()
    )
    if found is None or not found.active:
        raise InvalidInput({"procedure": gettext("No procedure in force has the code %(code)s.", code=code)})
    return found


def check_scan(upload: Upload, field: str) -> str:
    """The scan's content type, once it is known to be a readable PDF, JPEG or PNG (InvalidInput otherwise)."""
    data = upload.data
    if not data:
        raise InvalidInput({field: gettext("The file is empty.")})
    if data[:5] == b"%PDF-" or b"%PDF-" in data[:1024]:
        pdf_page_count(data, field)
        return SCAN_TYPES["pdf"]
    if data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n":
        try:
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_SCAN_PIXELS:
                    raise InvalidInput({field: gettext("The image is too large (over 100 million pixels).")})
                image.verify()
                kind = (image.format or "").lower()
        except InvalidInput:
            raise
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            raise InvalidInput({field: gettext("The image is damaged and cannot be read.")}) from None
        if kind in SCAN_TYPES:
            return SCAN_TYPES[kind]
    raise InvalidInput({field: gettext("A scan must be a PDF, or a JPEG or PNG image.")})


def put_scans(scans: Mapping[int, Upload], field: str, default_name: str) -> dict[int, tuple[str, PutBlob]]:
    """Each scan checked (a readable PDF, JPEG or PNG; InvalidInput on `field` with its number, as `paper_{n}`) and
    put in the store, before the transaction's first statement (no lock waits on the network): its safe name
    (`default_name` with its number when it has none) and what the store kept. A change refused afterwards, or a
    crash, leaves only unreferenced objects (`flask storage gc`), never a row without its object."""
    kinds = {n: check_scan(upload, field.format(n=n)) for n, upload in sorted(scans.items())}
    stored = {}
    for n, upload in sorted(scans.items()):
        name = safe_filename(upload.filename, default_name.format(n=n))
        stored[n] = (name, put_blob(upload.data, kinds[n], name))
    return stored


def _check_scans(data: IntakeInput, scans: dict[int, Upload]) -> None:
    """Each scan belongs to a paper listed."""
    unknown = sorted(set(scans) - set(range(len(data.papers))))
    if unknown:
        message = gettext("There is no paper %(n)s in the list of papers received.", n=unknown[0])
        raise InvalidInput({f"paper_{unknown[0]}": message})


def _check(procedure: Procedure, data: IntakeInput) -> None:
    """Everything else about the intake that can be wrong."""
    problems: dict[str, str] = {}
    if data.channel not in procedure.channel_list:
        allowed = ", ".join(str(c) for c in procedure.channel_list)
        problems["channel"] = gettext("This procedure may be filed: %(channels)s.", channels=allowed)
    listed = [p.paper for p in data.papers]
    for n, paper in enumerate(data.papers):
        if paper.paper >= len(procedure.papers):
            problems[f"papers.{n}.paper"] = gettext(
                "The procedure has %(count)s papers (0 to %(last)s).",
                count=len(procedure.papers),
                last=len(procedure.papers) - 1,
            )
    twice = sorted({p for p in listed if listed.count(p) > 1})
    if twice:
        problems["papers"] = gettext("Paper %(n)s is listed twice.", n=twice[0])
    if data.decision == IntakeDecision.RECEIVE:
        missing = [p.name for i, p in enumerate(procedure.papers) if p.required and i not in listed]
        if missing:
            problems["papers"] = gettext(
                "Required papers are missing (%(names)s): ask for them instead of receiving the dossier.",
                names="; ".join(missing),
            )
        if data.reason_code:
            problems["reason_code"] = gettext("A received dossier has no reason code.")
    else:
        reasons = INCOMPLETE_REASONS if data.decision == IntakeDecision.INCOMPLETE else REFUSAL_REASONS
        if not data.reason_code:
            problems["reason_code"] = gettext("Give the reason: one of %(codes)s.", codes=", ".join(reasons))
        elif data.reason_code not in reasons:
            problems["reason_code"] = gettext("Must be one of: %(values)s.", values=", ".join(reasons))
        elif data.reason_code == "other" and not data.reason_text:
            problems["reason_text"] = gettext("Say what the reason is.")
    if procedure.total_fee == 0 and data.fee_mode not in (FeeMode.NONE, FeeMode.EXEMPT):
        problems["fee_mode"] = gettext("This procedure has no fee: the fee mode is none.")
    elif procedure.total_fee > 0 and data.fee_mode == FeeMode.NONE:
        problems["fee_mode"] = gettext("This procedure has a fee: say how it is paid, or that it is exempt.")
    if problems:
        raise InvalidInput(problems)


def next_receipt_sequence(organisation_id: int, on: date) -> int:
    """The desk's next receipt number of the day.

    On PostgreSQL it is taken by one statement committed on its own: concurrent receipts queue on the counter's row
    for that statement only, not for their whole transaction, so a busy desk's receipts do not wait for each
    other's rows and commits. A receipt that fails after taking its number leaves that number unused (a gap in the
    day's numbers); no number is ever given twice. On SQLite, where writers take turns anyway, it is taken in the
    receipt's own transaction (and given back if that rolls back)."""
    table = ReceiptCounter.__table__
    postgres = db.engine.dialect.name == "postgresql"
    upsert = (
        dialect_insert(table)
        .values(organisation_id=organisation_id, day=on, last=1)
        .on_conflict_do_update(index_elements=[table.c.organisation_id, table.c.day], set_={"last": table.c.last + 1})
        .returning(table.c.last)
    )
    if not postgres:
        return int(db.session.execute(upsert).scalar_one())
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        return int(conn.execute(upsert).scalar_one())


def receive_dossier(actor: User, data: IntakeInput, scans: dict[int, Upload] | None = None) -> Dossier:
    """Receive the dossier (or record it as to be completed, or refused) at the actor's desk."""
    check_officer(actor)
    scans = scans or {}
    _check_scans(data, scans)
    stored = put_scans(scans, "paper_{n}", "paper-{n}")
    procedure = _procedure(data.procedure)
    _check(procedure, data)
    organisation = db.session.get(Organisation, actor.organisation_id)
    assert organisation is not None
    now = utcnow()
    calendar = load_calendar(organisation_id=organisation.id)  # the desk's: it may open on Saturday mornings
    today = now.astimezone(calendar.tz).date()  # the receipt code's day: the desk's local day
    sequence = next_receipt_sequence(organisation.id, today)  # checked first: a refused receipt takes no number
    for _, put in stored.values():
        record_blob(put)
    status = {
        IntakeDecision.RECEIVE: DossierStatus.RECEIVED,
        IntakeDecision.INCOMPLETE: DossierStatus.INCOMPLETE,
        IntakeDecision.REFUSE: DossierStatus.REFUSED,
    }[data.decision]
    dossier = Dossier(
        organisation_id=organisation.id,
        code=receipt_code(organisation.code, today, sequence),
        secret=new_secret(),
        procedure=procedure,
        resolving_organisation_id=procedure.resolving_organisation_id,
        statutory_days=procedure.statutory_days,
        steps=[
            {"name": s.name, "unit_id": s.unit_id, "unit": s.unit.name if s.unit else None, "days": float(s.days)}
            for s in procedure.steps
        ],
        channel=str(data.channel),
        fee_mode=str(data.fee_mode),
        fee_amount=procedure.total_fee if data.fee_mode not in (FeeMode.EXEMPT, FeeMode.NONE) else 0,
        fee_paid_at=now if data.fee_mode == FeeMode.PAID else None,
        applicant_name=data.applicant.name,
        applicant_folded=fold(data.applicant.name)[:200],
        applicant_id_number=data.applicant.id_number,
        applicant_phone=data.applicant.phone,
        applicant_email=data.applicant.email,
        applicant_address=data.applicant.address,
        status=str(status),
        reason_code=data.reason_code if status != DossierStatus.RECEIVED else None,
        reason_text=data.reason_text,
        received_at=now,
        received_on=today,
        received_by_id=actor.id,
        apologies=[],  # a new dossier has none: nothing to load when its answer shows the appointment
    )
    if status == DossierStatus.RECEIVED:
        dossier.counting_from, dossier.appointment_at, dossier.calendar_version = appointment(
            calendar, now, procedure.statutory_days
        )
        dossier.step_due_at = step_deadlines(dossier, calendar)[0]
        dossier.appointment_on = dossier.appointment_at.astimezone(calendar.tz).date()
    for n, paper in enumerate(data.papers):
        listed = procedure.papers[paper.paper]
        name, blob = stored.get(n, (None, None))
        dossier.papers.append(
            DossierPaper(
                position=n,
                name=listed.name,
                form=listed.form,
                copies=paper.copies,
                blob_sha256=blob.sha256 if blob else None,
                filename=name,
                content_type=blob.content_type if blob else None,
                size=blob.size if blob else None,
            )
        )
    dossier.events.append(
        DossierEvent(
            actor_id=actor.id,
            from_status=None,
            to_status=str(status),
            at=now,
            data={"channel": data.channel},
            files=[],  # none at the desk: nothing to load when the answer lists the timeline
        )
    )
    db.session.add(dossier)
    db.session.flush()
    if status == DossierStatus.RECEIVED:
        notices.queue_notice(dossier, "received", notices.notice_text(dossier, "received"))
    record(
        AuditAction.DOSSIER_RECEIVED,
        actor=actor,
        organisation_id=organisation.id,
        obj=("dossier", dossier.id),
        code=dossier.code,
        status=dossier.status,
        procedure=procedure.code,
    )
    return dossier


def _resolved_by(organisation_id: int) -> sa.ColumnElement[bool]:
    """The dossiers an organisation resolves: those whose procedure it resolves, once the desk received them."""
    return sa.and_(
        Dossier.resolving_organisation_id == organisation_id, Dossier.status.not_in([str(s) for s in NOT_RECEIVED])
    )


def _yours(actor: User, code: str, own_desk: bool) -> sa.ColumnElement[bool]:
    mine = Dossier.organisation_id == actor.organisation_id
    if not own_desk:
        mine = sa.or_(mine, _resolved_by(actor.organisation_id))
    return sa.and_(Dossier.code == code.strip().upper(), mine)


def _not_yours(code: str) -> NotFound:
    return NotFound(gettext("No dossier of yours has the code %(code)s.", code=code))


def get_dossier(actor: User, code: str, own_desk: bool = False) -> Dossier:
    """A dossier of the actor's desk, or one their organisation resolves unless `own_desk` (404 for any other: no
    telling whether it exists)."""
    found = db.session.scalars(
        sa.select(Dossier).where(_yours(actor, code, own_desk)).execution_options(all_organisations=True)
    ).one_or_none()
    if found is None:
        raise _not_yours(code)
    return found


def check_dossier_seen(actor: User, code: str) -> None:
    """NotFound unless the actor sees the dossier (as get_dossier), read before the write transaction starts: asked
    before files are put in the store for it, so that nobody stores files against another's dossier."""
    statement = sa.select(Dossier.id).where(_yours(actor, code, False)).execution_options(all_organisations=True)
    if not read_before_writing(statement):
        raise _not_yours(code)


def _matching(text: str, scanned_code: str | None) -> sa.ColumnElement[bool]:
    """The dossiers a desk officer means by `text`: a receipt code or its beginning, a phone or identity number as
    written on the slip or the card, or words of the applicant's name (diacritics and case aside). A whole receipt
    code, or the slip's QR code read by a scanner (the public lookup's address), means that dossier alone."""
    if scanned_code is not None:
        return Dossier.code == scanned_code
    conditions = [Dossier.code.startswith(text.strip().upper(), autoescape=True)]
    digits = re.sub(r"[\s.\-()]", "", text)
    if re.fullmatch(r"\+?\d{9,12}", digits):
        conditions.append(Dossier.applicant_phone == ("0" + digits[3:] if digits.startswith("+84") else digits))
        conditions.append(Dossier.applicant_id_number == digits)
    folded = fold(text)
    if folded:
        conditions.append(Dossier.applicant_folded.contains(folded, autoescape=True))
    return sa.or_(*conditions)


def list_dossiers(actor: User, query: DossierQuery, resolving: bool = False) -> Page[Dossier]:
    """The dossiers the actor's desk received (or, with `resolving`, those their organisation resolves), newest
    first, with the query's filters."""
    mine = _resolved_by(actor.organisation_id) if resolving else Dossier.organisation_id == actor.organisation_id
    where: list[sa.ColumnElement[bool]] = [mine]
    if query.q:
        where.append(_matching(query.q, query.scanned_code))
    if query.status is not None:
        where.append(Dossier.status == str(query.status))
    if query.procedure:
        where.append(Dossier.procedure.has(Procedure.code == query.procedure.strip().upper()))
    if query.overdue:
        where.append(overdue_clause(utcnow()))
    if query.mine:
        where.append(Dossier.handler_id == actor.id)
    if query.received_from is not None:
        where.append(Dossier.received_on >= query.received_from)
    if query.received_to is not None:
        where.append(Dossier.received_on <= query.received_to)
    page, per_page = query.page or 1, query.per_page or 50
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(Dossier).where(*where).execution_options(all_organisations=True)
    )
    items = db.session.scalars(
        sa.select(Dossier)
        .where(*where)
        .order_by(Dossier.received_at.desc(), Dossier.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
        .options(joinedload(Dossier.procedure))
        .execution_options(all_organisations=True)
    ).all()
    return Page(list(items), total or 0, page, per_page)


def opened_by_scan(query: DossierQuery, found: Page[Dossier]) -> Dossier | None:
    """The dossier to open straight away: the one a slip read by the desk's scanner (or a whole code typed) found."""
    return found.items[0] if query.scanned_code is not None and found.total == 1 else None
