"""The e-office application factory."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, request, session
from flask_login import current_user

from config import Config, load_config

from .extensions import babel, csrf, db, login_manager, migrate, ping_idle_connections


def _select_locale() -> str:
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if request.path.startswith("/api/") and request.accept_languages:
        # API clients say what they read; browsers do not decide it, since many run in English.
        return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def create_app(config: Config | None = None, overrides: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(Path(__file__).resolve().parent.parent / "instance"))
    config = config or load_config()
    config.finalize()
    app.config.from_object(config)
    if overrides:
        app.config.update(overrides)
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_UPLOAD_MB"]) * 1024 * 1024
    # JSON as the code writes it: keys in their order (not sorted on every answer), Vietnamese as UTF-8 rather
    # than \u escapes (a third smaller for names and subjects).
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["SQLALCHEMY_DATABASE_URI"]

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            ping_idle_connections(engine)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale, default_timezone=app.config["TIMEZONE"])

    from .storage.service import make_store

    app.extensions["blob_store"] = make_store(app.config)

    from . import models  # noqa: F401 - every table known to SQLAlchemy and Alembic
    from .errors import register_error_handlers
    from .search import indexing  # noqa: F401 - documents are re-indexed after every change
    from .security import init_security

    init_security(app)
    register_error_handlers(app)

    from .api import api
    from .archive.pages import archive_pages
    from .archive.register_pages import register_exports
    from .auth.admin import admin
    from .auth.views import auth
    from .calendar.pages import calendar_pages
    from .documents.views import documents
    from .onestop.catalogue_pages import catalogue_pages
    from .onestop.pages import onestop_pages
    from .onestop.public_pages import onestop_public
    from .onestop.stats_pages import stats_pages
    from .routing.pages import routing_pages
    from .search.pages import search_pages
    from .signing.pages import signing_pages
    from .tasks.dashboard_pages import dashboard_pages
    from .tasks.pages import task_pages
    from .web import web

    app.register_blueprint(web)
    app.register_blueprint(auth)
    app.register_blueprint(admin)
    app.register_blueprint(calendar_pages)
    app.register_blueprint(documents)
    app.register_blueprint(signing_pages)
    app.register_blueprint(routing_pages)
    app.register_blueprint(task_pages)
    app.register_blueprint(dashboard_pages)
    app.register_blueprint(search_pages)
    app.register_blueprint(archive_pages)
    app.register_blueprint(register_exports)
    app.register_blueprint(onestop_public)
    app.register_blueprint(onestop_pages)
    app.register_blueprint(catalogue_pages)
    app.register_blueprint(stats_pages)
    csrf.exempt(api)  # the API checks CSRF itself, and only for cookie sessions
    app.register_blueprint(api)

    from .signing.credentials import time_stamp_authority
    from .signing.tsa import make_blueprint as tsa_blueprint
    from .signing.views import pki_blueprint

    tsa = tsa_blueprint(time_stamp_authority)
    for machine_facing in (pki_blueprint, tsa):  # relying parties post DER, not forms
        csrf.exempt(machine_facing)
        app.register_blueprint(machine_facing)

    from .cli import register_cli
    from .templating import init_templating

    init_templating(app)
    register_cli(app)

    @app.after_request
    def _unit_of_work(response):  # type: ignore[no-untyped-def]
        """One transaction per request: committed when the answer is a success, rolled back otherwise.

        Services only flush. A failing commit turns into an error answer, with nothing written.
        """
        if not db.session.registry.has():
            return response  # no session was opened (the public lookup reads on a connection of its own)
        session = db.session()
        if not session.in_transaction() and not (session.new or session.dirty or session.deleted):
            return response  # nothing began
        if response.status_code < 400:
            session.commit()
        else:
            session.rollback()
        return response

    return app
