"""Importing the procedures catalogue from a file: JSON (a list of procedures, or {"procedures": [...]}, each as the
API takes it) or CSV (one procedure per row; papers, steps and fees written in their cells, one per line or
separated by ";").

In a CSV cell, a paper is `name | form | copies` (form: original / bản chính, certified copy / bản sao có chứng
thực, copy / bản sao; copies 1 when left out; "(optional)" or "(nếu có)" after the name when it is not required),
a step `name | unit | working days` (no unit: the one-stop desk), a fee `name: amount` (VND, dots or spaces
between thousands allowed).

Each procedure is saved in a savepoint of its own: the good ones are saved, the others reported with their line
(or position) and reasons. Importing the same file again replaces each procedure by its code: nothing twice.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask_babel import gettext

from ..errors import DomainError, InvalidInput
from ..extensions import db
from ..tables import Columns, InvalidTable, Table, Wording, header_key, read_table
from .models import Procedure
from .procedures import procedure_input, save_procedure

COLUMNS = Columns(
    {
        "code": ("code", "mã", "mã thủ tục", "mã tthc", "mã số"),
        "name": ("name", "tên", "tên thủ tục", "tên tthc", "tên thủ tục hành chính"),
        "field": ("field", "lĩnh vực"),
        "organisation": (
            "organisation",
            "organization",
            "cơ quan",
            "cơ quan giải quyết",
            "cơ quan thực hiện",
            "mã cơ quan",
        ),
        "channels": ("channels", "cách thức", "cách thức thực hiện", "hình thức nộp"),
        "statutory_days": ("statutory_days", "days", "thời hạn", "thời hạn giải quyết", "số ngày"),
        "fees": ("fees", "phí", "lệ phí", "phí, lệ phí"),
        "papers": ("papers", "thành phần", "thành phần hồ sơ", "giấy tờ"),
        "steps": ("steps", "quy trình", "các bước", "quy trình nội bộ"),
        "active": ("active", "hiệu lực", "đang áp dụng"),
    },
    required=("code", "name", "field", "organisation", "channels", "statutory_days", "papers", "steps"),
    ignored=("stt", "tt", "số tt", "số thứ tự"),
)
MAX_FILE_BYTES = 20_000_000

_FORMS = {
    "original": "original",
    "ban chinh": "original",
    "certified copy": "certified_copy",
    "certified_copy": "certified_copy",
    "ban sao co chung thuc": "certified_copy",
    "ban sao chung thuc": "certified_copy",
    "copy": "copy",
    "ban sao": "copy",
    "ban chup": "copy",
}
_CHANNELS = {
    "direct": "direct",
    "truc tiep": "direct",
    "online": "online",
    "truc tuyen": "online",
    "post": "post",
    "buu chinh": "post",
    "qua buu chinh": "post",
    "buu chinh cong ich": "post",
}
_OPTIONAL = re.compile(r"\s*\((optional|nếu có|neu co|không bắt buộc)\)\s*$", re.IGNORECASE)
_YES = {"1", "true", "yes", "co", "x", "dang ap dung", "con hieu luc"}
_NO = {"0", "false", "no", "khong", "het hieu luc", "ngung ap dung"}


@dataclass
class Rejected:
    where: str  # "line 4" or "procedure 3"
    code: str
    reasons: list[str]


@dataclass
class CatalogueReport:
    made: int = 0
    replaced: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)


def _entries(cell: str) -> list[str]:
    return [part.strip() for part in re.split(r"[\n;]+", cell) if part.strip()]


def _paper(text: str) -> dict[str, Any]:
    name, _, rest = text.partition("|")
    required = not _OPTIONAL.search(name)
    parts = [p.strip() for p in rest.split("|")] if rest else []
    paper: dict[str, Any] = {"name": _OPTIONAL.sub("", name).strip(), "required": required}
    if parts and parts[0]:
        paper["form"] = _FORMS.get(header_key(parts[0]), parts[0])
    if len(parts) > 1 and parts[1]:
        paper["copies"] = parts[1]
    return paper


def _step(text: str) -> dict[str, Any]:
    parts = [p.strip() for p in text.split("|")]
    if len(parts) == 2:
        return {"name": parts[0], "days": parts[1]}
    return {"name": parts[0], "unit": parts[1] if len(parts) > 1 else "", "days": parts[2] if len(parts) > 2 else ""}


def _fee(text: str) -> dict[str, Any]:
    name, _, amount = text.rpartition(":")
    digits = re.sub(r"[.\s,]|(vnđ|vnd|đồng|dong|đ)$", "", amount.strip().lower())
    return {"name": name.strip() or text.strip(), "amount": int(digits) if digits.isdigit() else amount.strip()}


def _channels(cell: str) -> list[str] | str:
    chosen = [_CHANNELS.get(header_key(part), part.strip()) for part in re.split(r"[,;|\n]+", cell) if part.strip()]
    return chosen or cell


def _active(cell: str) -> bool | str:
    key = header_key(cell)
    if not key or key in _YES:
        return True
    if key in _NO:
        return False
    return cell


def procedure_from_row(values: dict[str, str]) -> dict[str, Any]:
    """A CSV row as the dict the API takes (what cannot be read is passed on, for the schema to name)."""
    return {
        "code": values.get("code", ""),
        "name": values.get("name", ""),
        "field": values.get("field", ""),
        "organisation": values.get("organisation", ""),
        "channels": _channels(values.get("channels", "")),
        "statutory_days": values.get("statutory_days", ""),
        "fees": [_fee(f) for f in _entries(values.get("fees", ""))],
        "papers": [_paper(p) for p in _entries(values.get("papers", ""))],
        "steps": [_step(s) for s in _entries(values.get("steps", ""))],
        "active": _active(values.get("active", "")),
    }


_FORM_WORDS = {"original": "bản chính", "certified_copy": "bản sao có chứng thực", "copy": "bản sao"}
_CHANNEL_WORDS = {"direct": "trực tiếp", "online": "trực tuyến", "post": "bưu chính"}


def _days_text(days: Any) -> str:
    return format(Decimal(days).normalize(), "f")


def procedure_cells(procedure: Procedure) -> dict[str, str]:
    """A procedure written as a CSV row's cells (the inverse of procedure_from_row): what the admin's form shows
    and what the catalogue's export holds, so that an edited form or file reads back the same."""
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field,
        "organisation": procedure.resolving_organisation.code,
        "channels": ", ".join(_CHANNEL_WORDS.get(c, c) for c in procedure.channels.split(",") if c),
        "statutory_days": _days_text(procedure.statutory_days),
        "fees": "\n".join(f"{fee['name']}: {fee['amount']}" for fee in procedure.fees or []),
        "papers": "\n".join(
            f"{p.name}{'' if p.required else ' (nếu có)'} | {_FORM_WORDS.get(p.form, p.form)} | {p.copies}"
            for p in procedure.papers
        ),
        "steps": "\n".join(
            f"{s.name} | {s.unit.name if s.unit else ''} | {_days_text(s.days)}" for s in procedure.steps
        ),
        "active": "có" if procedure.active else "không",
    }


def _wording() -> Wording:
    return Wording(
        missing=gettext("There is no procedures file at %(path)s."),
        unreadable=gettext("The procedures file %(path)s cannot be read (%(why)s)."),
        not_utf8=gettext(
            'The procedures file is not UTF-8 text (line %(line)s): save it as "CSV UTF-8" and try again.'
        ),
        bad_csv=gettext("Line %(line)s of the procedures file is not valid CSV (%(why)s)."),
        no_header=gettext("The procedures file's first line must name its columns (%(columns)s); none is known."),
        twice=gettext("Two columns of the procedures file give %(fields)s."),
        no_column=gettext("The procedures file has no column for %(fields)s."),
    )


def read_catalogue(path: Path) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    """The procedures of a file, each with where it is (a line of a CSV, a position in JSON), and the CSV's
    unknown columns. InvalidTable when the file as a whole cannot be read."""
    if path.suffix.lower() != ".json":
        table: Table = read_table(path, COLUMNS, _wording())
        return [(gettext("line %(n)s", n=row.line), procedure_from_row(table.values(row))) for row in table.rows], (
            table.unknown_columns
        )
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InvalidTable(gettext("The procedures file is larger than %(n)s MB.", n=MAX_FILE_BYTES // 1_000_000))
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        raise InvalidTable(_wording().missing % {"path": str(path)}) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InvalidTable(gettext("The procedures file is not valid JSON (%(why)s).", why=str(err))) from None
    items = data.get("procedures") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise InvalidTable(gettext('The procedures file must hold a list of procedures, or {"procedures": [...]}.'))
    return [(gettext("procedure %(n)s", n=n), item) for n, item in enumerate(items, start=1)], []


def import_catalogue(path: Path, *, dry_run: bool = False) -> CatalogueReport:
    """Save every procedure of the file that is right (none with `dry_run`); report the others."""
    found, unknown = read_catalogue(path)
    report = CatalogueReport(unknown_columns=unknown)
    seen: dict[str, str] = {}
    for where, raw in found:
        code = str(raw.get("code", "")) if isinstance(raw, dict) else ""
        if not isinstance(raw, dict):
            report.rejected.append(Rejected(where, "", [gettext("Must be an object with a procedure's fields.")]))
            continue
        key = code.strip().upper()
        if key and key in seen:
            reason = gettext("The code %(code)s is also at %(where)s.", code=key, where=seen[key])
            report.rejected.append(Rejected(where, code, [reason]))
            continue
        seen[key] = where
        try:
            with db.session.begin_nested():
                _, made = save_procedure(None, procedure_input(raw))
                if dry_run:
                    raise _DryRun(made)
        except _DryRun as done:
            made = done.made
        except InvalidInput as err:
            report.rejected.append(Rejected(where, code, [f"{k}: {v}" for k, v in err.fields.items()] or [err.text()]))
            continue
        except DomainError as err:
            report.rejected.append(Rejected(where, code, [err.text()]))
            continue
        if made:
            report.made += 1
        else:
            report.replaced += 1
    return report


class _DryRun(Exception):
    """Rolls a procedure's savepoint back after it was checked whole."""

    def __init__(self, made: bool) -> None:
        super().__init__()
        self.made = made
