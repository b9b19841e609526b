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

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext
from sqlalchemy.orm import selectinload

from ..errors import NotFound
from ..extensions import db
from .codes import SECRET_LENGTH, canonical_code, canonical_secret, masked_name
from .deadlines import promised
from .models import PORTAL_STATUS, PORTAL_STATUS_NAMES, Dossier, DossierStatus

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


def find_public(code_text: str, secret_text: str | None) -> PublicDossier:
    """What the public may see of a dossier (NotFound alike for an unknown code and a wrong secret)."""
    code = canonical_code(code_text)
    given = secret_text is not None and secret_text.strip() != ""
    dossier = None
    if code is not None:
        # The timeline and the procedure are shown only with the secret: loaded with the row only then.
        loads = [selectinload(Dossier.events), selectinload(Dossier.procedure)] if given else []
        dossier = db.session.scalars(
            sa.select(Dossier)
            .where(Dossier.code == code)
            .options(selectinload(Dossier.apologies), *loads)
            .execution_options(all_organisations=True)
        ).one_or_none()
    if given:
        secret = canonical_secret(secret_text) or _NO_SECRET
        right = hmac.compare_digest((dossier.secret if dossier else _NO_SECRET).encode(), secret.encode())
        if dossier is None or not right:
            raise not_found()
    elif dossier is None:
        raise not_found()
    assert dossier is not None
    portal = dossier.portal_status
    found = PublicDossier(
        code=dossier.code,
        portal_status=portal,
        status_name=PORTAL_STATUS_NAMES[portal],
        received_at=dossier.received_at,
        appointment_at=dossier.appointment_at,
        promised_at=promised(dossier),
        full=given,
    )
    if given:
        found.procedure_code = dossier.procedure.code
        found.procedure_name = dossier.procedure.name
        found.applicant = masked_name(dossier.applicant_name)
        for event in dossier.events:
            status = PORTAL_STATUS[DossierStatus(event.to_status)]
            found.steps.append(PublicStep(event.at, status, PORTAL_STATUS_NAMES[status], event.public_message))
    return found
