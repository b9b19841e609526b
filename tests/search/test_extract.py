"""The text the search index gets from a PDF: text layers, OCR of scans, and every kind of bad file without raising.

Real PDFs (our own typesetter, Pillow images of Vietnamese text, pypdf for joining and encrypting) and the real
programs (poppler's pdftoppm, tesseract with its Vietnamese model). Without tesseract the OCR tests are skipped
and say which Debian packages to install; the tests of OCR being absent run everywhere.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import time
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from app.documents.rendering import DocumentLayout, find_font, render_document
from app.search import extract
from app.search.extract import PAGE_SEPARATOR, Extracted, extract_many, extract_text, ocr_available

SUBJECT = "Quyết định khen thưởng tập thể, cá nhân có thành tích xuất sắc"
SCANNED_LINES = (
    "QUYẾT ĐỊNH",
    "Về việc khen thưởng tập thể, cá nhân",
    "có thành tích xuất sắc trong năm 2024",
    "Điều 1. Tặng giấy khen cho các tập thể và cá nhân.",
)

OWNER_PASSWORD = "chu-so-huu"

needs_ocr = pytest.mark.skipif(
    not ocr_available(), reason="OCR needs the Debian packages poppler-utils, tesseract-ocr and tesseract-ocr-vie"
)
needs_pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")


def fold(text: str) -> str:
    """Lower case without diacritics (đ as d), spaces collapsed: what OCR noise cannot take away from a match."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(bare.lower().split())


def flat(text: str) -> str:
    """Whitespace collapsed: the typesetter wraps a long subject over two lines."""
    return " ".join(text.split())


def text_pdf(pages: int = 1, subject: str = SUBJECT) -> bytes:
    return render_document(
        DocumentLayout(
            organisation="Ủy ban nhân dân tỉnh Bắc Ninh",
            parent_organisation="",
            number_line="Số: 125/QĐ-UBND",
            place="Bắc Ninh",
            issued_on=date(2024, 12, 20),
            type_name="Quyết định",
            subject=subject,
            body=["Điều 1. Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho 12 tập thể và 25 cá nhân."],
            signer_position="Chủ tịch",
            signer_name="Nguyễn Văn An",
            recipients=["Như Điều 3", "Lưu: VT"],
        ),
        pages=pages,
    )


def scanned_pdf(lines: tuple[str, ...] = SCANNED_LINES) -> bytes:
    """One A4 page that is only an image of Vietnamese text, as a scanner makes it (300 dpi, 40 px letters)."""
    font = ImageFont.truetype(str(find_font()), 40)
    image = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        draw.text((200, 300 + 80 * row), line, font=font, fill=0)
    out = io.BytesIO()
    image.save(out, "PDF", resolution=300)
    return out.getvalue()


def joined(*pdfs: bytes) -> bytes:
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted(pdf: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.encrypt(user_password, OWNER_PASSWORD, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def scan() -> bytes:
    return scanned_pdf()


@pytest.fixture
def no_tesseract(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TESSERACT_CMD", str(tmp_path / "no-such-tesseract"))


def assert_read_without_error(result: Extracted) -> None:
    assert result.error is None, result.error
    assert unicodedata.is_normalized("NFC", result.text)


# --- Text layers -------------------------------------------------------------------------------------------------


def test_a_typeset_document_is_read_from_its_text_layer_without_ocr() -> None:
    result = extract_text(text_pdf())

    assert_read_without_error(result)
    assert SUBJECT in flat(result.text)
    assert "125/QĐ-UBND" in result.text
    assert (result.pages, result.text_pages, result.ocr_pages, result.skipped_pages) == (1, 1, 0, 0)
    assert result.notes == ()


def test_decomposed_vietnamese_in_a_text_layer_comes_back_composed() -> None:
    decomposed = unicodedata.normalize("NFD", SUBJECT)
    pdf = text_pdf(subject=decomposed)
    assert not unicodedata.is_normalized("NFC", PdfReader(io.BytesIO(pdf)).pages[0].extract_text())

    result = extract_text(pdf)

    assert_read_without_error(result)
    assert SUBJECT in flat(result.text)


def test_pages_are_separated_so_that_a_match_can_be_traced_to_its_page() -> None:
    result = extract_text(text_pdf(pages=3))

    assert_read_without_error(result)
    assert result.pages == result.text_pages == 3
    assert result.text.count(PAGE_SEPARATOR) == 2
    assert len(result.page_texts) == 3
    assert SUBJECT in flat(result.page_texts[0])
    assert all("Tặng Bằng khen" in page for page in result.page_texts)


def test_only_the_first_pages_are_read_past_max_pages() -> None:
    result = extract_text(text_pdf(pages=3), max_pages=2)

    assert_read_without_error(result)
    assert (result.pages, result.text_pages) == (3, 2)
    assert len(result.page_texts) == 2
    assert any("first 2 pages of 3" in note for note in result.notes)


def test_spaces_are_collapsed_and_line_breaks_kept() -> None:
    raw = "Quye\u0302\u0301t  \t đi\u0323nh\u00a0 số\u200b 12 \r\n\r\n\r\n\r\n  Điều\x0c1.\x00 "

    assert extract.clean(raw) == "Quyết định số 12\n\nĐiều 1."


# --- Scans -------------------------------------------------------------------------------------------------------


@needs_ocr
def test_a_scanned_page_is_read_by_ocr(scan: bytes) -> None:
    started = time.monotonic()
    result = extract_text(scan)
    elapsed = time.monotonic() - started

    assert_read_without_error(result)
    assert (result.pages, result.text_pages, result.ocr_pages, result.skipped_pages) == (1, 0, 1, 0)
    folded = fold(result.text)
    assert "khen thuong" in folded, result.text
    assert "thanh tich xuat sac" in folded, result.text
    assert elapsed < 30, f"OCR of one page took {elapsed:.1f} s"


@needs_ocr
def test_a_document_with_a_typeset_page_and_a_scanned_page_reads_each_its_own_way(scan: bytes) -> None:
    result = extract_text(joined(text_pdf(), scan))

    assert_read_without_error(result)
    assert (result.pages, result.text_pages, result.ocr_pages, result.skipped_pages) == (2, 1, 1, 0)
    first, second = result.page_texts
    assert SUBJECT in flat(first)
    assert "khen thuong" in fold(second)


@needs_ocr
def test_ocr_reads_a_scan_even_in_a_pdf_encrypted_without_a_user_password(scan: bytes) -> None:
    result = extract_text(encrypted(scan, ""))

    assert_read_without_error(result)
    assert result.ocr_pages == 1
    assert "khen thuong" in fold(result.text)


@needs_ocr
def test_ocr_stops_at_the_time_limit_and_says_so(scan: bytes) -> None:
    result = extract_text(joined(scan, scan), timeout=0.2)

    assert result.error is None
    assert result.ocr_pages == 0
    assert result.skipped_pages == 2
    assert any("Time limit" in note for note in result.notes), result.notes


def test_without_tesseract_a_scanned_page_is_skipped_with_a_note(scan: bytes, no_tesseract: None) -> None:
    assert not ocr_available()

    result = extract_text(scan)

    assert result.error is None
    assert (result.pages, result.text_pages, result.ocr_pages, result.skipped_pages) == (1, 0, 0, 1)
    assert result.text == ""
    assert any(note.startswith("OCR not installed") and "1 page " in note for note in result.notes), result.notes
    assert any("tesseract-ocr-vie" in note for note in result.notes)


def test_without_tesseract_the_text_layer_of_a_mixed_document_is_still_read(scan: bytes, no_tesseract: None) -> None:
    result = extract_text(joined(text_pdf(), scan))

    assert result.error is None
    assert (result.pages, result.text_pages, result.ocr_pages, result.skipped_pages) == (2, 1, 0, 1)
    assert SUBJECT in flat(result.page_texts[0])
    assert result.page_texts[1] == ""


@needs_ocr
def test_tesseract_without_the_vietnamese_language_counts_as_not_installed(
    scan: bytes, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real = shutil.which("tesseract")
    assert real is not None
    english_only = tmp_path / "tessdata"
    english_only.mkdir()
    for data in Path("/usr/share/tesseract-ocr").glob("*/tessdata/eng.traineddata"):
        (english_only / data.name).symlink_to(data)
    wrapper = tmp_path / "tesseract-english"
    wrapper.write_text(f'#!/bin/sh\nTESSDATA_PREFIX={english_only} exec {real} "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("TESSERACT_CMD", str(wrapper))

    assert not ocr_available()
    result = extract_text(scan)

    assert result.skipped_pages == 1
    assert any("no Vietnamese language data" in note for note in result.notes), result.notes


def test_without_pdftoppm_a_scanned_page_is_skipped_with_a_note(scan: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PDFTOPPM_CMD", "no-such-pdftoppm")

    result = extract_text(scan)

    assert (result.error, result.skipped_pages, result.ocr_pages) == (None, 1, 0)
    assert any("poppler-utils" in note for note in result.notes), result.notes


def test_ocr_turned_off_skips_scanned_pages(scan: bytes) -> None:
    result = extract_text(scan, ocr=False)

    assert (result.error, result.skipped_pages, result.ocr_pages) == (None, 1, 0)
    assert any("OCR turned off" in note for note in result.notes)


def test_no_page_is_read_by_ocr_past_ocr_max_pages(scan: bytes) -> None:
    result = extract_text(joined(text_pdf(), scan), ocr_max_pages=0)

    assert result.error is None
    assert (result.pages, result.text_pages, result.ocr_pages, result.skipped_pages) == (2, 1, 0, 1)
    if ocr_available():
        assert any("OCR page limit" in note for note in result.notes), result.notes


@needs_ocr
def test_the_ocr_limits_are_shared_by_the_files_of_one_document(scan: bytes) -> None:
    files = [("quyet-dinh.pdf", text_pdf()), ("danh-sach.pdf", scan), ("bien-ban.pdf", scan), ("ghi-chu.docx", b"PK")]

    results = extract_many(files, ocr_max_pages=1)

    assert [name for name, _ in results] == [name for name, _ in files]
    main, first_scan, second_scan, not_pdf = (result for _, result in results)
    assert main.text_pages == 1
    assert (first_scan.ocr_pages, first_scan.skipped_pages) == (1, 0)
    assert (second_scan.ocr_pages, second_scan.skipped_pages) == (0, 1)
    assert not_pdf.error is not None and "not a PDF" in not_pdf.error


# --- Bad files ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"", "not a PDF"),
        (b"PK\x03\x04\x14\x00 a Word file, which is a zip", "not a PDF"),
        ("Quyết định khen thưởng".encode(), "not a PDF"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without pages or xref", "damaged"),
        (b"%PDF-1.4\n" + bytes(range(256)) * 40, "damaged"),
    ],
    ids=["empty", "zip", "plain-text", "no-xref", "binary-noise"],
)
def test_a_file_that_is_not_a_readable_pdf_gives_an_error_not_an_exception(data: bytes, why: str) -> None:
    result = extract_text(data)

    assert result.error is not None and why in result.error, result.error
    assert (result.text, result.pages, result.text_pages, result.ocr_pages, result.skipped_pages) == ("", 0, 0, 0, 0)


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.95])
def test_a_truncated_pdf_gives_an_error(fraction: float) -> None:
    pdf = text_pdf()

    result = extract_text(pdf[: int(len(pdf) * fraction)])

    assert result.error is not None and "damaged" in result.error, result.error
    assert result.pages == 0


def test_a_pdf_that_needs_a_password_gives_an_error() -> None:
    result = extract_text(encrypted(text_pdf(), "mat-khau"))

    assert result.error is not None and "password" in result.error
    assert (result.text, result.pages) == ("", 0)


def test_a_pdf_encrypted_with_an_empty_user_password_is_read_as_viewers_read_it() -> None:
    result = extract_text(encrypted(text_pdf(), ""))

    assert_read_without_error(result)
    assert SUBJECT in flat(result.text)
    assert result.text_pages == 1


def test_a_pdf_without_pages_gives_an_error() -> None:
    out = io.BytesIO()
    PdfWriter().write(out)

    result = extract_text(out.getvalue())

    assert result.error == "The PDF has no pages."


def test_a_page_the_reader_fails_on_is_noted_and_the_other_pages_are_still_read() -> None:
    writer = PdfWriter(clone_from=io.BytesIO(text_pdf(pages=2)))
    broken = DecodedStreamObject()
    broken.set_data(b"BT ET")
    broken[NameObject("/Filter")] = NameObject("/NoSuchDecode")
    writer.pages[1].replace_contents(broken)
    out = io.BytesIO()
    writer.write(out)

    result = extract_text(out.getvalue(), ocr=False)

    assert result.error is None
    assert (result.pages, result.text_pages, result.skipped_pages) == (2, 1, 1)
    assert SUBJECT in flat(result.page_texts[0])
    assert any(note.startswith("Page 2: its text layer could not be read") for note in result.notes), result.notes


def test_glyphs_without_characters_do_not_count_as_a_text_layer() -> None:
    writer = PdfWriter(clone_from=io.BytesIO(text_pdf()))
    fonts = writer.pages[0]["/Resources"]["/Font"].get_object()
    for name in list(fonts):
        fonts[NameObject(name)] = NameObject("/NotAFont")  # pypdf then reads every glyph as U+FFFD
    out = io.BytesIO()
    writer.write(out)

    result = extract_text(out.getvalue(), ocr=False)

    assert "\ufffd" not in result.text
    assert (result.text_pages, result.skipped_pages) == (0, 1)


def test_the_text_is_cut_at_the_cap_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract, "MAX_TEXT_CHARS", 1500)

    result = extract_text(text_pdf(pages=20))

    assert result.error is None
    assert len(result.text) == 1500
    assert result.pages == 20
    assert result.text_pages < 20
    assert any("cut at" in note for note in result.notes)
    assert any("were not read: the text is already too long" in note for note in result.notes)


@needs_pdftoppm
def test_ocr_availability_follows_the_configured_program(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TESSERACT_CMD", str(tmp_path / "missing"))
    assert not ocr_available()

    monkeypatch.delenv("TESSERACT_CMD")
    installed = shutil.which("tesseract")
    languages = subprocess.run([installed, "--list-langs"], capture_output=True, text=True).stdout if installed else ""
    assert ocr_available() == ("vie" in languages.split())


@needs_ocr
def test_a_page_ocr_fails_on_is_noted_and_counted_as_skipped(scan: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    failing = shutil.which("false")
    assert failing is not None
    monkeypatch.setenv("PDFTOPPM_CMD", failing)  # a rasteriser that runs and fails on every page

    result = extract_text(joined(scan, text_pdf(), scan))

    assert result.error is None
    assert (result.pages, result.text_pages, result.ocr_pages, result.skipped_pages) == (3, 1, 0, 2)
    assert [note for note in result.notes if "OCR failed" in note] == [
        "Page 1: OCR failed (pdftoppm exited with 1).",
        "Page 3: OCR failed (pdftoppm exited with 1).",
    ]
