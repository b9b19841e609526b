"""The manifest of a bulk import: a CSV file with a header row and one past document per row, and the words a
clerk writes in it (Vietnamese headers and values as well as the codes)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext

from ..documents.vocabulary import DOCUMENT_TYPES, LABELS, Direction, Secrecy, Urgency
from ..tables import Columns, Row, Table, Wording, header_key, read_table

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


MANIFEST_COLUMNS = Columns(COLUMNS, REQUIRED_COLUMNS, IGNORED_COLUMNS)

# A manifest is a table (app/tables.py) of these columns; its rows are past documents.
Manifest = Table
ManifestRow = Row


def read_manifest(path: Path) -> Manifest:
    """Read a manifest: UTF-8 with or without a byte-order mark, comma-, semicolon- or tab-separated (told by the
    header row, which is required), one document per row. Rows left entirely empty are skipped."""
    wording = Wording(
        missing=gettext("There is no manifest at %(path)s."),
        unreadable=gettext("The manifest %(path)s cannot be read (%(why)s)."),
        not_utf8=gettext('The manifest is not UTF-8 text (line %(line)s): save it as "CSV UTF-8" and try again.'),
        bad_csv=gettext("Line %(line)s of the manifest is not valid CSV (%(why)s)."),
        no_header=gettext("The manifest's first line must name its columns (%(columns)s); none of its names is known."),
        twice=gettext("Two columns of the manifest give %(fields)s."),
        no_column=gettext("The manifest has no column for %(fields)s."),
    )
    return read_table(path, MANIFEST_COLUMNS, wording)


# --- Values as a clerk writes them ------------------------------------------------------------------------


def _value_key(text: str) -> str:
    key = header_key(text)
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
