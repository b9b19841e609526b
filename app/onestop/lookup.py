"""The public lookup of a dossier (tra cứu hồ sơ), without an account: by its receipt code, and with the secret
printed on the slip for more.

With the code and the right secret: the procedure, the received and appointment dates, the status and the
timeline with only what was written for the applicant (internal notes never), the applicant's name masked. With
the code alone: the status and the dates. Never a phone, e-mail, address or identity number. An unknown code and
a wrong secret get the same answer (404, the same body), and the secret is compared in constant time whether or
not the code exists; the callers limit how often one client may ask (ratelimit.py), so codes cannot be harvested.
There is no listing or search of dossiers without logging in.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext

from ..errors import NotFound
from ..ratelimit import counted_read
from .codes import SECRET_LENGTH, canonical_code, canonical_secret, masked_name
from .models import (
    PORTAL_STATUS,
    PORTAL_STATUS_NAMES,
    Dossier,
    DossierApology,
    DossierEvent,
    DossierStatus,
    Procedure,
)

# Compared with when the code is unknown, so that a miss costs what a wrong secret costs.
_NO_SECRET = "#" * SECRET_LENGTH
LOOKUPS_PER_MINUTE = 20  # per client address, unless PUBLIC_LOOKUPS_PER_MINUTE says otherwise


def lookups_per_minute() -> int:
    return int(current_app.config.get("PUBLIC_LOOKUPS_PER_MINUTE") or LOOKUPS_PER_MINUTE)


@dataclass
class PublicStep:
    at: datetime
    portal_status: int
    status_name: str
    message: str | None


@dataclass
class PublicDossier:
    code: str
    portal_status: int
    status_name: str
    received_at: datetime
    appointment_at: datetime | None
    promised_at: datetime | None  # a new appointment given with an apology, else the first one
    full: bool  # the secret was given: what follows is filled in
    procedure_code: str | None = None
    procedure_name: str | None = None
    applicant: str | None = None
    steps: list[PublicStep] = field(default_factory=list)


def not_found() -> NotFound:
    return NotFound(gettext("No dossier with this code and secret. Check both on the slip."))


@cache
def _by_code() -> sa.Select:
    """The dossier's public columns, its procedure, the appointment it holds and its timeline, by code: one
    indexed query (built once; the code is its parameter), a row per timeline entry."""
    d, a, e = Dossier.__table__.c, DossierApology.__table__.c, DossierEvent.__table__.c
    p = Procedure.__table__.c
    holds = (
        sa.select(a.new_appointment_at)
        .where(a.dossier_id == d.id, a.issued_at.is_not(None), a.new_appointment_at.is_not(None))
        .order_by(a.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return (
        sa.select(
            d.code,
            d.secret,
            d.status,
            d.received_at,
            d.appointment_at,
            d.applicant_name,
            p.code.label("procedure_code"),
            p.name.label("procedure_name"),
            sa.func.coalesce(holds, d.appointment_at).label("promised_at"),
            e.id.label("event_id"),
            e.at.label("event_at"),
            e.to_status.label("event_status"),
            e.public_message.label("event_message"),
        )
        .join_from(Dossier.__table__, Procedure.__table__, p.id == d.procedure_id)
        .outerjoin(DossierEvent.__table__, e.dossier_id == d.id)
        .where(d.code == sa.bindparam("code"))
    )


def find_public(counter: str, limit: int, code_text: str, secret_text: str | None) -> PublicDossier:
    """What the public may see of a dossier (NotFound alike for an unknown code and a wrong secret), the request
    counted against the client's `limit` a minute under the key `counter` (TooManyRequests past it).

    The count and the dossier with its timeline are one round trip on PostgreSQL (ratelimit.counted_read): this is
    the page every citizen's phone asks for. No organisation scope: the code alone says which dossier. A code that
    cannot be one is looked up all the same (as no dossier), so that it is counted and answered like any other."""
    code = canonical_code(code_text)
    given = secret_text is not None and secret_text.strip() != ""
    rows = counted_read(counter, limit, 60, _by_code(), {"code": code or ""})
    row = rows[0] if rows else None
    if given:
        secret = canonical_secret(secret_text) or _NO_SECRET
        right = hmac.compare_digest((row.secret if row else _NO_SECRET).encode(), secret.encode())
        if row is None or not right:
            raise not_found()
    elif row is None:
        raise not_found()
    assert row is not None
    portal = PORTAL_STATUS[DossierStatus(row.status)]
    found = PublicDossier(
        code=row.code,
        portal_status=portal,
        status_name=PORTAL_STATUS_NAMES[portal],
        received_at=row.received_at,
        appointment_at=row.appointment_at,
        promised_at=row.promised_at,
        full=given,
    )
    if given:
        found.procedure_code = row.procedure_code
        found.procedure_name = row.procedure_name
        found.applicant = masked_name(row.applicant_name)
        for event in sorted((r for r in rows if r.event_id is not None), key=lambda r: r.event_id):
            status = PORTAL_STATUS[DossierStatus(event.event_status)]
            found.steps.append(PublicStep(event.event_at, status, PORTAL_STATUS_NAMES[status], event.event_message))
    return found
