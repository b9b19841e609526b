"""Storing and reading blobs, and keeping the store and the database in agreement."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from ..extensions import db, insert_or_ignore, read_before_writing, utcnow
from .errors import BlobCorrupt, BlobMissing
from .models import Blob
from .s3 import BlobStore, S3BlobStore


def make_store(config: dict) -> S3BlobStore:
    return S3BlobStore(
        config["S3_ENDPOINT"],
        config["S3_ACCESS_KEY"],
        config["S3_SECRET_KEY"],
        config["S3_BUCKET"],
        secure=config["S3_SECURE"],
        region=config.get("S3_REGION"),
        timeout=config["S3_TIMEOUT_SECONDS"],
    )


def current_store() -> BlobStore:
    return current_app.extensions["blob_store"]


@dataclass(frozen=True)
class PutBlob:
    """Bytes that are in the store; the row that records them is written in the request's transaction."""

    sha256: str
    size: int
    content_type: str


def put_blob(data: bytes, content_type: str, filename: str, store: BlobStore | None = None) -> PutBlob:
    """Put bytes in the store under their SHA-256 (never rewriting an object that is there). No database work.

    Called before the transaction that references the blob, so no database lock is held during network I/O.
    """
    sha256 = hashlib.sha256(data).hexdigest()
    (store or current_store()).put(data, sha256, content_type, filename, look_first=_referenced(sha256))
    return PutBlob(sha256, len(data), content_type)


def _referenced(sha256: str) -> bool:
    """Whether a committed row references this blob (asked before the write transaction starts).

    New content (no row) is written without first asking the store whether it is there: one round trip
    instead of two. Known content is looked for, so that a blob lost from the store is put back.
    """
    return bool(read_before_writing(sa.select(Blob.sha256).where(Blob.sha256 == sha256)))


def record_blob(put: PutBlob) -> None:
    """Insert the blob's row if it is not there yet (two uploads of the same bytes share one row)."""
    db.session.execute(
        insert_or_ignore(
            Blob.__table__,
            {"sha256": put.sha256, "size": put.size, "content_type": put.content_type, "created_at": utcnow()},
        )
    )


def store_blob(data: bytes, content_type: str, filename: str, store: BlobStore | None = None) -> Blob:
    """Put the bytes in the store first, then add the referencing row to the session.

    Order matters: a crash between the two leaves only an unreferenced object (which `storage gc`
    removes), never a row pointing at nothing. The object is never overwritten once there.
    """
    put = put_blob(data, content_type, filename, store)
    record_blob(put)
    blob = db.session.get(Blob, put.sha256)
    assert blob is not None
    return blob


def read_blob(sha256: str, store: BlobStore | None = None) -> bytes:
    """The verified bytes of a blob; BlobCorrupt or BlobMissing when the store disagrees with its name."""
    return (store or current_store()).get(sha256)


@dataclass
class VerifyReport:
    checked: int = 0
    missing: list[str] = field(default_factory=list)
    corrupt: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.corrupt


def verify_blobs(store: BlobStore | None = None) -> VerifyReport:
    """Re-hash every blob the database references and list the missing and the corrupt."""
    store = store or current_store()
    report = VerifyReport()
    for sha256 in db.session.scalars(sa.select(Blob.sha256).order_by(Blob.sha256)):
        report.checked += 1
        try:
            if store.hash_stored(sha256) != sha256:
                report.corrupt.append(sha256)
        except BlobMissing:
            report.missing.append(sha256)
        except BlobCorrupt:
            report.corrupt.append(sha256)
    return report


def collect_garbage(min_age: timedelta = timedelta(hours=1), store: BlobStore | None = None) -> list[str]:
    """Delete objects that no row references and that are older than `min_age`.

    The age guard protects uploads in flight: their object is written before their row commits.
    """
    store = store or current_store()
    referenced = set(db.session.scalars(sa.select(Blob.sha256)))
    cutoff = utcnow() - min_age
    deleted = []
    for obj in store.list():
        if obj.sha256 in referenced:
            continue
        if obj.last_modified is not None and obj.last_modified > cutoff:
            continue
        # Look again just before deleting: a row committed since the first query may now use it.
        if db.session.scalar(sa.select(sa.func.count()).where(Blob.sha256 == obj.sha256)):
            continue
        store.delete(obj.sha256)
        deleted.append(obj.sha256)
    return deleted
