"""What a client may send to create or edit a document, validated in one place for the API and the forms."""

from __future__ import annotations

from typing import Annotated, Any

from flask_babel import gettext
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model

from ..validation import Flag, Line, OptionalDate, OptionalLine, Text, opt_int, opt_line, opt_text
from .vocabulary import DOCUMENT_TYPES, Channel, Direction, Secrecy, Urgency


def _known_type(value: str) -> str:
    if value not in DOCUMENT_TYPES:
        raise ValueError(gettext("Unknown document type: use a Decree 30 abbreviation such as QĐ, CV, TB, BC."))
    return value


DocumentType = Annotated[Line, AfterValidator(_known_type)]


class _Common(BaseModel):
    model_config = ConfigDict(str_max_length=20000, use_enum_values=True)

    document_type: DocumentType
    number: opt_line(20) = None
    notation: opt_line(100) = None
    issuer: opt_line(300) = None
    issuer_code: opt_line(32) = None
    place: opt_line(120) = None
    issued_on: OptionalDate = None
    subject: Annotated[Text, Field(min_length=1, max_length=4000)]
    signer_name: opt_line(200) = None
    signer_position: opt_line(200) = None
    recipients: opt_text(4000) = None
    urgency: Urgency = Urgency.NORMAL
    secrecy: Secrecy = Secrecy.NORMAL
    page_count: opt_int(1, 100000) = None
    notes: opt_text(4000) = None


class IncomingInput(_Common):
    """An incoming document (văn bản đến) as the clerk registers it."""

    issuer: Annotated[Line, Field(min_length=1, max_length=300)]
    issued_on: OptionalDate = None
    received_on: OptionalDate = None
    due_on: OptionalDate = None
    channel: Channel = Channel.PAPER
    confirm_duplicate: Flag = False


class DraftInput(_Common):
    """An outgoing draft (dự thảo văn bản đi)."""


def _every_field_optional(model: type[BaseModel], name: str, leave_out: set[str]) -> type[BaseModel]:
    """The same fields with the same rules, each optional: what an edit may send."""
    fields: dict[str, Any] = {}
    for field_name, info in model.model_fields.items():
        if field_name in leave_out:
            continue
        rules = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        fields[field_name] = (rules | None, None)
    return create_model(name, __config__=model.model_config, **fields)


# A metadata edit: only the fields sent are changed, by the rules of registration.
DocumentPatch = _every_field_optional(IncomingInput, "DocumentPatch", {"confirm_duplicate"})


# Fields that may not be emptied once set.
REQUIRED_ON_PATCH = {"document_type", "subject", "urgency", "secrecy"}


class DocumentQuery(BaseModel):
    """The list's filters, as query-string parameters."""

    model_config = ConfigDict(use_enum_values=True)

    direction: Direction | None = None
    document_type: OptionalLine = None
    year: opt_int(1900, 3000) = None
    urgency: Urgency | None = None
    secrecy: Secrecy | None = None
    issuer: opt_line(300) = None
    issued_from: OptionalDate = None
    issued_to: OptionalDate = None
    received_from: OptionalDate = None
    received_to: OptionalDate = None
    q: opt_line(300) = None
    page: opt_int(1, 100000) = None
    per_page: opt_int(1, 200) = None

    @property
    def page_or_first(self) -> int:
        return self.page or 1


def blanks_to_none(values: dict) -> dict:
    """An edit from a form: an empty field means "clear it"."""
    return {k: (None if isinstance(v, str) and v.strip() == "" else v) for k, v in values.items()}
