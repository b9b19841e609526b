"""The object store: content-addressed, verified on every read, never overwritten, checked and tidied."""

from __future__ import annotations

import hashlib
import io
import time
import uuid
from datetime import timedelta

import pytest
from minio import Minio

from tests.support import make_pdf


@pytest.fixture
def own_bucket_app(app_factory):  # type: ignore[no-untyped-def]
    """An app with a bucket of its own, for tests that tamper with stored objects."""
    return app_factory(S3_BUCKET=f"own-{uuid.uuid4().hex[:12]}")


@pytest.fixture
def raw(s3_server) -> Minio:  # type: ignore[no-untyped-def]
    """A bare client, to play the part of someone who changes the store behind the application's back."""
    return Minio(s3_server.endpoint, s3_server.access_key, s3_server.secret_key, secure=s3_server.secure)


def _key(sha: str) -> str:
    return f"sha256/{sha[:2]}/{sha}"


def _overwrite(raw: Minio, bucket: str, sha: str, data: bytes) -> None:
    raw.put_object(bucket, _key(sha), io.BytesIO(data), len(data))


def test_a_blob_is_stored_under_its_sha256_with_its_type_and_original_name(own_bucket_app, raw) -> None:  # type: ignore[no-untyped-def]
    from app.extensions import db
    from app.storage.service import read_blob, store_blob

    data = b"%PDF-1.4 unique " + uuid.uuid4().bytes
    with own_bucket_app.app_context():
        blob = store_blob(data, "application/pdf", "Quyết định số 5.pdf")
        db.session.commit()
        assert blob.sha256 == hashlib.sha256(data).hexdigest()
        assert read_blob(blob.sha256) == data
    stat = raw.stat_object(own_bucket_app.config["S3_BUCKET"], _key(blob.sha256))
    assert stat.content_type == "application/pdf"
    meta = {k.lower(): v for k, v in stat.metadata.items()}
    from urllib.parse import unquote

    assert unquote(meta["x-amz-meta-filename"]) == "Quyết định số 5.pdf"


def test_the_bucket_is_created_when_missing(app_factory, raw) -> None:  # type: ignore[no-untyped-def]
    bucket = f"new-{uuid.uuid4().hex[:12]}"
    assert not raw.bucket_exists(bucket)
    app = app_factory(S3_BUCKET=bucket)
    from app.storage.service import store_blob

    with app.app_context():
        store_blob(b"hello", "text/plain", "a.txt")
    assert raw.bucket_exists(bucket)


def test_storing_the_same_bytes_again_never_rewrites_the_original(own_bucket_app, raw) -> None:  # type: ignore[no-untyped-def]
    from app.extensions import db
    from app.storage.service import store_blob

    data = uuid.uuid4().bytes * 100
    bucket = own_bucket_app.config["S3_BUCKET"]
    with own_bucket_app.app_context():
        blob = store_blob(data, "application/octet-stream", "first.bin")
        db.session.commit()  # now a row references it: it is an original
        first = raw.stat_object(bucket, _key(blob.sha256))
        time.sleep(1.1)
        store_blob(data, "application/pdf", "second-name.pdf")
    second = raw.stat_object(bucket, _key(blob.sha256))
    assert second.last_modified == first.last_modified
    assert second.content_type == "application/octet-stream"


def test_a_referenced_blob_lost_from_the_store_is_put_back_by_the_next_upload(own_bucket_app, raw) -> None:  # type: ignore[no-untyped-def]
    from app.extensions import db
    from app.storage.service import read_blob, store_blob

    data = b"kept " + uuid.uuid4().bytes
    with own_bucket_app.app_context():
        sha = store_blob(data, "text/plain", "a.txt").sha256
        db.session.commit()
        raw.remove_object(own_bucket_app.config["S3_BUCKET"], _key(sha))
        store_blob(data, "text/plain", "a.txt")
        assert read_blob(sha) == data


def test_a_blob_changed_in_the_store_is_refused_on_read(own_bucket_app, raw) -> None:  # type: ignore[no-untyped-def]
    from app.storage.errors import BlobCorrupt
    from app.storage.service import read_blob, store_blob

    data = b"original " + uuid.uuid4().bytes
    with own_bucket_app.app_context():
        blob = store_blob(data, "text/plain", "a.txt")
        _overwrite(raw, own_bucket_app.config["S3_BUCKET"], blob.sha256, b"forged  " + uuid.uuid4().bytes)
        with pytest.raises(BlobCorrupt):
            read_blob(blob.sha256)


def test_a_tampered_file_is_not_served_through_the_api(app_factory, world, raw) -> None:  # type: ignore[no-untyped-def]
    from tests.support import PASSWORD, ApiClient

    app = app_factory(S3_BUCKET=f"own-{uuid.uuid4().hex[:12]}")
    clerk = ApiClient.login(app, "clerk_a", PASSWORD)
    pdf = make_pdf(f"Tamper {uuid.uuid4().hex}")
    doc = clerk.register(pdf).get_json()
    file = doc["files"][0]
    _overwrite(raw, app.config["S3_BUCKET"], file["sha256"], pdf.replace(b"Tamper", b"Xamper"))
    response = clerk.get(file["url"])
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "integrity_error"
    assert b"Xamper" not in response.data


def test_storage_verify_lists_the_missing_and_the_corrupt_and_exits_1(own_bucket_app, raw) -> None:  # type: ignore[no-untyped-def]
    from app.extensions import db
    from app.storage.service import store_blob

    bucket = own_bucket_app.config["S3_BUCKET"]
    with own_bucket_app.app_context():
        good = store_blob(b"good " + uuid.uuid4().bytes, "text/plain", "good.txt").sha256
        lost = store_blob(b"lost " + uuid.uuid4().bytes, "text/plain", "lost.txt").sha256
        bad = store_blob(b"bad " + uuid.uuid4().bytes, "text/plain", "bad.txt").sha256
        db.session.commit()
    runner = own_bucket_app.test_cli_runner()
    clean = runner.invoke(args=["storage", "verify"])
    assert clean.exit_code == 0, clean.output
    assert "checked 3 blobs: 0 missing, 0 corrupt" in clean.output

    raw.remove_object(bucket, _key(lost))
    _overwrite(raw, bucket, bad, b"not what was stored")
    result = runner.invoke(args=["storage", "verify"])
    assert result.exit_code == 1
    assert f"MISSING {lost}" in result.output
    assert f"CORRUPT {bad}" in result.output
    assert good not in result.output


def test_storage_gc_deletes_only_old_unreferenced_blobs(own_bucket_app, raw) -> None:  # type: ignore[no-untyped-def]
    from app.extensions import db
    from app.storage.service import collect_garbage, current_store, store_blob

    bucket = own_bucket_app.config["S3_BUCKET"]
    with own_bucket_app.app_context():
        kept = store_blob(b"referenced " + uuid.uuid4().bytes, "text/plain", "kept.txt").sha256
        db.session.commit()
        orphan_data = b"orphan " + uuid.uuid4().bytes
        orphan = hashlib.sha256(orphan_data).hexdigest()
        current_store().put(orphan_data, orphan, "text/plain", "orphan.txt")  # a crash before the row committed

        assert collect_garbage() == []  # younger than an hour: maybe an upload in flight
        assert raw.stat_object(bucket, _key(orphan))

        assert collect_garbage(min_age=timedelta(0)) == [orphan]
    names = {o.object_name for o in raw.list_objects(bucket, prefix="sha256/", recursive=True)}
    assert names == {_key(kept)}


def test_storage_gc_command_reports_what_it_deleted(own_bucket_app) -> None:  # type: ignore[no-untyped-def]
    from app.storage.service import current_store

    data = b"orphan " + uuid.uuid4().bytes
    sha = hashlib.sha256(data).hexdigest()
    with own_bucket_app.app_context():
        current_store().put(data, sha, "text/plain", "x.txt")
    result = own_bucket_app.test_cli_runner().invoke(args=["storage", "gc", "--min-age-minutes", "0"])
    assert result.exit_code == 0, result.output
    assert f"deleted {sha}" in result.output
    assert "1 unreferenced blobs deleted" in result.output
