"""A document's view history: every time it was opened, one of its files downloaded, or it was printed; who, when,
which file, and through what (the web pages or the API).

Every download and print of a document is recorded in its view history. The history is read from the audit log,
where these are events on the object ("document", id): the index ix_audit_events_object (object_type, object_id)
finds them without reading the rest of the log.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, ConfigDict, Field

from ..audit.models import AuditAction, AuditEvent
from ..audit.service import record, recorded_in_transaction
from ..auth.models import User
from ..errors import InvalidInput, InvalidParameter, NotFound
from ..extensions import db
from ..pagination import Page
from ..storage.service import read_blob
from ..validation import drop_blanks, parse
from .models import DocumentFile
from .service import get_document

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20


class HistoryAction(enum.StrEnum):
    VIEWED = "viewed"
    DOWNLOADED = "downloaded"
    PRINTED = "printed"


class Via(enum.StrEnum):
    """Through what it was done: the web pages, or the API (a client application)."""

    WEB = "web"
    API = "api"


# The audit events that make the view history, and what each one is in it.
EVENT_ACTIONS: dict[str, HistoryAction] = {
    AuditAction.DOCUMENT_VIEWED: HistoryAction.VIEWED,
    AuditAction.DOCUMENT_FILE_DOWNLOADED: HistoryAction.DOWNLOADED,
    AuditAction.DOCUMENT_PRINTED: HistoryAction.PRINTED,
}
ACTION_LABELS: dict[str, Any] = {
    HistoryAction.VIEWED: _l("Viewed"),
    HistoryAction.DOWNLOADED: _l("Downloaded"),
    HistoryAction.PRINTED: _l("Printed"),
}
VIA_LABELS: dict[str, Any] = {
    Via.WEB: _l("Web"),
    Via.API: _l("API"),
    "record_file_export": _l("Records file export"),
    "transfer_package": _l("Transfer package"),
}


class HistoryQuery(BaseModel):
    """The page of the history asked for, from the query string (other parameters are ignored)."""

    model_config = ConfigDict(extra="ignore")

    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(DEFAULT_PER_PAGE, ge=1, le=MAX_PER_PAGE)


def parse_history_query(args: dict[str, Any]) -> HistoryQuery:
    """`page` and `per_page` as whole numbers within their bounds; InvalidParameter (400) names a bad one."""
    try:
        return parse(HistoryQuery, {k: v for k, v in drop_blanks(args).items() if k in HistoryQuery.model_fields})
    except InvalidInput as err:
        raise InvalidParameter(err.fields) from None


@dataclass(frozen=True)
class HistoryUser:
    id: int
    name: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    action: HistoryAction
    user: HistoryUser | None
    file_id: int | None
    file_name: str | None
    via: str | None


def _of_document(document_id: int) -> sa.ColumnElement[bool]:
    return sa.and_(
        AuditEvent.object_type == "document",
        AuditEvent.object_id == str(document_id),
        AuditEvent.action.in_([str(action) for action in EVENT_ACTIONS]),
    )


def _name_of(actor: User, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    if user_id == actor.id:
        return actor.full_name
    user = db.session.get(User, user_id)
    return user.full_name if user is not None else None


def view_history(actor: User, document_id: int, page: int = 1, per_page: int = DEFAULT_PER_PAGE) -> Page[HistoryEntry]:
    """Who viewed, downloaded and printed a document, newest first, a page at a time.

    Readable by whoever may read the document; for anyone else the document does not exist (NotFound), as
    everywhere in the documents API.
    """
    doc = get_document(actor, document_id)
    condition = _of_document(doc.id)
    # This request's own events (the page's view) are written at the commit: they come first, newest first.
    unwritten = [
        SimpleNamespace(**event, full_name=_name_of(actor, event["actor_id"]))
        for event in recorded_in_transaction("document", doc.id)
        if event["action"] in EVENT_ACTIONS
    ]
    written = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(condition)) or 0
    start = (page - 1) * per_page
    rows: list[Any] = unwritten[start : start + per_page]
    if len(rows) < per_page:
        rows += db.session.execute(
            sa.select(AuditEvent.at, AuditEvent.action, AuditEvent.actor_id, AuditEvent.data, User.full_name)
            .outerjoin(User, User.id == AuditEvent.actor_id)
            .where(condition)
            .order_by(AuditEvent.seq.desc())
            .limit(per_page - len(rows))
            .offset(max(start - len(unwritten), 0))
        ).all()
    total = written + len(unwritten)
    file_ids = {row.data.get("file_id") for row in rows if isinstance((row.data or {}).get("file_id"), int)}
    names: dict[int, str] = {}
    if file_ids:
        found = db.session.execute(
            sa.select(DocumentFile.id, DocumentFile.filename).where(
                DocumentFile.document_id == doc.id, DocumentFile.id.in_(file_ids)
            )
        )
        names = {file_id: filename for file_id, filename in found}
    items = []
    for row in rows:
        data = row.data or {}
        file_id = data.get("file_id")
        file_id = file_id if isinstance(file_id, int) else None
        user = HistoryUser(row.actor_id, row.full_name) if row.actor_id is not None else None
        items.append(
            HistoryEntry(
                at=row.at,
                action=EVENT_ACTIONS[row.action],
                user=user,
                file_id=file_id,
                file_name=names.get(file_id) if file_id is not None else None,
                via=data.get("via"),
            )
        )
    return Page(items=items, total=total, page=page, per_page=per_page)


def _printed(actor: User, document_id: int, file: DocumentFile, via: Via) -> HistoryEntry:
    at = record(
        AuditAction.DOCUMENT_PRINTED,
        actor=actor,
        obj=("document", document_id),
        file_id=file.id,
        sha256=file.blob_sha256,
        via=str(via),
    )
    return HistoryEntry(at, HistoryAction.PRINTED, HistoryUser(actor.id, actor.full_name), file.id, file.filename, via)


def print_main_file(
    actor: User, document_id: int, via: Via = Via.WEB, record: bool = True
) -> tuple[DocumentFile, bytes]:
    """The current main file of a document to print, its bytes verified against their hash; the print is recorded
    in the document's view history (unless `record` is false: a HEAD request prints nothing). A document without
    a main file has nothing to print (NotFound)."""
    doc = get_document(actor, document_id)
    main = doc.main_file
    if main is None:
        raise NotFound(gettext("This document has no file to print."))
    data = read_blob(main.blob_sha256)
    if record:
        _printed(actor, doc.id, main, via)
    return main, data


def record_print(actor: User, document_id: int, file_id: int | None = None, via: Via = Via.API) -> HistoryEntry:
    """Record that a client printed a document: one of its files, by default its current main file."""
    doc = get_document(actor, document_id)
    if file_id is None:
        file = doc.main_file
        if file is None:
            raise NotFound(gettext("This document has no file to print."))
    else:
        file = db.session.get(DocumentFile, file_id)
        if file is None or file.document_id != doc.id:
            raise NotFound(gettext("No such file."))
    return _printed(actor, doc.id, file, via)
