"""The manifest of a bulk import: a CSV file with a header row and one past document per row, and the words a
clerk writes in it (Vietnamese headers and values as well as the codes)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext

from ..documents.service import fold
from ..documents.vocabulary import DOCUMENT_TYPES, LABELS, Direction, Secrecy, Urgency
from ..errors import DomainError

# Each field of a row and the headers a clerk may give its column, compared folded (case, diacritics and
# punctuation ignored): the English names, and what a Vietnamese register's columns are called.
COLUMNS: dict[str, tuple[str, ...]] = {
    "direction": ("direction", "chiều", "chiều văn bản", "văn bản đến/đi", "đến/đi", "loại sổ"),
    "document_type": ("document_type", "type", "loại", "loại văn bản", "tên loại", "tên loại văn bản"),
    "number": ("number", "số", "số văn bản"),
    "notation": ("notation", "ký hiệu", "ký hiệu văn bản"),
    "number_notation": ("number_notation", "số, ký hiệu", "số ký hiệu", "số và ký hiệu"),
    "issued_on": ("issued_on", "ngày ban hành", "ngày văn bản", "ngày tháng văn bản", "ngày, tháng văn bản", "ngày ký"),
    "issuer": ("issuer", "cơ quan ban hành", "cơ quan, tổ chức ban hành", "tác giả", "nơi gửi", "cơ quan gửi"),
    "issuer_code": ("issuer_code", "mã cơ quan ban hành"),
    "place": ("place", "địa danh"),
    "subject": ("subject", "trích yếu", "trích yếu nội dung", "tên văn bản"),
    "signer_name": ("signer_name", "người ký"),
    "signer_position": ("signer_position", "chức vụ", "chức vụ người ký"),
    "recipients": ("recipients", "nơi nhận"),
    "urgency": ("urgency", "độ khẩn", "mức độ khẩn"),
    "secrecy": ("secrecy", "độ mật", "mức độ mật"),
    "page_count": ("page_count", "pages", "số trang"),
    "received_on": ("received_on", "ngày đến", "ngày nhận"),
    "due_on": ("due_on", "hạn giải quyết", "hạn xử lý"),
    "channel": ("channel",),
    "register_number": ("register_number", "số đến", "số đăng ký", "số vào sổ"),
    "notes": ("notes", "ghi chú"),
    "file": ("file", "path", "tệp", "tệp tin", "tập tin", "file pdf", "tệp pdf", "đường dẫn", "đường dẫn tệp"),
    "organisation": ("organisation", "organization", "organisation_code", "mã cơ quan", "mã đơn vị"),
}
# Columns a spreadsheet carries that say nothing about the document (the row's ordinal).
IGNORED_COLUMNS = ("stt", "tt", "số tt", "số thứ tự")
REQUIRED_COLUMNS = ("direction", "document_type", "subject", "file")
_DELIMITERS = (",", ";", "\t")


def _header_key(text: str) -> str:
    """A header as compared: folded, punctuation as spaces ("Số, ký hiệu" -> "so ky hieu")."""
    return " ".join(re.sub(r"[_\-/,.:;()]+", " ", fold(text)).split())


_HEADERS: dict[str, str] = {}
for _field, _names in COLUMNS.items():
    for _name in _names:
        assert _HEADERS.setdefault(_header_key(_name), _field) == _field, f"header {_name} names two fields"
_IGNORED = {_header_key(name) for name in IGNORED_COLUMNS}


class InvalidManifest(DomainError):
    """The manifest as a whole cannot be read: nothing is imported from it."""

    status = 422
    code = "invalid_manifest"


# --- Reading the manifest --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ManifestRow:
    # The row's number as a spreadsheet shows it (the header is 1; a cell of several lines is still one row).
    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Manifest:
    path: Path
    delimiter: str
    headers: tuple[str, ...]  # as written
    fields: tuple[str | None, ...]  # the field of each column; None for a column that is not read
    rows: tuple[ManifestRow, ...]

    @property
    def folder(self) -> Path:
        return self.path.resolve().parent

    @property
    def unknown_columns(self) -> list[str]:
        """Columns neither read nor known to be ignorable: most likely a misspelt header."""
        return [
            header
            for header, name in zip(self.headers, self.fields, strict=True)
            if name is None and _header_key(header) not in _IGNORED and header.strip()
        ]

    def header_of(self, name: str) -> str:
        """How the manifest names a field's column (its English name when it has no such column)."""
        for header, column_field in zip(self.headers, self.fields, strict=True):
            if column_field == name:
                return header.strip()
        return name

    def values(self, row: ManifestRow) -> dict[str, str]:
        """The row's text per field, stripped; a missing cell is empty."""
        found: dict[str, str] = {}
        for index, name in enumerate(self.fields):
            if name is not None:
                found[name] = row.cells[index].strip() if index < len(row.cells) else ""
        return found


def read_manifest(path: Path) -> Manifest:
    """Read a manifest: UTF-8 with or without a byte-order mark, comma-, semicolon- or tab-separated (told by the
    header row, which is required), one document per row. Rows left entirely empty are skipped."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InvalidManifest(gettext("There is no manifest at %(path)s.", path=str(path))) from None
    except OSError as err:
        raise InvalidManifest(
            gettext("The manifest %(path)s cannot be read (%(why)s).", path=str(path), why=err.strerror)
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InvalidManifest(
            gettext(
                'The manifest is not UTF-8 text (line %(line)s): save it as "CSV UTF-8" and try again.',
                line=raw[: err.start].count(b"\n") + 1,
            )
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=lambda d: (_known_count(first_line, d), first_line.count(d)))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = tuple(next(reader, []))
        rows = [
            ManifestRow(number, tuple(cells))
            for number, cells in enumerate(reader, start=2)
            if any(cell.strip() for cell in cells)
        ]
    except csv.Error as err:
        raise InvalidManifest(
            gettext("Line %(line)s of the manifest is not valid CSV (%(why)s).", line=reader.line_num, why=str(err))
        ) from None
    fields = tuple(_HEADERS.get(_header_key(header)) for header in headers)
    if not any(fields):
        raise InvalidManifest(
            gettext(
                "The manifest's first line must name its columns (%(columns)s); none of its names is known.",
                columns=", ".join(COLUMNS),
            )
        )
    named = [name for name in fields if name]
    twice = sorted({name for name in named if named.count(name) > 1})
    if twice:
        raise InvalidManifest(gettext("Two columns of the manifest give %(fields)s.", fields=", ".join(twice)))
    missing = [name for name in REQUIRED_COLUMNS if name not in named]
    if missing:
        raise InvalidManifest(gettext("The manifest has no column for %(fields)s.", fields=", ".join(missing)))
    return Manifest(path, delimiter, headers, fields, tuple(rows))


def _known_count(line: str, delimiter: str) -> int:
    headers = next(csv.reader([line], delimiter=delimiter), [])
    return sum(1 for header in headers if _header_key(header) in _HEADERS)


# --- Values as a clerk writes them ------------------------------------------------------------------------


def _value_key(text: str) -> str:
    key = _header_key(text)
    return key.removeprefix("van ban ").removeprefix("vb ")


def _choices(kind: type[Any], extra: dict[str, str] | None = None) -> dict[str, str]:
    """Code by what a clerk may write: the code itself, and the label in each of the application's languages."""
    choices = {_value_key(member.value): member.value for member in kind}
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            for code, text in LABELS[kind].items():
                choices.setdefault(_value_key(str(text)), str(code))
    choices.update({_value_key(name): code for name, code in (extra or {}).items()})
    return choices


def _document_types() -> dict[str, str]:
    """Type code by what a clerk may write: the code in any case, the Vietnamese name, and the code without its
    diacritics where that is not ambiguous ("QD" is QĐ, but "HD" is taken by Hướng dẫn and "hd" is left alone)."""
    choices: dict[str, str] = {}
    folded: dict[str, set[str]] = {}
    for code, name in DOCUMENT_TYPES.items():
        choices[code.casefold()] = code
        choices[_value_key(name)] = code
        folded.setdefault(_value_key(code), set()).add(code)
    for key, codes in folded.items():
        if len(codes) == 1:
            choices.setdefault(key, next(iter(codes)))
    return choices


@dataclass(frozen=True)
class Vocabulary:
    directions: dict[str, str]
    urgencies: dict[str, str]
    secrecies: dict[str, str]
    types: dict[str, str]

    @classmethod
    def load(cls) -> Vocabulary:
        return cls(
            directions=_choices(Direction, {"in": "incoming", "out": "outgoing", "đến": "incoming", "đi": "outgoing"}),
            urgencies=_choices(Urgency, {"không khẩn": "normal", "hoả tốc": "express"}),
            secrecies=_choices(Secrecy, {"không mật": "normal", "không": "normal"}),
            types=_document_types(),
        )

    @staticmethod
    def code(choices: dict[str, str], text: str) -> str:
        """The code a value means; the value itself when it means none, so the schema names the problem."""
        if not text:
            return text
        return choices.get(text.casefold()) or choices.get(_value_key(text)) or text


def split_number_notation(text: str) -> tuple[str, str]:
    """ "123/QĐ-UBND" -> ("123", "QĐ-UBND"), as Decree 30 writes a document's number and notation together."""
    number, slash, notation = text.partition("/")
    if not slash:
        return (text, "") if text.isdigit() else ("", text)
    return number.strip(), notation.strip()
