"""A citizen follows a dossier on a phone's screen (390×844), without an account: from the slip's QR code link,
and by typing the code and secret into /tra-cuu. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.onestop.conftest import desk, intake  # noqa: F401 - the officer's desk fixture

PHONE = (390, 844)


@pytest.mark.browser
def test_a_citizen_looks_a_dossier_up_on_a_phone(open_tab, desk) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    received = desk["a"].post("/api/v1/onestop/dossiers", json=intake()).json
    code, secret = received["code"], received["secret"]

    # The QR code's link: straight to the dossier.
    tab = open_tab(viewport=PHONE)
    page = tab.page
    tab.goto(f"/tra-cuu/{code}?s={secret}")
    result = page.locator("#lookup-result")
    expect(result).to_contain_text(code)
    expect(page.locator("#lookup-status")).to_have_text("Được tiếp nhận")
    expect(result).to_contain_text("Đăng ký thành lập hộ kinh doanh")
    expect(result).to_contain_text("Nguyễn V*** A")
    expect(page.locator("#lookup-appointment")).to_have_count(1)
    for private in ("0912345678", "001090012345", "an@example.vn", "Lê Lợi", "Nguyễn Văn An"):
        expect(page.locator("body")).not_to_contain_text(private)
    # It fits the phone: nothing wider than the screen, the form's button within reach.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    box = page.locator(".lookup-form button").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0] and box["height"] >= 40
    tab.screenshot("lookup-phone-result")

    # Typed by hand, in lower case, with a space: found the same way; a wrong secret says so, nothing more.
    tab.goto("/tra-cuu")
    page.fill("#ma", code.lower())
    page.fill("#s", f" {secret.lower()} ")
    page.click(".lookup-form button")
    expect(page).to_have_url(re.compile(r"/tra-cuu/"))
    expect(page.locator("#lookup-status")).to_have_text("Được tiếp nhận")
    page.fill("#ma", code)
    page.fill("#s", "ZZZZZZ" if secret != "ZZZZZZ" else "YYYYYY")
    page.click(".lookup-form button")
    expect(page.locator("#lookup-problem")).to_contain_text("Không có hồ sơ nào với mã hồ sơ và mã bí mật này")
    expect(page.locator("#lookup-result")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    tab.screenshot("lookup-phone-not-found")
    tab.assert_clean()


@pytest.mark.browser
def test_the_public_figures_fit_a_phone(open_tab, desk) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """The province's public one-stop figures on a phone: the page no wider than the screen (the wide table scrolls
    within its own box), the chart's names written as text of a readable size, with the legend of its colours."""
    for _ in range(2):
        assert desk["a"].post("/api/v1/onestop/dossiers", json=intake()).status_code == 201
    tab = open_tab(viewport=PHONE)
    page = tab.page
    tab.goto("/thong-ke")
    expect(page.locator("#stats-table")).to_contain_text("Sở Công Thương")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    scroller = page.locator(".table-scroll")
    assert scroller.evaluate("e => e.scrollWidth > e.clientWidth")  # the table scrolls, not the page
    label = page.locator("#stats-chart .bar-label").first
    expect(label).to_have_text("Sở Công Thương")
    assert float(label.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 12
    expect(page.locator("#stats-chart .legend li")).to_have_count(4)
    tab.screenshot("public-figures-phone")
    tab.assert_clean()
