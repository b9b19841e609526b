"""The lookup benchmark's floor served over HTTP: a bare WSGI application (no Flask, no rate limit, no secret check,
no history) that answers GET /api/v1/public/dossiers/<code> with the floor's own SELECT (bench/onestop.py's
LOOKUP_SQL) on a psycopg connection of its thread, as JSON. Served by the same gunicorn to the same clients as the
application, it measures the most any Python lookup over HTTP could do on this machine: what is left between it
and the bare SELECT is the HTTP server, the clients and the driver sharing the same cores, not the application.

Configured from the environment: BARE_DATABASE_URL (psycopg's form).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterable
from typing import Any

_local = threading.local()
PREFIX = "/api/v1/public/dossiers/"


def _connection() -> Any:
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        import psycopg

        conn = _local.conn = psycopg.connect(os.environ["BARE_DATABASE_URL"], autocommit=True)
    return conn


def _answer(start_response: Callable[..., Any], status: str, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body, ensure_ascii=False).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    from bench.onestop import LOOKUP_SQL

    path = environ.get("PATH_INFO", "")
    if not path.startswith(PREFIX):
        return _answer(start_response, "200 OK", {"status": "ok"})  # the readiness check
    row = _connection().execute(LOOKUP_SQL, (path[len(PREFIX) :],)).fetchone()
    if row is None:
        return _answer(start_response, "404 Not Found", {"error": "not found"})
    code, _, status, received_at, appointment_at, procedure_code, procedure_name, applicant = row
    body = {
        "code": code,
        "status": status,
        "received_at": received_at.isoformat(),
        "appointment_at": appointment_at.isoformat() if appointment_at else None,
        "procedure": {"code": procedure_code, "name": procedure_name},
        "applicant": applicant,
        "history": [],
    }
    return _answer(start_response, "200 OK", body)
