"""`flask archive import MANIFEST`: past documents listed in a CSV manifest become documents with their PDFs, once
each however often the manifest is run; bad rows are rejected with their line and reasons, the others imported."""

from __future__ import annotations

import csv
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import Result
from flask import Flask
from sqlalchemy.orm import selectinload

from app import worker
from app.clock import local_today
from tests.support import ORG_B, app_with_own_store, make_pdf

ARCHIVIST = "archivist_a"
COLUMNS = [
    "direction",
    "document_type",
    "number",
    "notation",
    "issued_on",
    "issuer",
    "subject",
    "signer_name",
    "signer_position",
    "recipients",
    "urgency",
    "secrecy",
    "page_count",
    "received_on",
    "register_number",
    "notes",
    "file",
]


@pytest.fixture
def app(app_factory) -> Flask:  # type: ignore[no-untyped-def]
    """The tests read the command's reasons in English (the default locale of a deployment is Vietnamese)."""
    return app_factory(BABEL_DEFAULT_LOCALE="en")


@lru_cache(maxsize=64)
def small_pdf(text: str, pages: int = 1) -> bytes:
    """A real, small PDF whose page says `text` (in the core font, so without diacritics)."""
    from fpdf import FPDF

    from app.text import fold

    pdf = FPDF()
    pdf.set_creator("tests")
    for page in range(pages):
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.multi_cell(0, 8, f"{fold(text)} - page {page + 1}")
    return bytes(pdf.output())


def write_manifest(
    path: Path, rows: list[dict[str, str]], columns: list[str] | None = None, delimiter: str = ",", bom: bool = False
) -> Path:
    columns = columns or COLUMNS
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(column, "") for column in columns])
    return path


def past_rows(folder: Path, count: int = 20) -> list[dict[str, str]]:
    """`count` past dispatches of organisation A (incoming from other agencies, outgoing of its own), their PDFs
    in folder/files; rows 3 and 4 share one file and row 5 has a copy of it under another name."""
    files = folder / "files"
    files.mkdir(parents=True, exist_ok=True)
    rows = []
    for i in range(count):
        year = 2015 + i % 5
        incoming = i % 3 != 2
        subject = f"Kế hoạch phòng chống thiên tai số {i + 1} năm {year}"
        if i == 7:
            subject = "Quyết định phê duyệt dự án thủy lợi Sông Cầu"
        name = f"files/vb-{i + 1:03d}.pdf"
        if i in (3, 4):
            name = "files/chung.pdf"
        shared = i in (3, 4, 5)
        (folder / name).write_bytes(small_pdf("shared" if shared else subject, pages=2 if shared else 1 + i % 2))
        row = {
            "direction": "incoming" if incoming else "outgoing",
            "document_type": ["KH", "QĐ", "CV", "Quyết định", "Công văn"][i % 5],
            "number": str(i + 1),
            "notation": "QĐ-UBND" if i % 5 in (1, 3) else "UBND-VP",
            "issued_on": f"{year}-03-{i % 28 + 1:02d}" if i % 2 else f"{i % 28 + 1:02d}/04/{year}",
            "issuer": "Sở Tài chính" if incoming else "",
            "subject": subject,
            "signer_name": "Trần Văn Bình",
            "signer_position": "Giám đốc",
            "recipients": "Như trên;\nLưu: VT",
            "urgency": ["normal", "khẩn", "Thượng khẩn", "hỏa tốc"][i % 4],
            "secrecy": "normal",
            "received_on": f"{year}-05-02" if incoming else "",
            "notes": "hồ sơ giấy" if i == 0 else "",
            "file": name,
        }
        rows.append(row)
    return rows


def run(app: Flask, manifest: Path, *options: str, user: str = ARCHIVIST) -> Result:
    args = ["archive", "import", str(manifest), *options]
    if user:
        args += ["--as", user]
    return app.test_cli_runner().invoke(args=args)


def counts(app: Flask) -> dict[str, int]:
    from app.archive.models import ArchiveImport
    from app.audit.models import AuditEvent
    from app.documents.models import Document, DocumentFile, Register
    from app.extensions import db
    from app.storage.models import Blob

    tables = {
        "documents": Document,
        "files": DocumentFile,
        "blobs": Blob,
        "imports": ArchiveImport,
        "audit": AuditEvent,
        "registers": Register,
    }
    with app.app_context():
        return {name: db.session.scalar(sa.select(sa.func.count()).select_from(t)) or 0 for name, t in tables.items()}


def read_report(path: Path) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8-sig")
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    return list(csv.DictReader(text.splitlines(), delimiter=delimiter))


def imported_documents(app: Flask) -> list[Any]:
    from app.archive.models import ArchiveImport
    from app.documents.models import Document
    from app.extensions import db

    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(Document)
                .join(ArchiveImport, ArchiveImport.document_id == Document.id)
                .options(selectinload(Document.register))
                .order_by(Document.id)
            )
        )


def test_a_manifest_of_past_documents_is_imported_once_readable_and_searchable(app, world, api, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = past_rows(tmp_path)
    manifest = write_manifest(tmp_path / "so-cu.csv", rows)
    before = counts(app)

    result = run(app, manifest)

    assert result.exit_code == 0, result.output
    assert "imported 20, already imported 0, rejected 0" in result.output
    after = counts(app)
    assert after["documents"] - before["documents"] == 20
    assert after["imports"] == 20
    assert after["files"] - before["files"] == 20
    assert after["blobs"] - before["blobs"] == 18  # rows 3, 4 and 5 have the same bytes: stored once
    assert after["registers"] == before["registers"]  # no row gave a register number: no register touched

    docs = {doc.subject: doc for doc in imported_documents(app)}
    first = docs["Kế hoạch phòng chống thiên tai số 1 năm 2015"]
    assert (first.direction, first.status, first.document_type) == ("incoming", "registered", "KH")
    assert (first.number, first.notation, first.issuer) == ("1", "UBND-VP", "Sở Tài chính")
    assert first.issued_on.isoformat() == "2015-04-01"  # 01/04/2015, as Vietnamese officials write it
    assert first.received_on.isoformat() == "2015-05-02"
    assert first.register_number is None and first.register_id is None  # no number from the live register
    assert first.recipients == "Như trên;\nLưu: VT"
    assert first.page_count == 1
    outgoing = docs["Kế hoạch phòng chống thiên tai số 3 năm 2017"]
    assert (outgoing.direction, outgoing.status, outgoing.document_type) == ("outgoing", "issued", "CV")
    assert outgoing.issuer == "Ủy ban nhân dân tỉnh Thử Nghiệm"  # the organisation's own
    assert outgoing.urgency == "very_urgent"  # "Thượng khẩn"
    assert docs["Kế hoạch phòng chống thiên tai số 4 năm 2018"].document_type == "QĐ"  # "Quyết định"
    assert docs["Kế hoạch phòng chống thiên tai số 4 năm 2018"].urgency == "express"  # "hỏa tốc"
    assert docs["Kế hoạch phòng chống thiên tai số 2 năm 2016"].urgency == "urgent"  # "khẩn"
    assert docs["Kế hoạch phòng chống thiên tai số 2 năm 2016"].page_count == 2  # counted in the PDF

    clerk = api("clerk_a")
    shown = clerk.get(f"/api/v1/documents/{first.id}")
    assert shown.status_code == 200, shown.get_json()
    body = shown.get_json()
    assert body["subject"] == first.subject and body["status"] == "registered"
    (main,) = body["files"]
    assert main["content_type"] == "application/pdf" and main["filename"] == "vb-001.pdf"
    assert clerk.get(main["url"]).data == (tmp_path / "files" / "vb-001.pdf").read_bytes()
    shared = docs["Kế hoạch phòng chống thiên tai số 4 năm 2018"]
    shared_file = clerk.get(f"/api/v1/documents/{shared.id}").get_json()["files"][0]
    assert clerk.get(shared_file["url"]).data == small_pdf("shared", pages=2)

    from app.audit.models import AuditEvent
    from app.extensions import db

    with app.app_context():
        created = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "document:created", AuditEvent.object_id == str(first.id))
        ).one()
        assert created.actor_id == world.users[ARCHIVIST]
        assert created.data["imported_from"] == "so-cu.csv" and created.data["line"] == 2

    worker.run_until_idle(app)
    found = clerk.get("/api/v1/search", query_string={"q": "thuy loi"}).get_json()
    assert [item["id"] for item in found["items"]] == [docs["Quyết định phê duyệt dự án thủy lợi Sông Cầu"].id]

    again = run(app, manifest)
    assert again.exit_code == 0, again.output
    assert "imported 0, already imported 20, rejected 0" in again.output
    assert {k: v for k, v in counts(app).items() if k != "audit"} == {k: v for k, v in after.items() if k != "audit"}
    with app.app_context():
        created = db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "document:created")
        )
        assert created == 20
    assert not (tmp_path / "so-cu.rejected.csv").exists()


def test_bad_rows_are_rejected_with_their_line_and_reasons_and_the_others_imported(app, world, api, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = past_rows(tmp_path, count=3)
    files = tmp_path / "files"
    (files / "ghi-chu.pdf").write_text("Đây không phải là PDF, chỉ là văn bản.\n", encoding="utf-8")
    (files / "hong.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ngarbage" * 3)
    hostile = "<script>alert('x')</script> =HYPERLINK(\"http://evil\") '; DROP TABLE documents;-- \u202egnp.exe"
    good = rows[0]
    numbers = iter(range(100, 200))

    def bad(**changes: str) -> dict[str, str]:
        return {**good, "number": str(next(numbers)), **changes}

    rows += [
        bad(subject=""),  # line 5
        bad(issued_on="31/02/2020"),  # line 6
        bad(document_type="XYZ"),  # line 7
        bad(file="files/khong-co.pdf"),  # line 8
        bad(file="files/ghi-chu.pdf"),  # line 9: text renamed .pdf
        bad(file="files/hong.pdf"),  # line 10: damaged PDF
        bad(file="../../etc/passwd"),  # line 11
        bad(subject=hostile),  # line 12: accepted, kept as text
        bad(subject="", issued_on="2020-13-01", file=""),  # line 13: three problems
        bad(direction="sideways", subject="=1+2"),  # line 14
        bad(issued_on=f"{local_today().year + 1}-01-02", received_on=""),  # line 15
        dict(good),  # line 16: the same document as line 2
    ]
    manifest = write_manifest(tmp_path / "manifest.csv", rows)

    result = run(app, manifest)

    assert result.exit_code == 2, result.output
    assert "imported 4, already imported 0, rejected 11" in result.output
    report = tmp_path / "manifest.rejected.csv"
    assert f"rejected rows are listed in {report}" in result.output
    reasons = {int(r["line"]): r["reason"] for r in read_report(report)}
    assert sorted(reasons) == [5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16]
    assert reasons[5] == "subject: Required."
    assert reasons[6] == "issued_on: Not a date: use YYYY-MM-DD or DD/MM/YYYY."
    assert reasons[7].startswith("document_type: Unknown document type")
    assert reasons[8] == "file: No such file: files/khong-co.pdf."
    assert reasons[9] == "file: The main file must be a PDF."
    assert reasons[10].startswith("file: The PDF is damaged and cannot be read") or reasons[10] == (
        "file: The PDF has no pages."
    )
    assert reasons[11] == (
        "file: ../../etc/passwd is outside the manifest's folder (allowed only with --allow-outside)."
    )
    assert set(reasons[13].split("; ")) == {
        "issued_on: Not a date: use YYYY-MM-DD or DD/MM/YYYY.",
        "subject: Required.",
        "file: Attach the document's PDF.",
    }
    assert reasons[14] == "direction: Must be one of: incoming, outgoing."
    assert reasons[15] == "issued_on: The date is in the future."
    assert reasons[16] == "The same document as line 2 (same number, notation, issuer and date)."
    assert "line 9: file: The main file must be a PDF." in result.output
    reported = {int(r["line"]): r for r in read_report(report)}
    assert reported[8]["file"] == "files/khong-co.pdf" and reported[8]["subject"] == good["subject"]
    assert reported[14]["subject"] == "'=1+2"  # what a spreadsheet would run as a formula stays text

    docs = {doc.subject: doc for doc in imported_documents(app)}
    assert len(docs) == 4
    stored = next(doc for subject, doc in docs.items() if "script" in subject)
    assert stored.subject == hostile.replace("\u202e", "")  # the direction override is taken out, nothing else
    clerk = api("clerk_a")
    assert clerk.get(f"/api/v1/documents/{stored.id}").get_json()["subject"] == stored.subject
    from tests.support import web_login

    browser = app.test_client()
    web_login(browser, "clerk_a")
    page = browser.get(f"/documents/{stored.id}").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page

    again = run(app, manifest)  # the same rejections, nothing imported twice
    assert again.exit_code == 2
    assert "imported 0, already imported 4, rejected 11" in again.output
    assert len(imported_documents(app)) == 4


def test_a_file_over_the_upload_limit_is_rejected_and_one_outside_the_folder_needs_allowing(
    app_factory, world, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    app = app_factory(BABEL_DEFAULT_LOCALE="en", MAX_UPLOAD_MB=1)
    folder = tmp_path / "manifest"
    rows = past_rows(folder, count=2)
    (folder / "files" / "lon.pdf").write_bytes(small_pdf("lon") + b"%" * (1024 * 1024))  # a PDF, padded past 1 MB
    (tmp_path / "elsewhere.pdf").write_bytes(small_pdf("elsewhere"))
    rows[0]["file"] = "files/lon.pdf"
    rows[1]["file"] = str(tmp_path / "elsewhere.pdf")
    manifest = write_manifest(folder / "m.csv", rows)

    refused = run(app, manifest)

    assert refused.exit_code == 2, refused.output
    reasons = {int(r["line"]): r["reason"] for r in read_report(folder / "m.rejected.csv")}
    assert reasons[2] == "file: The upload is larger than the limit of 1 MB."
    assert reasons[3].endswith("elsewhere.pdf is outside the manifest's folder (allowed only with --allow-outside).")
    allowed = run(app, manifest, "--allow-outside")
    assert "imported 1, already imported 0, rejected 1" in allowed.output
    assert read_report(folder / "m.rejected.csv")[0]["line"] == "2"


def test_vietnamese_headers_semicolons_and_a_byte_order_mark(app, world, api, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "scan").mkdir()
    (tmp_path / "scan" / "qd-15.pdf").write_bytes(small_pdf("Quyet dinh 15"))
    (tmp_path / "scan" / "cv-7.pdf").write_bytes(small_pdf("Cong van 7", pages=3))
    columns = [
        "STT",
        "Chiều",
        "Loại văn bản",
        "Số, ký hiệu",
        "Ngày ban hành",
        "Cơ quan ban hành",
        "Trích yếu",
        "Người ký",
        "Độ khẩn",
        "Độ mật",
        "Ngày đến",
        "Số đến",
        "Tệp",
    ]
    rows = [
        {
            "STT": "1",
            "Chiều": "đến",
            "Loại văn bản": "Quyết định",
            "Số, ký hiệu": "15/QĐ-UBND",
            "Ngày ban hành": "15/03/2019",
            "Cơ quan ban hành": "UBND huyện Đông Anh",
            "Trích yếu": "Về việc giao chỉ tiêu kế hoạch năm 2019",
            "Người ký": "Lê Thị Hoa",
            "Độ khẩn": "Hỏa tốc",
            "Độ mật": "Mật",
            "Ngày đến": "18/03/2019",
            "Số đến": "42",
            "Tệp": "scan\\qd-15.pdf",  # as a clerk on Windows writes it
        },
        {
            "STT": "2",
            "Chiều": "Văn bản đi",
            "Loại văn bản": "cv",
            "Số, ký hiệu": "07/UBND-VP",
            "Ngày ban hành": "2019-04-01",
            "Trích yếu": "Về việc báo cáo số liệu đầu tư công",
            "Người ký": "Nguyễn Văn An",
            "Độ khẩn": "Thường",
            "Độ mật": "Thường",
            "Tệp": str(tmp_path / "scan" / "cv-7.pdf"),  # absolute, inside the folder
        },
    ]
    manifest = write_manifest(tmp_path / "danh-muc.csv", rows, columns=columns, delimiter=";", bom=True)

    result = run(app, manifest)

    assert result.exit_code == 0, result.output
    assert "imported 2, already imported 0, rejected 0" in result.output
    assert "columns not read" not in result.output  # STT is known to say nothing
    decision, letter = imported_documents(app)
    assert (decision.direction, decision.document_type, decision.number, decision.notation) == (
        "incoming",
        "QĐ",
        "15",
        "QĐ-UBND",
    )
    assert decision.issued_on.isoformat() == "2019-03-15" and decision.received_on.isoformat() == "2019-03-18"
    assert (decision.issuer, decision.signer_name) == ("UBND huyện Đông Anh", "Lê Thị Hoa")
    assert (decision.urgency, decision.secrecy) == ("express", "confidential")
    assert decision.register_number == 42 and decision.register_year == 2019
    assert (letter.direction, letter.status, letter.document_type, letter.number) == ("outgoing", "issued", "CV", "07")
    assert letter.page_count == 3 and letter.secrecy == "normal"
    # A confidential document: its importer may read it, the other members only when granted.
    assert api(ARCHIVIST).get(f"/api/v1/documents/{decision.id}").status_code == 200
    assert api("clerk_a").get(f"/api/v1/documents/{decision.id}").status_code == 404


def test_register_numbers_come_only_from_the_rows_and_live_numbering_goes_on_after_them(
    app, world, api, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    this_year = local_today().year
    rows = past_rows(tmp_path, count=4)
    rows[0].update(received_on=f"{this_year}-01-01", issued_on=f"{this_year}-01-01", register_number="7")
    rows[1].update(received_on="2016-05-02", register_number="3")
    rows[3].update(issued_on="2016-01-10", received_on="2016-06-01", register_number="3")  # row 2's entry
    manifest = write_manifest(tmp_path / "so-den.csv", rows)

    result = run(app, manifest)

    assert result.exit_code == 2, result.output
    reasons = {int(r["line"]): r["reason"] for r in read_report(tmp_path / "so-den.rejected.csv")}
    assert reasons == {5: "register_number: Number 3 is already used in the incoming register of 2016."}
    from app.documents.models import Register
    from app.extensions import db

    with app.app_context():
        registers = db.session.execute(sa.select(Register.year, Register.direction, Register.last_number)).all()
    assert sorted(registers) == [(2016, "incoming", 3), (this_year, "incoming", 7)]
    live = api("clerk_a").register(make_pdf("Công văn thử nghiệm"), number="500")
    assert live.status_code == 201, live.get_json()
    assert live.get_json()["register_number"] == 8  # after the paper register's 7, not through it


def test_a_dry_run_checks_everything_and_writes_nothing(app, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = past_rows(tmp_path, count=6)
    rows[2]["issued_on"] = "31/02/2020"
    manifest = write_manifest(tmp_path / "thu.csv", rows)
    store = app.extensions["blob_store"]
    objects_before = sum(1 for _ in store.list())
    before = counts(app)

    result = run(app, manifest, "--dry-run")

    assert result.exit_code == 2, result.output
    assert "dry run, nothing written: would import 5, already imported 0, rejected 1" in result.output
    assert counts(app) == before
    assert sum(1 for _ in store.list()) == objects_before
    assert read_report(tmp_path / "thu.rejected.csv")[0]["line"] == "4"
    assert run(app, manifest).exit_code == 2
    assert counts(app)["documents"] == before["documents"] + 5


def test_an_interrupted_import_is_finished_by_running_the_whole_manifest_again(app, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = past_rows(tmp_path, count=20)
    half = write_manifest(tmp_path / "nua-dau.csv", rows[:10])
    whole = write_manifest(tmp_path / "tat-ca.csv", rows)

    assert run(app, half, "--batch-size", "3").exit_code == 0
    result = run(app, whole, "--batch-size", "3")

    assert result.exit_code == 0, result.output
    assert "imported 10, already imported 10, rejected 0" in result.output
    docs = imported_documents(app)
    assert len(docs) == 20 and len({doc.subject for doc in docs}) == 20


def test_what_stops_the_whole_import_exits_1(app, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = past_rows(tmp_path, count=2)
    manifest = write_manifest(tmp_path / "m.csv", rows)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("direction,document_type,subject,file\nincoming,CV,Công văn,a.pdf\n".encode("cp1258"))
    no_header = write_manifest(tmp_path / "no-header.csv", [], columns=["incoming", "CV", "x.pdf"])
    no_subject = write_manifest(tmp_path / "no-subject.csv", rows, columns=["direction", "document_type", "file"])

    cases = {
        "missing user": (run(app, manifest, user=""), "--as USERNAME is required"),
        "unknown user": (run(app, manifest, user="nobody"), "There is no active user nobody."),
        "no role": (run(app, manifest, user="specialist_a"), "Only a clerk or an archivist imports"),
        "other org": (run(app, manifest, "--organisation", ORG_B), f"archivist_a is not a member of {ORG_B}."),
        "no manifest": (run(app, tmp_path / "none.csv"), "There is no manifest at"),
        "not UTF-8": (run(app, latin), 'The manifest is not UTF-8 text (line 2): save it as "CSV UTF-8"'),
        "no header": (run(app, no_header), "The manifest's first line must name its columns"),
        "no column": (run(app, no_subject), "The manifest has no column for subject."),
    }
    for case, (result, message) in cases.items():
        assert result.exit_code == 1, (case, result.output)
        assert message in result.output, (case, result.output)
    assert counts(app)["documents"] == 0


def test_the_store_stopping_midway_keeps_the_finished_batches_and_a_rerun_finishes(
    app_factory, world, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from app.archive.importer import import_manifest, importing_user
    from app.archive.manifest import read_manifest
    from app.documents.models import Document, DocumentFile
    from app.extensions import db
    from app.storage.errors import StorageUnavailable
    from app.storage.models import Blob

    with app_with_own_store(app_factory, tmp_path, BABEL_DEFAULT_LOCALE="en") as (app, store):
        folder = tmp_path / "so"
        manifest_path = write_manifest(folder / "so.csv", past_rows(folder, count=20))
        with app.app_context():
            manifest = read_manifest(manifest_path)
            actor, organisation = importing_user(ARCHIVIST)
            db.session.commit()
            batches = import_manifest(manifest, actor, organisation, batch_size=5)
            for _ in range(2):
                next(batches)
                db.session.commit()
            store.stop()
            with pytest.raises(StorageUnavailable):
                next(batches)
            db.session.rollback()

            # The two finished batches are kept, whole: each document with its file, no file or blob row alone.
            documents = db.session.scalars(sa.select(Document)).all()
            assert len(documents) == 10
            assert all(len(doc.files) == 1 for doc in documents)
            blobs = set(db.session.scalars(sa.select(Blob.sha256)))
            assert blobs == set(db.session.scalars(sa.select(DocumentFile.blob_sha256)))

        down = run(app, manifest_path, "--batch-size", "5")
        assert down.exit_code == 1, down.output
        assert "imported 0, already imported 10, rejected 0" in down.output
        assert "STOPPED at line 12: The file store is not answering" in down.output
        assert "Run the same command again to import the rest." in down.output
        assert counts(app)["documents"] == 10

        store.start()
        finished = run(app, manifest_path)
        assert finished.exit_code == 0, finished.output
        assert "imported 10, already imported 10, rejected 0" in finished.output
        assert counts(app)["documents"] == counts(app)["imports"] == 20
        verified = app.test_cli_runner().invoke(args=["storage", "verify"])
        assert verified.exit_code == 0, verified.output
    shutil.rmtree(tmp_path / "s3", ignore_errors=True)
