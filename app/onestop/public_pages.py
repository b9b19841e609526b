"""The citizens' lookup page, without an account: /tra-cuu (a form for the code and secret) and
/tra-cuu/<code>?s=<secret>, the target of the slip's QR code. Same rules and limit as the JSON lookup."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from ..errors import NotFound, TooManyRequests
from ..ratelimit import client_key
from ..security import public
from .codes import split_lookup_address
from .lookup import find_public, lookups_per_minute

onestop_public = Blueprint("onestop_public", __name__)


@onestop_public.get("/tra-cuu")
@public
def lookup_form():  # type: ignore[no-untyped-def]
    """The form; sent with a code, it goes to that code's page (the secret in its query string). A kiosk's scanner
    reading the slip's QR code types the whole address into the code's box: its code and secret are taken."""
    code, scanned_secret = split_lookup_address(request.args.get("ma") or "")
    code = code.strip()
    if code:
        secret = (request.args.get("s") or scanned_secret or "").strip()
        return redirect(url_for("onestop_public.lookup", code=code, **({"s": secret} if secret else {})))
    return render_template("onestop/lookup.html", found=None, code="", secret="")


@onestop_public.get("/tra-cuu/<path:code>")
@public
def lookup(code: str):  # type: ignore[no-untyped-def]
    secret = request.args.get("s")
    try:
        found = find_public(client_key("lookup"), lookups_per_minute(), code, secret)
    except NotFound as err:
        page = render_template("onestop/lookup.html", found=None, code=code[:60], secret="", problem=err.text())
        return page, 404
    except TooManyRequests as err:
        page = render_template("onestop/lookup.html", found=None, code=code[:60], secret="", problem=err.text())
        return page, 429, {"Retry-After": str(err.retry_after)}
    response = render_template("onestop/lookup.html", found=found, code=found.code, secret="")
    return response, 200, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
