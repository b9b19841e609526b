"""The rules of records files (hồ sơ): making them, filing documents into them, closing them, their retention,
the review of expired ones and their transfer to the agency's archive.

Decree 30/2020, art. 28–31: each organisation keeps its list of records files per year, each
with a code unique in that year, a title and a retention period (permanent, or 70, 50, 20, 10 or 5 years).
A document is filed in one records file at most. A file is closed when its work ends; it then takes no more
documents and is handed to the agency's archive within a year. Retention counts from 1 January of the year
after the work ended. When it has run out the file is listed for review: nothing is ever destroyed here,
that takes a council's decision outside this application.

Archivists and clerks manage records files; leaders read them; nobody else sees them. When retention runs out
and when a file is due at the agency's archive, and the lists of both, are in retention.py.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date, gettext
from sqlalchemy.orm import selectinload

from ..audit.models import AuditAction
from ..audit.service import record
from ..auth.models import Role, User
from ..clock import local_today
from ..documents import service as documents
from ..documents.models import Document
from ..documents.vocabulary import DocumentStatus
from ..errors import Forbidden, InvalidInput, InvalidState, NotFound
from ..extensions import db
from ..pagination import Page
from .models import RecordFile, RecordFileDocument
from .schemas import CloseInput, FileDocumentInput, RecordFileInput, RecordFilePatch, RecordFileQuery, TransferInput

MANAGERS = (Role.ARCHIVIST, Role.CLERK)
READERS = (Role.ARCHIVIST, Role.CLERK, Role.LEADER)
# A document not yet final (a draft, or signed and waiting to be issued) is not filed.
UNFILED_STATUSES = (DocumentStatus.DRAFT, DocumentStatus.SIGNED)


class RecordFileStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    TRANSFERRED = "transferred"


# --- Who may ---------------------------------------------------------------------------------------------------


def may_read(user: User) -> bool:
    return user.has_role(*READERS)


def may_manage(user: User) -> bool:
    return user.has_role(*MANAGERS)


def require_reader(actor: User) -> None:
    if not may_read(actor):
        raise Forbidden(gettext("Only archivists, clerks and leaders see the records files."))


def require_manager(actor: User) -> None:
    if not may_manage(actor):
        raise Forbidden(gettext("Only an archivist or a clerk manages records files."))


# --- State ------------------------------------------------------------------------------------------------------


def status_of(f: RecordFile) -> RecordFileStatus:
    if f.transferred_on is not None:
        return RecordFileStatus.TRANSFERRED
    if f.closed_on is not None:
        return RecordFileStatus.CLOSED
    return RecordFileStatus.OPEN


# --- Reading ---------------------------------------------------------------------------------------------------


def get_record_file(actor: User, record_file_id: int) -> RecordFile:
    """A records file of the user's organisation; another organisation's id is NotFound."""
    require_reader(actor)
    f = db.session.get(RecordFile, record_file_id)
    if f is None or f.organisation_id != actor.organisation_id:
        raise NotFound(gettext("No such records file."))
    return f


def _locked(actor: User, record_file_id: int) -> RecordFile:
    """The file's row, locked until the transaction ends: filing and moving documents are taken one at a time."""
    f = get_record_file(actor, record_file_id)
    return db.session.scalars(
        sa.select(RecordFile).where(RecordFile.id == f.id).with_for_update().execution_options(populate_existing=True)
    ).one()


@dataclass(frozen=True)
class FilePage(Page[RecordFile]):
    counts: dict[int, int]  # documents per file


def document_counts(record_file_ids: list[int]) -> dict[int, int]:
    counts = dict.fromkeys(record_file_ids, 0)
    if record_file_ids:
        rows = db.session.execute(
            sa.select(RecordFileDocument.record_file_id, sa.func.count())
            .where(RecordFileDocument.record_file_id.in_(record_file_ids))
            .group_by(RecordFileDocument.record_file_id)
        )
        counts.update({file_id: n for file_id, n in rows})
    return counts


def paged(stmt: sa.Select, page: int | None, per_page: int | None, default_per_page: int) -> FilePage:
    """One page of a query of records files, with the total and how many documents each one holds."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())) or 0
    per_page = per_page or default_per_page
    page = page or 1
    items = list(
        db.session.scalars(stmt.options(selectinload(RecordFile.keeper)).limit(per_page).offset((page - 1) * per_page))
    )
    return FilePage(items, total, page, per_page, document_counts([f.id for f in items]))


def list_record_files(actor: User, query: RecordFileQuery, default_per_page: int = 50) -> FilePage:
    """The organisation's records files, by year (newest first) and code; filtered by year, status and words of
    the code or title."""
    require_reader(actor)
    stmt = sa.select(RecordFile).where(RecordFile.organisation_id == actor.organisation_id)
    if query.year is not None:
        stmt = stmt.where(RecordFile.year == query.year)
    if query.status == RecordFileStatus.OPEN:
        stmt = stmt.where(RecordFile.closed_on.is_(None), RecordFile.transferred_on.is_(None))
    elif query.status == RecordFileStatus.CLOSED:
        stmt = stmt.where(RecordFile.closed_on.is_not(None), RecordFile.transferred_on.is_(None))
    elif query.status == RecordFileStatus.TRANSFERRED:
        stmt = stmt.where(RecordFile.transferred_on.is_not(None))
    if query.q:
        like = "%" + query.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(sa.or_(RecordFile.code.ilike(like, escape="\\"), RecordFile.title.ilike(like, escape="\\")))
    stmt = stmt.order_by(RecordFile.year.desc(), RecordFile.code, RecordFile.id)
    return paged(stmt, query.page, query.per_page, default_per_page)


def years_of(actor: User) -> list[int]:
    """The years the organisation has records files for, and this year, newest first."""
    require_reader(actor)
    years = set(
        db.session.scalars(
            sa.select(RecordFile.year).where(RecordFile.organisation_id == actor.organisation_id).distinct()
        )
    )
    years.add(local_today().year)
    return sorted(years, reverse=True)


@dataclass(frozen=True)
class Entry:
    """A document filed in a records file; `readable` is False for a secret one the reader has no grant for,
    whose metadata is then not shown."""

    entry: RecordFileDocument
    document: Document
    readable: bool


def entries_of(actor: User, f: RecordFile) -> list[Entry]:
    """The documents of a records file in their order, each saying whether this reader may open it."""
    readable = documents.readable_by(actor).label("readable")
    rows = db.session.execute(
        sa.select(RecordFileDocument, Document, readable)
        .join(Document, Document.id == RecordFileDocument.document_id)
        .where(RecordFileDocument.record_file_id == f.id)
        .order_by(RecordFileDocument.position, RecordFileDocument.id)
    )
    return [Entry(entry, doc, bool(can)) for entry, doc, can in rows]


def filed_in(actor: User, document_id: int) -> RecordFileDocument | None:
    """Where a document of the user's organisation is filed, if it is."""
    return db.session.scalars(
        sa.select(RecordFileDocument)
        .join(RecordFile, RecordFile.id == RecordFileDocument.record_file_id)
        .where(RecordFileDocument.document_id == document_id, RecordFile.organisation_id == actor.organisation_id)
    ).one_or_none()


def open_files(actor: User, limit: int = 500) -> list[RecordFile]:
    """The organisation's records files that still take documents: neither closed nor transferred."""
    return list(
        db.session.scalars(
            sa.select(RecordFile)
            .where(
                RecordFile.organisation_id == actor.organisation_id,
                RecordFile.closed_on.is_(None),
                RecordFile.transferred_on.is_(None),
            )
            .order_by(RecordFile.year.desc(), RecordFile.code)
            .limit(limit)
        )
    )


# --- Creating and changing ---------------------------------------------------------------------------------------


def _check_year(year: int) -> None:
    latest = local_today().year + 1
    if year > latest:
        raise InvalidInput({"year": gettext("A records file's year is at most next year (%(year)s).", year=latest)})


def _check_keeper(actor: User, keeper_id: int | None) -> None:
    if keeper_id is None:
        return
    keeper = db.session.get(User, keeper_id)
    if keeper is None or keeper.organisation_id != actor.organisation_id:
        raise InvalidInput({"keeper_id": gettext("No such user in your organisation.")})


def _check_code_free(actor: User, year: int, code: str, but: int | None = None) -> None:
    """Decree 30/2020: a code (số và ký hiệu hồ sơ) names one file in the organisation's list of the year."""
    stmt = sa.select(RecordFile.id).where(
        RecordFile.organisation_id == actor.organisation_id, RecordFile.year == year, RecordFile.code == code
    )
    if but is not None:
        stmt = stmt.where(RecordFile.id != but)
    if db.session.scalar(stmt) is not None:
        raise _code_taken(code, year)


def _code_taken(code: str, year: int) -> InvalidState:
    return InvalidState(
        gettext("The code %(code)s is already used by another records file of %(year)s.", code=code, year=year),
        field="code",
    )


def _in_savepoint(change: Callable[[], None]) -> None:
    """Make `change` and flush it in a savepoint: a unique constraint met because someone wrote the same thing a
    moment ago then fails the savepoint only (IntegrityError), not the request's transaction. The changes are made
    inside, since `begin_nested` first flushes what is pending, outside the savepoint."""
    with db.session.begin_nested():
        change()
        db.session.flush()


def _check_dates(opened_on: date | None, closed_on: date | None, year: int) -> None:
    if opened_on is not None and opened_on > local_today():
        raise InvalidInput({"opened_on": gettext("Not in the future.")})
    if opened_on is not None and closed_on is not None and opened_on > closed_on:
        raise InvalidInput({"opened_on": gettext("The file was closed before this day.")})
    if closed_on is not None and closed_on.year < year:
        raise InvalidInput({"closed_on": gettext("A records file of %(year)s cannot end before that year.", year=year)})


def _not_transferred(f: RecordFile) -> None:
    if f.transferred_on is not None:
        raise InvalidState(
            gettext(
                "The records file %(code)s was transferred to the agency's archive: it no longer changes.",
                code=f.code,
            ),
            state=str(RecordFileStatus.TRANSFERRED),
        )


def create_record_file(actor: User, data: RecordFileInput) -> RecordFile:
    """A new records file of the user's organisation, open.

    Decree 30/2020, art. 28: a file has a code unique in the organisation's year, a title and a
    retention period: permanent or 70, 50, 20, 10 or 5 years. Its year is at most next year (the list of files
    is drawn up at the start of the year it is for).
    """
    require_manager(actor)
    _check_year(data.year)
    _check_keeper(actor, data.keeper_id)
    _check_dates(data.opened_on, None, data.year)
    _check_code_free(actor, data.year, data.code)
    f = RecordFile(
        organisation_id=actor.organisation_id,
        year=data.year,
        code=data.code,
        title=data.title,
        retention_years=data.retention_years,
        keeper_id=data.keeper_id,
        opened_on=data.opened_on,
        notes=data.notes,
        created_by_id=actor.id,
    )
    try:
        _in_savepoint(lambda: db.session.add(f))
    except sa.exc.IntegrityError:
        raise _code_taken(data.code, data.year) from None
    record(
        AuditAction.RECORD_FILE_CREATED,
        actor=actor,
        obj=("record_file", f.id),
        year=f.year,
        code=f.code,
        title=f.title,
        retention_years=f.retention_years,
    )
    return f


REQUIRED_ON_PATCH = ("year", "code", "title")


def update_record_file(actor: User, record_file_id: int, patch: RecordFilePatch) -> RecordFile:
    """Change a records file's year, code, title, retention, keeper, opening day or notes; only the fields sent.

    A transferred file no longer changes. The code stays unique in its year; a closed file's year is not after
    the year it was closed in.
    """
    require_manager(actor)
    f = _locked(actor, record_file_id)
    _not_transferred(f)
    sent = patch.model_fields_set
    missing = {
        name: gettext("Required.") for name in REQUIRED_ON_PATCH if name in sent and getattr(patch, name) is None
    }
    if missing:
        raise InvalidInput(missing)
    values: dict[str, Any] = {name: getattr(patch, name) for name in sent}
    year = values.get("year", f.year)
    code = values.get("code", f.code)
    if "year" in values and values["year"] != f.year:
        _check_year(year)
    _check_keeper(actor, values.get("keeper_id"))
    _check_dates(values.get("opened_on", f.opened_on), f.closed_on, year)
    if (year, code) != (f.year, f.code):
        _check_code_free(actor, year, code, but=f.id)
    changes = {
        name: [_jsonable(getattr(f, name)), _jsonable(value)]
        for name, value in values.items()
        if getattr(f, name) != value
    }
    if not changes:
        return f

    def change() -> None:
        for name in changes:
            setattr(f, name, values[name])

    try:
        _in_savepoint(change)
    except sa.exc.IntegrityError:
        raise _code_taken(code, year) from None
    record(AuditAction.RECORD_FILE_UPDATED, actor=actor, obj=("record_file", f.id), changes=changes)
    return f


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def close_record_file(actor: User, record_file_id: int, data: CloseInput) -> RecordFile:
    """Close a records file: its work ended on `closed_on` (today when not given). It then takes no more
    documents, its retention counts from the next 1 January, and it is due at the agency's archive a year later.

    Not in the future, not before it was opened nor before its year; a closed or transferred file: InvalidState.
    """
    require_manager(actor)
    f = _locked(actor, record_file_id)
    _not_transferred(f)
    if f.closed_on is not None:
        raise InvalidState(
            gettext(
                "The records file %(code)s was already closed on %(day)s.", code=f.code, day=format_date(f.closed_on)
            ),
            state=str(RecordFileStatus.CLOSED),
        )
    closed_on = data.closed_on or local_today()
    if closed_on > local_today():
        raise InvalidInput({"closed_on": gettext("Not in the future.")})
    if f.opened_on is not None and closed_on < f.opened_on:
        raise InvalidInput({"closed_on": gettext("Before the day the file was opened.")})
    _check_dates(None, closed_on, f.year)
    f.closed_on = closed_on
    db.session.flush()
    record(
        AuditAction.RECORD_FILE_CLOSED,
        actor=actor,
        obj=("record_file", f.id),
        closed_on=closed_on.isoformat(),
        documents=document_counts([f.id])[f.id],
    )
    return f


def mark_transferred(actor: User, record_file_id: int, data: TransferInput) -> RecordFile:
    """Record that a closed records file was handed to the agency's archive (nộp lưu), on `transferred_on`
    (today when not given), by the user. Decree 30/2020, art. 30–31.

    Only a closed file is transferred, once; not in the future, not before it was closed.
    """
    from . import retention

    require_manager(actor)
    f = _locked(actor, record_file_id)
    _not_transferred(f)
    if f.closed_on is None:
        raise InvalidState(
            gettext("Close the records file %(code)s before transferring it.", code=f.code),
            state=str(RecordFileStatus.OPEN),
        )
    day = data.transferred_on or local_today()
    if day > local_today():
        raise InvalidInput({"transferred_on": gettext("Not in the future.")})
    if day < f.closed_on:
        raise InvalidInput({"transferred_on": gettext("Before the day the file was closed.")})
    f.transferred_on = day
    f.transferred_by_id = actor.id
    db.session.flush()
    record(
        AuditAction.RECORD_FILE_TRANSFERRED,
        actor=actor,
        obj=("record_file", f.id),
        transferred_on=day.isoformat(),
        due_on=retention.transfer_due_on(f).isoformat(),
        documents=document_counts([f.id])[f.id],
    )
    return f


# --- Filing documents --------------------------------------------------------------------------------------------


def _takes_documents(f: RecordFile) -> None:
    _not_transferred(f)
    if f.closed_on is not None:
        raise InvalidState(
            gettext("The records file %(code)s is closed: it takes no more documents.", code=f.code),
            state=str(RecordFileStatus.CLOSED),
        )


def _already_filed(entry: RecordFileDocument) -> InvalidState:
    other = entry.record_file
    return InvalidState(
        gettext(
            "This document is already filed in the records file %(code)s (%(year)s).", code=other.code, year=other.year
        ),
        record_file_id=other.id,
        record_file_code=other.code,
    )


def _entries(f: RecordFile) -> list[RecordFileDocument]:
    return list(
        db.session.scalars(
            sa.select(RecordFileDocument)
            .where(RecordFileDocument.record_file_id == f.id)
            .order_by(RecordFileDocument.position, RecordFileDocument.id)
        )
    )


def _renumber(entries: list[RecordFileDocument]) -> None:
    """Positions 1, 2, 3 … in the list's order (số thứ tự văn bản trong hồ sơ), without gaps."""
    for position, entry in enumerate(entries, start=1):
        if entry.position != position:
            entry.position = position


def file_document(actor: User, record_file_id: int, data: FileDocumentInput) -> RecordFileDocument:
    """File a document into a records file, at the end or at `position`.

    The document is one of the file's organisation the user may read (else NotFound, as for any document),
    final (not a draft nor waiting to be issued), and in no records file yet: a document is in one records
    file at most (InvalidState naming the other file). A closed or transferred file takes no more documents.
    """
    require_manager(actor)
    f = _locked(actor, record_file_id)
    _takes_documents(f)
    doc = db.session.scalars(
        sa.select(Document).where(Document.id == data.document_id, documents.readable_by(actor))
    ).one_or_none()
    if doc is None or doc.organisation_id != f.organisation_id:
        raise NotFound(gettext("No such document."))
    if doc.status in UNFILED_STATUSES:
        raise InvalidState(gettext("Only a final document is filed: this one is not issued yet."), state=doc.status)
    existing = db.session.scalars(
        sa.select(RecordFileDocument).where(RecordFileDocument.document_id == doc.id)
    ).one_or_none()
    if existing is not None:
        raise _already_filed(existing)
    entries = _entries(f)
    entry = RecordFileDocument(record_file_id=f.id, document_id=doc.id, position=0, filed_by_id=actor.id)
    place = len(entries) if data.position is None else min(data.position, len(entries) + 1) - 1

    def change() -> None:
        entries.insert(place, entry)
        db.session.add(entry)
        _renumber(entries)

    document_id = doc.id
    try:
        _in_savepoint(change)
    except sa.exc.IntegrityError:
        # Filed elsewhere by someone else a moment ago.
        existing = db.session.scalars(
            sa.select(RecordFileDocument).where(RecordFileDocument.document_id == document_id)
        ).one_or_none()
        if existing is None:
            raise
        raise _already_filed(existing) from None
    record(
        AuditAction.RECORD_FILE_DOCUMENT_FILED,
        actor=actor,
        obj=("record_file", f.id),
        document_id=doc.id,
        position=entry.position,
    )
    return entry


def _entry_of(f: RecordFile, document_id: int) -> tuple[list[RecordFileDocument], RecordFileDocument]:
    entries = _entries(f)
    for entry in entries:
        if entry.document_id == document_id:
            return entries, entry
    raise NotFound(gettext("This document is not in this records file."))


def unfile_document(actor: User, record_file_id: int, document_id: int) -> None:
    """Take a document out of a records file; the others close the gap. Not from a closed or transferred file.
    The document itself stays as it is."""
    require_manager(actor)
    f = _locked(actor, record_file_id)
    _takes_documents(f)
    entries, entry = _entry_of(f, document_id)
    entries.remove(entry)
    db.session.delete(entry)
    _renumber(entries)
    db.session.flush()
    record(
        AuditAction.RECORD_FILE_DOCUMENT_REMOVED,
        actor=actor,
        obj=("record_file", f.id),
        document_id=document_id,
        position=entry.position,
    )


def move_document(actor: User, record_file_id: int, document_id: int, position: int) -> RecordFileDocument:
    """Put a document at another place in its records file (1 is the first; past the end is the last).
    Arranging the documents is allowed until the file is transferred, closed or not."""
    require_manager(actor)
    f = _locked(actor, record_file_id)
    _not_transferred(f)
    entries, entry = _entry_of(f, document_id)
    before = entry.position
    entries.remove(entry)
    entries.insert(min(position, len(entries) + 1) - 1, entry)
    _renumber(entries)
    if entry.position != before:
        db.session.flush()
        record(
            AuditAction.RECORD_FILE_DOCUMENT_MOVED,
            actor=actor,
            obj=("record_file", f.id),
            document_id=document_id,
            position=[before, entry.position],
        )
    return entry
