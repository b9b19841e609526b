"""Jinja filters and globals: local times, Vietnamese dates, labels of codes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from flask import Flask, request
from flask_babel import format_decimal, get_locale

from .auth.models import ROLE_LABELS, Role
from .clock import to_local
from .documents.vocabulary import (
    DOCUMENT_TYPES,
    Channel,
    Direction,
    DocumentStatus,
    FileRole,
    Secrecy,
    Urgency,
    type_label,
)
from .documents.vocabulary import label as code_label
from .extensions import utcnow


def local_datetime(value: datetime | None) -> str:
    local = to_local(value)
    return local.strftime("%d/%m/%Y %H:%M") if local else ""


def vn_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def human_size(size: int | None) -> str:
    if size is None:
        return ""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return str(size)


def day_count(days: float | None) -> str:
    """Working days as an official writes them, in the reader's language: no needless decimals (5; 0,5 in
    Vietnamese, 0.5 in English)."""
    return "" if days is None else format_decimal(days, format="#,##0.#")


def url_with(**changes: Any) -> str:
    """The current page's URL with some query parameters changed (for pagination links)."""
    args = request.args.to_dict()
    args.update({k: v for k, v in changes.items() if v is not None})
    return request.path + "?" + urlencode(args)


def init_templating(app: Flask) -> None:
    app.jinja_env.filters.update(
        local_datetime=local_datetime, vn_date=vn_date, human_size=human_size, day_count=day_count
    )
    app.jinja_env.globals.update(
        url_with=url_with,
        type_label=type_label,
        DOCUMENT_TYPES=DOCUMENT_TYPES,
        Direction=Direction,
        Urgency=Urgency,
        Secrecy=Secrecy,
        Channel=Channel,
        DocumentStatus=DocumentStatus,
        FileRole=FileRole,
        Role=Role,
        ROLE_LABELS=ROLE_LABELS,
        code_label=code_label,
        now_utc=utcnow,
    )

    @app.context_processor
    def _locale() -> dict[str, Any]:
        return {"current_locale": str(get_locale() or "vi")}
