"""Keeping the index current: every committed change to a document or its files queues its re-indexing in the
outbox, in the same transaction, and the worker does it. A change that rolls back queues nothing; a worker
that dies before committing the index leaves the outbox row to be claimed again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from .. import outbox
from ..documents.models import Document, DocumentFile, DocumentGrant
from ..extensions import db
from .index import search_index
from .service import all_document_ids, extract_missing, indexed_document

INDEX = "search.index"
_QUEUED = "search_queued"


@outbox.handler(INDEX)
def _index_queued(payload: dict[str, Any]) -> None:
    index_documents([int(i) for i in payload["document_ids"]])


def index_documents(ids: list[int]) -> int:
    """Bring these documents' entries up to date (a document gone is taken out); how many were written."""
    entries: list[tuple[int, dict[str, object] | None]] = []
    for document_id in ids:
        doc = db.session.execute(
            sa.select(Document).where(Document.id == document_id).execution_options(all_organisations=True)
        ).scalar_one_or_none()
        if doc is None:
            entries.append((document_id, None))
            continue
        texts = extract_missing(doc)  # OCR may take seconds: no write lock is held meanwhile
        if texts:
            for row in texts:
                db.session.merge(row)  # another worker may have extracted the same file meanwhile
            db.session.commit()
        entries.append((document_id, indexed_document(doc).fields()))
    db.session.rollback()  # no transaction is held while the index is written
    with search_index().writing() as writer:
        for document_id, fields in entries:
            if fields is None:
                writer.delete_by_term("id", str(document_id))
            else:
                writer.update_document(**fields)
    return len(entries)


def reindex(batch: int = 200, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the index from the database and the store: an empty index, then every document, a batch at a
    time (each batch committed, so a rebuild killed halfway is finished by running it again or by the
    worker's catching up)."""
    ids = all_document_ids()
    db.session.rollback()
    search_index().clear()
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        index_documents(chunk)
        if progress is not None:
            progress(len(chunk))
    return len(ids)


def _touched(session: Session) -> set[int]:
    ids: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Document) and obj.id is not None:
            ids.add(obj.id)
        elif isinstance(obj, DocumentFile | DocumentGrant) and obj.document_id is not None:
            ids.add(obj.document_id)
    return ids


@event.listens_for(Session, "after_flush")
def _remember(session: Session, flush_context: Any) -> None:
    pending = session.info.setdefault(_QUEUED, set())
    pending.update(_touched(session))


@event.listens_for(Session, "before_commit")
def _queue(session: Session) -> None:
    if not has_app_context():  # a session of a script without the app: nothing to queue for
        return
    if session.new or session.dirty or session.deleted:
        session.flush()
    pending: set[int] = session.info.pop(_QUEUED, set())
    if pending:
        outbox.enqueue(INDEX, {"document_ids": sorted(pending)})
        session.flush()


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_QUEUED, None)


def queue_all_if_new(batch: int = 500) -> int:
    """When the index was just made empty (a new deployment, or fields that changed), queue every document
    for indexing through the outbox; how many were queued."""
    if not search_index().ensure_open():
        return 0
    ids = all_document_ids()
    for start in range(0, len(ids), batch):
        outbox.enqueue(INDEX, {"document_ids": ids[start : start + batch]})
    db.session.commit()
    return len(ids)
