"""A leader signs a draft and a clerk issues it, in a real browser; the document page then shows two valid signatures.

Screenshots of the queue, the document page before and after, and the leader's profile go to test-artifacts/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.signing.conftest import signing  # noqa: F401 - the fixture: the CA, the leader's key and image, the seal
from tests.signing.test_flow import _draft


@pytest.mark.browser
def test_a_leader_signs_and_a_clerk_issues_in_the_browser(open_tab, api, signing) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    doc_id = _draft(api)["id"]
    detail = f"/documents/{doc_id}"

    leader = open_tab("leader_a")
    page = leader.page
    to_sign = page.locator(".mainnav a[href='/sign']")
    expect(to_sign.locator(".count-badge")).to_have_text("1")
    to_sign.click()
    rows = page.locator("table.queue tbody tr")
    expect(rows).to_have_count(1)
    leader.screenshot("signing-queue-to-sign")
    rows.locator(f"a[href='{detail}#signatures']").click()
    expect(page).to_have_url(re.compile(rf"{detail}#signatures$"))
    panel = page.locator("#signatures")
    expect(panel.locator("#sign-pin")).to_have_count(0)  # a key kept by the server: no PIN to type

    # The box must be ticked: the browser does not send the form without it.
    page.click("#sign-button")
    expect(page).to_have_url(re.compile(rf"{detail}#signatures$"))
    expect(page.locator(".flash")).to_have_count(0)
    leader.screenshot("signing-detail-draft")
    page.check("#sign-confirm")
    page.click("#sign-button")
    expect(page.locator(".flash.success")).to_have_count(1)
    expect(page.locator("#sign-button")).to_have_count(0)
    expect(page.locator(".mainnav a[href='/sign'] .count-badge")).to_have_count(0)
    page.click("#signatures button.refresh")
    expect(panel).to_have_class(re.compile(r"\bv-valid\b"))
    expect(panel.locator("li.signature")).to_have_count(1)
    # The profile: the leader's certificate and signature image (served by the app, allowed by the CSP).
    leader.goto("/profile")
    expect(page.locator("dl.certificate")).to_be_visible()
    expect(page.locator(".sigimage img")).to_have_js_property("naturalWidth", 480)
    leader.screenshot("signing-profile")
    leader.assert_clean()

    clerk = open_tab("clerk_a")
    page = clerk.page
    page.click(".mainnav a[href='/issue']")
    page.locator(f"table.queue a[href='{detail}#signatures']").click()
    page.check("#issue-confirm")
    page.click("#issue-button")
    success = page.locator(".flash.success")
    expect(success).to_have_count(1)
    expect(success).to_contain_text(re.compile(r"\b1\b"))  # the first outgoing number of the year

    panel = page.locator("#signatures")
    expect(panel).to_have_class(re.compile(r"\bv-valid\b"))
    signatures = panel.locator("li.signature")
    expect(signatures).to_have_count(2)
    expect(panel.locator("li.signature.v-valid")).to_have_count(2)
    expect(signatures.nth(0).locator("h3")).to_have_text("Người leader A")
    expect(signatures.nth(1).locator("h3")).to_have_text("Ủy ban nhân dân tỉnh Thử Nghiệm")
    expect(signatures.nth(0)).to_contain_text(re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}"))
    expect(panel.locator(".verdict")).to_have_css("background-color", "rgb(233, 246, 238)")  # green
    expect(page.locator("#issue-button")).to_have_count(0)
    panel.scroll_into_view_if_needed()
    clerk.screenshot("signing-detail-issued")
    clerk.assert_clean()
