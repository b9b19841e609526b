"""The ZIP export of a records file and the transfer package: the files read back from the store, the manifests'
hashes, the Appendix VI XML parsed back, each download in the document's history; a store that is down."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import socket
from datetime import timedelta

from lxml import etree

from app.audit.models import AuditAction
from app.clock import local_today
from tests.archive.records import (  # noqa: F401 - fixtures
    ARCHIVIST,
    CLERK,
    LEADER,
    audit_events,
    close,
    download,
    file_document,
    incoming_fixture,
    new_file_fixture,
    unzip,
)
from tests.support import ORG_A, PASSWORD, ApiClient, make_pdf

PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _filled(api, new_file, incoming, **fields):  # type: ignore[no-untyped-def]
    """A records file with two documents: the first with an attachment."""
    f = new_file(**fields)
    first_pdf, second_pdf = make_pdf("Quyết định thành lập hội đồng", pages=2), make_pdf("Báo cáo kết quả")
    first = incoming(
        pdf=first_pdf,
        number="15",
        notation="QĐ-UBND",
        document_type="QĐ",
        subject="Quyết định thành lập Hội đồng xác định giá trị tài liệu",
        attachments=[("Phụ lục danh sách.xlsx", b"PK fake workbook bytes")],
    )
    second = incoming(pdf=second_pdf, number="7", notation="BC-SCT", document_type="BC", issuer="Sở Công Thương")
    for doc in (first, second):
        assert file_document(api, f["id"], doc["id"]).status_code == 201
    return f, (first, first_pdf), (second, second_pdf)


def test_a_records_file_exports_as_a_zip_whose_manifests_hash_its_pdfs(app, api, world, incoming, new_file) -> None:  # type: ignore[no-untyped-def]
    f, (first, first_pdf), (second, second_pdf) = _filled(api, new_file, incoming, code="12.HĐ")
    response = download(api(LEADER), f"/api/v1/archive/files/{f['id']}/export.zip")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/zip"
    assert f"ho-so-{f['year']}-12.HD.zip" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-SHA256"] == _sha(response.data)
    files = unzip(response.data)
    assert set(files) == {
        "manifest.csv",
        "manifest.json",
        "001_15_QD-UBND/van-ban.pdf",
        "001_15_QD-UBND/Phu-luc-danh-sach.xlsx",
        "002_7_BC-SCT/van-ban.pdf",
    }
    assert files["001_15_QD-UBND/van-ban.pdf"] == first_pdf
    assert files["002_7_BC-SCT/van-ban.pdf"] == second_pdf

    manifest = json.loads(files["manifest.json"])
    assert manifest["kind"] == "record_file_export" and manifest["generated_by"] == LEADER
    (record,) = manifest["record_files"]
    assert record["code"] == "12.HĐ" and record["records_code"] == f"{ORG_A}.{f['year']}.12.HĐ"
    assert [d["position"] for d in record["documents"]] == [1, 2]
    listed = {p["path"]: p for d in record["documents"] for p in d["files"]}
    assert set(listed) == {name for name in files if not name.startswith("manifest")}
    for path, entry in listed.items():
        assert entry["sha256"] == _sha(files[path]) and entry["size"] == len(files[path])
    assert listed["001_15_QD-UBND/Phu-luc-danh-sach.xlsx"]["filename"] == "Phụ lục danh sách.xlsx"
    assert record["documents"][0]["document"]["subject"] == first["subject"]
    assert record["documents"][0]["document"]["page_count"] == 2

    rows = list(csv.DictReader(io.StringIO(files["manifest.csv"].decode("utf-8-sig"))))
    assert [(r["position"], r["role"]) for r in rows] == [("1", "main"), ("1", "attachment"), ("2", "main")]
    assert all(r["sha256"] == _sha(files[r["path"]]) for r in rows)
    assert rows[0]["subject"] == first["subject"] and rows[2]["notation"] == "BC-SCT"

    # Each document's view history shows the download, and how it came.
    for doc, file_count in ((first, 2), (second, 1)):
        events = audit_events(app, AuditAction.DOCUMENT_FILE_DOWNLOADED, "document", doc["id"])
        assert len(events) == file_count  # one per file, as a direct download
        assert {e["file_id"] for e in events} == {f_["id"] for f_ in doc["files"]}
        assert {e["sha256"] for e in events} == {f_["sha256"] for f_ in doc["files"]}
        for event in events:
            assert event["via"] == "record_file_export" and event["record_file_id"] == f["id"]
            assert event["_actor_id"] == world.users[LEADER]
    (exported,) = audit_events(app, AuditAction.RECORD_FILE_EXPORTED, "record_file", f["id"])
    assert exported["documents"] == 2 and exported["files"] == 3
    assert exported["package_sha256"] == response.headers["X-Content-SHA256"]


def test_a_records_file_holding_a_secret_document_is_exported_only_by_those_who_may_read_it(
    app, api, incoming, new_file
) -> None:  # type: ignore[no-untyped-def]
    f = new_file()
    secret = incoming(secrecy="secret")
    assert file_document(api, f["id"], secret["id"], who=CLERK).status_code == 201
    refused = download(api(ARCHIVIST), f"/api/v1/archive/files/{f['id']}/export.zip")
    assert refused.status_code == 403 and "secret documents" in refused.get_json()["error"]["message"]
    assert audit_events(app, AuditAction.DOCUMENT_FILE_DOWNLOADED, "document", secret["id"]) == []
    assert download(api(CLERK), f"/api/v1/archive/files/{f['id']}/export.zip").status_code == 200


def test_the_transfer_package_holds_the_appendix_vi_metadata_as_xml(app, api, world, incoming, new_file) -> None:  # type: ignore[no-untyped-def]
    year = local_today().year - 1
    f, (first, first_pdf), (second, _) = _filled(
        api, new_file, incoming, year=year, code="02.VP", title="Hồ sơ về việc xác định giá trị tài liệu & <lưu trữ>"
    )
    assert close(api, f["id"], local_today() - timedelta(days=3)).status_code == 200
    other = new_file(year=year, code="03.VP", retention_years=None, title="Hồ sơ nhiệm kỳ")
    assert close(api, other["id"]).status_code == 200

    response = download(api(ARCHIVIST), f"/api/v1/archive/transfers/package.zip?files={f['id']},{other['id']}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.headers["Content-Disposition"].startswith("attachment")
    files = unzip(response.data)
    folder = f"{ORG_A}.{year}.02.VP"
    assert {
        f"{folder}/HoSo.xml",
        f"{folder}/001_15_QD-UBND/VanBan.xml",
        f"{folder}/001_15_QD-UBND/van-ban.pdf",
        f"{folder}/002_7_BC-SCT/VanBan.xml",
        f"{ORG_A}.{year}.03.VP/HoSo.xml",
        "manifest.csv",
        "manifest.json",
    } <= set(files)
    assert files[f"{folder}/001_15_QD-UBND/van-ban.pdf"] == first_pdf

    record_file = etree.fromstring(files[f"{folder}/HoSo.xml"], PARSER)
    assert files[f"{folder}/HoSo.xml"].startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert record_file.tag == "HoSo"
    assert all(el.tag.isascii() for el in record_file.iter())
    values = {el.tag: el.text for el in record_file}
    assert values["MaHoSo"] == f"{ORG_A}.{year}.02.VP"
    assert values["TieuDeHoSo"] == "Hồ sơ về việc xác định giá trị tài liệu & <lưu trữ>"
    assert values["ThoiHanBaoQuan"] == "10 năm"
    assert values["NgonNgu"] == "Tiếng Việt"
    assert values["CheDoSuDung"] == "Công khai"
    assert values["TongSoVanBan"] == "2"
    assert values["TongSoTrang"] == "3"  # 2 + 1
    assert values["ThoiGianBatDau"] == values["ThoiGianKetThuc"] == "2026-11-02"  # both dated that day
    assert [el.findtext("DuongDan") for el in record_file.find("DanhSachVanBan")] == [
        f"{folder}/001_15_QD-UBND/VanBan.xml",
        f"{folder}/002_7_BC-SCT/VanBan.xml",
    ]
    permanent = etree.fromstring(files[f"{ORG_A}.{year}.03.VP/HoSo.xml"], PARSER)
    assert permanent.findtext("ThoiHanBaoQuan") == "Vĩnh viễn" and permanent.findtext("TongSoVanBan") == "0"

    document = etree.fromstring(files[f"{folder}/001_15_QD-UBND/VanBan.xml"], PARSER)
    fields = {el.tag: el.text for el in document}
    expected = {
        "MaHoSo": f"{ORG_A}.{year}.02.VP",
        "SoThuTuVanBan": "1",
        "TenLoaiVanBan": "Quyết định",
        "SoVanBan": "15",
        "KyHieuVanBan": "QĐ-UBND",
        "NgayThangNamVanBan": "2026-11-02",
        "TenCoQuanBanHanh": "Sở Công Thương",
        "TrichYeuNoiDung": first["subject"],
        "NgonNgu": "Tiếng Việt",
        "SoTrang": "2",
        "CheDoSuDung": "Công khai",
        "MucDoTinCay": "Số hóa",  # received on paper
    }
    assert {k: fields[k] for k in expected} == expected
    for empty in ("KyHieuThongTin", "TuKhoa", "ButTich", "TinhTrangVatLy", "GhiChu"):
        assert empty in fields and fields[empty] is None
    listed = [(t.findtext("VaiTro"), t.findtext("TenTep"), t.findtext("SHA256")) for t in document.find("TepTin")]
    assert listed[0] == ("main", "van-ban.pdf", _sha(first_pdf))
    assert listed[1][:2] == ("attachment", "Phụ lục danh sách.xlsx")

    manifest = json.loads(files["manifest.json"])
    assert manifest["kind"] == "transfer_package"
    assert [r["code"] for r in manifest["record_files"]] == ["02.VP", "03.VP"]
    for doc in (first, second):
        events = audit_events(app, AuditAction.DOCUMENT_FILE_DOWNLOADED, "document", doc["id"])
        assert len(events) == len(doc["files"]) and {e["via"] for e in events} == {"transfer_package"}
    assert api(ARCHIVIST).get(f"/api/v1/archive/files/{f['id']}").get_json()["status"] == "closed"  # not transferred


def test_text_that_xml_cannot_carry_still_gives_well_formed_xml(app, api, incoming, new_file) -> None:  # type: ignore[no-untyped-def]
    f = new_file(year=local_today().year - 1)
    doc = incoming(subject='Trích yếu "có" <b>thẻ</b> & ]]> kết thúc')
    assert file_document(api, f["id"], doc["id"]).status_code == 201
    from app.documents.models import Document
    from app.extensions import db

    with app.app_context():  # a control character, as an old import could have left
        db.session.get(Document, doc["id"]).notes = "ghi\x01chú\x0b"
        db.session.commit()
    assert close(api, f["id"]).status_code == 200
    files = unzip(download(api(ARCHIVIST), f"/api/v1/archive/transfers/package.zip?files={f['id']}").data)
    (path,) = [name for name in files if name.endswith("VanBan.xml")]
    parsed = etree.fromstring(files[path], PARSER)
    assert parsed.findtext("TrichYeuNoiDung") == doc["subject"]
    assert parsed.findtext("GhiChu") == "ghichú"


def test_a_transfer_package_is_of_closed_files_of_ones_own_organisation(api, world, new_file) -> None:  # type: ignore[no-untyped-def]
    open_file = new_file()
    refused = download(api(ARCHIVIST), f"/api/v1/archive/transfers/package.zip?files={open_file['id']}")
    assert refused.status_code == 409 and "is not closed" in refused.get_json()["error"]["message"]
    theirs = new_file(who="archivist_b")
    close(api, theirs["id"], who="archivist_b")
    assert download(api(ARCHIVIST), f"/api/v1/archive/transfers/package.zip?files={theirs['id']}").status_code == 404


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_when_the_store_is_down_the_export_answers_503_and_records_no_download(app_factory, world) -> None:  # type: ignore[no-untyped-def]
    app = app_factory()
    archivist = ApiClient.login(app, ARCHIVIST, PASSWORD)
    doc = ApiClient.login(app, CLERK, PASSWORD).register(make_pdf("Trước sự cố"), number="31").get_json()
    f = archivist.post(
        "/api/v1/archive/files",
        json={"year": local_today().year - 1, "code": "01.SC", "title": "Hồ sơ sự cố", "retention_years": 5},
    ).get_json()
    assert archivist.post(
        f"/api/v1/archive/files/{f['id']}/documents", json={"document_id": doc["id"]}
    ).status_code == (201)
    assert archivist.post(f"/api/v1/archive/files/{f['id']}/close", json={}).status_code == 200

    down = app_factory(S3_ENDPOINT=f"127.0.0.1:{_closed_port()}", S3_TIMEOUT_SECONDS=0.5)
    reader = ApiClient.login(down, ARCHIVIST, PASSWORD)
    for url in (
        f"/api/v1/archive/files/{f['id']}/export.zip",
        f"/api/v1/archive/transfers/package.zip?files={f['id']}",
    ):
        response = download(reader, url)
        assert response.status_code == 503, url
        assert response.mimetype == "application/json"
        error = response.get_json()["error"]
        assert error["code"] == "storage_unavailable" and "not answering" in error["message"]
    assert audit_events(app, AuditAction.DOCUMENT_FILE_DOWNLOADED, "document", doc["id"]) == []
    assert audit_events(app, AuditAction.RECORD_FILE_EXPORTED) == []
    assert reader.get(f"/api/v1/archive/files/{f['id']}").status_code == 200  # the lists still work

    again = download(archivist, f"/api/v1/archive/files/{f['id']}/export.zip")  # the store that answers
    assert again.status_code == 200
    assert len(audit_events(app, AuditAction.DOCUMENT_FILE_DOWNLOADED, "document", doc["id"])) == 1


def test_two_codes_that_fold_to_one_name_get_two_folders(api, world, new_file) -> None:  # type: ignore[no-untyped-def]
    year = local_today().year - 1
    files = [new_file(year=year, code=code) for code in ("01.HĐ", "01.HD")]
    for f in files:
        assert close(api, f["id"]).status_code == 200
    ids = ",".join(str(f["id"]) for f in files)
    response = download(api(ARCHIVIST), f"/api/v1/archive/transfers/package.zip?files={ids}")
    assert response.status_code == 200
    names = [name for name in unzip(response.data) if name.endswith("HoSo.xml")]
    assert names == [f"{ORG_A}.{year}.01.HD/HoSo.xml", f"{ORG_A}.{year}.01.HD-{files[1]['id']}/HoSo.xml"]
