"""What a procedure of the catalogue may hold, validated in one place (the API, the import and the seed share it)."""

from __future__ import annotations

import enum
import re
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Annotated, Any, Literal

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from ..validation import Flag, Line, OptionalDate, opt_int, opt_line
from .codes import code_from_scan
from .models import Channel, DossierStatus, PaperForm

# The national database's codes: "1.002835.000.00.00.H56" (the last parts name the province's copy), or the
# procedure's own number alone ("1.002835").
PROCEDURE_CODE = re.compile(r"^\d\.\d{6}(\.\d{3}\.\d{2}\.\d{2}\.H\d{2})?$")
MAX_DAYS = Decimal(365)
MAX_PAPERS = 60
MAX_STEPS = 30
MAX_FEES = 10
MAX_FEE = 1_000_000_000  # VND


def _code(value: str) -> str:
    value = value.strip().upper()
    if not PROCEDURE_CODE.match(value):
        raise ValueError(
            gettext(
                "Not a procedure code: write it as in the national database, e.g. %(e)s.", e="1.002835.000.00.00.H56"
            )
        )
    return value


def _days(value: Any) -> Decimal:
    """Working days: a positive number in halves (0.5, 3, 12.5), written with a point or a comma."""
    if isinstance(value, bool) or value is None:
        raise ValueError(gettext("Must be a number of working days."))
    try:
        days = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(gettext("Must be a number of working days.")) from None
    if not days.is_finite() or days <= 0 or days > MAX_DAYS or (days * 2) % 1 != 0:
        raise ValueError(gettext("Must be a number of working days above 0, in halves, at most %(n)s.", n=MAX_DAYS))
    return days


Days = Annotated[Decimal, BeforeValidator(_days)]


def _channels(value: Any) -> list[str]:
    """Direct, online, post: a list, or one text separated by commas, spaces or "|"."""
    items = re.split(r"[,|\s]+", value.strip()) if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError(gettext("Must be a list of: %(values)s.", values=", ".join(Channel)))
    chosen = [i.strip().lower() for i in items if i.strip()]
    unknown = [c for c in chosen if c not in set(Channel)]
    if unknown or not chosen:
        raise ValueError(gettext("Must be one or more of: %(values)s.", values=", ".join(Channel)))
    return [c for c in Channel if c in chosen]  # in the catalogue's order, each once


class PaperInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[Line, Field(min_length=1, max_length=500)]
    form: PaperForm = PaperForm.COPY
    copies: Annotated[int, Field(ge=1, le=99)] = 1
    required: Flag = True


class StepInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[Line, Field(min_length=1, max_length=300)]
    unit: Annotated[Line, Field(max_length=300)] = (
        ""  # a unit of the resolving organisation, by name or code; "": the desk
    )
    days: Days


class FeeInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[Line, Field(min_length=1, max_length=200)]
    amount: Annotated[int, Field(ge=0, le=MAX_FEE)]


class ProcedureInput(BaseModel):
    """A procedure as the admin or an import gives it; the steps' days add up to the statutory time."""

    model_config = ConfigDict(extra="forbid")

    code: Annotated[Line, Field(min_length=1, max_length=40), AfterValidator(_code)]
    name: Annotated[Line, Field(min_length=1, max_length=500)]
    field: Annotated[Line, Field(min_length=1, max_length=200)]
    organisation: Annotated[Line, Field(min_length=1, max_length=32)]  # the resolving organisation's code
    channels: Annotated[list[str], BeforeValidator(_channels)]
    statutory_days: Days
    fees: Annotated[list[FeeInput], Field(max_length=MAX_FEES)] = []
    papers: Annotated[list[PaperInput], Field(min_length=1, max_length=MAX_PAPERS)]
    steps: Annotated[list[StepInput], Field(min_length=1, max_length=MAX_STEPS)]
    active: Flag = True

    def steps_problem(self) -> str | None:
        """Why the steps do not fit the statutory time, or None."""
        total = sum((s.days for s in self.steps), Decimal(0))
        if total != self.statutory_days:
            return gettext(
                "The steps take %(steps)s working days; the statutory time is %(time)s.",
                steps=_number(total),
                time=_number(self.statutory_days),
            )
        return None


def _number(days: Decimal) -> str:
    return format(days.normalize(), "f")


class ProcedureQuery(BaseModel):
    """The catalogue's filters, from the query string (others are ignored)."""

    q: opt_line(200) = None
    field: opt_line(200) = None
    organisation_id: opt_int(1, 2**31 - 1) = None
    include_inactive: Flag = False
    page: opt_int(1, 10_000) = None
    per_page: opt_int(1, 200) = None


class DossierQuery(BaseModel):
    """The staff's list of dossiers, from the query string (others are ignored): `q` is a receipt code or its
    beginning, a phone or identity number, or words of the applicant's name with or without diacritics."""

    q: opt_line(300) = None  # a scanned slip's QR code is the lookup's whole address
    view: Literal["received", "resolving"] | None = None  # received at the caller's desk, or resolved by their org
    status: DossierStatus | None = None
    procedure: opt_line(40) = None
    overdue: Flag = False  # the clock runs and the appointment has passed
    mine: Flag = False  # taken in hand by the caller
    received_from: OptionalDate = None
    received_to: OptionalDate = None
    page: opt_int(1, 10_000) = None
    per_page: opt_int(1, 200) = None

    @property
    def narrows(self) -> bool:
        """Whether any filter leaves dossiers out."""
        filters = (self.q, self.status, self.procedure, self.overdue, self.mine, self.received_from, self.received_to)
        return any(value for value in filters)

    @cached_property
    def scanned_code(self) -> str | None:
        """The receipt code when `q` is one whole (typed, or read from the slip's barcode or QR code by a scanner):
        it means that dossier alone."""
        return code_from_scan(self.q) if self.q else None


# --- Receiving a dossier -------------------------------------------------------------------------------------

# A Vietnamese identity number: the 12-digit citizen identity card (CCCD), the old 9-digit card (CMND), or a
# passport (a letter and 7 digits); a business's tax code (10 digits, or 10-3 for a branch).
ID_NUMBER = re.compile(r"^(\d{9}|\d{12}|[A-Z]\d{7}|\d{10}(-\d{3})?)$")
# A Vietnamese phone number: 0 or +84, then 9 or 10 digits (mobile and landline).
PHONE = re.compile(r"^(0|\+84)\d{9,10}$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


def _id_number(value: Any) -> Any:
    if isinstance(value, str):
        cleaned = re.sub(r"[\s.]", "", value).upper()
        if not cleaned:
            return None
        if not ID_NUMBER.match(cleaned):
            raise ValueError(
                gettext("Not an identity number: 12 digits (căn cước), 9 (old card), a passport or a tax code.")
            )
        return cleaned
    return value


def _phone(value: Any) -> Any:
    if isinstance(value, str):
        cleaned = re.sub(r"[\s.\-()]", "", value)
        if not cleaned:
            return None
        if not PHONE.match(cleaned):
            raise ValueError(gettext("Not a phone number: 10 or 11 digits starting with 0, or +84."))
        return "0" + cleaned[3:] if cleaned.startswith("+84") else cleaned
    return value


def _email(value: Any) -> Any:
    if isinstance(value, str):
        cleaned = value.strip()
        if not cleaned:
            return None
        if len(cleaned) > 254 or not EMAIL.match(cleaned):
            raise ValueError(gettext("Not an e-mail address."))
        return cleaned
    return value


class ApplicantInput(BaseModel):
    """Who files the dossier (a person, or a business and the person who brings it)."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[Line, Field(min_length=1, max_length=200)]
    id_number: Annotated[str | None, BeforeValidator(_id_number)] = None
    phone: Annotated[str | None, BeforeValidator(_phone)] = None
    email: Annotated[str | None, BeforeValidator(_email)] = None
    address: opt_line(500) = None


class PaperReceived(BaseModel):
    """A paper of the procedure received: its place in the procedure's list, and how many copies."""

    model_config = ConfigDict(extra="forbid")

    paper: Annotated[int, Field(ge=0, le=MAX_PAPERS)]
    copies: Annotated[int, Field(ge=1, le=99)] = 1


class IntakeDecision(enum.StrEnum):
    RECEIVE = "receive"  # the dossier is complete: received, with a receipt and appointment slip
    INCOMPLETE = "incomplete"  # papers to complete first (form 02 of Circular 01/2018/TT-VPCP)
    REFUSE = "refuse"  # refused (form 03), with the reason


# Why papers are asked for at the desk, and why a dossier is refused: a code from these lists plus free text.
INCOMPLETE_REASONS = ("missing_paper", "wrong_form", "expired_paper", "inconsistent", "other")
REFUSAL_REASONS = ("not_competent", "not_eligible", "already_filed", "false_papers", "other")
# Each reason's words: in the reader's language on the pages, in Vietnamese on the printed forms.
REASON_LABELS = {
    "missing_paper": _l("A paper is missing"),
    "wrong_form": _l("Wrong form, or not the original or copy required"),
    "expired_paper": _l("A paper has expired"),
    "inconsistent": _l("The papers do not agree"),
    "not_competent": _l("Not within this agency's competence"),
    "not_eligible": _l("Not eligible under the rules"),
    "already_filed": _l("Already filed and being resolved"),
    "false_papers": _l("Signs of forged papers"),
    "other": _l("Another reason"),
}


FeeModeInput = Literal["paid", "on_result", "online", "exempt", "none"]


class IntakeInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    procedure: Annotated[Line, Field(min_length=1, max_length=40)]
    applicant: ApplicantInput
    channel: Channel = Channel.DIRECT
    fee_mode: FeeModeInput = "paid"
    papers: Annotated[list[PaperReceived], Field(max_length=MAX_PAPERS)] = []
    decision: IntakeDecision = IntakeDecision.RECEIVE
    reason_code: opt_line(20) = None
    reason_text: opt_line(2000) = None


class StatsQuery(BaseModel):
    """A period of the statistics (both days included), grouped by resolving organisation or by procedure."""

    start: Annotated[OptionalDate, Field(alias="from")] = None
    end: Annotated[OptionalDate, Field(alias="to")] = None
    by: Literal["organisation", "procedure"] = "organisation"
    figure: opt_line(40) = None
    organisation_id: opt_int(1, 2**31 - 1) = None
    procedure_id: opt_int(1, 2**31 - 1) = None
