"""A register as an XLSX workbook, streamed row by row (openpyxl's write-only mode keeps no row in memory).

The heading (organisation, title, year) takes the first three rows, the column headings the fifth, repeated on
every printed page; the sheet prints landscape on A4, one page wide, with page numbers in the footer.

Text is always written as text: a subject that starts with "=" would otherwise be stored by openpyxl as a
formula and run when the sheet is opened (formula injection). Dates are real dates shown as DD/MM/YYYY.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from .registers import ColumnKind, RegisterHeading, RegisterRow

HEADER_ROW = 5
MAX_CELL_TEXT = 32_767  # Excel's limit for one cell
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TOP = Alignment(vertical="top")
_WRAP = Alignment(vertical="top", wrap_text=True)


def text_cell(sheet: Any, value: str, **style: Any) -> WriteOnlyCell:
    """A cell holding `value` as text, whatever it starts with."""
    cell = WriteOnlyCell(sheet, value=value[:MAX_CELL_TEXT])
    cell.data_type = "s"  # never "f": no formula from a subject that starts with "="
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _sheet_title(heading: RegisterHeading) -> str:
    kind = "Sổ đến" if heading.direction == "incoming" else "Sổ đi"
    return f"{kind} {heading.year}{' mật' if heading.secret else ''}"


def register_workbook(heading: RegisterHeading, rows: Iterable[RegisterRow]) -> bytes:
    """The workbook's bytes: the heading, the column headings, then one row per entry as it comes."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(heading))
    columns = heading.columns
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.sheet_width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.oddFooter.center.text = "Trang &P/&N"
    sheet.oddHeader.center.text = f"{heading.title} – {heading.subtitle}"

    sheet.append([text_cell(sheet, heading.organisation.upper(), font=Font(bold=True))])
    sheet.append([text_cell(sheet, heading.title, font=Font(bold=True, size=14))])
    sheet.append([text_cell(sheet, heading.subtitle, font=Font(italic=True))])
    sheet.append([])
    header_style = {
        "font": Font(bold=True),
        "fill": PatternFill("solid", fgColor="F3F5F8"),
        "alignment": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "border": _BORDER,
    }
    sheet.append([text_cell(sheet, column.title, **header_style) for column in columns])

    # One cell per column, reused for every row: the row is written out as soon as it is appended.
    cells = []
    for column in columns:
        cell = WriteOnlyCell(sheet)
        cell.border = _BORDER
        cell.alignment = _WRAP if column.kind == ColumnKind.TEXT else _TOP
        if column.kind == ColumnKind.DATE:
            cell.number_format = "DD/MM/YYYY"
        cells.append(cell)
    for row in rows:
        for cell, value in zip(cells, row, strict=True):
            if isinstance(value, str):
                cell.value = value[:MAX_CELL_TEXT]
                cell.data_type = "s"
            else:
                cell.value = value if value is None or isinstance(value, int | date) else str(value)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
