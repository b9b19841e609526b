"""Indexing documents and searching them.

A document is (re)indexed by the worker (outbox kind "search.index") after every change that commits; its
text is what its current files say, extracted once per stored file (`BlobText`). A search answers with the
documents the user may open only: the organisation's, less the secret ones not granted to them.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Literal

import sqlalchemy as sa
from flask_babel import gettext
from pydantic import BaseModel, Field
from sqlalchemy.orm import selectinload
from whoosh import query as wq

from ..auth.models import User
from ..documents.models import Document, DocumentGrant
from ..documents.service import readable_by
from ..documents.vocabulary import Secrecy
from ..errors import InvalidInput
from ..extensions import db, utcnow
from ..storage.service import read_blob
from ..validation import OptionalDate, opt_int, opt_line
from .analysis import fold_word, words
from .index import search_index
from .models import BlobText
from .query import compile_query
from .schema import IndexedDocument
from .syntax import All, Node, Not, OneOf, Phrase, QueryTooComplex, QueryTooLong, Word, parse

log = logging.getLogger(__name__)

_FACET_FIELDS = {"document_type": "document_type", "issuer": "issuer_facet", "year": "year", "direction": "direction"}


# --- Text of the files ------------------------------------------------------------------------------------------


def _files_of(doc: Document) -> list[str]:
    return [f.blob_sha256 for f in (doc.main_file, *doc.attachments) if f is not None]


def extract_missing(docs: list[Document]) -> list[BlobText]:
    """The texts of these documents' files not extracted yet (PDF text layer, OCR where a page has none and
    Tesseract is installed; a file that cannot be read is recorded with the reason). Nothing is written: the
    caller adds them, so that no write lock is held while OCR runs."""
    from .extract import extract_text

    hashes = [h for doc in docs for h in _files_of(doc)]
    known = set(db.session.scalars(sa.select(BlobText.blob_sha256).where(BlobText.blob_sha256.in_(set(hashes)))))
    made: list[BlobText] = []
    for sha256 in dict.fromkeys(h for h in hashes if h not in known):
        data = read_blob(sha256)
        if data[:5] != b"%PDF-":
            made.append(BlobText(blob_sha256=sha256, text="", notes="not a PDF: indexed by its metadata"))
            continue
        got = extract_text(data)
        made.append(
            BlobText(
                blob_sha256=sha256,
                text=got.text,
                pages=got.pages,
                text_pages=got.text_pages,
                ocr_pages=got.ocr_pages,
                skipped_pages=got.skipped_pages,
                error=got.error,
                notes="\n".join(got.notes),
                extracted_at=utcnow(),
            )
        )
    return made


def _texts_of(docs: list[Document]) -> dict[int, str]:
    """The text of each document's files as extracted (files not extracted yet count as empty), in one query."""
    hashes = {doc.id: _files_of(doc) for doc in docs}
    wanted = {h for found in hashes.values() for h in found}
    rows = db.session.execute(sa.select(BlobText.blob_sha256, BlobText.text).where(BlobText.blob_sha256.in_(wanted)))
    texts = {sha256: text for sha256, text in rows}
    return {doc_id: "\n\n".join(texts.get(h, "") for h in found) for doc_id, found in hashes.items()}


def _readers_of(docs: list[Document]) -> dict[int, list[int]]:
    """Who may read each secret document besides nobody: the users it was granted to (in one query)."""
    secret = [doc.id for doc in docs if doc.secrecy != Secrecy.NORMAL]
    readers: dict[int, list[int]] = {doc.id: [] for doc in docs}
    if secret:
        granted = sa.select(DocumentGrant.document_id, DocumentGrant.user_id).where(
            DocumentGrant.document_id.in_(secret)
        )
        for document_id, user_id in db.session.execute(granted):
            readers[document_id].append(user_id)
    return {doc_id: sorted(users) for doc_id, users in readers.items()}


def version_of(doc: Document, readers: list[int]) -> str:
    """What the index must hold for the document to be current: its searchable fields, its files and who may
    read it."""
    state = [
        doc.organisation_id,
        doc.secrecy,
        doc.direction,
        doc.document_type,
        doc.urgency,
        str(doc.issued_on or doc.received_on or doc.created_at.date()),
        doc.issuer,
        doc.number,
        doc.notation,
        doc.subject,
        doc.signer_name,
        sorted(_files_of(doc)),
        readers,
    ]
    return hashlib.sha256(json.dumps(state, default=str).encode()).hexdigest()[:32]


def indexed_documents(docs: list[Document]) -> list[IndexedDocument]:
    """What the index is given for each of these documents (their texts and readers read in one query each)."""
    texts, readers = _texts_of(docs), _readers_of(docs)
    return [
        IndexedDocument(
            id=doc.id,
            version=version_of(doc, readers[doc.id]),
            organisation_id=doc.organisation_id,
            secrecy=doc.secrecy,
            direction=doc.direction,
            document_type=doc.document_type,
            urgency=doc.urgency,
            day=doc.issued_on or doc.received_on or doc.created_at.date(),
            issuer=doc.issuer or "",
            number=doc.number or "",
            notation=doc.notation or "",
            subject=doc.subject,
            signer=doc.signer_name or "",
            body=texts[doc.id],
            readers=tuple(readers[doc.id]),
        )
        for doc in docs
    ]


def documents_to_index(ids: list[int]) -> list[Document]:
    """These documents with their files, of any organisation (the ones gone are not in the list)."""
    found = sa.select(Document).where(Document.id.in_(ids)).options(selectinload(Document.files))
    return list(db.session.scalars(found.execution_options(all_organisations=True)))


# --- Searching --------------------------------------------------------------------------------------------------


class SearchInput(BaseModel):
    """The search's parameters, from the query string (others are ignored)."""

    q: Annotated[str, Field(max_length=5000)] = ""
    direction: Literal["incoming", "outgoing"] | None = None
    document_type: opt_line(10) = None
    issuer: opt_line(300) = None
    year: opt_int(1900, 2999) = None
    date_from: OptionalDate = None
    date_to: OptionalDate = None
    urgency: Literal["normal", "urgent", "very_urgent", "express"] | None = None
    page: opt_int(1, 10_000) = None
    per_page: opt_int(1, 100) = None
    sort: Literal["relevance", "date", "date_desc", "date_asc"] | None = None

    @property
    def asks(self) -> bool:
        """Whether it names words or a filter: its order and its page alone ask nothing (a search form sent
        untouched)."""
        return bool(self.model_dump(exclude={"page", "per_page", "sort"}, exclude_none=True, exclude_defaults=True))


@dataclass
class Hit:
    document: Document
    score: float
    snippet: str


@dataclass
class SearchResult:
    items: list[Hit]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


def _filters(actor: User, data: SearchInput) -> list[wq.Query]:
    """What the user may open (the organisation's documents, the secret ones only when granted), and the
    filters asked for."""
    readable = wq.Or([wq.Term("secrecy", str(Secrecy.NORMAL)), wq.Term("readers", str(actor.id))])
    found: list[wq.Query] = [wq.Term("org", str(actor.organisation_id)), readable]
    if data.direction:
        found.append(wq.Term("direction", data.direction))
    if data.document_type:
        found.append(wq.Term("document_type", data.document_type))
    if data.issuer:
        found.append(wq.Term("issuer_facet", data.issuer))
    if data.urgency:
        found.append(wq.Term("urgency", data.urgency))
    if data.year:
        found.append(wq.Term("year", data.year))
    if data.date_from or data.date_to:
        low = _day(data.date_from) if data.date_from else None
        high = _day(data.date_to) if data.date_to else None
        found.append(wq.NumericRange("day", low, high))
    return found


def _day(value: date) -> int:
    return value.year * 10000 + value.month * 100 + value.day


def _terms(node: Node | None) -> list[list[str]]:
    """The words a query looks for (folded), each phrase as one list, for the snippets' highlights."""
    if node is None or isinstance(node, Not):
        return []
    if isinstance(node, Word):
        return [[fold_word(w)] for w in words(node.text)] if node.field in (None, "subject", "body", "issuer") else []
    if isinstance(node, Phrase):
        return [[fold_word(w) for t in node.words for w in words(t)]]
    assert isinstance(node, All | OneOf)
    return [t for child in node.children for t in _terms(child)]


def snippet(text: str, terms: list[list[str]], width: int = 220) -> str:
    """A piece of the text around the first match, the matched words in <mark>, HTML-escaped."""
    flat = {w for group in terms for w in group}
    spans = [(m.start(), m.end()) for m in re.finditer(r"\w+", text) if fold_word(m.group(0).lower()) in flat]
    start = max(0, spans[0][0] - width // 3) if spans else 0
    piece_end = min(len(text), start + width)
    out, at = [], start
    for a, b in spans:
        if a < start or b > piece_end:
            continue
        out.append(html.escape(text[at:a]))
        out.append(f"<mark>{html.escape(text[a:b])}</mark>")
        at = b
    out.append(html.escape(text[at:piece_end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if piece_end < len(text) else ""
    return prefix + "".join(out).replace("\n", " ").strip() + suffix


def search(actor: User, data: SearchInput) -> SearchResult:
    """The documents the user may open that match, best first (or by date), with a snippet each and the
    facets of all the matches."""
    try:
        tree = parse(data.q or "")
    except QueryTooLong as err:
        raise InvalidInput({"q": gettext("The query is too long: at most %(n)s characters.", n=err.args[0])}) from None
    except QueryTooComplex as err:
        raise InvalidInput({"q": gettext("The query has too many parts: at most %(n)s.", n=err.args[0])}) from None
    matcher = compile_query(tree)
    filters = _filters(actor, data)
    has_filters = len(filters) > 2
    if matcher is None:
        if tree is not None or not has_filters:
            raise InvalidInput({"q": gettext("Give at least one word to search for, or a filter.")})
        matcher = wq.Every()
    elif isinstance(matcher, wq.Not):
        matcher = wq.And([wq.Every(), matcher])
    if data.date_from and data.date_to and data.date_from > data.date_to:
        raise InvalidInput({"date_to": gettext("The end of the period comes before its start.")})
    page, per_page = data.page or 1, data.per_page or 20
    snapshot = search_index().snapshot()
    found = snapshot.matching(matcher, filters)
    by_day = data.sort in ("date", "date_desc", "date_asc")
    best = snapshot.best(found, page * per_page, by_day=by_day, reverse=data.sort != "date_asc")
    docnums = best[(page - 1) * per_page :]
    ids = snapshot.stored_ids(docnums)
    scores = {i: float(found.scores[d]) for i, d in zip(ids, docnums, strict=True)}
    # The database has the last word: an entry not yet re-indexed after a grant was withdrawn is not shown.
    docs = {d.id: d for d in db.session.scalars(sa.select(Document).where(Document.id.in_(ids), readable_by(actor)))}
    terms = _terms(tree)
    shown = [docs[i] for i in ids if i in docs]  # a document gone since, or no longer the user's, is left out
    bodies = _texts_of(shown)
    items = [Hit(d, scores[d.id], snippet(d.subject + "\n" + bodies[d.id], terms)) for d in shown]
    total = int(found.matched.sum())
    return SearchResult(items=items, total=total, facets=snapshot.facets(found.matched, _FACET_FIELDS))


# --- Maintenance --------------------------------------------------------------------------------------------------


def all_document_ids() -> list[int]:
    return list(
        db.session.scalars(sa.select(Document.id).order_by(Document.id).execution_options(all_organisations=True))
    )


@dataclass
class IndexCheck:
    missing: list[int]  # in the database, not in the index
    stale: list[int]  # in both, the index's entry older than the document
    extra: list[int]  # in the index, gone from the database

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.extra)


def check_index() -> IndexCheck:
    indexed = {int(f["id"]): f.get("version") for f in search_index().searcher().all_stored_fields()}
    current: dict[int, str] = {}
    ids = all_document_ids()
    for start in range(0, len(ids), 1000):
        docs = documents_to_index(ids[start : start + 1000])
        readers = _readers_of(docs)
        current.update((doc.id, version_of(doc, readers[doc.id])) for doc in docs)
    return IndexCheck(
        missing=sorted(set(current) - set(indexed)),
        stale=sorted(i for i in set(current) & set(indexed) if current[i] != indexed[i]),
        extra=sorted(set(indexed) - set(current)),
    )
