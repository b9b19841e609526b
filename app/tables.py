"""CSV tables that people write in a spreadsheet: a header row naming the columns (in English or in Vietnamese,
compared folded), then one record per row. The archive's bulk import and the procedures catalogue's import read
them; each says which columns it knows."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .errors import DomainError
from .text import fold

DELIMITERS = (",", ";", "\t")


def header_key(text: str) -> str:
    """A header (or a value) as compared: folded, punctuation as spaces ("Số, ký hiệu" -> "so ky hieu")."""
    return " ".join(re.sub(r"[_\-/,.:;()]+", " ", fold(text)).split())


class InvalidTable(DomainError):
    """The file as a whole cannot be read: nothing is taken from it."""

    status = 422
    code = "invalid_table"


@dataclass(frozen=True)
class Columns:
    """The columns a kind of table has: each field and the headers it may be written as, the fields required,
    and headers known to say nothing (a row's ordinal)."""

    names: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    ignored: tuple[str, ...] = ()

    def field_of(self, header: str) -> str | None:
        return self._headers.get(header_key(header))

    def is_ignored(self, header: str) -> bool:
        return header_key(header) in {header_key(name) for name in self.ignored}

    @cached_property
    def _headers(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for name, headers in self.names.items():
            for header in headers:
                assert found.setdefault(header_key(header), name) == name, f"header {header} names two fields"
        return found


@dataclass(frozen=True)
class Row:
    # The row's number as a spreadsheet shows it (the header is 1; a cell of several lines is still one row).
    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    path: Path
    delimiter: str
    headers: tuple[str, ...]  # as written
    fields: tuple[str | None, ...]  # the field of each column; None for a column that is not read
    rows: tuple[Row, ...]
    columns: Columns

    @property
    def folder(self) -> Path:
        return self.path.resolve().parent

    @property
    def unknown_columns(self) -> list[str]:
        """Columns neither read nor known to be ignorable: most likely a misspelt header."""
        return [
            header
            for header, name in zip(self.headers, self.fields, strict=True)
            if name is None and not self.columns.is_ignored(header) and header.strip()
        ]

    def header_of(self, name: str) -> str:
        """How the table names a field's column (its English name when it has no such column)."""
        for header, column_field in zip(self.headers, self.fields, strict=True):
            if column_field == name:
                return header.strip()
        return name

    def values(self, row: Row) -> dict[str, str]:
        """The row's text per field, stripped; a missing cell is empty."""
        found: dict[str, str] = {}
        for index, name in enumerate(self.fields):
            if name is not None:
                found[name] = row.cells[index].strip() if index < len(row.cells) else ""
        return found


@dataclass(frozen=True)
class Wording:
    """What the messages call the file ("the manifest", "the procedures file"), as full sentences to translate."""

    missing: str  # %(path)s
    unreadable: str  # %(path)s, %(why)s
    not_utf8: str  # %(line)s
    bad_csv: str  # %(line)s, %(why)s
    no_header: str  # %(columns)s
    twice: str  # %(fields)s
    no_column: str  # %(fields)s


def read_table(path: Path, columns: Columns, wording: Wording) -> Table:
    """Read a table: UTF-8 with or without a byte-order mark, comma-, semicolon- or tab-separated (told by the
    header row, which is required). Rows left entirely empty are skipped."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InvalidTable(wording.missing % {"path": str(path)}) from None
    except OSError as err:
        raise InvalidTable(wording.unreadable % {"path": str(path), "why": err.strerror}) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InvalidTable(wording.not_utf8 % {"line": raw[: err.start].count(b"\n") + 1}) from None
    first_line = text.split("\n", 1)[0]

    def known(delimiter: str) -> int:
        headers = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(1 for header in headers if columns.field_of(header))

    delimiter = max(DELIMITERS, key=lambda d: (known(d), first_line.count(d)))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = tuple(next(reader, []))
        numbered = enumerate(reader, start=2)
        rows = [Row(number, tuple(cells)) for number, cells in numbered if any(c.strip() for c in cells)]
    except csv.Error as err:
        raise InvalidTable(wording.bad_csv % {"line": reader.line_num, "why": str(err)}) from None
    fields = tuple(columns.field_of(header) for header in headers)
    if not any(fields):
        raise InvalidTable(wording.no_header % {"columns": ", ".join(columns.names)})
    named = [name for name in fields if name]
    twice = sorted({name for name in named if named.count(name) > 1})
    if twice:
        raise InvalidTable(wording.twice % {"fields": ", ".join(twice)})
    missing = [name for name in columns.required if name not in named]
    if missing:
        raise InvalidTable(wording.no_column % {"fields": ", ".join(missing)})
    return Table(path, delimiter, headers, fields, tuple(rows), columns)
