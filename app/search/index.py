"""The Whoosh index on disk: opened once per process, written by one writer at a time, searched through one
searcher kept open until the index changes (opening one costs about 100 ms at 100,000 documents).

Whoosh allows one writer per index; a second raises LockError at once. Writers here wait for the lock
(`writing`), so a worker and a reindex, or two workers, take turns instead of failing. A writer killed in the
middle of a batch leaves the index as it was at its last commit, and its lock file behind: Whoosh's lock is
an fcntl lock, released by the kernel with the process, so the next writer takes it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, current_app
from whoosh import index as windex
from whoosh.codec.whoosh3 import W3Codec
from whoosh.index import Index, LockError
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from .engine import PostingsCache, SegmentArrays, Snapshot
from .schema import SCHEMA_VERSION, make_schema

INDEX_NAME = "documents"
VERSION_FILE = "schema-version"


def codec() -> W3Codec:
    """How the postings are written: in blocks of 1,024 (Whoosh's default is 128), zlib level 3. A search reads a
    term's postings whole (engine.py): bigger blocks are read 1.7 times faster and the index is a sixth smaller
    (10,000 generated documents: 0.083 against 0.144 µs a posting, 27 against 32 MB); a block of any size is read
    by any reader, so an index written with the default stays readable."""
    return W3Codec(blocklimit=1024, compression=3)


class SearchIndex:
    """One index directory, shared by the threads of a process."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._lock = threading.Lock()
        self._index: Index | None = None
        self._searcher: Searcher | None = None
        self.started_empty = False  # this process made the index anew: documents may be missing from it
        self._segments: dict[str, SegmentArrays] = {}  # what was read from each segment, by segment id
        self._postings = PostingsCache()
        self._snapshot: Snapshot | None = None

    def _open(self) -> Index:
        if self._index is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            version = self.directory / VERSION_FILE
            current = version.is_file() and version.read_text().strip() == str(SCHEMA_VERSION)
            if current and windex.exists_in(str(self.directory), indexname=INDEX_NAME):
                self._index = windex.open_dir(str(self.directory), indexname=INDEX_NAME)
            else:
                # No index yet, or one of other fields: start empty; everything is to be indexed again.
                self._index = windex.create_in(str(self.directory), make_schema(), indexname=INDEX_NAME)
                version.write_text(f"{SCHEMA_VERSION}\n")
                self.started_empty = True
        return self._index

    def searcher(self) -> Searcher:
        """A searcher of the latest commit (refreshed when the index changed since it was opened)."""
        with self._lock:
            index = self._open()
            if self._searcher is not None and not self._searcher.up_to_date():
                # Opened anew, not `refresh()`ed: a refreshed searcher reuses the readers of unchanged segments
                # and misses the deletions made in them since (an updated document would count twice). Not
                # closed here: another thread may be reading through it; it closes when the last one lets go.
                self._searcher = None
            if self._searcher is None:
                self._searcher = index.searcher()
            return self._searcher

    @contextmanager
    def writing(
        self, wait_seconds: float = 60.0, merge: bool = True, optimize: bool = False, procs: int = 1
    ) -> Iterator[IndexWriter]:
        """A writer, once the index's lock is free (InterruptedError after `wait_seconds`); committed when the
        block ends (small segments merged unless `merge` is false, all of them with `optimize`), cancelled when
        it raises."""
        index = self._open()
        deadline = time.monotonic() + wait_seconds
        delay = 0.05
        while True:
            try:
                writer = index.writer(procs=procs, multisegment=procs > 1, codec=codec())
                break
            except LockError:
                if time.monotonic() > deadline:
                    raise InterruptedError("the search index stayed locked by another writer") from None
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        writer.commit(merge=merge, optimize=optimize)

    def optimize(self) -> None:
        """Every segment merged into one (after a rebuild): the fastest index to search."""
        with self.writing(optimize=True):
            pass

    def snapshot(self) -> Snapshot:
        """The latest commit as arrays, for a search (made once per commit; what was read from the segments it
        shares with the previous commit is kept)."""
        searcher = self.searcher()
        with self._lock:
            if self._snapshot is None or self._snapshot.searcher is not searcher:
                self._snapshot = Snapshot(searcher, self._segments, self._postings)
                current = {segment_id for segment_id, _, _ in self._snapshot.leaves}
                for gone in set(self._segments) - current:
                    del self._segments[gone]
                self._postings.forget_segments(current)
            return self._snapshot

    def clear(self) -> None:
        """Start again with an empty index (reindex from scratch)."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self._snapshot = None
            self.directory.mkdir(parents=True, exist_ok=True)
            self._index = windex.create_in(str(self.directory), make_schema(), indexname=INDEX_NAME)
            (self.directory / VERSION_FILE).write_text(f"{SCHEMA_VERSION}\n")

    def ensure_open(self) -> bool:
        """Open (or make) the index; True when it was made empty by this call."""
        with self._lock:
            was_open = self._index is not None
            self._open()
            return not was_open and self.started_empty


def index_directory(app: Flask) -> Path:
    configured = app.config.get("SEARCH_INDEX_DIR") or os.path.join(app.instance_path, "search-index")
    return Path(configured)


def search_index() -> SearchIndex:
    """The app's index (one per app, made on first use)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get("search_index")
    if found is None:
        found = app.extensions.setdefault("search_index", SearchIndex(index_directory(app)))
    return found
