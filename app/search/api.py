"""Search over JSON: GET /api/v1/search."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user

from ..api import api
from ..documents.api import document_json
from ..validation import parse_query
from . import service


def hit_json(hit: service.Hit) -> dict[str, Any]:
    body = document_json(hit.document)
    body.pop("files", None)
    return {**body, "score": round(hit.score, 4), "snippet": hit.snippet}


@api.get("/search")
def search():  # type: ignore[no-untyped-def]
    """The documents the caller may open that match `q` (and the filters), best first, with facets."""
    data = parse_query(service.SearchInput)
    found = service.search(current_user, data)
    return jsonify(
        {
            "items": [hit_json(h) for h in found.items],
            "total": found.total,
            "page": data.page or 1,
            "per_page": data.per_page or 20,
            "facets": found.facets,
        }
    )
