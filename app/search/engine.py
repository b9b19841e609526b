"""A compiled query evaluated over the whole index at once, with arrays.

Whoosh walks its matchers one document at a time in Python: a common word in 100,000 documents took it most of a
second, and the total and the facets need every match, not just the best page, so its block skipping cannot help.
Here Whoosh still analyses, writes and stores the index; a search reads each of its terms' postings a block at a
time into numpy arrays (kept per segment: a segment never changes once written) and evaluates the query tree on
arrays as long as the index has documents: a match mask and a BM25F score per document, with the same formula,
statistics and field boosts as Whoosh's own scorer, so the order is the one Whoosh would give when it scores
every match. Filters are masks (from the postings of their terms, or the sortable columns), facets are
`bincount`s of the facet columns over the matches.

The query nodes evaluated are the ones query.py compiles (terms, prefixes, and, or, and-maybe, not, every) and the
filters' day and year ranges; any other is refused (TypeError), so that a new kind of node cannot slip in
unscored.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching import FilterMatcher
from whoosh.reading import SegmentReader
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

# Whoosh's length byte -> the length it stands for (its lengths are stored lossily in one byte).
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


@dataclass
class Postings:
    """One term's postings in one segment: document numbers (within the segment) and weights."""

    docs: np.ndarray  # int32
    weights: np.ndarray  # float32: what the codec stores (a score is computed in float64 from it, as Whoosh's)

    @property
    def nbytes(self) -> int:
        return int(self.docs.nbytes + self.weights.nbytes)


def read_postings(reader: SegmentReader, fieldname: str, btext: bytes) -> Postings:
    """A term's postings in one segment, deleted documents included, read a block at a time (the codec's own
    block layout); an empty one when the segment does not have the term."""
    if (fieldname, btext) not in reader:
        return Postings(np.empty(0, np.int32), np.empty(0, np.float32))
    matcher = reader.postings(fieldname, btext)
    if isinstance(matcher, FilterMatcher):
        # A segment with deletions wraps its postings to leave the deleted out: read them all (a snapshot's
        # live mask leaves them out, and the postings stay right when more are deleted).
        matcher = matcher.child
        matcher.reset()  # from its first posting (the wrapper moved it past a deleted one)
    docs: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    if isinstance(matcher, W3LeafMatcher) and hasattr(matcher, "_read_data"):
        while matcher.is_active():
            matcher._read_data()
            raw_ids, raw_weights = matcher._data[0], matcher._data[1]
            count = matcher._blocklength
            ids = np.asarray(raw_ids, dtype=np.int64)
            docs.append(ids if matcher._byteids else np.cumsum(ids))  # the ids are stored as deltas
            if raw_weights is None:
                weights.append(np.ones(count, np.float64))
            elif isinstance(raw_weights, float):
                weights.append(np.full(count, raw_weights, np.float64))
            else:
                weights.append(np.asarray(raw_weights, dtype=np.float64))
            matcher._next_block()
    else:  # another codec: the matcher's public walk, one posting at a time
        found_ids, found_weights = [], []
        while matcher.is_active():
            found_ids.append(matcher.id())
            found_weights.append(matcher.weight())
            matcher.next()
        docs.append(np.asarray(found_ids, dtype=np.int64))
        weights.append(np.asarray(found_weights, dtype=np.float64))
    if not docs:
        return Postings(np.empty(0, np.int32), np.empty(0, np.float32))
    return Postings(np.concatenate(docs).astype(np.int32), np.concatenate(weights).astype(np.float32))


class SegmentArrays:
    """What is read from one segment, kept while the segment is part of the index: the postings of the terms
    asked for (least recently used dropped past a byte budget shared by the index), field lengths and columns."""

    def __init__(self, reader: SegmentReader) -> None:
        self.reader = reader
        self.size = reader.doc_count_all()
        self.lengths: dict[str, np.ndarray] = {}
        self.columns: dict[str, tuple[np.ndarray, list[object]]] = {}

    def field_lengths(self, fieldname: str) -> np.ndarray:
        found = self.lengths.get(fieldname)
        if found is None:
            raw = np.zeros(self.size, np.uint8)
            perdoc = getattr(self.reader, "_perdoc", None)
            lenfield = _lenfield(fieldname)
            if perdoc is not None and perdoc.has_column(lenfield):
                column = perdoc.column_reader(lenfield, LENGTHS_COLUMN)
                values = np.frombuffer(bytes(column.load()), dtype=np.uint8)
                raw[: min(len(values), self.size)] = values[: self.size]
            found = self.lengths[fieldname] = _LENGTH_OF_BYTE[raw]
        return found

    def column(self, fieldname: str) -> tuple[np.ndarray, list[object]]:
        """A sortable field's values: a code per document and the values the codes stand for."""
        found = self.columns.get(fieldname)
        if found is None:
            values: list[object] = list(self.reader.column_reader(fieldname))
            labels: dict[object, int] = {}
            codes = np.fromiter((labels.setdefault(v, len(labels)) for v in values), dtype=np.int64, count=len(values))
            found = self.columns[fieldname] = (codes, list(labels))
        return found


class PostingsCache:
    """The postings read, per (segment, field, term), least recently used dropped past `max_bytes`."""

    def __init__(self, max_bytes: int = 256_000_000) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple[str, str, bytes], Postings] = OrderedDict()
        self._bytes = 0
        # Held while anything reads the index's files: a segment's files are single file objects, read with
        # seek-then-read, shared by the threads.
        self.lock = threading.RLock()

    def get(self, segment_id: str, reader: SegmentReader, fieldname: str, btext: bytes) -> Postings:
        key = (segment_id, fieldname, btext)
        with self.lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
            found = read_postings(reader, fieldname, btext)
            self._entries[key] = found
            self._bytes += found.nbytes
            while self._bytes > self.max_bytes and len(self._entries) > 1:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.nbytes
            return found

    def forget_segments(self, keep: Iterable[str]) -> None:
        kept = set(keep)
        with self.lock:
            for key in [k for k in self._entries if k[0] not in kept]:
                self._bytes -= self._entries.pop(key).nbytes


@dataclass
class Evaluated:
    """A query's matches over the whole index (by document number) and their scores (0 where no match)."""

    matched: np.ndarray  # bool
    scores: np.ndarray  # float64


class Snapshot:
    """One commit of the index as arrays: its segments in document-number order, the live documents, and the
    query evaluation over them."""

    def __init__(self, searcher: Searcher, segments: dict[str, SegmentArrays], postings: PostingsCache) -> None:
        self.searcher = searcher
        self.postings_cache = postings
        self.leaves: list[tuple[str, SegmentArrays, int]] = []
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            if not isinstance(reader, SegmentReader):
                continue  # an index with no segment yet
            segment_id = reader.segment().segment_id()
            arrays = segments.get(segment_id)
            if arrays is None or arrays.size != reader.doc_count_all():
                arrays = segments[segment_id] = SegmentArrays(reader)
            arrays.reader = reader  # this commit's reader (its deletions)
            self.leaves.append((segment_id, arrays, offset))
        self.size = searcher.doc_count_all()
        self.live = np.ones(self.size, dtype=bool)
        for _, arrays, offset in self.leaves:
            deleted = list(arrays.reader.segment().deleted_docs()) if arrays.reader.has_deletions() else []
            if deleted:
                self.live[np.asarray(deleted, dtype=np.int64) + offset] = False
        self.weighting = BM25F()
        self._lengths: dict[str, np.ndarray] = {}
        self._columns: dict[str, tuple[np.ndarray, list[object]]] = {}
        self._lock = postings.lock

    # --- What the segments hold, over the whole index ---

    def term(self, fieldname: str, text: object) -> tuple[np.ndarray, np.ndarray]:
        """A term's postings over the whole index: global document numbers and weights."""
        field = self.searcher.schema[fieldname]
        btext = text if isinstance(text, bytes) else field.to_bytes(text)
        docs, weights = [], []
        for segment_id, arrays, offset in self.leaves:
            found = self.postings_cache.get(segment_id, arrays.reader, fieldname, btext)
            if len(found.docs):
                docs.append(found.docs.astype(np.int64) + offset)
                weights.append(found.weights.astype(np.float64))
        if not docs:
            return np.empty(0, np.int64), np.empty(0, np.float64)
        return np.concatenate(docs), np.concatenate(weights)

    def lengths(self, fieldname: str) -> np.ndarray:
        with self._lock:
            found = self._lengths.get(fieldname)
            if found is None:
                parts = [arrays.field_lengths(fieldname) for _, arrays, _ in self.leaves]
                found = self._lengths[fieldname] = np.concatenate(parts) if parts else np.empty(0)
            return found

    def column(self, fieldname: str) -> tuple[np.ndarray, list[object]]:
        """A sortable field over the whole index: a code per document and the values of the codes."""
        with self._lock:
            found = self._columns.get(fieldname)
            if found is None:
                labels: dict[object, int] = {}
                parts = []
                for _, arrays, _ in self.leaves:
                    codes, values = arrays.column(fieldname)
                    remap = np.fromiter((labels.setdefault(v, len(labels)) for v in values), np.int64, len(values))
                    parts.append(remap[codes] if len(codes) else codes)
                codes = np.concatenate(parts) if parts else np.empty(0, np.int64)
                found = self._columns[fieldname] = (codes, list(labels))
            return found

    def stored_ids(self, docnums: list[int]) -> list[int]:
        """The database ids of these documents."""
        with self._lock:
            return [int(self.searcher.stored_fields(d)["id"]) for d in docnums]

    def values(self, fieldname: str) -> np.ndarray:
        """A numeric sortable field's value per document."""
        codes, labels = self.column(fieldname)
        table = np.asarray([label if isinstance(label, int | float) else 0 for label in labels], dtype=np.int64)
        return table[codes] if len(table) else np.zeros(self.size, np.int64)

    # --- Evaluation ---

    def _empty(self) -> Evaluated:
        return Evaluated(np.zeros(self.size, dtype=bool), np.zeros(self.size, dtype=np.float64))

    def _term(self, query: wq.Term, scored: bool) -> Evaluated:
        found = self._empty()
        docs, weights = self.term(query.fieldname, query.text)
        if not len(docs):
            return found
        found.matched[docs] = True
        field = self.searcher.schema[query.fieldname]
        if not scored:
            return found
        if field.scorable:
            with self._lock:  # the term's statistics are read from the index's files
                idf = self.searcher.idf(query.fieldname, query.text)
                average = self.searcher.avg_field_length(query.fieldname) or 1
            b, k1 = self.weighting.B, self.weighting.K1
            lengths = self.lengths(query.fieldname)[docs]
            score = idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / average)))
        else:
            score = weights
        found.scores[docs] = score * query.boost
        return found

    def _prefix(self, query: wq.Prefix, scored: bool) -> Evaluated:
        with self._lock:
            words = list(self.searcher.reader().expand_prefix(query.fieldname, query.text))
        terms = [wq.Term(query.fieldname, word, boost=query.boost) for word in words]
        if not terms:
            return self._empty()
        return self.evaluate(wq.Or(terms), scored)

    def evaluate(self, query: wq.Query, scored: bool = True) -> Evaluated:
        """The documents the query matches and their scores (Whoosh's: a sum over the parts that match)."""
        if isinstance(query, wq.Term):
            return self._term(query, scored)
        if isinstance(query, wq.Or):
            found = self._empty()
            for sub in query.subqueries:
                part = self.evaluate(sub, scored)
                found.matched |= part.matched
                found.scores += part.scores
            found.scores *= query.boost
            return found
        if isinstance(query, wq.AndMaybe):
            required, optional = self.evaluate(query.a, scored), self.evaluate(query.b, scored)
            required.scores += np.where(required.matched, optional.scores, 0.0)
            required.scores *= query.boost
            return required
        if isinstance(query, wq.And):
            found = Evaluated(self.live.copy(), np.zeros(self.size, dtype=np.float64))
            for sub in query.subqueries:
                part = self.evaluate(sub, scored)
                found.matched &= part.matched
                found.scores += part.scores
            found.scores = np.where(found.matched, found.scores * query.boost, 0.0)
            return found
        if isinstance(query, wq.Not):  # every live document but the query's, each scoring the boost (as Whoosh)
            matched = self.live & ~self.evaluate(query.query, scored=False).matched
            return Evaluated(matched, np.where(matched, query.boost, 0.0))
        if isinstance(query, wq.Every):
            return Evaluated(self.live.copy(), np.where(self.live, query.boost, 0.0))
        if isinstance(query, wq.Prefix):
            return self._prefix(query, scored)
        if isinstance(query, wq.NumericRange) and query.fieldname in ("day", "year"):
            values = self.values(query.fieldname)
            matched = self.live.copy()
            if query.start is not None:
                matched &= values > query.start if query.startexcl else values >= query.start
            if query.end is not None:
                matched &= values < query.end if query.endexcl else values <= query.end
            return Evaluated(matched, np.zeros(self.size, dtype=np.float64))
        if isinstance(query, type(wq.NullQuery)):
            return self._empty()
        raise TypeError(f"no array form for {type(query).__name__} (query.py does not compile it)")

    def matching(self, query: wq.Query, filters: list[wq.Query]) -> Evaluated:
        """The live documents the query and every filter match, with the query's scores."""
        found = self.evaluate(query)
        found.matched &= self.live
        for sub in filters:
            found.matched &= self.evaluate(sub, scored=False).matched
        return found

    def facets(self, matched: np.ndarray, fields: dict[str, str]) -> dict[str, dict[str, int]]:
        """How many matches carry each value of each facet (most first; empty values left out)."""
        found: dict[str, dict[str, int]] = {}
        for name, fieldname in fields.items():
            codes, labels = self.column(fieldname)
            counts = np.bincount(codes[matched], minlength=len(labels))
            order = np.argsort(-counts, kind="stable")
            found[name] = {
                str(labels[i]): int(counts[i]) for i in order if counts[i] and labels[i] not in (None, "", 0)
            }
        return found

    def best(self, found: Evaluated, count: int, by_day: bool = False, reverse: bool = False) -> list[int]:
        """The document numbers of the best `count` matches: by score (ties by document number), or by day."""
        docs = np.flatnonzero(found.matched)
        if not len(docs) or count <= 0:
            return []
        if by_day:
            days = self.values("day")[docs]
            order = np.lexsort((docs, -days if reverse else days))
            return [int(d) for d in docs[order[:count]]]
        scores = found.scores[docs]
        if len(docs) > count:
            cut = np.argpartition(-scores, count - 1)[:count]
            threshold = scores[cut].min()
            keep = scores >= threshold  # every tie of the last one, so that ties go by document number
            docs, scores = docs[keep], scores[keep]
        order = np.lexsort((docs, -scores))
        return [int(d) for d in docs[order[:count]]]
