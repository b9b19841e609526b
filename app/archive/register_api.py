"""Register exports over the API: /api/v1/archive/registers/<direction>/<year>.xlsx (or .pdf), and the same with
query parameters at /api/v1/archive/registers/export."""

from __future__ import annotations

import hashlib

from flask import Response, request
from flask_login import current_user

from ..api import api
from ..documents.api import bytes_response
from ..validation import query_args
from .registers import RegisterExport, export_register, parse_register_request


def export_response(export: RegisterExport) -> Response:
    """The file as an attachment, with its hash like every file the application sends."""
    sha256 = hashlib.sha256(export.data).hexdigest()
    response = bytes_response(export.filename, export.content_type, sha256, export.data, inline=False)
    response.headers["X-Register-Rows"] = str(export.rows)
    return response


@api.get("/archive/registers/<direction>/<year>.<fmt>")
def export_register_file(direction: str, year: str, fmt: str):  # type: ignore[no-untyped-def]
    """The register of the caller's organisation for one direction and year; `secret=1` for the secret series."""
    wanted = parse_register_request(direction, year, fmt, request.args.get("secret"))
    return export_response(export_register(current_user, wanted))


@api.get("/archive/registers/export")
def export_register_query():  # type: ignore[no-untyped-def]
    """The same, with `direction`, `year`, `format` (and `secret`) in the query string."""
    args = query_args()
    wanted = parse_register_request(args.get("direction"), args.get("year"), args.get("format"), args.get("secret"))
    return export_response(export_register(current_user, wanted))
