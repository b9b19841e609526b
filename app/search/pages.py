"""The search page: the same search as the API, with its facets as links that narrow it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_login import current_user
from markupsafe import Markup

from ..errors import InvalidInput
from ..validation import parse, query_args
from . import service

search_pages = Blueprint("search_pages", __name__)


@search_pages.get("/search")
def search():  # type: ignore[no-untyped-def]
    args = query_args()
    found: service.SearchResult | None = None
    errors: dict[str, str] = {}
    data = None
    try:
        data = parse(service.SearchInput, args)
        if data.asks:  # the form sent untouched asks nothing: the empty page
            found = service.search(current_user, data)
    except InvalidInput as err:
        errors = dict(err.fields) or {"q": err.text()}
    per_page = (data.per_page if data else None) or 20
    pages = max(1, -(-found.total // per_page)) if found else 1
    context: dict[str, Any] = {
        "args": args,
        "found": found,
        "errors": errors,
        "page": (data.page if data else None) or 1,
        "pages": pages,
        "snippet": Markup,  # snippets are escaped by the service, only <mark> is markup
    }
    return render_template("search/index.html", **context), 422 if errors else 200
