"""The rules for documents: registering incoming ones, drafting outgoing ones, reading, listing, editing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext

from ..audit.models import AuditAction
from ..audit.service import record
from ..auth.models import Role, User
from ..clock import local_today
from ..errors import Forbidden, InvalidInput, InvalidState, NotFound
from ..extensions import db, insert_or_ignore, read_before_writing
from ..pagination import Page
from ..storage.service import PutBlob, put_blob, read_blob, record_blob
from ..text import fold
from ..validation import parse
from .models import Document, DocumentChange, DocumentFile, DocumentGrant, Register
from .schemas import REQUIRED_ON_PATCH, DocumentPatch, DocumentQuery, DraftInput, IncomingInput
from .uploads import Upload, content_type_for, pdf_page_count, safe_filename
from .vocabulary import Direction, DocumentStatus, FileRole, Secrecy


class DuplicateDocument(InvalidState):
    """An incoming document with the same number, notation and issuer is already in the register."""

    code = "duplicate_document"

    def __init__(self, existing: Document) -> None:
        super().__init__(
            gettext(
                'This document looks already registered: incoming no. %(n)s of %(year)s, "%(subject)s". '
                "Check it, and confirm to register it again.",
                n=existing.register_number,
                year=existing.register_year,
                subject=existing.subject[:80],
            ),
            existing_id=existing.id,
        )


def duplicate_key_of(number: str | None, notation: str | None, issuer: str | None) -> str | None:
    if not (number or notation):
        return None
    return "|".join([fold(number).lstrip("0"), fold(notation).replace(" ", ""), fold(issuer)])


def refresh_derived(doc: Document) -> None:
    """Recompute the folded columns the list filters match against."""
    parts = [doc.subject, doc.notation, doc.number, doc.issuer, doc.signer_name, doc.notes]
    doc.search_text = fold(" ".join(p for p in parts if p))
    doc.issuer_folded = fold(doc.issuer)[:300]
    if doc.direction == Direction.INCOMING:
        doc.duplicate_key = duplicate_key_of(doc.number, doc.notation, doc.issuer)


# --- Registers -----------------------------------------------------------------------------------


def take_register_number(organisation_id: int, direction: Direction, year: int, secret: bool) -> tuple[Register, int]:
    """The next number of a register, as (the register, the number).

    Decree 30, art. 15 and 22: numbers restart at 1 each year, secret documents have their own series,
    and a number is never skipped nor given twice. One atomic UPDATE ... RETURNING inside the caller's
    transaction does it: concurrent clerks queue on the row lock, and a rolled-back registration
    returns its number with it.
    """
    increment = (
        sa.update(Register)
        .where(
            Register.organisation_id == organisation_id,
            Register.direction == str(direction),
            Register.year == year,
            Register.secret == secret,
        )
        .values(last_number=Register.last_number + 1)
        .returning(Register)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    register = db.session.scalars(increment).one_or_none()
    if register is None:  # the register's first number this year: open the register, then number
        db.session.execute(
            insert_or_ignore(
                Register.__table__,
                {
                    "organisation_id": organisation_id,
                    "direction": str(direction),
                    "year": year,
                    "secret": secret,
                    "last_number": 0,
                },
            )
        )
        register = db.session.scalars(increment).one()
    return register, register.last_number


# --- Access ----------------------------------------------------------------------------------------


def can_read(user: User, doc: Document) -> bool:
    """Same organisation; and for a secret document, a grant to this user."""
    if doc.organisation_id != user.organisation_id:
        return False
    if doc.secrecy == Secrecy.NORMAL:
        return True
    return db.session.get(DocumentGrant, (doc.id, user.id)) is not None


def can_edit(user: User, doc: Document) -> bool:
    if not can_read(user, doc):
        return False
    if doc.status == DocumentStatus.RECALLED:
        return False  # frozen, for the audit
    if doc.direction == Direction.INCOMING:
        return user.has_role(Role.CLERK)
    return doc.status == DocumentStatus.DRAFT and (
        doc.created_by_id == user.id or user.has_role(Role.CLERK, Role.LEADER)
    )


def get_document(user: User, document_id: int) -> Document:
    """A document the user may read; another organisation's id, or a secret one without a grant, is NotFound."""
    doc = db.session.get(Document, document_id)
    if doc is None or not can_read(user, doc):
        raise NotFound(gettext("No such document."))
    return doc


def get_editable(user: User, document_id: int) -> Document:
    """A document the user may change: incoming ones by clerks, drafts by their author, clerks and leaders."""
    doc = get_document(user, document_id)
    if not can_edit(user, doc):
        if doc.direction == Direction.OUTGOING and doc.status != DocumentStatus.DRAFT:
            raise InvalidState(gettext("Only a draft can be edited."))
        raise Forbidden(gettext("You cannot edit this document."))
    return doc


def view_document(user: User, document_id: int, via: str | None = None) -> Document:
    """A document the user may read; the view is recorded in its view history (`via`: "web" or "api")."""
    doc = get_document(user, document_id)
    record(AuditAction.DOCUMENT_VIEWED, actor=user, obj=("document", doc.id), **_via(via))
    return doc


def _via(via: str | None) -> dict[str, str]:
    return {"via": via} if via else {}


# --- Creating -------------------------------------------------------------------------------------


def _check_incoming_dates(data: IncomingInput) -> None:
    errors = {}
    if data.issued_on and data.received_on and data.received_on < data.issued_on:
        errors["received_on"] = gettext("The date received is before the date of the document.")
    if data.due_on and data.received_on and data.due_on < data.received_on:
        errors["due_on"] = gettext("The due date is before the date received.")
    if errors:
        raise InvalidInput(errors)


def check_new_document(
    direction: str, values: dict[str, Any], main: Upload | None, attachments: list[Upload]
) -> IncomingInput | DraftInput:
    """Parse a new document's fields and check its files, naming every problem at once (fields and files)."""
    errors: dict[str, str] = {}
    data: IncomingInput | DraftInput | None = None
    try:
        data = parse(IncomingInput if direction == Direction.INCOMING else DraftInput, values)
        if isinstance(data, IncomingInput):
            _check_incoming_dates(data)
    except InvalidInput as err:
        errors.update(err.fields)
    try:
        _prepare_files(main, attachments)
    except InvalidInput as err:
        errors.update(err.fields)
    if errors or data is None:
        raise InvalidInput(errors)
    return data


def _prepare_files(main: Upload | None, attachments: list[Upload]) -> int:
    """Check every file before anything is stored; return the main PDF's page count."""
    if main is None:
        raise InvalidInput({"file": gettext("Attach the document's PDF.")})
    pages = pdf_page_count(main.data, "file")
    for index, att in enumerate(attachments):
        if not att.data:
            raise InvalidInput({f"attachments[{index}]": gettext("The file is empty.")})
    return pages


@dataclass(frozen=True)
class StoredFile:
    """An upload already in the object store, waiting for its rows."""

    role: FileRole
    filename: str
    blob: PutBlob
    data: bytes


# Called for every new document's main file, in the same transaction (signing validates signed PDFs here).
# Other domains register themselves at import; documents never imports them.
NEW_MAIN_FILE_CHECKS: list[Callable[[Document, DocumentFile, bytes], None]] = []


def _put_files(main: Upload | None, attachments: list[Upload]) -> list[StoredFile]:
    """Put every file in the store, before the transaction's first statement: no lock waits on the network."""
    uploads = ([(FileRole.MAIN, main)] if main else []) + [(FileRole.ATTACHMENT, a) for a in attachments]
    stored = []
    for role, upload in uploads:
        filename = safe_filename(upload.filename, "document.pdf" if role == FileRole.MAIN else "attachment")
        content_type = "application/pdf" if role == FileRole.MAIN else content_type_for(filename)
        stored.append(StoredFile(role, filename, put_blob(upload.data, content_type, filename), upload.data))
    return stored


def _add_files(doc: Document, actor: User, stored: list[StoredFile]) -> list[DocumentFile]:
    rows = []
    next_main = 1 + max((f.version for f in doc.files if f.role == FileRole.MAIN), default=0) if doc.id else 1
    for item in stored:
        record_blob(item.blob)
        version = 1
        if item.role == FileRole.MAIN:
            version, next_main = next_main, next_main + 1
        row = DocumentFile(
            document=doc,
            role=str(item.role),
            version=version,
            blob_sha256=item.blob.sha256,
            filename=item.filename,
            content_type=item.blob.content_type,
            size=item.blob.size,
            created_by_id=actor.id,
        )
        db.session.add(row)
        rows.append(row)
    return rows


def add_document(doc: Document, actor: User, stored: list[StoredFile], **audit: Any) -> None:
    """Write a new document with its files; who created a secret one may read it; record the creation."""
    with db.session.no_autoflush:
        refresh_derived(doc)
        db.session.add(doc)
        files = _add_files(doc, actor, stored)
    db.session.flush()
    for item, row in zip(stored, files, strict=True):
        if item.role == FileRole.MAIN:
            for check in NEW_MAIN_FILE_CHECKS:
                check(doc, row, item.data)
    if doc.secrecy != Secrecy.NORMAL:
        db.session.add(DocumentGrant(document_id=doc.id, user_id=actor.id, granted_by_id=actor.id))
    record(
        AuditAction.DOCUMENT_CREATED,
        actor=actor,
        obj=("document", doc.id),
        direction=doc.direction,
        files=[f.blob_sha256 for f in files],
        **audit,
    )


def add_file_version(actor: User, doc: Document, data: bytes, filename: str, replaces: DocumentFile) -> DocumentFile:
    """A new version of a file (a signed PDF), kept beside the version it replaces, which is never changed."""
    role = FileRole(replaces.role)
    (put,) = _put_files(
        Upload(filename, data) if role == FileRole.MAIN else None,
        [Upload(filename, data)] if role == FileRole.ATTACHMENT else [],
    )
    (added,) = _add_files(doc, actor, [put])
    added.supersedes_id = replaces.id
    if role == FileRole.ATTACHMENT:
        added.version = replaces.version + 1
    db.session.flush()
    return added


def find_duplicate(organisation_id: int, key: str | None) -> Document | None:
    """The first incoming document of this organisation with the same duplicate key, if any.

    A warning, not a constraint: it is read before the write transaction starts, so the register's lock is
    not held while it looks.
    """
    if key is None:
        return None
    table = Document.__table__
    found = read_before_writing(
        sa.select(table.c.id)
        .where(
            table.c.organisation_id == organisation_id,
            table.c.direction == Direction.INCOMING,
            table.c.duplicate_key == key,
        )
        .order_by(table.c.id)
        .limit(1)
    )
    return db.session.get(Document, found[0].id) if found else None


def register_incoming(
    actor: User, data: IncomingInput, main: Upload | None, attachments: list[Upload] | None = None
) -> Document:
    """Register an incoming document (văn bản đến) in this year's incoming register.

    Decree 30, art. 22: every incoming document gets the next number of the register (số đến) and the
    date received. One with the same number, notation and issuer as a registered one is refused as a
    likely duplicate unless the clerk confirms. Files go to the store before the row is written.
    """
    if not actor.has_role(Role.CLERK):
        raise Forbidden(gettext("Only a clerk registers incoming documents."))
    attachments = attachments or []
    _check_incoming_dates(data)
    pages = _prepare_files(main, attachments)
    stored = _put_files(main, attachments)
    key = duplicate_key_of(data.number, data.notation, data.issuer)
    existing = find_duplicate(actor.organisation_id, key)
    if existing is not None and not data.confirm_duplicate:
        raise DuplicateDocument(existing)
    return _register(actor, data, stored, pages, duplicate_confirmed=existing is not None)


def register_stored(actor: User, data: IncomingInput, stored: list[StoredFile], **audit: Any) -> Document:
    """Register an incoming document whose files are already in the store (a document that arrived through
    the exchange): the same register, numbering and checks as `register_incoming`, without the duplicate
    question (the exchange's message id already says whether it came before)."""
    if not actor.has_role(Role.CLERK):
        raise Forbidden(gettext("Only a clerk registers incoming documents."))
    _check_incoming_dates(data)
    return _register(actor, data, stored, None, **audit)


def _register(actor: User, data: IncomingInput, stored: list[StoredFile], pages: int | None, **audit: Any) -> Document:
    year = local_today().year
    with db.session.no_autoflush:
        register, number = take_register_number(
            actor.organisation_id, Direction.INCOMING, year, data.secrecy != Secrecy.NORMAL
        )
        doc = Document(
            direction=str(Direction.INCOMING),
            status=str(DocumentStatus.REGISTERED),
            **data.model_dump(exclude={"confirm_duplicate", "received_on", "page_count"}),
            received_on=data.received_on or local_today(),
            page_count=data.page_count or pages,
            register=register,
            register_number=number,
            organisation=actor.organisation,
            created_by=actor,
        )
    add_document(doc, actor, stored, register_number=number, year=year, **audit)
    return doc


def create_draft(
    actor: User, data: DraftInput, main: Upload | None, attachments: list[Upload] | None = None
) -> Document:
    """Create an outgoing draft (dự thảo). It gets its number only when the clerk issues it."""
    if not actor.has_role(Role.SPECIALIST, Role.LEADER, Role.CLERK):
        raise Forbidden(gettext("Only specialists, leaders and clerks draft outgoing documents."))
    attachments = attachments or []
    pages = _prepare_files(main, attachments)
    stored = _put_files(main, attachments)
    values = data.model_dump(exclude={"page_count"})
    org = actor.organisation
    values["issuer"] = values.get("issuer") or org.name
    values["issuer_code"] = values.get("issuer_code") or org.code
    values["place"] = values.get("place") or org.place
    with db.session.no_autoflush:
        doc = Document(
            organisation=org,
            direction=str(Direction.OUTGOING),
            status=str(DocumentStatus.DRAFT),
            **values,
            page_count=data.page_count or pages,
            created_by=actor,
        )
    add_document(doc, actor, stored)
    return doc


def add_attachment(actor: User, document_id: int, upload: Upload) -> DocumentFile:
    """Attach one more file to a document the user may edit."""
    doc = get_editable(actor, document_id)
    if not upload.data:
        raise InvalidInput({"file": gettext("The file is empty.")})
    (added,) = _add_files(doc, actor, _put_files(None, [upload]))
    db.session.flush()
    record(
        AuditAction.DOCUMENT_FILE_ADDED,
        actor=actor,
        obj=("document", doc.id),
        file_id=added.id,
        sha256=added.blob_sha256,
    )
    return added


# --- Reading files --------------------------------------------------------------------------------


def read_file(actor: User, document_id: int, file_id: int, via: str | None = None) -> tuple[DocumentFile, bytes]:
    """A file's bytes, verified against their hash; the download is recorded in the document's view history."""
    doc = get_document(actor, document_id)
    file = db.session.get(DocumentFile, file_id)
    if file is None or file.document_id != doc.id:
        raise NotFound(gettext("No such file."))
    data = read_blob(file.blob_sha256)
    record(
        AuditAction.DOCUMENT_FILE_DOWNLOADED,
        actor=actor,
        obj=("document", doc.id),
        file_id=file.id,
        sha256=file.blob_sha256,
        **_via(via),
    )
    return file, data


# --- Editing --------------------------------------------------------------------------------------

_PATCHABLE_INCOMING = set(DocumentPatch.model_fields)
_INCOMING_ONLY = {"received_on", "due_on", "channel"}


def update_document(actor: User, document_id: int, patch: DocumentPatch) -> Document:
    """Change metadata; each edit keeps the values before and after in the document's history.

    A registered document cannot move between the normal and the secret register series.
    """
    doc = get_editable(actor, document_id)
    sent = patch.model_fields_set
    errors: dict[str, str] = {}
    for name in sent & REQUIRED_ON_PATCH:
        if getattr(patch, name) is None:
            errors[name] = gettext("Required.")
    if doc.direction == Direction.OUTGOING:
        for name in sent & _INCOMING_ONLY:
            errors[name] = gettext("Only incoming documents have this field.")
    elif "issuer" in sent and not patch.issuer:
        errors["issuer"] = gettext("Required.")
    if errors:
        raise InvalidInput(errors)
    new_secrecy = patch.secrecy if "secrecy" in sent else doc.secrecy
    if doc.register_id is not None and (new_secrecy != Secrecy.NORMAL) != (doc.secrecy != Secrecy.NORMAL):
        raise InvalidState(gettext("A registered document cannot move between the normal and the secret register."))
    changes: dict[str, list[Any]] = {}
    for name in sorted(sent):
        new = getattr(patch, name)
        old = getattr(doc, name)
        if new != old:
            changes[name] = [_jsonable(old), _jsonable(new)]
            setattr(doc, name, new)
    if doc.direction == Direction.INCOMING:
        issued, received, due = doc.issued_on, doc.received_on, doc.due_on
        if issued and received and received < issued:
            raise InvalidInput({"received_on": gettext("The date received is before the date of the document.")})
        if due and received and due < received:
            raise InvalidInput({"due_on": gettext("The due date is before the date received.")})
    if not changes:
        return doc
    refresh_derived(doc)
    if doc.secrecy != Secrecy.NORMAL:
        db.session.execute(
            insert_or_ignore(
                DocumentGrant.__table__,
                {
                    "document_id": doc.id,
                    "user_id": actor.id,
                    "granted_by_id": actor.id,
                    "granted_at": doc.updated_at,
                },
            )
        )
    db.session.add(DocumentChange(document_id=doc.id, changed_by_id=actor.id, changes=changes))
    db.session.flush()
    record(AuditAction.DOCUMENT_UPDATED, actor=actor, obj=("document", doc.id), changes=changes)
    return doc


def _jsonable(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def history(actor: User, document_id: int) -> list[DocumentChange]:
    doc = get_document(actor, document_id)
    return list(
        db.session.scalars(
            sa.select(DocumentChange).where(DocumentChange.document_id == doc.id).order_by(DocumentChange.id.desc())
        )
    )


def grant_access(actor: User, document_id: int, user_id: int) -> DocumentGrant:
    """A clerk or leader who can read a secret document lets a colleague of the same organisation read it; so does
    the author of a secret draft (to show it to the leader who will sign it)."""
    doc = get_document(actor, document_id)
    author_of_draft = doc.created_by_id == actor.id and doc.status == DocumentStatus.DRAFT
    if not (actor.has_role(Role.CLERK, Role.LEADER) or author_of_draft):
        raise Forbidden(gettext("Only clerks and leaders grant access to secret documents."))
    if doc.secrecy == Secrecy.NORMAL:
        raise InvalidState(gettext("This document is not secret; everyone in the organisation can read it."))
    user = db.session.get(User, user_id)
    if user is None or user.organisation_id != doc.organisation_id:
        raise InvalidInput({"user_id": gettext("No such user in this organisation.")})
    grant = db.session.get(DocumentGrant, (doc.id, user.id))
    if grant is None:
        grant = DocumentGrant(document_id=doc.id, user_id=user.id, granted_by_id=actor.id)
        db.session.add(grant)
        db.session.flush()
        record(AuditAction.DOCUMENT_ACCESS_GRANTED, actor=actor, obj=("document", doc.id), user_id=user.id)
    return grant


def grants(actor: User, document_id: int) -> list[DocumentGrant]:
    doc = get_document(actor, document_id)
    return list(db.session.scalars(sa.select(DocumentGrant).where(DocumentGrant.document_id == doc.id)))


# --- Listing --------------------------------------------------------------------------------------


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def readable_by(actor: User) -> sa.ColumnElement[bool]:
    """`can_read` as an SQL condition on Document: the user's organisation, less the secret documents not
    granted to them."""
    granted = sa.select(DocumentGrant.document_id).where(
        DocumentGrant.user_id == actor.id, DocumentGrant.document_id == Document.id
    )
    return sa.and_(
        Document.organisation_id == actor.organisation_id,
        sa.or_(Document.secrecy == Secrecy.NORMAL, granted.exists()),
    )


def list_documents(actor: User, query: DocumentQuery, default_per_page: int = 20) -> Page:
    """The user's organisation's documents, newest first, less the secret ones not granted to them."""
    stmt = sa.select(Document).where(readable_by(actor), Document.status != DocumentStatus.RECALLED)
    if query.direction:
        stmt = stmt.where(Document.direction == query.direction)
    if query.document_type:
        stmt = stmt.where(Document.document_type == query.document_type)
    if query.urgency:
        stmt = stmt.where(Document.urgency == query.urgency)
    if query.secrecy:
        stmt = stmt.where(Document.secrecy == query.secrecy)
    if query.year:
        in_register = sa.select(Register.id).where(Register.id == Document.register_id, Register.year == query.year)
        stmt = stmt.where(
            sa.or_(
                in_register.exists(),
                sa.and_(
                    Document.register_id.is_(None),
                    sa.or_(
                        sa.and_(Document.issued_on.is_not(None), sa.extract("year", Document.issued_on) == query.year),
                        sa.and_(Document.issued_on.is_(None), sa.extract("year", Document.created_at) == query.year),
                    ),
                ),
            )
        )
    if query.issuer:
        stmt = stmt.where(
            sa.or_(
                Document.issuer_code == query.issuer.upper(),
                Document.issuer_folded.like(_like(fold(query.issuer)), escape="\\"),
            )
        )
    if query.issued_from:
        stmt = stmt.where(Document.issued_on >= query.issued_from)
    if query.issued_to:
        stmt = stmt.where(Document.issued_on <= query.issued_to)
    if query.received_from:
        stmt = stmt.where(Document.received_on >= query.received_from)
    if query.received_to:
        stmt = stmt.where(Document.received_on <= query.received_to)
    if query.q:
        for word in fold(query.q).split():
            stmt = stmt.where(Document.search_text.like(_like(word), escape="\\"))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())) or 0
    per_page = query.per_page or default_per_page
    page = query.page_or_first
    items = list(
        db.session.scalars(
            stmt.order_by(Document.created_at.desc(), Document.id.desc()).limit(per_page).offset((page - 1) * per_page)
        )
    )
    return Page(items=items, total=total, page=page, per_page=per_page)


def register_entries(actor: User, direction: Direction, year: int, secret: bool = False) -> list[Document]:
    """A register's entries in number order, as the printed register (sổ) lists them."""
    register_id = db.session.scalar(
        sa.select(Register.id).where(
            Register.organisation_id == actor.organisation_id,
            Register.direction == direction,
            Register.year == year,
            Register.secret == secret,
        )
    )
    if register_id is None:
        return []
    docs = db.session.scalars(
        sa.select(Document).where(Document.register_id == register_id).order_by(Document.register_number)
    )
    return [d for d in docs if can_read(actor, d)]


def registers_of(actor: User) -> list[Register]:
    return list(
        db.session.scalars(
            sa.select(Register)
            .where(Register.organisation_id == actor.organisation_id)
            .order_by(Register.year.desc(), Register.direction, Register.secret)
        )
    )
