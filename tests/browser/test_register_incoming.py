"""A clerk registers an incoming document through the pages, in a real browser, and finds it again."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.clock import local_today
from tests.support import PASSWORD, make_pdf

SUBJECT = "V/v báo cáo tình hình thực hiện kế hoạch cải cách hành chính năm 2026"
OTHER_SUBJECT = "V/v tổ chức hội nghị tổng kết công tác thi đua"


@pytest.mark.browser
def test_clerk_registers_an_incoming_document_and_finds_it(open_tab, api, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Another document already in the register, which the search must leave out.
    other = api("clerk_a").register(make_pdf(), subject=OTHER_SUBJECT, number="7", notation="STC-VP")
    assert other.status_code == 201, other.get_json()

    tab = open_tab()
    page = tab.page
    tab.goto("/documents")
    expect(page).to_have_url(re.compile(r"/login\?next=/documents"))
    assert tab.lang() == "vi", "the interface is Vietnamese until someone chooses otherwise"
    page.fill("#username", "clerk_a")
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/documents$"))
    assert tab.lang() == "vi"

    page.click("a[href='/documents/new?direction=incoming']")
    expect(page).to_have_url(re.compile(r"/documents/new\?direction=incoming$"))
    pdf = tmp_path / "cong-van-15.pdf"
    pdf.write_bytes(make_pdf())
    issued = local_today() - timedelta(days=5)
    page.fill("#f-issuer", "Sở Công Thương")
    page.fill("#f-subject", SUBJECT)
    page.fill("#f-number", "15")
    page.fill("#f-notation", "SCT-VP")
    page.fill("#f-issued_on", issued.isoformat())
    page.set_input_files("#f-file", str(pdf))
    page.click("form.docform button[type=submit]")

    expect(page).to_have_url(re.compile(r"/documents/\d+$"))
    success = page.locator(".flash.success")
    expect(success).to_have_count(1)
    expect(success).to_contain_text(re.compile(r"\b2\b"))  # the second entry of this year's register
    expect(page.locator("h1")).to_contain_text(SUBJECT)
    expect(page.locator("dd.regno")).to_contain_text(f"2 / {local_today().year}")
    expect(page.locator("table.files")).to_contain_text("cong-van-15.pdf")
    tab.screenshot("detail")

    page.goto(tab.base_url + "/documents")
    rows = page.locator("table.documents tbody tr")
    expect(rows).to_have_count(2)
    row = rows.filter(has_text=SUBJECT)
    expect(row).to_have_count(1)
    expect(row.locator("td.num")).to_have_text("2")
    tab.screenshot("list")

    # The search box ignores case and diacritics: "bao cao" finds "báo cáo", and only it.
    page.fill("input[name=q]", "bao cao")
    page.press("input[name=q]", "Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=bao\+cao"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(SUBJECT)
    row.locator("a").first.click()
    expect(page.locator("h1")).to_contain_text(SUBJECT)

    # EN switches the interface to English and stays on the same page; VI switches back.
    page.click(".langs a:text-is('EN')")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text(SUBJECT)
    page.goto(tab.base_url + "/documents")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.click(".langs a:text-is('VI')")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    tab.assert_clean()


@pytest.mark.browser
def test_a_likely_duplicate_is_confirmed_without_choosing_the_file_again(open_tab, api, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = api("clerk_a").register(make_pdf(), number="15", notation="SCT-VP", issuer="Sở Công Thương")
    assert first.status_code == 201, first.get_json()
    tab = open_tab("clerk_a")
    page = tab.page
    tab.goto("/documents/new?direction=incoming")
    pdf = tmp_path / "ban-sao-15.pdf"
    pdf.write_bytes(make_pdf("Bản sao"))
    page.fill("#f-issuer", "Sở Công Thương")
    page.fill("#f-subject", SUBJECT)
    page.fill("#f-number", "015")
    page.fill("#f-notation", "SCT-VP")
    page.set_input_files("#f-file", str(pdf))
    page.click("form.docform button[type=submit]")

    expect(page.locator(".flash.warning")).to_be_visible()
    expect(page.locator(".kept")).to_contain_text("ban-sao-15.pdf")
    expect(page.locator("#f-file")).not_to_have_attribute("required", re.compile(".*"))
    expect(page.locator("#f-subject")).to_have_value(SUBJECT)
    tab.screenshot("duplicate-warning")
    page.check("input[name=confirm_duplicate]")
    page.click("form.docform button[type=submit]")

    expect(page).to_have_url(re.compile(r"/documents/\d+$"))
    expect(page.locator(".flash.success")).to_contain_text(re.compile(r"\b2\b"))
    expect(page.locator("table.files")).to_contain_text("ban-sao-15.pdf")
    tab.assert_clean()
