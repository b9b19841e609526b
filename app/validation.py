"""Turning pydantic's validation errors into our InvalidInput, with messages a person understands."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from flask import request
from flask_babel import gettext
from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, ValidationError

from .errors import InvalidInput

M = TypeVar("M", bound=BaseModel)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_line(value: str) -> str:
    """One line of text: NFC, no control or direction-override characters, spaces collapsed."""
    value = unicodedata.normalize("NFC", value)
    value = _CONTROL_ONE_LINE.sub(" ", value)
    return re.sub(r"\s+", " ", value).strip()


def clean_text(value: str) -> str:
    """Multi-line text: NFC, line breaks kept, other control characters dropped."""
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n")
    return _CONTROL.sub("", value).strip()


def drop_blanks(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values from a form or a query string without the empty ones: an empty field means "not given" (a filter
    left at "any" is no filter; a default left empty applies)."""
    return {k: v for k, v in values.items() if not (isinstance(v, str) and v.strip() == "")}


def query_args() -> dict[str, Any]:
    """The request's query string without its empty parameters (drop_blanks): a filter a form sends empty is no
    filter, on the pages and in the API alike."""
    return drop_blanks(request.args)


def parse_query(model: type[M]) -> M:
    """The request's query string as `model`, an empty parameter not given."""
    return parse(model, query_args())


def _empty_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _parse_date(value: Any) -> Any:
    value = _empty_to_none(value)
    if isinstance(value, str):
        text = value.strip()
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
        if m:  # dd/mm/yyyy, as Vietnamese officials write it
            try:
                return date(int(m[3]), int(m[2]), int(m[1]))
            except ValueError:
                return text
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                return text
        return text
    if isinstance(value, datetime):
        return value.date()
    return value


def _parse_bool(value: Any) -> Any:
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"", "0", "false", "no", "off"}:
            return False
    return value


Line = Annotated[str, AfterValidator(clean_line)]
Text = Annotated[str, AfterValidator(clean_text)]
OptionalLine = Annotated[Line | None, BeforeValidator(_empty_to_none)]
OptionalText = Annotated[Text | None, BeforeValidator(_empty_to_none)]
OptionalDate = Annotated[date | None, BeforeValidator(_parse_date)]
OptionalInt = Annotated[int | None, BeforeValidator(_empty_to_none)]


def opt_line(max_length: int) -> Any:
    """An optional one-line text of at most `max_length` characters; empty means None."""
    return Annotated[Annotated[Line, Field(max_length=max_length)] | None, BeforeValidator(_empty_to_none)]


def opt_text(max_length: int) -> Any:
    return Annotated[Annotated[Text, Field(max_length=max_length)] | None, BeforeValidator(_empty_to_none)]


def opt_int(ge: int, le: int) -> Any:
    return Annotated[Annotated[int, Field(ge=ge, le=le)] | None, BeforeValidator(_empty_to_none)]


Flag = Annotated[bool, BeforeValidator(_parse_bool)]


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return gettext("Required.")
    if kind in {"string_too_long", "too_long"}:
        return gettext("At most %(n)s characters.", n=ctx.get("max_length"))
    if kind == "string_too_short" or (kind == "too_short" and ctx.get("min_length") == 1):
        return gettext("Required.")
    if kind.startswith("date") or kind == "date_type":
        return gettext("Not a date: use YYYY-MM-DD or DD/MM/YYYY.")
    if kind.startswith("int") or kind == "int_type":
        return gettext("Not a whole number.")
    if kind in {"greater_than_equal", "greater_than"}:
        return gettext("Must be at least %(n)s.", n=ctx.get("ge", ctx.get("gt")))
    if kind in {"less_than_equal", "less_than"}:
        return gettext("Must be at most %(n)s.", n=ctx.get("le", ctx.get("lt")))
    if kind in {"enum", "literal_error"}:
        return gettext("Must be one of: %(values)s.", values=ctx.get("expected", ""))
    if kind.startswith("bool"):
        return gettext("Must be true or false.")
    if kind == "string_type":
        return gettext("Must be text.")
    if kind == "extra_forbidden":
        return gettext("Unknown field.")
    if kind == "value_error":
        return str(ctx.get("error", error.get("msg", "")))
    return gettext("Invalid value.")


def parse(model: type[M], data: dict[str, Any]) -> M:
    """Validate `data` against `model`, or raise InvalidInput naming each bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        fields: dict[str, str] = {}
        for item in err.errors(include_url=False):
            name = ".".join(str(p) for p in item["loc"]) or "_"
            fields.setdefault(name, _message(item))
        raise InvalidInput(fields) from None
