"""The administrator's page of the working calendar: office hours (the deployment's, or an organisation's own, for
a desk open on Saturday mornings), the year's days off and make-up working days, and the public holidays."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..auth.models import Organisation, Role
from ..auth.service import managed_org_ids
from ..errors import DomainError, Forbidden
from ..extensions import db
from ..validation import parse
from . import service
from .api import CalendarQuery
from .models import CalendarDay, CalendarDayKind
from .work_calendar import national_holidays

calendar_pages = Blueprint("calendar_pages", __name__, url_prefix="/admin/calendar")

WEEKDAYS = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"), _l("Sunday"))
PARTS = ("morning", "afternoon")  # two intervals a weekday: before and after the lunch break


@calendar_pages.before_request
def _admins_only() -> None:
    if current_user.is_authenticated and not current_user.has_role(Role.ADMIN):
        raise Forbidden(gettext("Only administrators can open these pages."))


def _back(year: int, organisation_id: int | None):  # type: ignore[no-untyped-def]
    args = {"year": year, **({"organisation_id": organisation_id} if organisation_id else {})}
    return redirect(url_for("calendar_pages.index", **args))


@calendar_pages.get("")
def index():  # type: ignore[no-untyped-def]
    query = parse(CalendarQuery, request.args.to_dict())
    year = query.year if query.year and 1990 <= query.year <= 2100 else date.today().year
    hours, own = service.office_hours_of(query.organisation_id)
    grid: dict[int, list[tuple[str, str]]] = {d: [] for d in range(7)}
    for interval in hours:
        grid[interval.weekday].append((interval.opens.strftime("%H:%M"), interval.closes.strftime("%H:%M")))
    holidays, _ = national_holidays(frozenset({year}))
    marked = db.session.scalars(
        sa.select(CalendarDay)
        .where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
        .order_by(CalendarDay.day)
    ).all()
    organisations = db.session.scalars(
        sa.select(Organisation).where(Organisation.id.in_(managed_org_ids(current_user))).order_by(Organisation.name)
    ).all()
    return render_template(
        "admin/calendar.html",
        year=year,
        organisation_id=query.organisation_id,
        organisations=organisations,
        own=own,
        grid=grid,
        weekdays=WEEKDAYS,
        parts=PARTS,
        holidays=sorted(holidays.items()),
        marked=marked,
        kinds=[(CalendarDayKind.DAY_OFF, _l("Day off")), (CalendarDayKind.WORKING_DAY, _l("Make-up working day"))],
        version=service.calendar_version(query.organisation_id),
        may_change=service.can_change_calendar(current_user),
    )


def _change(action: Callable[[], object]) -> bool:
    """Make a change of the calendar: committed, or rolled back with what was wrong flashed (False)."""
    try:
        action()
    except DomainError as err:
        db.session.rollback()
        fields = getattr(err, "fields", None)
        flash("; ".join(fields.values()) if fields else err.text(), "error")
        return False
    db.session.commit()
    return True


def _form_time(text: str) -> time | str:
    try:
        return time.fromisoformat(text)
    except ValueError:
        return text


@calendar_pages.post("/hours")
def save_hours():  # type: ignore[no-untyped-def]
    form = request.form
    year = int(form.get("year") or date.today().year)
    organisation_id = int(form["organisation_id"]) if (form.get("organisation_id") or "").isdigit() else None
    intervals: list[tuple[int, time | str, time | str]] = []
    if not form.get("shared"):
        for weekday in range(7):
            for part in PARTS:
                opens, closes = form.get(f"w{weekday}-{part}-opens", ""), form.get(f"w{weekday}-{part}-closes", "")
                if opens.strip() or closes.strip():
                    intervals.append((weekday, _form_time(opens.strip()), _form_time(closes.strip())))
    if _change(lambda: service.set_office_hours(current_user, intervals, organisation_id)):
        flash(gettext("The office hours were saved."), "success")
    return _back(year, organisation_id)


@calendar_pages.post("/days")
def save_day():  # type: ignore[no-untyped-def]
    form = request.form
    year = int(form.get("year") or date.today().year)
    organisation_id = int(form["organisation_id"]) if (form.get("organisation_id") or "").isdigit() else None
    try:
        day = date.fromisoformat(form.get("day", ""))
    except ValueError:
        flash(gettext("Give a date as YYYY-MM-DD."), "error")
        return _back(year, organisation_id)
    if form.get("remove"):
        changed = _change(lambda: service.clear_day(current_user, day))
    else:
        changed = _change(lambda: service.set_day(current_user, day, form.get("kind", ""), form.get("note", "")))
    if not changed:
        return _back(year, organisation_id)
    flash(gettext("The calendar was changed."), "success")
    return _back(day.year, organisation_id)
