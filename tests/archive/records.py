"""Fixtures and helpers of the records-file tests (imported by each test module, not a conftest, so that the
other archive tests keep their own): registered documents, records files made through the API, audit counts."""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from app.clock import local_today
from tests.support import make_pdf

_numbers = itertools.count(200)
_codes = itertools.count(1)

ARCHIVIST, CLERK, LEADER, SPECIALIST = "archivist_a", "clerk_a", "leader_a", "specialist_a"


@pytest.fixture(name="incoming")
def incoming_fixture(api) -> Callable[..., dict[str, Any]]:  # type: ignore[no-untyped-def]
    """incoming(**fields): an incoming document registered by clerk_a (or `clerk=`), as the API returns it."""

    def make(clerk: str = CLERK, pdf: bytes | None = None, **fields: Any) -> dict[str, Any]:
        fields.setdefault("number", str(next(_numbers)))
        response = api(clerk).register(pdf or make_pdf("Văn bản lưu hồ sơ"), **fields)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return make


@pytest.fixture(name="new_file")
def new_file_fixture(api) -> Callable[..., dict[str, Any]]:  # type: ignore[no-untyped-def]
    """new_file(**fields): a records file opened by archivist_a (or `who=`), as the API returns it."""

    def make(who: str = ARCHIVIST, **fields: Any) -> dict[str, Any]:
        body = {
            "year": local_today().year,
            "code": f"{next(_codes):02d}.VP",
            "title": "Hồ sơ về công tác văn thư, lưu trữ năm nay",
            "retention_years": 10,
            **fields,
        }
        response = api(who).post("/api/v1/archive/files", json=body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return make


def file_document(api, file_id: int, doc_id: int, who: str = ARCHIVIST, **body: Any):  # type: ignore[no-untyped-def]
    return api(who).post(f"/api/v1/archive/files/{file_id}/documents", json={"document_id": doc_id, **body})


def close(api, file_id: int, closed_on: date | None = None, who: str = ARCHIVIST):  # type: ignore[no-untyped-def]
    body = {"closed_on": closed_on.isoformat()} if closed_on else {}
    return api(who).post(f"/api/v1/archive/files/{file_id}/close", json=body)


def a_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def closed_due_in(days: int) -> date:
    """The day a file must have been closed on to be due at the agency's archive in `days` days."""
    return a_year_before(local_today() + timedelta(days=days))


def count(app, model: type, *where: Any) -> int:  # type: ignore[no-untyped-def]
    from app.extensions import db

    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0


def audit_events(app, action: str, object_type: str | None = None, object_id: Any = None) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """The data of the audit events of one action (on one object), oldest first."""
    from app.audit.models import AuditEvent
    from app.extensions import db

    stmt = sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)
    if object_type is not None:
        stmt = stmt.where(AuditEvent.object_type == object_type, AuditEvent.object_id == str(object_id))
    with app.app_context():
        return [{**e.data, "_actor_id": e.actor_id, "_object_id": e.object_id} for e in db.session.scalars(stmt)]


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def download(client, url: str):  # type: ignore[no-untyped-def]
    """GET a ZIP and close the response, as a WSGI server does once it has sent the body (the temporary file
    behind it is closed then)."""
    response = client.get(url)
    response.make_sequence()
    response.close()
    return response
