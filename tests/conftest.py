"""Fixtures that build real things: a real S3 server (SeaweedFS), a real database (SQLite or PostgreSQL).

`S3_ENDPOINT` set: the tests use that store. Unset: one `weed mini` on free ports for the session.
`TEST_DATABASE_URL` set (PostgreSQL): its schema is dropped and rebuilt by the migrations. Unset: SQLite.
Each test gets a fresh app and empty tables; each test that wants a store of its own gets a bucket.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from config import Config, normalize_database_url
from tests.support import PASSWORD, ApiClient, World, build_world, make_pdf

S3_ACCESS = os.environ.get("S3_ACCESS_KEY", "test-access")
S3_SECRET = os.environ.get("S3_SECRET_KEY", "test-secret-key-123")


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    access_key: str
    secret_key: str
    secure: bool
    store: object | None = None


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    if os.environ.get("S3_ENDPOINT"):
        secure = os.environ.get("S3_SECURE", "").lower() in {"1", "true", "yes"}
        yield S3Server(os.environ["S3_ENDPOINT"], S3_ACCESS, S3_SECRET, secure)
        return
    from app.storage.embedded import EmbeddedS3

    store = EmbeddedS3.on_free_ports(tmp_path_factory.mktemp("s3"), S3_ACCESS, S3_SECRET)
    try:
        yield S3Server(store.endpoint, S3_ACCESS, S3_SECRET, False, store)
    finally:
        store.stop()


def _reset_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory, s3_server: S3Server) -> str:
    """A database with the schema built by the migrations (never by create_all)."""
    raw = os.environ.get("TEST_DATABASE_URL")
    if raw:
        url = normalize_database_url(raw)
        _reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    from flask_migrate import upgrade

    app = make_app(url, s3_server, "unused")
    with app.app_context():
        upgrade()
        from app.extensions import db

        db.engine.dispose()
    return url


def make_app(database_url: str, s3: S3Server, bucket: str, **overrides: object) -> Flask:
    from app import create_app

    config = Config()
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "S3_ENDPOINT": s3.endpoint,
        "S3_ACCESS_KEY": s3.access_key,
        "S3_SECRET_KEY": s3.secret_key,
        "S3_SECURE": s3.secure,
        "S3_BUCKET": bucket,
        "S3_TIMEOUT_SECONDS": 2.0,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "ARGON2_PARALLELISM": 1,
        "SERVER_NAME": None,
    }
    settings.update(overrides)
    return create_app(config, settings)


def _empty_tables(app: Flask) -> None:
    from app.extensions import db

    with app.app_context():
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                # Checked at the end: tables that point at each other (units and users) empty in any order.
                conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
                for name in tables:
                    conn.execute(sa.text(f"DELETE FROM {name}"))  # noqa: S608 - our own table names
        db.engine.dispose()


@pytest.fixture(scope="session")
def bucket() -> str:
    """One bucket for the session: blobs are content-addressed, so tests cannot clash."""
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def app_factory(database_url: str, s3_server: S3Server, bucket: str) -> Iterator:
    """Make apps with settings of their own; their tables are emptied after the test."""
    made: list[Flask] = []
    index_dir = tempfile.mkdtemp(prefix="search-index-")  # the test's search index, shared by its apps

    def factory(**overrides: object) -> Flask:
        overrides.setdefault("SEARCH_INDEX_DIR", index_dir)
        app = make_app(database_url, s3_server, str(overrides.pop("S3_BUCKET", bucket)), **overrides)
        made.append(app)
        return app

    yield factory
    if made:
        _empty_tables(made[0])
    from app.extensions import db

    for made_app in made:  # close every pool now, not when the garbage collector gets to it
        with made_app.app_context():
            db.engine.dispose()
    shutil.rmtree(index_dir, ignore_errors=True)


@pytest.fixture
def app(app_factory) -> Flask:  # type: ignore[no-untyped-def]
    return app_factory()


@pytest.fixture
def world(app: Flask) -> World:
    """A province with a department below it, and users of each role in both."""
    return build_world(app)


@pytest.fixture
def api(app: Flask, world: World):  # type: ignore[no-untyped-def]
    """API clients by username: api("clerk_a").post(...)."""
    cache: dict[str, ApiClient] = {}

    def get(username: str) -> ApiClient:
        if username not in cache:
            cache[username] = ApiClient.login(app, username, PASSWORD)
        return cache[username]

    return get


@pytest.fixture(scope="session")
def pdf_bytes() -> bytes:
    return make_pdf("Công văn thử nghiệm", pages=1)


@pytest.fixture
def artifacts_dir() -> Path:
    path = Path(__file__).resolve().parent.parent / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
