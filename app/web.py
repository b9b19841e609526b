"""Pages that belong to no single domain: the start page and the language switch."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, request, session, url_for
from flask_login import current_user

from .extensions import db
from .security import public

web = Blueprint("web", __name__)


@web.get("/")
def home():  # type: ignore[no-untyped-def]
    return redirect(url_for("documents.index"))


@web.get("/lang/<code>")
@public
def set_language(code: str):  # type: ignore[no-untyped-def]
    """Switch the interface language (Vietnamese first, English second)."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if current_user.is_authenticated:
            current_user.locale = code
            db.session.commit()
    target = request.args.get("next") or url_for("web.home")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("web.home")
    return redirect(target)
