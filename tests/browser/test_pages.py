"""Every page a clerk or an administrator uses renders in the browser without a CSP violation or a script error.

Each page is also saved as a screenshot in test-artifacts/, for a person to look at.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.clock import local_today
from tests.support import make_pdf

DOCUMENTS = [
    {"subject": "V/v báo cáo tình hình thực hiện kế hoạch năm 2026", "number": "15", "notation": "SCT-VP"},
    {
        "subject": "V/v đề nghị cung cấp số liệu phục vụ xây dựng báo cáo kinh tế - xã hội sáu tháng đầu năm "
        "và phương hướng, nhiệm vụ sáu tháng cuối năm 2026 của tỉnh",
        "number": "231",
        "notation": "UBND-KT",
        "issuer": "Ủy ban nhân dân tỉnh Thử Nghiệm",
        "urgency": "express",
        "document_type": "QĐ",
    },
    {"subject": "Giấy mời họp giao ban tháng 11", "number": "8", "notation": "GM-STC", "urgency": "urgent"},
    {"subject": "V/v công tác bảo vệ bí mật nhà nước", "number": "3", "notation": "CA-PV01", "secrecy": "secret"},
]


@pytest.mark.browser
def test_clerk_pages_render_cleanly(open_tab, api) -> None:  # type: ignore[no-untyped-def]
    clerk = api("clerk_a")
    issued = (local_today() - timedelta(days=4)).isoformat()
    ids = []
    for fields in DOCUMENTS:
        response = clerk.register(make_pdf(), issued_on=issued, attachments=[("phu-luc.xlsx", b"PK\x03\x04")], **fields)
        assert response.status_code == 201, response.get_json()
        ids.append(response.get_json()["id"])
    changed = clerk.patch(f"/api/v1/documents/{ids[0]}", json={"page_count": 3, "notes": "Chuyển phòng Kế hoạch"})
    assert changed.status_code == 200, changed.get_json()

    anonymous = open_tab()
    anonymous.goto("/login")
    assert anonymous.lang() == "vi"
    anonymous.screenshot("page-login")
    anonymous.page.fill("#username", "clerk_a")
    anonymous.page.fill("#password", "wrong password")
    anonymous.page.click("form button[type=submit]")
    expect(anonymous.page.locator(".flash.error")).to_be_visible()
    anonymous.screenshot("page-login-failed")
    anonymous.assert_clean()

    tab = open_tab("clerk_a")
    page = tab.page
    pages = {
        "page-list": "/documents",
        "page-list-incoming": "/documents?direction=incoming&q=bao+cao",
        "page-register-incoming": "/documents/new?direction=incoming",
        "page-new-draft": "/documents/new?direction=outgoing",
        "page-detail": f"/documents/{ids[0]}",
        "page-detail-secret": f"/documents/{ids[3]}",
        "page-edit": f"/documents/{ids[1]}/edit",
        "page-registers": "/registers",
        "page-register": f"/registers/incoming/{local_today().year}",
        "page-profile": "/profile",
    }
    for name, path in pages.items():
        tab.goto(path)
        assert tab.lang() == "vi", path
        expect(page.locator("h1")).to_be_visible()
        tab.screenshot(name)

    # The form's own errors are shown next to the fields they are about.
    tab.goto("/documents/new?direction=incoming")
    page.fill("#f-issuer", "Sở Tài chính")
    page.fill("#f-subject", "V/v thẩm định dự toán")
    page.fill("#f-issued_on", local_today().isoformat())
    page.fill("#f-received_on", (local_today() - timedelta(days=1)).isoformat())
    page.set_input_files("#f-file", files=[{"name": "a.pdf", "mimeType": "application/pdf", "buffer": make_pdf()}])
    page.click("form.docform button[type=submit]")
    expect(page.locator(".field.has-error #f-received_on")).to_be_visible()
    expect(page.locator("#err-received_on")).to_be_visible()
    tab.screenshot("page-register-incoming-errors")

    page.goto(tab.base_url + "/documents/999999")
    expect(page.locator("h1")).to_have_text("404")
    tab.screenshot("page-not-found")
    tab.assert_clean()


@pytest.mark.browser
def test_admin_pages_render_cleanly(open_tab, world) -> None:  # type: ignore[no-untyped-def]
    tab = open_tab("admin_a")
    pages = {
        "page-admin-organisations": "/admin/organisations",
        "page-admin-organisation": f"/admin/organisations/{world.orgs['a']}",
        "page-admin-user-new": f"/admin/organisations/{world.orgs['a']}/users/new",
        "page-admin-user": f"/admin/users/{world.users['clerk_a']}",
    }
    for name, path in pages.items():
        tab.goto(path)
        assert tab.lang() == "vi", path
        expect(tab.page.locator("h1")).to_be_visible()
        tab.screenshot(name)
    tab.assert_clean()
