"""Factories and clients for the tests: real rows through the services, real PDFs, real HTTP through Flask."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

PASSWORD = "correct-horse-9"

ORG_A = "000.00.00.H99"
ORG_B = "000.00.31.H99"
ORG_C = "000.00.12.H99"


@dataclass
class World:
    orgs: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)


def build_world(app: Flask) -> World:
    """Province A with department B below it, and C, a sibling of B. Users: <role>_<org>."""
    from app.auth.service import create_organisation, create_unit, create_user
    from app.extensions import db

    world = World()
    with app.app_context():
        a = create_organisation(None, code=ORG_A, name="Ủy ban nhân dân tỉnh Thử Nghiệm", abbreviation="UBND")
        b = create_organisation(None, code=ORG_B, name="Sở Công Thương", abbreviation="SCT", parent_id=a.id)
        c = create_organisation(None, code=ORG_C, name="Sở Tài chính", abbreviation="STC", parent_id=a.id)
        for key, org in (("a", a), ("b", b), ("c", c)):
            world.orgs[key] = org.id
            unit = create_unit(None, org.id, "Văn phòng")
            for role in ("clerk", "specialist", "leader", "archivist", "admin"):
                user = create_user(
                    None,
                    org.id,
                    {
                        "username": f"{role}_{key}",
                        "full_name": f"Người {role} {key.upper()}",
                        "position": role,
                        "roles": [role],
                        "password": PASSWORD,
                        "unit_id": unit.id,
                    },
                )
                world.users[f"{role}_{key}"] = user.id
        db.session.commit()
    return world


# One user of each role in organisation A: build_world's, and a one-stop officer that `every_role_user` adds.
EVERY_ROLE = ("clerk_a", "specialist_a", "leader_a", "archivist_a", "admin_a", "onestop_a")


def add_onestop_officer(app: Flask, organisation_id: int, username: str, full_name: str = "Cán bộ một cửa") -> None:
    from app.auth.service import create_user
    from app.extensions import db

    with app.app_context():
        user = {"username": username, "full_name": full_name, "roles": ["onestop"], "password": PASSWORD}
        create_user(None, organisation_id, user)
        db.session.commit()


def every_role_user(app: Flask, world: World, username: str) -> str:
    """`username` of EVERY_ROLE, made first if it is the one-stop officer (build_world makes no officers)."""
    if username == "onestop_a":
        add_onestop_officer(app, world.orgs["a"], username)
    return username


@lru_cache(maxsize=16)
def make_pdf(subject: str = "Công văn thử nghiệm", pages: int = 1) -> bytes:
    from app.documents.rendering import DocumentLayout, render_document

    return render_document(
        DocumentLayout(
            organisation="Sở Công Thương",
            parent_organisation="UBND tỉnh Thử Nghiệm",
            number_line="Số: 15/SCT-VP",
            place="Thử Nghiệm",
            issued_on=date(2026, 11, 2),
            type_name="Công văn",
            subject=subject,
            body=["Nội dung văn bản thử nghiệm có dấu tiếng Việt: Quyết định, đồng ý, hỏa tốc."],
            signer_position="Giám đốc",
            signer_name="Nguyễn Văn An",
            recipients=["Như trên", "Lưu: VT"],
        ),
        pages=pages,
    )


def incoming_fields(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "direction": "incoming",
        "document_type": "CV",
        "number": "15",
        "notation": "SCT-VP",
        "issuer": "Sở Công Thương",
        "issued_on": "2026-11-02",
        "subject": "V/v báo cáo tình hình thực hiện kế hoạch năm 2026",
        "signer_name": "Nguyễn Văn An",
        "signer_position": "Giám đốc",
        "urgency": "normal",
        "secrecy": "normal",
    }
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not None}


class ApiClient:
    """A Flask test client that sends a bearer token on every request."""

    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client = client
        self.token = token

    @classmethod
    def login(cls, app: Flask, username: str, password: str) -> ApiClient:
        client = app.test_client()
        response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
        assert response.status_code == 201, response.get_json()
        return cls(client, response.get_json()["token"])

    def _headers(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        headers = dict(kwargs.pop("headers", {}) or {})
        headers.setdefault("Authorization", f"Bearer {self.token}")
        headers.setdefault("Accept-Language", "en")  # assertions read the English messages
        return headers

    def get(self, url: str, **kwargs: Any) -> TestResponse:
        return self.client.get(url, headers=self._headers(kwargs), **kwargs)

    def post(self, url: str, **kwargs: Any) -> TestResponse:
        return self.client.post(url, headers=self._headers(kwargs), **kwargs)

    def put(self, url: str, **kwargs: Any) -> TestResponse:
        return self.client.put(url, headers=self._headers(kwargs), **kwargs)

    def patch(self, url: str, **kwargs: Any) -> TestResponse:
        return self.client.patch(url, headers=self._headers(kwargs), **kwargs)

    def delete(self, url: str, **kwargs: Any) -> TestResponse:
        return self.client.delete(url, headers=self._headers(kwargs), **kwargs)

    def register(
        self, pdf: bytes | None = None, filename: str = "van-ban.pdf", attachments: list | None = None, **fields: Any
    ) -> TestResponse:
        data: dict[str, Any] = incoming_fields(**fields)
        if pdf is not None:
            data["file"] = (io.BytesIO(pdf), filename)
        if attachments:
            data["attachments"] = [(io.BytesIO(content), name) for name, content in attachments]
        return self.post("/api/v1/documents", data=data, content_type="multipart/form-data")


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def web_login(client: FlaskClient, username: str, password: str = PASSWORD, lang: str | None = "en") -> TestResponse:
    """Log in through the form, in English unless told otherwise (assertions read the English text).

    `lang=None` leaves the language alone: the account's own choice, or Vietnamese.
    """
    if lang:
        client.get(f"/lang/{lang}")
    page = client.get("/login")
    token = csrf_token_from(page.get_data(as_text=True))
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


@contextmanager
def app_with_own_store(
    app_factory: Callable[..., Flask], folder: Path, **overrides: Any
) -> Iterator[tuple[Flask, Any]]:
    """An app whose object store is its own embedded one (S3 on loopback, short timeouts), so that a test may stop
    and start it; the store is stopped on the way out."""
    from app.storage.embedded import EmbeddedS3

    store = EmbeddedS3.on_free_ports(folder / "s3", "own-store-key", "own-store-secret-123")
    try:
        app = app_factory(
            S3_ENDPOINT=store.endpoint,
            S3_ACCESS_KEY="own-store-key",
            S3_SECRET_KEY="own-store-secret-123",
            S3_BUCKET="own-store",
            S3_TIMEOUT_SECONDS=1.0,
            **overrides,
        )
        yield app, store
    finally:
        store.stop()


REPO = Path(__file__).resolve().parents[1]


def python_child(script: str, *args: str) -> subprocess.Popen:
    """`script` run by another Python process from the repository (the app's modules importable), its standard
    output readable line by line: a second writer for the tests that kill one midway."""
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
