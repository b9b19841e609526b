"""Log in, log out, and one's own profile with API tokens."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_user, logout_user

from ..audit.models import AuditAction
from ..audit.service import record
from ..extensions import db
from ..security import public
from . import service

auth = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("web.home")


@auth.route("/login", methods=["GET", "POST"])
@public
def login():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request.args.get("next")))
    error = None
    username = ""
    if request.method == "POST":
        username = (request.form.get("username") or "").strip()
        outcome = service.authenticate(username, request.form.get("password") or "", channel="web")
        if outcome.ok:
            lang = session.get("lang")
            session.clear()  # a fresh session on login: no fixation
            if lang:
                session["lang"] = lang
            login_user(outcome.user)
            return redirect(_safe_next(request.args.get("next")))
        db.session.commit()  # keep the failure count and its audit event
        error = service.login_error_message(outcome)
        return render_template("auth/login.html", error=error, username=username), 401
    return render_template("auth/login.html", error=error, username=username)


@auth.post("/logout")
def logout():  # type: ignore[no-untyped-def]
    record(AuditAction.LOGOUT, actor=current_user, obj=("user", current_user.id))
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    return redirect(url_for("auth.login"))


@auth.get("/profile")
def profile():  # type: ignore[no-untyped-def]
    return render_template("auth/profile.html", tokens=service.tokens_of(current_user), new_token=None)


@auth.post("/profile/tokens")
def create_token():  # type: ignore[no-untyped-def]
    _row, token = service.create_token(current_user, request.form.get("name"))
    db.session.commit()
    flash(gettext("Token created. Copy it now: it will not be shown again."), "success")
    return render_template("auth/profile.html", tokens=service.tokens_of(current_user), new_token=token)


@auth.post("/profile/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):  # type: ignore[no-untyped-def]
    service.revoke_token(current_user, token_id)
    flash(gettext("Token revoked."), "success")
    return redirect(url_for("auth.profile"))
