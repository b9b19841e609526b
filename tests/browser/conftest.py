"""Fixtures for the browser tests: the real app behind a real HTTP server, driven by headless Chromium.

Chromium is the Debian package (`make test` installs it); Playwright never downloads a browser here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.support import PASSWORD, World

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="package")  # Playwright leaves an event loop running until it stops
def browser() -> Iterator:
    """One Chromium for the whole session; every test gets a fresh context (no shared cookies)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}. The browser tests need the Debian package "
            "'chromium': run `make test`, which installs it, or `apt-get install chromium`.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def live_server(app: Flask, world: World) -> Iterator[str]:
    """The test's app served over real HTTP on a free port of 127.0.0.1; its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@dataclass
class Tab:
    """A page in a context of its own, with what went wrong in it: dialogs, console errors, script errors."""

    page: object  # playwright.sync_api.Page
    base_url: str
    artifacts: Path
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def goto(self, path: str) -> object:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.ok, f"GET {path}: {response.status if response else 'no answer'}"
        return response

    def login(self, username: str, password: str = PASSWORD) -> None:
        self.goto("/login")
        self.page.fill("#username", username)
        self.page.fill("#password", password)
        with self.page.expect_navigation():
            self.page.click("form button[type=submit]")
        assert "/login" not in self.page.url, f"{username} could not log in: {self.page.inner_text('main')}"

    def lang(self) -> str | None:
        return self.page.get_attribute("html", "lang")

    def screenshot(self, name: str) -> Path:
        path = self.artifacts / f"{name}.png"
        # Scrolled to the end, a sticky bar sits where it belongs in the full-page picture.
        self.page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def assert_clean(self) -> None:
        """No dialog opened and the console stayed quiet (a CSP violation is a console error)."""
        assert self.dialogs == [], f"a dialog opened: {self.dialogs}"
        assert self.errors == [], f"errors in the browser: {self.errors}"


@pytest.fixture
def open_tab(browser, live_server: str, artifacts_dir: Path) -> Iterator[Callable[..., Tab]]:  # type: ignore[no-untyped-def]
    """Open a fresh browser context: open_tab() anonymous, open_tab("clerk_a") logged in through the form;
    `viewport=(390, 844)` for a phone's screen."""
    contexts = []

    def opener(username: str | None = None, viewport: tuple[int, int] = (1366, 900)) -> Tab:
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="vi-VN")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        tab = Tab(page, live_server, artifacts_dir)

        def on_dialog(dialog) -> None:  # type: ignore[no-untyped-def]
            tab.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        def on_console(message) -> None:  # type: ignore[no-untyped-def]
            # A page's own 401/404 is logged too; answers are checked below and by the tests.
            if message.type == "error" and not message.text.startswith("Failed to load resource"):
                tab.errors.append(message.text)

        def on_response(response) -> None:  # type: ignore[no-untyped-def]
            if response.request.resource_type != "document" and response.status >= 400:
                tab.errors.append(f"{response.status} for {response.url}")

        page.on("dialog", on_dialog)
        page.on("console", on_console)
        page.on("response", on_response)
        page.on("pageerror", lambda error: tab.errors.append(str(error)))
        if username is not None:
            tab.login(username)
        return tab

    yield opener
    for context in contexts:
        context.close()
