"""The leader's dashboard page: per unit and per person over a period, with its chart and its XLSX export."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, render_template
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from ..clock import local_today
from ..errors import InvalidInput
from ..validation import parse, query_args
from .api import DrillDown
from .chart import Bar, Series, stacked_bars
from .dashboard import (
    BREAKDOWN_LABELS,
    FIGURE_LABELS,
    FIGURES,
    Breakdown,
    Dashboard,
    DashboardQuery,
    TaskOutcome,
    oversight_of,
    task_dashboard,
)
from .workbook import dashboard_title

dashboard_pages = Blueprint("dashboard_pages", __name__)

# What the chart draws, in the order of the stack, and the colour of each (the stylesheet's ok, warn, accent, bad).
CHART_SERIES: tuple[tuple[TaskOutcome, str], ...] = (
    (TaskOutcome.COMPLETED_ON_TIME, "#1e7a3c"),
    (TaskOutcome.COMPLETED_LATE, "#d99a00"),
    (TaskOutcome.IN_PROGRESS, "#1b5e9b"),
    (TaskOutcome.OVERDUE, "#b42318"),
)
SHORTCUTS = (
    ("month", _l("This month")),
    ("last_month", _l("Last month")),
    ("quarter", _l("This quarter")),
    ("year", _l("This year")),
)


def shortcut_period(name: str, today: date) -> tuple[date, date]:
    """The first and last day of a period named on the page's shortcuts, around `today`."""
    if name == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if name == "quarter":
        first = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
        after = (first + timedelta(days=95)).replace(day=1)
        return first, after - timedelta(days=1)
    if name == "year":
        return today.replace(month=1, day=1), today.replace(month=12, day=31)
    first = today.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def dashboard_chart(board: Dashboard) -> Markup:
    series = [Series(str(FIGURE_LABELS[outcome]), colour) for outcome, colour in CHART_SERIES]
    bars = [Bar(row.label, tuple(row.figures.value(str(o)) for o, _ in CHART_SERIES)) for row in board.rows]
    svg = stacked_bars(
        bars,
        series,
        title=dashboard_title(board),
        description=gettext(
            "One bar per row: completed on time, completed late, in progress and overdue tasks, stacked. "
            "Cancelled tasks are not drawn."
        ),
        chart_id="tasks-chart",
    )
    return Markup(svg)  # noqa: S704 - built by chart.py, which escapes every text it writes


@dashboard_pages.get("/tasks/dashboard")
def dashboard():  # type: ignore[no-untyped-def]
    """The figures of the period asked for (the current month by default), a table and a chart."""
    oversight_of(current_user)  # nobody else sees even the form
    args = query_args()
    today = local_today()
    errors: dict[str, str] = {}
    board = None
    try:
        board = task_dashboard(current_user, parse(DashboardQuery, args))
    except InvalidInput as err:
        errors = err.fields
    links: list[dict[str, str]] = []
    total_links: dict[str, str] = {}
    if board is not None:
        drill_down = DrillDown(board)
        links = [drill_down.links(row.filters) for row in board.rows]
        total_links = drill_down.links({})
    context: dict[str, Any] = {
        "board": board,
        "args": args,
        "errors": errors,
        "links": links,
        "total_links": total_links,
        "chart": dashboard_chart(board) if board is not None and board.totals.assigned else None,
        "title": dashboard_title(board) if board is not None else gettext("Tasks dashboard"),
        "figures": FIGURES,
        "figure_labels": FIGURE_LABELS,
        "breakdowns": [(str(b), BREAKDOWN_LABELS[b]) for b in Breakdown],
        "Breakdown": Breakdown,
        "shortcuts": [(label, *shortcut_period(name, today)) for name, label in SHORTCUTS],
    }
    return render_template("tasks/dashboard.html", **context), 422 if errors else 200
