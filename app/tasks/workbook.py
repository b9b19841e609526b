"""The dashboard as an XLSX workbook: a title with the period, a header row, a row per unit or person, the totals.

Numbers are written as numbers (the hours with one decimal), so the sheet can be summed and charted as it is.
"""

from __future__ import annotations

import io

from flask_babel import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .dashboard import BREAKDOWN_LABELS, FIGURE_LABELS, FIGURES, Breakdown, Dashboard, Figures

HEADER_FILL = PatternFill("solid", fgColor="F3F5F8")
BOLD = Font(bold=True)


def dashboard_title(board: Dashboard) -> str:
    first, last = board.period.first.strftime("%d/%m/%Y"), board.period.last.strftime("%d/%m/%Y")
    if board.by == Breakdown.PERSON:
        return gettext("Tasks by person from %(first)s to %(last)s", first=first, last=last)
    return gettext("Tasks by unit from %(first)s to %(last)s", first=first, last=last)


def dashboard_filename(board: Dashboard) -> str:
    """An ASCII name that says what and when: nhiem-vu_don-vi_2026-01-01_2026-03-31.xlsx."""
    kind = "ca-nhan" if board.by == Breakdown.PERSON else "don-vi"
    return f"nhiem-vu_{kind}_{board.period.first.isoformat()}_{board.period.last.isoformat()}.xlsx"


def _figure_cells(figures: Figures) -> list[int | float | None]:
    return [*(figures.value(name) for name in FIGURES), figures.average_hours]


def dashboard_workbook(board: Dashboard, organisation: str) -> bytes:
    """The workbook's bytes. By person, a second column names each person's unit."""
    book = Workbook()
    sheet = book.active
    sheet.title = gettext("Tasks")[:31]
    by_person = board.by == Breakdown.PERSON
    headers = [str(BREAKDOWN_LABELS[board.by])]
    if by_person:
        headers.append(str(BREAKDOWN_LABELS[Breakdown.UNIT]))
    headers += [str(FIGURE_LABELS[name]) for name in (*FIGURES, "average_hours")]

    sheet.append([dashboard_title(board)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([organisation])
    sheet.append([])
    sheet.append(headers)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    for row in board.rows:
        names: list[int | float | str | None] = [row.label]
        if by_person:
            names.append(row.unit.name if row.unit else gettext("No unit"))
        sheet.append([*names, *_figure_cells(row.figures)])
    totals: list[int | float | str | None] = [gettext("Total")]
    if by_person:
        totals.append(None)
    sheet.append([*totals, *_figure_cells(board.totals)])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD

    first_number = 3 if by_person else 2
    hours_column = get_column_letter(len(headers))
    for row_number in range(header_row + 1, sheet.max_row + 1):
        sheet[f"{hours_column}{row_number}"].number_format = "0.0"
    sheet.column_dimensions["A"].width = 40
    if by_person:
        sheet.column_dimensions["B"].width = 30
    for index in range(first_number, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 14
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=first_number)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
