"""Markup typed or uploaded by a user shows as text, never as markup or script."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.clock import local_today
from tests.support import make_pdf

SCRIPT = "<script>alert(1)</script>"
ISSUER = '"><img src=x onerror=alert(2)>'
FILENAME = "../../<b>x</b>.pdf"


@pytest.mark.browser
def test_markup_in_a_subject_and_a_file_name_is_shown_as_text(open_tab, app) -> None:  # type: ignore[no-untyped-def]
    tab = open_tab("clerk_a")
    page = tab.page
    tab.goto("/documents/new?direction=incoming")
    page.fill("#f-issuer", ISSUER)
    page.fill("#f-subject", SCRIPT)
    page.fill("#f-number", "99")
    page.fill("#f-notation", "<i>SCT</i>")
    page.fill("#f-issued_on", (local_today() - timedelta(days=3)).isoformat())
    page.set_input_files("#f-file", files=[{"name": FILENAME, "mimeType": "application/pdf", "buffer": make_pdf()}])
    page.click("form.docform button[type=submit]")
    expect(page).to_have_url(re.compile(r"/documents/(\d+)$"))
    document_id = int(page.url.rsplit("/", 1)[1])

    from app.documents.models import Document
    from app.extensions import db

    with app.app_context():
        doc = db.session.get(Document, document_id)
        assert doc is not None and doc.subject == SCRIPT
        stored_name = doc.files[0].filename

    # The detail page: the subject is the heading's text; no element was made from it.
    expect(page.locator("h1")).to_contain_text(SCRIPT)
    expect(page.locator("dd").filter(has_text="onerror")).to_contain_text(ISSUER)
    expect(page.locator("table.files a.filename")).to_have_text(stored_name)
    _assert_no_injected_elements(page)
    tab.screenshot("hostile-detail")

    # The list.
    tab.goto("/documents")
    link = page.locator("table.documents tbody a").filter(has_text=SCRIPT)
    expect(link).to_have_count(1)
    expect(page.locator("table.documents tbody")).to_contain_text(ISSUER)
    expect(page.locator("table.documents tbody")).to_contain_text("99/<i>SCT</i>")
    _assert_no_injected_elements(page)
    tab.screenshot("hostile-list")

    # The edit form puts the same strings back into value="" and <textarea> unchanged.
    tab.goto(f"/documents/{document_id}/edit")
    expect(page.locator("#f-subject")).to_have_value(SCRIPT)
    expect(page.locator("#f-issuer")).to_have_value(ISSUER)
    expect(page.locator("#f-notation")).to_have_value("<i>SCT</i>")
    _assert_no_injected_elements(page)

    # The register page lists it too.
    tab.goto(f"/registers/incoming/{local_today().year}")
    expect(page.locator("table.register tbody")).to_contain_text(SCRIPT)
    _assert_no_injected_elements(page)
    tab.assert_clean()


def _assert_no_injected_elements(page) -> None:  # type: ignore[no-untyped-def]
    """The CSP would block an injected inline script anyway, so the dialog alone proves little: look at the DOM."""
    assert page.locator("script").count() == 0
    assert page.locator("main img, main b, main i").count() == 0
    assert page.locator("[onerror]").count() == 0
