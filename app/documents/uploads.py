"""Uploaded files: safe names, known content types, and the check that a main file is a readable PDF."""

from __future__ import annotations

import hashlib
import io
import logging
import mimetypes
import re
import unicodedata
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext
from itsdangerous import BadSignature, URLSafeTimedSerializer
from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from ..errors import InvalidInput
from ..storage.service import current_store

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
    text = _UNSAFE.sub("", text)
    text = re.split(r"[/\\]", text)[-1]
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


_PAGE_COUNTS: dict[str, int] = {}


def pdf_page_count(data: bytes, field: str = "file") -> int:
    """Raise InvalidInput unless `data` is a PDF we can open, unencrypted, with at least one page.

    The answer for the last few files is remembered by hash, so checking before storing costs one parse.
    """
    digest = hashlib.sha256(data).hexdigest()
    if digest in _PAGE_COUNTS:
        return _PAGE_COUNTS[digest]
    pages = _parse_page_count(data, field)
    if len(_PAGE_COUNTS) > 16:
        _PAGE_COUNTS.clear()
    _PAGE_COUNTS[digest] = pages
    return pages


def _parse_page_count(data: bytes, field: str) -> int:
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


# --- Files kept while the clerk confirms a likely duplicate ----------------------------------------

_STASH_SALT = "pending-uploads"
STASH_MAX_AGE = 3600


def _stash_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_STASH_SALT)


def stash_uploads(user_id: int, main: Upload | None, attachments: list[Upload]) -> str:
    """Put the files in the store (no row yet) and return a signed note of them, valid for an hour, for this user.

    The clerk who is asked to confirm a likely duplicate does not have to choose the files again; files of a
    confirmation that never comes are unreferenced blobs that `flask storage gc` removes.
    """
    store = current_store()
    entries = []
    for role, upload in [("main", main)] + [("attachment", a) for a in attachments]:
        if upload is None or not upload.data:
            continue
        sha256 = hashlib.sha256(upload.data).hexdigest()
        store.put(upload.data, sha256, content_type_for(upload.filename), safe_filename(upload.filename))
        entries.append([role, sha256, upload.filename])
    return _stash_serializer().dumps({"user": user_id, "files": entries})


def unstash_uploads(user_id: int, token: str) -> tuple[Upload | None, list[Upload]]:
    """The files a stash note names, read back verified; nothing for a note that is forged, stale or not theirs."""
    try:
        note = _stash_serializer().loads(token, max_age=STASH_MAX_AGE)
    except BadSignature:
        return None, []
    if not isinstance(note, dict) or note.get("user") != user_id:
        return None, []
    store = current_store()
    main: Upload | None = None
    attachments: list[Upload] = []
    for role, sha256, filename in note.get("files", []):
        upload = Upload(filename, store.get(sha256))
        if role == "main":
            main = upload
        else:
            attachments.append(upload)
    return main, attachments
