"""Every list of the JSON API takes an empty query parameter as not given, as its pages do (a client that fills
its query string from a form sends the fields left empty): each GET in the API's description, with each of its
query parameters sent empty, answers as it does without them, for each role."""

from __future__ import annotations

import pytest

from tests.support import EVERY_ROLE, PASSWORD, ApiClient, every_role_user


def _lists_with_filters(app) -> list[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    """The API's GET paths without path parameters, and the names of their query parameters."""
    from app.openapi import build_spec

    with app.app_context():
        spec = build_spec()
    found = []
    for path, operations in spec["paths"].items():
        get = operations.get("get")
        if get is None or "{" in path:
            continue
        names = [p["name"] for p in get.get("parameters", []) if p.get("in") == "query"]
        if names:
            found.append((path, names))
    return found


@pytest.mark.parametrize("username", EVERY_ROLE)
def test_an_empty_query_parameter_is_no_filter(app, world, username: str) -> None:  # type: ignore[no-untyped-def]
    client = ApiClient.login(app, every_role_user(app, world, username), PASSWORD)
    lists = _lists_with_filters(app)
    assert len(lists) >= 10, lists  # the documents', tasks', dossiers', search's, archive's, statistics' ...
    for path, names in lists:
        plain = client.get("/api/v1" + path)
        for name in names:
            blank = client.get("/api/v1" + path, query_string={name: ""})
            assert blank.status_code == plain.status_code, (path, name, blank.status_code, blank.get_data()[:300])
            if plain.status_code == 200 and plain.is_json:
                assert blank.get_json() == plain.get_json(), (path, name)
