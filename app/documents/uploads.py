"""Uploaded files: safe names, known content types, and the check that a main file is a readable PDF."""

from __future__ import annotations

import io
import logging
import mimetypes
import re
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext
from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from ..errors import InvalidInput

MAX_FILENAME = 200
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\"<>:|?*]")

logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


def safe_filename(name: str | None, default: str = "file") -> str:
    """A name safe to store and to show: no folders, no control or direction characters, at most 200 characters.

    The extension is kept when the name is shortened.
    """
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[/\\]", text)[-1]
    text = _UNSAFE.sub("", text)
    text = re.sub(r"\s+", " ", text).strip().lstrip(".").strip()
    if not text:
        return default
    if len(text) > MAX_FILENAME:
        stem, dot, ext = text.rpartition(".")
        if dot and 0 < len(ext) <= 10 and stem:
            text = stem[: MAX_FILENAME - len(ext) - 1].rstrip() + "." + ext
        else:
            text = text[:MAX_FILENAME]
    return text


def content_type_for(filename: str) -> str:
    """Decided from the name we keep, never from what the client claims."""
    guessed, _ = mimetypes.guess_type(filename, strict=False)
    return guessed or "application/octet-stream"


def pdf_page_count(data: bytes, field: str = "file") -> int:
    """Raise InvalidInput unless `data` is a PDF we can open, unencrypted, with at least one page."""
    if not data:
        raise InvalidInput({field: gettext("The file is empty.")})
    if b"%PDF-" not in data[:1024]:
        raise InvalidInput({field: gettext("The main file must be a PDF.")})
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise InvalidInput({field: gettext("The PDF is password-protected; upload it without a password.")})
        pages = len(reader.pages)
    except InvalidInput:
        raise
    except (
        PdfReadError,
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        OSError,
        AssertionError,
        ZeroDivisionError,
    ) as err:
        raise InvalidInput(
            {field: gettext("The PDF is damaged and cannot be read (%(why)s).", why=type(err).__name__)}
        ) from None
    if pages < 1:
        raise InvalidInput({field: gettext("The PDF has no pages.")})
    return pages
