"""The statistics pages: the period's figures in form 06's columns with a chart, each figure linking to the
dossiers behind it (signed in), the same as an XLSX workbook, and the aggregate page the public may see without
logging in (/thong-ke: figures only, no links)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from flask import Blueprint, render_template, request, send_file
from flask_babel import gettext, pgettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from openpyxl import Workbook
from openpyxl.styles import Font

from ..archive.register_xlsx import text_cell
from ..clock import local_today
from ..ratelimit import client_key, hit
from ..security import public
from ..validation import drop_blanks, parse
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
STATS_PER_MINUTE = 30


def _period() -> tuple[date, date, str]:
    """The period asked for, or this quarter so far."""
    query = parse(StatsQuery, drop_blanks(request.args))
    today = local_today()
    start = query.start or date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = query.end or today
    start, end = statistics.check_period(start, end)
    return start, end, query.by


def _page(public_view: bool):  # type: ignore[no-untyped-def]
    start, end, by = _period()
    stats = statistics.statistics(start, end, "organisation" if public_view else by)
    return render_template(
        "onestop/statistics.html",
        stats=stats,
        columns=COLUMNS,
        public_view=public_view,
        widest=max([row.resolved + row.in_progress for row in stats.rows] + [1]),
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
    start, end, _by = _period()
    query = parse(StatsQuery, drop_blanks(request.args))
    figure = statistics.check_figure(query.figure)
    found = statistics.dossiers_behind(
        current_user, figure, start, end, organisation_id=query.organisation_id, procedure_id=query.procedure_id
    )
    label = dict(COLUMNS)[figure]
    return render_template("onestop/statistics_dossiers.html", found=found, label=label, start=start, end=end)


@stats_pages.get("/onestop/statistics.xlsx")
def statistics_xlsx():  # type: ignore[no-untyped-def]
    start, end, by = _period()
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
