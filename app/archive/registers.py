"""Register exports: the register of incoming documents (sổ đăng ký văn bản đến) and of outgoing documents (sổ đăng ký
văn bản đi) of one organisation for one year, as the XLSX and PDF an archivist files and prints.

Decree 30/2020, Appendix IV, gives each register's columns; they are written in Vietnamese whatever the reader's
language, since the register is an official form. Entries are in register order (số đến / số đi).

Secret documents are numbered in a series of their own (art. 15 and 22): `secret=True` exports that series.
Every entry of a series is written in its place, so the numbers follow each other without gaps as in the book; an
entry of a secret document the reader has no grant for keeps its number and date and shows "(mật)" instead of
what would reveal it (issuer, notation, subject, people). The same rule applies to every row, in either series.

A year of a busy agency is about 20,000 entries: rows are read with one Core statement (no ORM objects) and
handed to the writers one at a time; the audit event is written after the file is made, so the audit chain's
lock is held only for the end of the request.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import aliased

from ..audit.models import AuditAction
from ..audit.service import record
from ..auth.models import Role, Unit, User
from ..clock import to_local
from ..documents.models import Document, DocumentGrant, Register
from ..documents.vocabulary import Direction, DocumentStatus, Secrecy, type_label
from ..errors import Forbidden, InvalidParameter
from ..extensions import db
from ..routing.models import Dispatch
from ..tasks.models import Task, TaskState

FIRST_YEAR, LAST_YEAR = 1900, 2999
SECRET_MARK = "(mật)"
RECALLED_NOTE = "Văn bản đã bị thu hồi"
# Who keeps and prints the registers: the clerk (văn thư), the archivist (lưu trữ) and the leader.
EXPORTERS = (Role.CLERK, Role.ARCHIVIST, Role.LEADER)


class RegisterFormat(enum.StrEnum):
    XLSX = "xlsx"
    PDF = "pdf"


CONTENT_TYPES = {
    RegisterFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    RegisterFormat.PDF: "application/pdf",
}


class ColumnKind(enum.StrEnum):
    TEXT = "text"
    DATE = "date"
    NUMBER = "number"


@dataclass(frozen=True)
class Column:
    """A column of the register: its heading, what it holds, its width in the PDF (mm) and in the sheet."""

    title: str
    kind: ColumnKind
    pdf_width: float
    sheet_width: float


_TEXT, _DATE, _NUMBER = ColumnKind.TEXT, ColumnKind.DATE, ColumnKind.NUMBER

# Decree 30/2020, Appendix IV: the incoming register. The widths add up to the 277 mm of a landscape A4 page.
INCOMING_COLUMNS: tuple[Column, ...] = (
    Column("Ngày đến", _DATE, 20, 12),
    Column("Số đến", _NUMBER, 13, 8),
    Column("Tác giả", _TEXT, 38, 28),
    Column("Số, ký hiệu", _TEXT, 28, 16),
    Column("Ngày tháng văn bản", _DATE, 20, 12),
    Column("Tên loại và trích yếu nội dung", _TEXT, 74, 50),
    Column("Đơn vị hoặc người nhận", _TEXT, 36, 22),
    Column("Ký nhận", _TEXT, 20, 12),
    Column("Ghi chú", _TEXT, 28, 18),
)

# Decree 30/2020, Appendix IV: the outgoing register.
OUTGOING_COLUMNS: tuple[Column, ...] = (
    Column("Số, ký hiệu văn bản", _TEXT, 28, 16),
    Column("Ngày tháng văn bản", _DATE, 20, 12),
    Column("Tên loại và trích yếu nội dung", _TEXT, 70, 50),
    Column("Người ký", _TEXT, 28, 20),
    Column("Nơi nhận văn bản", _TEXT, 40, 28),
    Column("Đơn vị, người nhận bản lưu", _TEXT, 32, 22),
    Column("Số lượng bản", _NUMBER, 12, 8),
    Column("Ngày chuyển", _DATE, 20, 12),
    Column("Ký nhận", _TEXT, 13, 10),
    Column("Ghi chú", _TEXT, 14, 16),
)

COLUMNS = {Direction.INCOMING: INCOMING_COLUMNS, Direction.OUTGOING: OUTGOING_COLUMNS}
TITLES = {Direction.INCOMING: "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", Direction.OUTGOING: "SỔ ĐĂNG KÝ VĂN BẢN ĐI"}

Cell = str | int | date | None
RegisterRow = tuple[Cell, ...]


# --- What is asked ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterRequest:
    """One export: which register (direction, year, series) and in which format."""

    direction: Direction
    year: int
    format: RegisterFormat
    secret: bool = False


def _year(value: str | None) -> int | str:
    """The year as a number, or what is wrong with it."""
    text = (value or "").strip()
    if not text:
        return gettext("Required.")
    if not re.fullmatch(r"\d{1,9}", text):
        return gettext("Not a whole number.")
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return gettext("A year from %(first)s to %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)
    return year


def parse_register_request(
    direction: str | None, year: str | None, format: str | None, secret: str | None = None
) -> RegisterRequest:
    """Check an export's parameters as they come in a path or a query string; InvalidParameter (400) names
    every bad one at once."""
    problems: dict[str, str] = {}
    parsed_year = _year(year)
    if isinstance(parsed_year, str):
        problems["year"] = parsed_year
    if direction not in set(Direction):
        problems["direction"] = gettext("Must be one of: %(values)s.", values="incoming, outgoing")
    if format not in set(RegisterFormat):
        problems["format"] = gettext("Must be one of: %(values)s.", values="xlsx, pdf")
    flag = (secret or "").strip().lower()
    if flag not in {"", "0", "1", "true", "false"}:
        problems["secret"] = gettext("Must be true or false.")
    if problems:
        raise InvalidParameter(problems)
    assert isinstance(parsed_year, int)
    return RegisterRequest(Direction(str(direction)), parsed_year, RegisterFormat(str(format)), flag in {"1", "true"})


# --- Who may export ---------------------------------------------------------------------------------------------


def may_export(actor: User) -> bool:
    return actor.has_role(*EXPORTERS)


def check_may_export(actor: User) -> None:
    """Only the clerk, the archivist and the leader export their organisation's registers (Forbidden for others)."""
    if not may_export(actor):
        raise Forbidden(gettext("Only clerks, archivists and leaders export the registers."))


# --- The rows ---------------------------------------------------------------------------------------------------

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(value: str | None) -> str:
    """Text as the writers take it: NFC (imported text may be decomposed), no control characters but line breaks,
    trailing spaces gone."""
    if not value:
        return ""
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _ILLEGAL.sub("", text).strip()


def _number_and_notation(number: str | None, notation: str | None) -> str:
    return "/".join(part for part in (clean(number), clean(notation)) if part)


def _type_and_subject(document_type: str | None, subject: str | None) -> str:
    kind = type_label(document_type)
    return f"{kind}: {clean(subject)}" if kind else clean(subject)


def _local_day(moment: datetime | None) -> date | None:
    local = to_local(moment)
    return local.date() if local is not None else None


def find_register(organisation_id: int, direction: Direction, year: int, secret: bool) -> int | None:
    """The id of the organisation's register of that direction, year and series, if it was ever opened."""
    return db.session.scalar(
        sa.select(Register.id).where(
            Register.organisation_id == organisation_id,
            Register.direction == str(direction),
            Register.year == year,
            Register.secret == secret,
        )
    )


def _readable(reader_id: int) -> sa.ColumnElement[bool]:
    """Whether the reader may read the row's document: not secret, or granted to them."""
    granted = sa.exists().where(DocumentGrant.document_id == Document.id, DocumentGrant.user_id == reader_id)
    return sa.case((Document.secrecy == str(Secrecy.NORMAL), sa.true()), else_=granted)


def _incoming_statement(register_id: int, reader_id: int) -> sa.Select[Any]:
    """The entries in number order, each with the lead (a person or a unit) of its latest task not cancelled."""
    in_register = Document.register_id == register_id
    latest = (
        sa.select(Task.document_id, sa.func.max(Task.id).label("task_id"))
        .join(Document, Document.id == Task.document_id)
        .where(in_register, Task.state != str(TaskState.CANCELLED))
        .group_by(Task.document_id)
        .subquery("latest")
    )
    task = aliased(Task, name="task")
    lead = aliased(User, name="lead")
    unit = aliased(Unit, name="lead_unit")
    return (
        sa.select(
            Document.received_on,
            Document.register_number,
            Document.issuer,
            Document.number,
            Document.notation,
            Document.issued_on,
            Document.document_type,
            Document.subject,
            lead.full_name,
            unit.name,
            Document.notes,
            Document.status,
            _readable(reader_id).label("readable"),
        )
        .select_from(Document)
        .outerjoin(latest, latest.c.document_id == Document.id)
        .outerjoin(task, task.id == latest.c.task_id)
        .outerjoin(lead, lead.id == task.lead_user_id)
        .outerjoin(unit, unit.id == task.lead_unit_id)
        .where(in_register)
        .order_by(Document.register_number)
    )


def _incoming_row(r: Any) -> RegisterRow:
    received_on, number, issuer, doc_number, notation, issued_on, kind, subject, lead, unit, notes, status, ok = r
    if not ok:
        return (received_on, number, "", "", None, SECRET_MARK, "", "", "")
    note = clean(notes)
    if status == DocumentStatus.RECALLED:
        note = f"{note}\n{RECALLED_NOTE}".strip()
    return (
        received_on,
        number,
        clean(issuer),
        _number_and_notation(doc_number, notation),
        issued_on,
        _type_and_subject(kind, subject),
        clean(lead or unit),
        "",
        note,
    )


def _outgoing_statement(register_id: int, reader_id: int) -> sa.Select[Any]:
    """The entries in number order, with who drafted them (the unit keeping the copy), and when and to whom they
    were first sent through the system."""
    in_register = Document.register_id == register_id
    sent = (
        sa.select(
            Dispatch.document_id,
            sa.func.min(Dispatch.created_at).label("first_sent"),
            sa.func.aggregate_strings(Dispatch.recipient_name, "; ").label("sent_to"),
        )
        .join(Document, Document.id == Dispatch.document_id)
        .where(in_register)
        .group_by(Dispatch.document_id)
        .subquery("sent")
    )
    author = aliased(User, name="author")
    unit = aliased(Unit, name="author_unit")
    return (
        sa.select(
            Document.register_number,
            Document.number,
            Document.notation,
            Document.issued_on,
            Document.document_type,
            Document.subject,
            Document.signer_name,
            Document.recipients,
            sent.c.sent_to,
            unit.name,
            author.full_name,
            sent.c.first_sent,
            Document.notes,
            _readable(reader_id).label("readable"),
        )
        .select_from(Document)
        .join(author, author.id == Document.created_by_id)
        .outerjoin(unit, unit.id == author.unit_id)
        .outerjoin(sent, sent.c.document_id == Document.id)
        .where(in_register)
        .order_by(Document.register_number)
    )


def _outgoing_row(r: Any) -> RegisterRow:
    (
        number,
        doc_number,
        notation,
        issued_on,
        kind,
        subject,
        signer,
        recipients,
        sent_to,
        unit,
        author,
        sent,
        notes,
        ok,
    ) = r
    if not ok:
        return (f"{number:02d}", issued_on, SECRET_MARK, "", "", "", None, None, "", "")
    keeper = " – ".join(part for part in (clean(unit), clean(author)) if part)
    return (
        _number_and_notation(doc_number or f"{number:02d}", notation),
        issued_on,
        _type_and_subject(kind, subject),
        clean(signer),
        clean(recipients) or clean(sent_to),
        keeper,
        None,  # paper copies are not counted by the system
        _local_day(sent),
        "",
        clean(notes),
    )


def register_rows(reader: User, direction: Direction, year: int, secret: bool = False) -> Iterator[RegisterRow]:
    """The entries of the reader's organisation's register, in number order, one tuple per entry with a value per
    column of `COLUMNS[direction]`; secret entries the reader may not read are masked. Nothing of another
    organisation: the register is looked up by the reader's organisation."""
    register_id = find_register(reader.organisation_id, direction, year, secret)
    if register_id is None:
        return
    if direction == Direction.INCOMING:
        statement, shape = _incoming_statement(register_id, reader.id), _incoming_row
    else:
        statement, shape = _outgoing_statement(register_id, reader.id), _outgoing_row
    # Plain rows from the connection: no ORM objects for 20,000 entries. Not a server-side cursor (yield_per):
    # PostgreSQL plans a cursor for its first rows, and this statement then took 11 s instead of 0.4 s; the
    # rows of a year are a few MB.
    for row in db.session.connection().execute(statement):
        yield shape(row)


# --- The export -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterHeading:
    """What heads every page of the register."""

    organisation: str
    direction: Direction
    year: int
    secret: bool

    @property
    def title(self) -> str:
        return TITLES[self.direction]

    @property
    def subtitle(self) -> str:
        series = " – Văn bản mật" if self.secret else ""
        return f"Năm {self.year}{series}"

    @property
    def columns(self) -> tuple[Column, ...]:
        return COLUMNS[self.direction]


@dataclass(frozen=True)
class RegisterExport:
    filename: str
    content_type: str
    data: bytes
    rows: int


def export_filename(request: RegisterRequest) -> str:
    """so-van-ban-den_2026.xlsx, so-van-ban-di-mat_2026.pdf: ASCII, and says what it is."""
    kind = "den" if request.direction == Direction.INCOMING else "di"
    series = "-mat" if request.secret else ""
    return f"so-van-ban-{kind}{series}_{request.year}.{request.format}"


class _Counted:
    """Rows passed through, counted on the way (the writers stream them)."""

    def __init__(self, rows: Iterator[RegisterRow]) -> None:
        self.rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[RegisterRow]:
        for row in self.rows:
            self.count += 1
            yield row


def export_register(actor: User, request: RegisterRequest) -> RegisterExport:
    """The register of the actor's organisation, as XLSX or PDF; the export is recorded in the audit log.

    Decree 30/2020, art. 22 and Appendix IV: the registers are kept by the clerk; the clerk, the archivist and the
    leader may export them (Forbidden for anyone else). A register never opened is exported empty.
    """
    check_may_export(actor)
    # The writers import the columns and the heading from here.
    from .register_pdf import register_pdf
    from .register_xlsx import register_workbook

    heading = RegisterHeading(actor.organisation.name, request.direction, request.year, request.secret)
    rows = _Counted(register_rows(actor, request.direction, request.year, request.secret))
    write = register_workbook if request.format == RegisterFormat.XLSX else register_pdf
    data = write(heading, rows)
    register_id = find_register(actor.organisation_id, request.direction, request.year, request.secret)
    record(
        AuditAction.REGISTER_EXPORTED,
        actor=actor,
        obj=("register", register_id) if register_id is not None else None,
        direction=str(request.direction),
        year=request.year,
        secret=request.secret,
        format=str(request.format),
        rows=rows.count,
    )
    return RegisterExport(export_filename(request), CONTENT_TYPES[request.format], data, rows.count)


def register_years(actor: User) -> list[int]:
    """The years in which the actor's organisation opened a register, newest first (for the export form)."""
    return list(
        db.session.scalars(
            sa.select(Register.year)
            .where(Register.organisation_id == actor.organisation_id)
            .distinct()
            .order_by(Register.year.desc())
        )
    )
