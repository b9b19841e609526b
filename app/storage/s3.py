"""The blob store behind the `BlobStore` interface, spoken to through the MinIO SDK only."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from urllib.parse import quote, unquote

import urllib3
from minio import Minio
from minio.error import MinioException, S3Error, ServerError

from .errors import BlobCorrupt, BlobMissing, StorageUnavailable

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredObject:
    sha256: str
    size: int
    last_modified: datetime | None


class BlobStore(Protocol):
    """What the application needs from an object store."""

    def put(self, data: bytes, sha256: str, content_type: str, filename: str, *, look_first: bool = True) -> None: ...
    def get(self, sha256: str) -> bytes: ...
    def hash_stored(self, sha256: str) -> str: ...
    def exists(self, sha256: str) -> bool: ...
    def list(self) -> Iterator[StoredObject]: ...
    def delete(self, sha256: str) -> None: ...
    def ping(self) -> None: ...


_UNAVAILABLE = (urllib3.exceptions.HTTPError, OSError, ServerError)


class S3BlobStore:
    """Blobs keyed `sha256/<2 hex>/<64 hex>` in one bucket; content type and file name in the metadata."""

    def __init__(
        self,
        endpoint: str,
        access_key: str,
        secret_key: str,
        bucket: str,
        *,
        secure: bool = False,
        region: str | None = "us-east-1",
        timeout: float = 5.0,
    ) -> None:
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=timeout, read=timeout * 6),
            maxsize=16,
            retries=urllib3.Retry(total=2, backoff_factor=0.05, status_forcelist=[500, 502, 503, 504]),
        )
        self.client = Minio(
            endpoint, access_key=access_key, secret_key=secret_key, secure=secure, region=region, http_client=http
        )
        self.bucket = bucket
        self._bucket_ready = False

    @staticmethod
    def key(sha256: str) -> str:
        return f"sha256/{sha256[:2]}/{sha256}"

    def _ensure_bucket(self) -> None:
        if self._bucket_ready:
            return
        try:
            if not self.client.bucket_exists(self.bucket):
                try:
                    self.client.make_bucket(self.bucket)
                except S3Error as err:
                    if err.code not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
                        raise
        except _UNAVAILABLE as err:
            raise StorageUnavailable(detail=type(err).__name__) from err
        self._bucket_ready = True

    def ping(self) -> None:
        """Raise StorageUnavailable unless the store answers and the bucket exists (created if missing)."""
        self._bucket_ready = False
        self._ensure_bucket()

    def exists(self, sha256: str) -> bool:
        self._ensure_bucket()
        try:
            self.client.stat_object(self.bucket, self.key(sha256))
        except S3Error as err:
            if err.code in {"NoSuchKey", "NoSuchObject", "NotFound", "ResourceNotFound"}:
                return False
            raise
        except _UNAVAILABLE as err:
            raise StorageUnavailable() from err
        return True

    def put(self, data: bytes, sha256: str, content_type: str, filename: str, *, look_first: bool = True) -> None:
        """Store bytes under their hash. An object already there is never written again.

        `look_first=False` skips the look when the caller knows no row references the name: at most it
        rewrites an unreferenced object with the very same bytes.
        """
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError("sha256 does not match the data")
        if look_first and self.exists(sha256):
            return
        self._ensure_bucket()
        try:
            self.client.put_object(
                self.bucket,
                self.key(sha256),
                io.BytesIO(data),
                len(data),
                content_type=content_type,
                metadata={"filename": quote(filename, safe=""), "sha256": sha256},
            )
        except _UNAVAILABLE as err:
            raise StorageUnavailable() from err

    def _stream(self, sha256: str) -> Iterator[bytes]:
        self._ensure_bucket()
        try:
            response = self.client.get_object(self.bucket, self.key(sha256))
        except S3Error as err:
            if err.code in {"NoSuchKey", "NoSuchObject", "NotFound"}:
                raise BlobMissing(sha256=sha256) from err
            raise
        except _UNAVAILABLE as err:
            raise StorageUnavailable() from err
        try:
            yield from response.stream(CHUNK)
        except _UNAVAILABLE as err:
            raise StorageUnavailable() from err
        finally:
            response.close()
            response.release_conn()

    def get(self, sha256: str) -> bytes:
        """The bytes, re-hashed on the way out: a mismatch raises BlobCorrupt and nothing is returned."""
        buffer = io.BytesIO()
        digest = hashlib.sha256()
        for chunk in self._stream(sha256):
            digest.update(chunk)
            buffer.write(chunk)
        if digest.hexdigest() != sha256:
            raise BlobCorrupt(sha256=sha256)
        return buffer.getvalue()

    def hash_stored(self, sha256: str) -> str:
        """The SHA-256 of what is stored under this name now, read in chunks."""
        digest = hashlib.sha256()
        for chunk in self._stream(sha256):
            digest.update(chunk)
        return digest.hexdigest()

    def metadata(self, sha256: str) -> dict[str, str]:
        self._ensure_bucket()
        try:
            stat = self.client.stat_object(self.bucket, self.key(sha256))
        except _UNAVAILABLE as err:
            raise StorageUnavailable() from err
        meta = {k.lower(): v for k, v in (stat.metadata or {}).items()}
        return {
            "content_type": stat.content_type or "",
            "filename": unquote(meta.get("x-amz-meta-filename", "")),
            "size": str(stat.size),
        }

    def list(self) -> Iterator[StoredObject]:
        self._ensure_bucket()
        try:
            for obj in self.client.list_objects(self.bucket, prefix="sha256/", recursive=True):
                name = obj.object_name or ""
                sha = name.rsplit("/", 1)[-1]
                yield StoredObject(sha256=sha, size=obj.size or 0, last_modified=obj.last_modified)
        except _UNAVAILABLE as err:
            raise StorageUnavailable() from err

    def delete(self, sha256: str) -> None:
        """Only `flask storage gc` calls this, for blobs no row references."""
        try:
            self.client.remove_object(self.bucket, self.key(sha256))
        except _UNAVAILABLE as err:
            raise StorageUnavailable() from err


__all__ = ["BlobStore", "MinioException", "S3BlobStore", "StoredObject"]
