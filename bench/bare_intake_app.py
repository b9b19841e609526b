"""The intake benchmark's floor served over HTTP: a bare WSGI application (no Flask, no ORM) that does for each
POST what the floor does (bench/onestop.py's intake): it parses the multipart body with werkzeug, puts the scan in
the store with the MinIO SDK and writes the rows a receipt writes with bare SQL in one transaction. Served by the
same gunicorn as the application, it measures what the HTTP server, the upload and the floor's own work cost
together: the most any intake over HTTP could do on this machine.

Configured from the environment: BARE_DATABASE_URL (psycopg's form), BARE_BUCKET and the app's S3_* settings.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import threading
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.formparser import parse_form_data

_local = threading.local()
_shared: dict[str, Any] = {}
_setup = threading.Lock()


def _store_and_desk() -> tuple[Any, dict[str, Any]]:
    with _setup:
        if not _shared:
            from minio import Minio

            from bench.onestop import _desk

            secure = os.environ.get("S3_SECURE", "0") in {"1", "true", "yes", "on"}
            _shared["store"] = Minio(
                os.environ["S3_ENDPOINT"],
                access_key=os.environ["S3_ACCESS_KEY"],
                secret_key=os.environ["S3_SECRET_KEY"],
                secure=secure,
            )
            _shared["desk"] = _desk(os.environ["BARE_DATABASE_URL"])
    return _shared["store"], _shared["desk"]


def _connection() -> Any:
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        import psycopg

        conn = _local.conn = psycopg.connect(os.environ["BARE_DATABASE_URL"])
    return conn


def _answer(start_response: Callable[..., Any], status: str, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    from bench.onestop import _bare_receipt

    if environ["REQUEST_METHOD"] != "POST":
        return _answer(start_response, "200 OK", {"status": "ok"})
    _, form, files = parse_form_data(environ)
    json.loads(form["dossier"])  # read as the application reads it
    scan = files["paper_0"].read()
    store, desk = _store_and_desk()
    digest = "h" + hashlib.sha256(scan).hexdigest()[1:]  # apart from the application's and the floor's rows
    store.put_object(os.environ["BARE_BUCKET"], digest, io.BytesIO(scan), len(scan), content_type="application/pdf")
    _bare_receipt(_connection(), desk, digest, len(scan))
    return _answer(start_response, "201 Created", {"sha256": digest})
