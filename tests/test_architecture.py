"""Architecture tests: login by default, the migrations match the models, every API route is described."""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask


def _example_url(rule) -> str:  # type: ignore[no-untyped-def]
    return re.sub(
        r"<(?:([a-z]+):)?([a-z_]+)>",
        lambda m: "1" if m.group(1) == "int" or "id" in m.group(2) or m.group(2) == "year" else "x",
        rule.rule,
    )


def test_every_route_requires_login_unless_marked_public(app: Flask) -> None:
    from app.security import is_public

    client = app.test_client()
    public = set()
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        with app.test_request_context():
            if is_public(rule.endpoint):
                public.add(rule.endpoint)
                continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(_example_url(rule), method=method)
            checked += 1
            if rule.rule.startswith("/api/"):
                assert response.status_code == 401, (rule.rule, method, response.status_code)
                assert response.get_json()["error"]["code"] == "unauthorized"
            elif method == "GET":
                assert response.status_code == 302 and "/login" in response.headers["Location"], (rule.rule, method)
            else:
                # A form post without a session is refused: by CSRF first, or by the login check.
                assert response.status_code in {302, 400}, (rule.rule, method, response.status_code)
    assert checked > 20
    assert public == {
        "api.health",
        "api.openapi",
        "api.create_token",
        "auth.login",
        "web.set_language",
        "pki.ca_certificate",
        "pki.crl",
        "pki.ocsp_post",
        "pki.ocsp_get",
        "tsa.timestamp",
        "api.exchange_identity",
        "api.exchange_message",  # authenticated by the peer's XML signature, not by a login
        "api.public_dossier",  # the citizens' lookup: by receipt code and secret, limited per client address
        "api.sms_inbound",  # the SMS gateway's webhook: authenticated by its bearer token
        "stats_pages.public_statistics",  # the aggregate figures per agency, no dossier
        "onestop_public.lookup_form",
        "onestop_public.lookup",
    }


def test_the_migrations_produce_exactly_the_models_schema(app: Flask) -> None:
    from app.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_the_database_is_at_the_latest_migration(app: Flask) -> None:
    from alembic.script import ScriptDirectory

    from app.extensions import db

    with app.app_context():
        migrate = app.extensions["migrate"]
        config = migrate.migrate.get_config(migrate.directory)
        heads = set(ScriptDirectory.from_config(config).get_heads())
        with db.engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
    assert current == heads


def test_every_api_route_is_in_the_openapi_document(app: Flask) -> None:
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    described = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule[len("/api/v1") :])
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in described, f"{method} {path} is not in openapi.json"


def test_no_service_module_commits(app: Flask) -> None:
    """Services flush; the request, job or command commits once."""
    from pathlib import Path

    root = Path(app.root_path)
    offenders = [str(p.relative_to(root)) for p in root.glob("*/service.py") if "session.commit(" in p.read_text()]
    assert offenders == []


def test_models_use_typed_select_not_legacy_query(app: Flask) -> None:
    from pathlib import Path

    root = Path(app.root_path)
    offenders = [str(p) for p in root.rglob("*.py") if re.search(r"\.query\.(filter|get|all)", p.read_text())]
    assert offenders == []
    assert sa.__version__.startswith("2.")
