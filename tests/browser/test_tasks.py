"""In Chromium: a leader assigns an incoming document from its page, the specialist accepts it, reports
progress and completes it with a reply draft, the leader prints the processing slip and reads the dashboard.

Screenshots of each page go to test-artifacts/.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support import make_pdf


@pytest.mark.browser
def test_assign_carry_out_and_follow_in_the_browser(open_tab, api, world) -> None:  # type: ignore[no-untyped-def]
    registered = api("clerk_a").register(
        make_pdf("Công văn đề nghị"),
        number="412",
        notation="UBND-KT",
        issuer="Ủy ban nhân dân tỉnh Thử Nghiệm",
        subject="V/v đề nghị báo cáo kết quả thực hiện chương trình chuyển đổi số năm 2026",
    )
    assert registered.status_code == 201, registered.get_json()
    doc = registered.get_json()

    leader = open_tab("leader_a")
    leader.goto(f"/documents/{doc['id']}")
    expect(leader.page.locator("#processing")).to_be_visible()
    leader.page.click("#processing a.button.primary")
    leader.page.select_option("#f-lead", value=f"user:{world.users['specialist_a']}")
    leader.page.select_option("#f-coordinators", value=[f"user:{world.users['archivist_a']}"])
    leader.page.fill("#f-deadline_working_days", "5")
    leader.page.fill("#f-instructions", "Giao chuyên viên tham mưu báo cáo, trình trước hạn.")
    leader.screenshot("page-task-assign")
    with leader.page.expect_navigation():
        leader.page.click("form.assign-form button[type=submit]")
    expect(leader.page.locator(".flash.success")).to_be_visible()
    task_url = leader.page.url
    assert "/tasks/" in task_url
    leader.assert_clean()

    specialist = open_tab("specialist_a")
    specialist.goto("/tasks")
    expect(specialist.page.locator("table.tasks tbody tr")).to_have_count(1)
    specialist.screenshot("page-my-tasks")
    specialist.page.click("table.tasks tbody tr a")
    specialist.page.click("#action-accept summary")
    with specialist.page.expect_navigation():
        specialist.page.click("#action-accept button[type=submit]")
    specialist.page.click("#action-progress summary")
    specialist.page.fill("#action-progress input[name=percent]", "60")
    specialist.page.fill("#action-progress textarea[name=note]", "Đã tổng hợp số liệu của các phòng.")
    with specialist.page.expect_navigation():
        specialist.page.click("#action-progress button[type=submit]")
    expect(specialist.page.locator("progress").first).to_have_attribute("value", "60")
    specialist.screenshot("page-task")
    specialist.page.click("#action-complete summary")
    specialist.page.fill("#action-complete textarea[name=note]", "Đề nghị lãnh đạo ký văn bản trả lời.")
    specialist.page.check("#action-complete input[name=create_reply]")
    with specialist.page.expect_navigation():
        specialist.page.click("#action-complete button[type=submit]")
    assert "/documents/" in specialist.page.url  # the reply draft, to edit and submit for signing
    expect(specialist.page.locator("h1")).to_contain_text("V/v trả lời văn bản số 412/UBND-KT")
    specialist.assert_clean()

    leader.goto(f"/documents/{doc['id']}/processing-slip")
    expect(leader.page.locator(".slip-title")).to_have_text("PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN")
    expect(leader.page.locator(".slip-handler")).to_contain_text("Đề nghị lãnh đạo ký văn bản trả lời.")
    leader.screenshot("page-processing-slip")
    leader.goto(task_url.replace(leader.base_url, ""))
    expect(leader.page.locator(".badge.state-completed")).to_be_visible()

    # The leader's dashboard counts it: one assigned this month, completed on time, in the chart too.
    leader.goto("/tasks/dashboard?by=person")
    totals = leader.page.locator("table.dashboard tfoot")
    expect(totals.locator("[data-figure=assigned]")).to_have_text("1")
    expect(totals.locator("[data-figure=completed_on_time]")).to_have_text("1")
    expect(leader.page.locator("svg#tasks-chart")).to_be_visible()
    leader.screenshot("page-task-dashboard")
    with leader.page.expect_download() as download:
        leader.page.click("a[download]")
    assert download.value.suggested_filename.endswith(".xlsx")
    leader.assert_clean()
