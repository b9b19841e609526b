"""The text of a PDF for the search index: its text layer where it has one, OCR of its scanned pages where not.

A page whose text layer has fewer than `MIN_TEXT_CHARS` visible characters is taken for a scan. Such pages are
rasterised with poppler's `pdftoppm` and read by `tesseract` with its Vietnamese model, when both are
installed (Debian: poppler-utils, tesseract-ocr, tesseract-ocr-vie) and the limits allow. Nothing here raises
for a bad file: a PDF that cannot be read at all comes back with `error` set, a page that cannot be read with a
note, and the rest of the document is still indexed.

`TESSERACT_CMD` and `PDFTOPPM_CMD` name the two programs when they are not on PATH under their usual names.
No Flask here: the worker calls this on stored bytes.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import re
import shutil
import struct
import subprocess
import tempfile
import time
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pypdf import PasswordType, PdfReader
from pypdf.errors import PyPdfError

PAGE_SEPARATOR = "\n\f\n"
MIN_TEXT_CHARS = 20  # fewer visible characters than this: a scan with at most a stamp or a page number on it
MAX_TEXT_CHARS = 5_000_000
OCR_DPI = 300
OCR_MAX_SIDE = 7016  # pixels: A2 at 300 dpi; larger pages are rasterised at a lower resolution
OCR_LANGUAGE = "vie"
MAX_PAGE_NOTES = 10  # past this, the problems of further pages are counted, not listed

# What pypdf lets through on a malformed file: its own errors and whatever the parser tripped on.
_PDF_ERRORS: tuple[type[BaseException], ...] = (
    PyPdfError,
    ValueError,
    LookupError,
    TypeError,
    AttributeError,
    RecursionError,
    OSError,
    AssertionError,
    ArithmeticError,
    NotImplementedError,
    EOFError,
    struct.error,
    zlib.error,
)

_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")  # soft hyphen, zero-width characters
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")

logging.getLogger("pypdf").setLevel(logging.ERROR)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Extracted:
    """What was read from one PDF. `text` holds one slot per page read, in order, even an empty one."""

    text: str
    pages: int
    text_pages: int
    ocr_pages: int
    skipped_pages: int
    error: str | None
    notes: tuple[str, ...] = ()

    @property
    def page_texts(self) -> list[str]:
        """The text of each page read, page 1 first."""
        return self.text.split(PAGE_SEPARATOR) if self.text else []


@dataclass
class _Budget:
    """Limits shared by the files of one document: OCR pages left and the time by which to stop."""

    ocr_pages: int
    deadline: float
    timeout: float

    def remaining(self) -> float:
        return self.deadline - time.monotonic()


class _OcrFailed(Exception):
    def __init__(self, reason: str, *, timed_out: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.timed_out = timed_out


def _tesseract_cmd() -> str:
    return os.environ.get("TESSERACT_CMD") or "tesseract"


def _pdftoppm_cmd() -> str:
    return os.environ.get("PDFTOPPM_CMD") or "pdftoppm"


def ocr_available() -> bool:
    """Whether scanned pages can be read: `tesseract` with the Vietnamese language, and `pdftoppm`.

    The answer is cached per pair of program names, so setting TESSERACT_CMD or PDFTOPPM_CMD takes effect at
    once; installing the programs while the process runs does not.
    """
    return _ocr_missing(_tesseract_cmd(), _pdftoppm_cmd()) is None


@functools.cache
def _ocr_missing(tesseract: str, pdftoppm: str) -> str | None:
    """Why OCR cannot run with these two programs, or None when it can."""
    if shutil.which(pdftoppm) is None:
        return f"{pdftoppm} not found (Debian package poppler-utils)"
    if shutil.which(tesseract) is None:
        return f"{tesseract} not found (Debian packages tesseract-ocr and tesseract-ocr-vie)"
    languages = _tesseract_languages(tesseract)
    if languages is None:
        return f"{tesseract} --list-langs failed"
    if OCR_LANGUAGE not in languages:
        return f"{tesseract} has no Vietnamese language data (Debian package tesseract-ocr-vie)"
    return None


@functools.cache
def _tesseract_languages(tesseract: str) -> frozenset[str] | None:
    try:
        run = subprocess.run([tesseract, "--list-langs"], capture_output=True, timeout=15, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if run.returncode != 0:
        return None
    # Tesseract 4 and later print the list to stdout, 3 to stderr, after a header line.
    lines = (run.stdout + run.stderr).decode("utf-8", "replace").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("List of"))


def extract_text(
    pdf: bytes,
    *,
    ocr: bool = True,
    max_pages: int = 500,
    ocr_max_pages: int = 50,
    timeout: float = 60.0,
) -> Extracted:
    """The text of a PDF, page by page, never raising for a bad file.

    Only the first `max_pages` pages are read; at most `ocr_max_pages` of them by OCR; and OCR stops when
    `timeout` seconds have passed since the call (reading the text layer stops then too, between pages).
    An encrypted PDF is opened with the empty password, as viewers do; one that needs a password is an error.
    """
    budget = _Budget(ocr_pages=ocr_max_pages, deadline=time.monotonic() + timeout, timeout=timeout)
    return _extract(pdf, ocr=ocr, max_pages=max_pages, budget=budget)


def extract_many(
    files: Iterable[tuple[str, bytes]],
    *,
    ocr: bool = True,
    max_pages: int = 500,
    ocr_max_pages: int = 50,
    timeout: float = 60.0,
) -> list[tuple[str, Extracted]]:
    """The text of a document's files (the main file, then its attachments), each with its name.

    The OCR page limit and the time limit are for the files together, not for each: a document with ten
    scanned attachments costs no more than one with a single long scan. A file that is not a PDF comes back
    with its error, like any unreadable one.
    """
    budget = _Budget(ocr_pages=ocr_max_pages, deadline=time.monotonic() + timeout, timeout=timeout)
    return [(name, _extract(data, ocr=ocr, max_pages=max_pages, budget=budget)) for name, data in files]


def _failed(error: str) -> Extracted:
    return Extracted(text="", pages=0, text_pages=0, ocr_pages=0, skipped_pages=0, error=error)


def _open(pdf: bytes) -> tuple[PdfReader | None, int, str | None]:
    """The reader, its number of pages, or why the file cannot be read at all."""
    if not pdf:
        return None, 0, "The file is empty: it is not a PDF."
    if b"%PDF-" not in pdf[:1024]:
        return None, 0, "The file is not a PDF."
    try:
        reader = PdfReader(io.BytesIO(pdf), strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            return None, 0, "The PDF is protected by a password, so its text cannot be read."
        count = len(reader.pages)
    except _PDF_ERRORS as err:
        return None, 0, f"The PDF is damaged and cannot be read ({_describe(err)})."
    if count < 1:
        return None, 0, "The PDF has no pages."
    return reader, count, None


def _extract(pdf: bytes, *, ocr: bool, max_pages: int, budget: _Budget) -> Extracted:
    reader, count, error = _open(pdf)
    if reader is None:
        return _failed(error or "The PDF cannot be read.")
    notes: list[str] = []
    problems: list[str] = []
    texts: list[str] = []
    scanned: list[int] = []  # indexes of the pages without a usable text layer
    total = 0
    to_read = min(count, max(max_pages, 0))
    if to_read < count:
        notes.append(f"Only the first {_pages(to_read)} of {count} were read.")
    for index in range(to_read):
        if budget.remaining() <= 0:
            notes.append(f"Time limit ({budget.timeout:g} s) reached: {_span(index + 1, to_read)} not read.")
            break
        try:
            text = clean(reader.pages[index].extract_text())
        except _PDF_ERRORS as err:
            problems.append(f"Page {index + 1}: its text layer could not be read ({_describe(err)}).")
            text = ""
        texts.append(text)
        if _visible(text) < MIN_TEXT_CHARS:
            scanned.append(index)
        total += len(text) + (len(PAGE_SEPARATOR) if index else 0)
        if total > MAX_TEXT_CHARS:
            if index + 1 < to_read:
                notes.append(f"{_span(index + 2, to_read).capitalize()} not read: the text is already too long.")
            break
    text_pages = len(texts) - len(scanned)

    ocr_pages = skipped = 0
    if scanned and total > MAX_TEXT_CHARS:
        skipped = len(scanned)
        notes.append(f"The text is already too long: {_pages(skipped)} without a text layer not read by OCR.")
    elif scanned and not ocr:
        skipped = len(scanned)
        notes.append(f"OCR turned off: {_pages(skipped)} without a text layer skipped.")
    elif scanned and (missing := _ocr_missing(_tesseract_cmd(), _pdftoppm_cmd())) is not None:
        skipped = len(scanned)
        notes.append(f"OCR not installed ({missing}): {_pages(skipped)} without a text layer skipped.")
    elif scanned:
        ocr_pages = _ocr_pages(pdf, reader, scanned, texts, budget, notes, problems)
        skipped = len(scanned) - ocr_pages

    if len(problems) > MAX_PAGE_NOTES:
        problems[MAX_PAGE_NOTES:] = [f"{len(problems) - MAX_PAGE_NOTES} more pages had problems like these."]
    notes.extend(problems)
    joined = PAGE_SEPARATOR.join(texts)
    if len(joined) > MAX_TEXT_CHARS:
        joined = joined[:MAX_TEXT_CHARS]
        notes.append(f"The text was cut at {MAX_TEXT_CHARS:,} characters.")
    return Extracted(
        text=joined,
        pages=count,
        text_pages=text_pages,
        ocr_pages=ocr_pages,
        skipped_pages=skipped,
        error=None,
        notes=tuple(notes),
    )


def _ocr_pages(
    pdf: bytes,
    reader: PdfReader,
    scanned: list[int],
    texts: list[str],
    budget: _Budget,
    notes: list[str],
    problems: list[str],
) -> int:
    """OCR the scanned pages in order, within the budget; their text replaces `texts[index]`.

    Returns the number of pages read by OCR; the others are skipped, each with a note.
    """
    read = 0
    with tempfile.TemporaryDirectory(prefix="extract-") as tmp:
        source = Path(tmp) / "source.pdf"
        source.write_bytes(pdf)
        for position, index in enumerate(scanned):
            left = len(scanned) - position
            if budget.ocr_pages <= 0:
                notes.append(f"OCR page limit reached: {_pages(left)} without a text layer skipped.")
                return read
            if budget.remaining() <= 0:
                notes.append(f"Time limit ({budget.timeout:g} s) reached: {_pages(left)} not read by OCR.")
                return read
            budget.ocr_pages -= 1
            started = time.monotonic()
            try:
                text = clean(_ocr_page(source, index + 1, _page_dpi(reader, index), budget))
            except _OcrFailed as failure:
                if failure.timed_out:
                    notes.append(f"Time limit ({budget.timeout:g} s) reached: {_pages(left)} not read by OCR.")
                    return read
                problems.append(f"Page {index + 1}: OCR failed ({failure.reason}).")
                continue
            log.debug("OCR of page %d took %.2f s", index + 1, time.monotonic() - started)
            read += 1
            # A page with a few words in its text layer (a stamp, a number) keeps them if OCR found less.
            if _visible(text) >= _visible(texts[index]):
                texts[index] = text
    return read


def _ocr_page(source: Path, number: int, dpi: int, budget: _Budget) -> str:
    """The text tesseract reads on page `number` (1-based) of `source`."""
    folder = source.parent
    prefix = folder / f"page-{number}"
    page = str(number)
    rasterise = [_pdftoppm_cmd(), "-r", str(dpi), "-gray", "-png", "-f", page, "-l", page, "-singlefile"]
    _run([*rasterise, str(source), str(prefix)], budget, "pdftoppm")
    image = prefix.with_suffix(".png")
    if not image.is_file():
        raise _OcrFailed("pdftoppm produced no image")
    command = [_tesseract_cmd(), str(image), "stdout", "-l", OCR_LANGUAGE]
    if "osd" in (_tesseract_languages(_tesseract_cmd()) or ()):
        command += ["--psm", "1"]  # finds the orientation too: scans are often sideways, at no measurable cost
    try:
        return _run(command, budget, "tesseract").decode("utf-8", "replace")
    finally:
        image.unlink(missing_ok=True)


def _run(command: list[str], budget: _Budget, name: str) -> bytes:
    # Tesseract's own threads made a page two to five times slower on our 2-core machines, not faster.
    env = {**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1")}
    try:
        run = subprocess.run(command, capture_output=True, timeout=max(budget.remaining(), 0.1), env=env, check=False)
    except subprocess.TimeoutExpired:
        raise _OcrFailed(f"{name} timed out", timed_out=True) from None
    except OSError as err:
        raise _OcrFailed(f"{name} could not run: {err.strerror or err}") from None
    if run.returncode != 0:
        message = run.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _OcrFailed(f"{name} exited with {run.returncode}" + (f": {message[-1][:200]}" if message else ""))
    return run.stdout


def _page_dpi(reader: PdfReader, index: int) -> int:
    """OCR_DPI, or less for a page so large that its image would pass OCR_MAX_SIDE pixels."""
    try:
        box = reader.pages[index].mediabox
        side = max(abs(float(box.width)), abs(float(box.height)))  # points, 72 to the inch
    except _PDF_ERRORS:
        return OCR_DPI
    if side <= 0:
        return OCR_DPI
    return max(36, min(OCR_DPI, int(OCR_MAX_SIDE * 72 / side)))


def clean(text: str | None) -> str:
    """Text as the index wants it: NFC, no control, zero-width or replacement characters, single spaces, lines kept."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = text.replace("\ufffd", "")  # a glyph the font does not map to a character: noise in the index
    text = _CONTROL.sub(" ", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def _visible(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def _pages(count: int) -> str:
    return f"{count} page" if count == 1 else f"{count} pages"


def _span(first: int, last: int) -> str:
    return f"page {first} was" if first == last else f"pages {first}-{last} were"


def _describe(err: BaseException) -> str:
    message = str(err).strip()
    return f"{type(err).__name__}: {message[:200]}" if message else type(err).__name__
