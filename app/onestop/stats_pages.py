"""The statistics pages: the period's figures in form 06's columns with a chart, each figure linking to the
dossiers behind it (signed in), the same as an XLSX workbook, and the aggregate page the public may see without
logging in (/thong-ke: figures only, no links)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Blueprint, render_template, send_file
from flask_babel import gettext, pgettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from openpyxl import Workbook
from openpyxl.styles import Font

from ..archive.register_xlsx import text_cell
from ..clock import local_today
from ..ratelimit import client_key, hit
from ..security import public
from ..validation import parse_query
from . import statistics
from .schemas import StatsQuery

stats_pages = Blueprint("stats_pages", __name__)

COLUMNS = [
    ("carried_over", _l("Carried over")),
    ("new_online", _l("New online")),
    ("new_direct", _l("New at the desk or by post")),
    ("resolved_early", _l("Resolved early")),
    ("resolved_on_time", _l("Resolved on time")),
    ("resolved_late", _l("Resolved late")),
    ("in_progress_within", _l("In progress, within time")),
    ("in_progress_overdue", _l("In progress, overdue")),
    ("stopped", _l("Withdrawn or suspended")),
]
# The chart's parts of a row, left to right: its class, its label and the figures it adds up.
CHART_PARTS = (
    ("good", _l("Resolved early or on time"), ("resolved_early", "resolved_on_time")),
    ("late", _l("Resolved late"), ("resolved_late",)),
    ("open", _l("In progress, within time"), ("in_progress_within",)),
    ("overdue", _l("In progress, overdue"), ("in_progress_overdue",)),
)
STATS_PER_MINUTE = 30


@dataclass(frozen=True)
class ChartPart:
    kind: str
    label: str
    count: int
    start: float  # where it begins on its bar, in hundredths of the longest bar
    width: float


def chart(stats: statistics.Statistics) -> list[tuple[str, list[ChartPart]]]:
    """Each row's label and the parts of its bar, the longest bar 100 wide."""
    counts = [[sum(row[f] for f in figures) for _, _, figures in CHART_PARTS] for row in stats.rows]
    widest = max([sum(row) for row in counts] + [1])
    bars = []
    for row, row_counts in zip(stats.rows, counts, strict=True):
        parts, at = [], 0.0
        for (kind, label, _), count in zip(CHART_PARTS, row_counts, strict=True):
            width = 100 * count / widest
            parts.append(ChartPart(kind, str(label), count, at, width))
            at += width
        bars.append((row.label, parts))
    return bars


def _period(query: StatsQuery) -> tuple[date, date]:
    """The period asked for, or this quarter so far."""
    today = local_today()
    start = query.start or date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return statistics.check_period(start, query.end or today)


def _page(public_view: bool):  # type: ignore[no-untyped-def]
    query = parse_query(StatsQuery)
    stats = statistics.statistics(*_period(query), "organisation" if public_view else query.by)
    return render_template(
        "onestop/statistics.html",
        stats=stats,
        columns=COLUMNS,
        public_view=public_view,
        chart=chart(stats),
        chart_parts=CHART_PARTS,
    )


@stats_pages.get("/onestop/statistics")
def statistics_page():  # type: ignore[no-untyped-def]
    return _page(public_view=False)


@stats_pages.get("/thong-ke")
@public
def public_statistics():  # type: ignore[no-untyped-def]
    """The aggregate figures per agency, for anyone (no dossier, no link)."""
    hit(client_key("stats"), STATS_PER_MINUTE, 60)
    return _page(public_view=True)


@stats_pages.get("/onestop/statistics/dossiers")
def statistics_dossiers_page():  # type: ignore[no-untyped-def]
    query = parse_query(StatsQuery)
    start, end = _period(query)
    figure = statistics.check_figure(query.figure)
    found = statistics.dossiers_behind(
        current_user, figure, start, end, organisation_id=query.organisation_id, procedure_id=query.procedure_id
    )
    label = dict(COLUMNS)[figure]
    return render_template("onestop/statistics_dossiers.html", found=found, label=label, start=start, end=end)


@stats_pages.get("/onestop/statistics.xlsx")
def statistics_xlsx():  # type: ignore[no-untyped-def]
    query = parse_query(StatsQuery)
    start, end = _period(query)
    by = query.by
    stats = statistics.statistics(start, end, by)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Mau 06")
    bold = Font(bold=True)
    sheet.append(
        [
            text_cell(
                sheet,
                gettext("One-stop figures from %(start)s to %(end)s", start=f"{start:%d/%m/%Y}", end=f"{end:%d/%m/%Y}"),
                font=bold,
            )
        ]
    )
    heading = [
        gettext("Organisation") if by == "organisation" else gettext("Procedure"),
        pgettext("figures", "Received"),
    ]
    heading += [str(label) for _, label in COLUMNS] + [gettext("On-time share")]
    sheet.append([text_cell(sheet, h, font=bold) for h in heading])
    for row in [*stats.rows, stats.total]:
        name = row.label if row.key is not None else gettext("Total")
        values: list[Any] = [text_cell(sheet, name), row.received, *(row[c] for c, _ in COLUMNS)]
        values.append(round(row.on_time_share, 4) if row.on_time_share is not None else None)
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    filename = f"thong-ke-mot-cua-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return send_file(out, mimetype=mimetype, as_attachment=True, download_name=filename, max_age=0)
