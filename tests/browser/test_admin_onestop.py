"""The administrator's one-stop pages in a real browser, in Vietnamese: a desk given Saturday mornings and a
make-up day marked on the working calendar; a procedure edited in the catalogue. Screenshots go to
test-artifacts/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.onestop.conftest import CODE, desk  # noqa: F401 - the desks and procedures


@pytest.mark.browser
def test_the_admin_sets_saturday_mornings_and_edits_a_procedure(open_tab, desk, world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    admin = open_tab("admin_a")
    page = admin.page
    page.click(".mainnav a:text-is('Quản trị hệ thống')")
    page.click("#calendar-link")
    expect(page).to_have_url(re.compile(r"/admin/calendar"))
    expect(page.locator("h1")).to_contain_text("Lịch làm việc")
    page.select_option("#calendar-choice select[name=organisation_id]", str(world.orgs["b"]))
    page.click("#calendar-choice button[type=submit]")
    before = page.locator("#calendar-version").inner_text()
    page.fill("input[name=w5-morning-opens]", "07:30")
    page.fill("input[name=w5-morning-closes]", "11:30")
    page.click("#office-hours button[type=submit]")
    expect(page.locator(".flash.success")).to_have_text("Đã lưu giờ làm việc.")
    expect(page.locator("input[name=w5-morning-opens]")).to_have_value("07:30")
    assert page.locator("#calendar-version").inner_text() != before

    page.fill("#f-day", "2026-12-26")
    page.select_option("#f-kind", "working_day")
    page.fill("#f-note", "Làm bù cho ngày 2/1/2027 theo Thông báo 99/TB-UBND")
    page.click("#mark-day button[type=submit]")
    expect(page.locator("#calendar-days")).to_contain_text("26/12/2026")
    expect(page.locator("#calendar-days")).to_contain_text("Ngày làm bù")
    admin.screenshot("admin-calendar")

    page.click(".mainnav a:text-is('Quản trị hệ thống')")
    page.click("#procedures-link")
    expect(page.locator("#procedures")).to_contain_text("Đăng ký thành lập hộ kinh doanh")
    page.click(f"#procedures a[href$='/onestop/procedures/{CODE}/edit']")
    expect(page.locator("#f-papers")).to_have_value(re.compile(r"Biên bản họp \(nếu có\) \| bản sao \| 1"))
    page.fill("#f-fees", "Lệ phí: 120.000")
    page.fill("#f-statutory_days", "4")  # the steps no longer add up: said on their box, nothing saved
    page.click("#procedure-form button[type=submit]")
    expect(page.locator("#err-steps")).to_contain_text("4")
    page.fill("#f-statutory_days", "3")
    page.click("#procedure-form button[type=submit]")
    expect(page.locator(".flash.success")).to_contain_text(CODE)
    expect(page.locator("#procedures")).to_contain_text("Đăng ký thành lập hộ kinh doanh")
    admin.screenshot("admin-procedures")
    admin.assert_clean()
