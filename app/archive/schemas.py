"""What a client may send about records files, validated in one place (the API and the pages share it)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from flask_babel import gettext
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from ..errors import InvalidInput
from ..validation import Line, OptionalDate, Text, opt_text
from .models import RETENTION_YEARS

MAX_CODE = 50
MAX_TITLE = 1_000
MAX_NOTES = 10_000
MAX_PACKAGE_FILES = 50
PERMANENT = "permanent"


def _whole_number(value: Any) -> Any:
    """A whole number, or its digits as a form sends them; true and false are not numbers."""
    if isinstance(value, bool):
        raise ValueError(gettext("Must be a whole number."))
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


def _retention(value: Any) -> int | None:
    """Permanent (null, or "permanent" from a form) or one of the periods of RETENTION_YEARS."""
    if value is None or (isinstance(value, str) and value.strip().lower() == PERMANENT):
        return None
    if not isinstance(value, bool):
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, int) and value in RETENTION_YEARS:
            return value
    choices = ", ".join([PERMANENT, *(str(y) for y in RETENTION_YEARS)])
    raise ValueError(gettext("Must be one of: %(values)s.", values=choices))


def _required(value: str) -> str:
    """Text that must say something once cleaned: spaces and control characters alone say nothing."""
    if not value:
        raise ValueError(gettext("Required."))
    return value


def whole(ge: int, le: int) -> Any:
    return Annotated[int, Field(ge=ge, le=le), BeforeValidator(_whole_number)]


Id = whole(1, 2**31 - 1)
Year = whole(1900, 2999)
Code = Annotated[Line, AfterValidator(_required), Field(max_length=MAX_CODE)]
Title = Annotated[Text, AfterValidator(_required), Field(max_length=MAX_TITLE)]
Retention = Annotated[int | None, BeforeValidator(_retention)]
Notes = opt_text(MAX_NOTES)


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RecordFileInput(_Input):
    """A new records file: its year, code (số và ký hiệu hồ sơ), title, retention (null: permanent), keeper,
    the day it was opened and notes."""

    year: Year
    code: Code
    title: Title
    retention_years: Retention
    keeper_id: Id | None = None
    opened_on: OptionalDate = None
    notes: Notes = None


class RecordFilePatch(_Input):
    """A change to a records file: only the fields sent change (send null to clear the keeper or the notes)."""

    year: Year | None = None
    code: Code | None = None
    title: Title | None = None
    retention_years: Retention = None
    keeper_id: Id | None = None
    opened_on: OptionalDate = None
    notes: Notes = None


class FileDocumentInput(_Input):
    """File a document into a records file, at the end or at `position` (1 is the first)."""

    document_id: Id
    position: Id | None = None


class MoveInput(_Input):
    position: Id


class CloseInput(_Input):
    """Close a records file: the day its work ended (today when not given)."""

    closed_on: OptionalDate = None


class TransferInput(_Input):
    """Mark a records file handed to the agency's archive: the day (today when not given)."""

    transferred_on: OptionalDate = None


class RecordFileQuery(BaseModel):
    """The list's filters, as query-string parameters (others are ignored)."""

    year: Year | None = None
    status: Literal["open", "closed", "transferred"] | None = None
    q: Annotated[Line, Field(max_length=200)] | None = None
    page: whole(1, 100_000) | None = None
    per_page: whole(1, 200) | None = None


class PageQuery(BaseModel):
    page: whole(1, 100_000) | None = None
    per_page: whole(1, 200) | None = None


def package_ids(raw: list[str]) -> list[int]:
    """The ids of `?files=1,2` (or `files=1&files=2`), in the order given, each once; at most MAX_PACKAGE_FILES."""
    ids: list[int] = []
    for part in ",".join(raw).split(","):
        text = part.strip()
        if not text:
            continue
        if not text.isdigit() or not 0 < int(text) < 2**31:
            raise InvalidInput({"files": gettext("Give the ids of records files, separated by commas.")})
        if int(text) not in ids:
            ids.append(int(text))
    if not ids:
        raise InvalidInput({"files": gettext("Choose at least one records file.")})
    if len(ids) > MAX_PACKAGE_FILES:
        raise InvalidInput({"files": gettext("At most %(n)s records files in one package.", n=MAX_PACKAGE_FILES)})
    return ids
