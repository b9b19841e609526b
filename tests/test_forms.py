"""Every search and filter form of every page a role reaches from its menu works when sent as the browser sends it,
untouched: its empty fields and its "any" options come as empty values, which mean no filter (one list once
refused its own form's "every status"). Each form is read from the page and sent with what a browser would send."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from tests.support import EVERY_ROLE, every_role_user, web_login


class _Forms(HTMLParser):
    """The menu's links and the GET forms of a page, with the values a browser sends for an untouched form."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._in_menu = 0
        self._form: list[tuple[str, str]] | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "nav" and "mainnav" in a.get("class", ""):
            self._in_menu += 1
        elif tag == "a" and self._in_menu and a.get("href", "").startswith("/"):
            self.links.append(a["href"])
        elif tag == "form" and a.get("method", "get").lower() == "get":
            self._form = []
            self.forms.append((a.get("action", ""), self._form))
        elif self._form is not None and tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self._form.append((a["name"], a.get("value", "on")))
            elif kind not in {"submit", "button", "file", "image", "reset"}:
                self._form.append((a["name"], a.get("value", "")))
        elif self._form is not None and tag == "select" and a.get("name"):
            self._select, self._options = a["name"], []
        elif self._select is not None and tag == "option":
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._in_menu:
            self._in_menu -= 1
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = [value for value, selected in self._options if selected] or [v for v, _ in self._options[:1]]
            self._form.extend((self._select, value) for value in chosen)
            self._select = None
        elif tag == "form":
            self._form = None


def _parse(html: str) -> _Forms:
    found = _Forms()
    found.feed(html)
    return found


@pytest.mark.parametrize("username", EVERY_ROLE)
def test_every_filter_form_works_as_the_browser_sends_it(app, world, username: str) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    web_login(client, every_role_user(app, world, username))
    home = client.get("/", follow_redirects=True)
    assert home.status_code == 200
    pages = sorted({urlsplit(link).path for link in _parse(home.get_data(as_text=True)).links})
    assert pages, "the menu has links"
    sent = 0
    for path in pages:
        page = client.get(path, follow_redirects=True)
        assert page.status_code == 200, path
        for action, fields in _parse(page.get_data(as_text=True)).forms:
            target = action or path
            if not target.startswith("/") or target.startswith("/logout"):
                continue
            answer = client.get(target, query_string=fields, follow_redirects=True)
            sent += 1
            body = answer.get_data(as_text=True)
            assert answer.status_code == 200, (path, target, fields, answer.status_code)
            assert 'class="flash error"' not in body, (path, target, fields)
    assert sent, f"{username} reached no form"
