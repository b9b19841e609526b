"""An archivist opens a records file, files a document into it from the document's page and exports the file as
a ZIP, in a real browser. Screenshots of the records file page go to test-artifacts/."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.clock import local_today
from tests.support import make_pdf

SUBJECT = "V/v báo cáo kết quả công tác thi đua, khen thưởng năm 2026"
TITLE = "Hồ sơ khen thưởng năm 2026"


@pytest.mark.browser
def test_an_archivist_files_a_document_and_exports_the_records_file(open_tab, api, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    registered = api("clerk_a").register(make_pdf(SUBJECT), subject=SUBJECT, number="31", notation="SNV-TĐKT")
    assert registered.status_code == 201, registered.get_json()
    doc_id = registered.get_json()["id"]

    tab = open_tab("archivist_a")
    page = tab.page
    page.click(".mainnav a:text-is('Lưu trữ')")
    expect(page).to_have_url(re.compile(r"/archive/files$"))
    expect(page.locator("table.record-files tbody td.empty")).to_have_count(1)

    form = page.locator("#new-record-file form")
    expect(form.locator("#f-year")).to_have_value(str(local_today().year))
    form.locator("#f-code").fill("01.VP")
    form.locator("#f-title").fill(TITLE)
    form.locator("#f-retention_years").select_option("20")
    form.locator("#f-keeper_id").select_option(label="Người archivist A (archivist_a)")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/archive/files/\d+$"))
    file_url = page.url
    expect(page.locator(".flash.success")).to_contain_text("01.VP")
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("#documents tbody tr")).to_have_count(1)  # the row saying there is none yet
    expect(page.locator(f"#entry-{doc_id}")).to_have_count(0)

    tab.goto(f"/documents/{doc_id}")
    panel = page.locator("#record-file")
    expect(panel.locator("select[name=record_file_id] option")).to_have_count(1)
    expect(panel.locator("select[name=record_file_id]")).to_contain_text(TITLE)
    panel.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/documents/{doc_id}#record-file$"))
    expect(page.locator(".flash.success")).to_have_count(1)
    expect(panel.locator("select")).to_have_count(0)
    panel.locator("a", has_text=TITLE).click()

    expect(page).to_have_url(file_url)
    entry = page.locator(f"#entry-{doc_id}")
    expect(entry.locator("td.num")).to_have_text("1")
    expect(entry).to_contain_text("31/SNV-TĐKT")
    expect(entry).to_contain_text(SUBJECT)
    tab.screenshot("archive-record-file")

    with page.expect_download() as download_info:
        page.click(".heading .actions a[href$='/export.zip']")
    download = download_info.value
    assert download.suggested_filename.endswith(".zip"), download.suggested_filename
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert zipfile.is_zipfile(saved)
    with zipfile.ZipFile(saved) as package:
        names = package.namelist()
        assert "manifest.csv" in names, names
        manifest = package.read("manifest.csv").decode("utf-8-sig")
    assert "01.VP" in manifest and SUBJECT in manifest
    assert any(name.endswith(".pdf") for name in names), names
    tab.assert_clean()
