"""The one-stop path in a real browser: the officer receives a dossier through the form (papers ticked, a scan
chosen), prints its slip, transfers it; an official of the resolving organisation takes it and submits it, the
leader approves it, the desk hands the result back; the citizen's phone then shows it returned. Screenshots go to
test-artifacts/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.onestop.conftest import CODE, desk  # noqa: F401 - the desks and procedures
from tests.support import make_pdf


@pytest.mark.browser
def test_a_dossier_from_the_desk_to_the_citizens_phone(open_tab, desk, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    scan = tmp_path / "de-nghi.pdf"
    scan.write_bytes(make_pdf("Giấy đề nghị đăng ký hộ kinh doanh"))

    officer = open_tab("onestop_a")
    page = officer.page
    page.click(".mainnav a:text-is('Một cửa')")
    expect(page).to_have_url(re.compile(r"/onestop$"))
    page.click("#receive-link")
    page.select_option("#f-procedure", CODE)
    page.click("#choose-procedure button[type=submit]")
    form = page.locator("#intake form")
    # The channels and fee modes in words, not codes; the procedure has a fee: paid at the desk, by default.
    expect(form.locator("#f-channel option")).to_have_text(["Trực tiếp", "Qua bưu chính"])
    expect(form.locator("#f-fee_mode option:checked")).to_have_text("Đã nộp tại bộ phận một cửa")
    form.locator("#f-applicant_name").fill("Nguyễn Văn An")
    form.locator("#f-applicant_phone").fill("0912 345 678")
    form.locator("input[name=paper_0]").check()
    form.locator("input[name=scan_0]").set_input_files(str(scan))
    # Without the required identity card the desk cannot receive it: the form says what is missing.
    form.locator("#do-receive").click()
    expect(page.locator("#papers .error")).to_contain_text("Căn cước")
    page.locator("#intake input[name=paper_0]").check()
    page.locator("#intake input[name=scan_0]").set_input_files(str(scan))
    page.locator("#intake input[name=paper_1]").check()
    page.locator("#do-receive").click()
    expect(page).to_have_url(re.compile(r"/onestop/dossiers/"))
    expect(page.locator(".flash.success")).to_have_count(1)
    code = page.locator("#dossier-code").inner_text()
    expect(page.locator("#dossier-status")).to_have_text("Đã tiếp nhận")
    expect(page.locator("#dossier-papers li")).to_have_count(2)
    with page.expect_popup() as popup:
        page.click("#slip-link")
    slip = popup.value
    assert slip.url.endswith(f"/api/v1/onestop/dossiers/{code}/slip.pdf")
    # The desk sees the dossier as the applicant will, from the slip's QR code.
    with page.expect_popup() as popup:
        page.click("#public-link")
    expect(popup.value.locator("#lookup-status")).to_have_text("Được tiếp nhận")
    popup.value.close()
    officer.screenshot("onestop-received")
    page.click("#move-transfer")
    expect(page.locator("#dossier-status")).to_have_text("Đã chuyển xử lý")

    official = open_tab("specialist_b")
    official.goto(f"/onestop/dossiers/{code}")
    official.page.click("#move-take")
    expect(official.page.locator("#dossier-status")).to_have_text("Đang xử lý")
    official.page.click("#move-submit")
    expect(official.page.locator("#dossier-status")).to_have_text("Chờ lãnh đạo phê duyệt")

    leader = open_tab("leader_b")
    leader.goto(f"/onestop/dossiers/{code}")
    leader.page.click("#move-approve")
    expect(leader.page.locator("#dossier-status")).to_have_text("Đã có kết quả")

    # The applicant comes back with the slip: the desk's scanner types its QR code into the search box, which has
    # the focus, and ends with Enter; the dossier's page opens.
    secret = desk["a"].get(f"/api/v1/onestop/dossiers/{code}").json["secret"]
    officer.goto("/onestop")
    expect(page.locator("#dossier-filters input[name=q]")).to_be_focused()
    page.keyboard.type(f"https://motcua.example.vn/tra-cuu/{code}?s={secret}")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/onestop/dossiers/{re.escape(code)}$"))
    page.fill("#f-public_message", "Mời ông nhận kết quả tại bộ phận một cửa.")
    page.click("#move-return_result")
    expect(page.locator("#dossier-status")).to_have_text("Đã trả kết quả")
    expect(page.locator("#dossier-timeline li")).to_have_count(6)
    officer.screenshot("onestop-returned")

    phone = open_tab(viewport=(390, 844))
    phone.goto(f"/tra-cuu/{code}?s={secret}")
    expect(phone.page.locator("#lookup-status")).to_have_text("Đã trả kết quả")
    expect(phone.page.locator("#lookup-result")).to_contain_text("Mời ông nhận kết quả tại bộ phận một cửa.")
    phone.screenshot("onestop-phone-returned")
    for tab in (officer, official, leader, phone):
        tab.assert_clean()
