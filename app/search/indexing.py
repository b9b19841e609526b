"""Keeping the index current: every committed change to a document or its files queues its re-indexing in the
outbox, in the same transaction, and the worker does it. A change that rolls back queues nothing; a worker
that dies before committing the index leaves the outbox row to be claimed again. A savepoint that rolls back
drops only the changes made inside it (app/at_commit.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from .. import outbox
from ..at_commit import AtCommit
from ..documents.models import Document, DocumentFile, DocumentGrant
from ..extensions import db
from .index import search_index
from .service import all_document_ids, documents_to_index, extract_missing, indexed_documents

INDEX = "search.index"


@outbox.handler(INDEX)
def _index_queued(payload: dict[str, Any]) -> None:
    index_documents([int(i) for i in payload["document_ids"]])


def extract_and_keep(ids: list[int]) -> list[Document]:
    """These documents, their files' texts extracted where missing and kept (OCR may take seconds: the caller
    holds no write lock meanwhile)."""
    docs = documents_to_index(ids)
    texts = extract_missing(docs)
    if texts:
        for row in texts:
            db.session.merge(row)  # another worker may have extracted the same file meanwhile
        db.session.commit()
        docs = documents_to_index(ids)
    return docs


def _entries(ids: list[int], extract: bool = True) -> tuple[list[dict[str, object]], set[int]]:
    """The index's fields of these documents (their files' texts extracted first where missing, unless that was
    just done), and the ids of those gone. No transaction is left open."""
    docs = extract_and_keep(ids) if extract else documents_to_index(ids)
    entries = [doc.fields() for doc in indexed_documents(docs)]
    gone = set(ids) - {doc.id for doc in docs}
    db.session.rollback()
    return entries, gone


def index_documents(ids: list[int]) -> int:
    """Bring these documents' entries up to date (a document gone is taken out); how many were written."""
    entries, gone = _entries(ids)
    with search_index().writing() as writer:
        for document_id in sorted(gone):
            writer.delete_by_term("id", str(document_id))
        for fields in entries:
            writer.update_document(**fields)
    return len(entries) + len(gone)


def reindex(progress: Callable[[int], None] | None = None, segment_size: int = 10_000, chunk: int = 500) -> int:
    """Rebuild the index from the database and the store: an empty index, then every document.

    The documents are written `segment_size` at a time, each such part committed as a segment of its own and
    left unmerged (a rebuild killed halfway keeps what it committed; running it again or the worker's catching
    up finishes it). Merged after every small batch instead, the first documents would be rewritten again and
    again; and segments this large are left alone by the merges of later small commits. The files' texts are
    extracted before a part's writer is opened, so OCR holds no lock; the database is read `chunk` documents at
    a time."""
    ids = all_document_ids()
    db.session.rollback()
    index = search_index()
    index.clear()
    for start in range(0, len(ids), segment_size):
        part = ids[start : start + segment_size]
        chunks = [part[i : i + chunk] for i in range(0, len(part), chunk)]
        for some in chunks:
            extract_and_keep(some)
        with index.writing(merge=False) as writer:
            for some in chunks:
                entries, _ = _entries(some, extract=False)
                for fields in entries:
                    writer.update_document(**fields)
                if progress is not None:
                    progress(len(some))
    return len(ids)


def _touched(session: Session) -> set[int]:
    ids: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Document) and obj.id is not None:
            ids.add(obj.id)
        elif isinstance(obj, DocumentFile | DocumentGrant) and obj.document_id is not None:
            ids.add(obj.document_id)
    return ids


def _queue(session: Session, batches: list[set[int]]) -> None:
    if not has_app_context():  # a session of a script without the app: nothing to queue for
        return
    ids = set().union(*batches)
    if ids:
        outbox.enqueue(INDEX, {"document_ids": sorted(ids)})
        session.flush()


_changed = AtCommit("search.index", _queue)


@event.listens_for(Session, "after_flush")
def _remember(session: Session, flush_context: Any) -> None:
    touched = _touched(session)
    if touched:
        _changed.add(session, touched)


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
