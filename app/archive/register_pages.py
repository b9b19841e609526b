"""The page of the register exports: choose a year, a direction and the series, download the XLSX or the PDF."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask_login import current_user

from ..clock import local_today
from ..documents.service import registers_of
from ..errors import InvalidParameter
from .register_api import export_response
from .registers import check_may_export, export_register, parse_register_request, register_years

register_exports = Blueprint("register_exports", __name__)


def _context(form: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    this_year = local_today().year
    years = sorted({this_year, *register_years(current_user)}, reverse=True)
    return {"form": form, "errors": errors, "years": years, "registers": registers_of(current_user)}


@register_exports.get("/archive/registers")
def form():  # type: ignore[no-untyped-def]
    check_may_export(current_user)
    defaults = {"year": str(local_today().year), "direction": "incoming", "secret": ""}
    return render_template("archive/registers.html", **_context(defaults, {}))


@register_exports.get("/archive/registers/download")
def download():  # type: ignore[no-untyped-def]
    """The file; bad parameters show the form again with what is wrong (400)."""
    check_may_export(current_user)
    args = request.args
    try:
        wanted = parse_register_request(args.get("direction"), args.get("year"), args.get("format"), args.get("secret"))
    except InvalidParameter as err:
        return render_template("archive/registers.html", **_context(args.to_dict(), err.fields)), 400
    return export_response(export_register(current_user, wanted))
