"""What a procedure of the catalogue may hold, validated in one place (the API, the import and the seed share it)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from flask_babel import gettext
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from ..validation import Flag, Line, opt_int, opt_line
from .models import Channel, PaperForm

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
