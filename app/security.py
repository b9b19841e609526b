"""Login required everywhere unless a view is marked public on purpose; bearer tokens for the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, Request, current_app, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_babel import gettext
from flask_login import current_user

from .auth.models import User
from .errors import Unauthorized
from .extensions import csrf, db, login_manager, only_reading
from .scoping import set_scope

F = TypeVar("F", bound=Callable)


def public(view: F) -> F:
    """Mark a view as reachable without logging in."""
    view.is_public = True  # type: ignore[attr-defined]
    return view


def is_public(endpoint: str | None) -> bool:
    if endpoint is None or endpoint == "static":
        return True
    view = current_app.view_functions.get(endpoint)
    return bool(getattr(view, "is_public", False))


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with no signer built for a request that brings no cookie (a citizen's
    phone asking for a dossier, an API client with a token): an empty session, which writes no cookie."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)


def init_security(app: Flask) -> None:
    app.session_interface = CookieSessions()
    login_manager.login_view = "auth.login"
    login_manager.login_message = None

    @app.before_request
    def _authenticate() -> object:
        from .auth.service import touch_token, user_for_token

        api = request.path.startswith("/api/")
        token = _bearer_token() if api else None
        if token is None and is_public(request.endpoint) and "_user_id" not in session:
            return None  # an anonymous visitor of a public page: nobody to find (the citizens' lookup)
        # Finding the user only reads: no write lock on SQLite, no BEGIN and COMMIT on PostgreSQL (extensions.py).
        db.session.connection(execution_options=only_reading(db.engine))
        holder = None
        if token is not None:
            holder = user_for_token(token)
            if holder is None:
                raise Unauthorized(gettext("The token is invalid, expired or revoked."))
            g._login_user = holder.user  # Flask-Login reads the current user from here
            g.auth_by_token = True
        if not is_public(request.endpoint) and not current_user.is_authenticated:
            if api:
                raise Unauthorized()
            return redirect(url_for("auth.login", next=request.full_path if request.args else request.path))
        if (
            api
            and token is None
            and request.method not in {"GET", "HEAD", "OPTIONS"}
            and not is_public(request.endpoint)
        ):
            csrf.protect()  # cookie sessions on the API need the CSRF header, like the forms
        if current_user.is_authenticated:
            set_scope(db.session(), current_user.organisation_id)
        # End the reading transaction now. The view's own transaction starts only when it first touches the
        # database, after it has parsed the upload and put the files in the store.
        db.session.commit()
        if holder is not None and holder.stale:
            touch_token(holder.token_id)
            db.session.commit()
        return None

    @app.after_request
    def _headers(response):  # type: ignore[no-untyped-def]
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        )
        if request.path.startswith("/api/") or current_user.is_authenticated:
            response.headers.setdefault("Cache-Control", "no-store")
        return response
