"""The working calendar over JSON: read by everyone signed in; its days and office hours changed by an
administrator of a top-level organisation (service.py's rule)."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import sqlalchemy as sa
from flask import jsonify
from flask_babel import gettext
from flask_login import current_user
from pydantic import BaseModel, ConfigDict

from ..api import api, json_object
from ..errors import InvalidInput
from ..extensions import db
from ..validation import parse_query
from . import service
from .models import CalendarDay
from .work_calendar import national_holidays


class CalendarQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    year: int | None = None
    organisation_id: int | None = None


def _time_or_raw(value: Any) -> Any:
    """A time of day from "HH:MM" (the service names anything else as wrong)."""
    if isinstance(value, str):
        try:
            return time.fromisoformat(value)
        except ValueError:
            return value
    return value


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput({"day": gettext("Give a date as YYYY-MM-DD.")}) from None


def calendar_json(year: int, organisation_id: int | None) -> dict[str, Any]:
    hours, own = service.office_hours_of(organisation_id)
    holidays, _ = national_holidays(frozenset({year}))
    marked = db.session.scalars(
        sa.select(CalendarDay)
        .where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
        .order_by(CalendarDay.day)
    )
    return {
        "year": year,
        "organisation_id": organisation_id,
        "version": service.calendar_version(organisation_id),
        "own_hours": own,
        "office_hours": [
            {"weekday": i.weekday, "opens": i.opens.strftime("%H:%M"), "closes": i.closes.strftime("%H:%M")}
            for i in hours
        ],
        "holidays": [{"day": d.isoformat(), "name": name} for d, name in sorted(holidays.items())],
        "days": [{"day": d.day.isoformat(), "kind": d.kind, "note": d.note} for d in marked],
    }


@api.get("/calendar")
def get_calendar():  # type: ignore[no-untyped-def]
    """The year's calendar: office hours (an organisation's own, or the deployment's), public holidays, and the
    admin's days off and make-up working days."""
    query = parse_query(CalendarQuery)
    year = query.year or date.today().year
    if not 1990 <= year <= 2100:
        raise InvalidInput({"year": gettext("Give a year between 1990 and 2100.")})
    return jsonify(calendar_json(year, query.organisation_id))


@api.put("/calendar/office-hours")
def put_office_hours():  # type: ignore[no-untyped-def]
    """Replace the office hours: {"organisation_id"?: id, "intervals": [{"weekday", "opens", "closes"}]}; an empty
    list for an organisation returns it to the deployment's hours."""
    body = json_object(64 * 1024)
    organisation_id = body.get("organisation_id")
    if organisation_id is not None and (isinstance(organisation_id, bool) or not isinstance(organisation_id, int)):
        raise InvalidInput({"organisation_id": gettext("Give an organisation's id.")})
    items = body.get("intervals")
    if not isinstance(items, list) or len(items) > 50:
        raise InvalidInput({"intervals": gettext("Give a list of intervals (at most 50).")})
    intervals = [
        (item.get("weekday"), _time_or_raw(item.get("opens")), _time_or_raw(item.get("closes")))
        if isinstance(item, dict)
        else item
        for item in items
    ]
    service.set_office_hours(current_user, intervals, organisation_id)
    answer = calendar_json(date.today().year, organisation_id)
    db.session.commit()
    return jsonify(answer)


@api.put("/calendar/days/<day>")
def put_calendar_day(day: str):  # type: ignore[no-untyped-def]
    """Mark a date: {"kind": "day_off" | "working_day", "note": why (the decision that sets it)}."""
    body = json_object(16 * 1024)
    row = service.set_day(current_user, _day(day), body.get("kind"), body.get("note"))  # type: ignore[arg-type]
    answer = {"day": row.day.isoformat(), "kind": row.kind, "note": row.note, "version": service.calendar_version()}
    db.session.commit()
    return jsonify(answer)


@api.delete("/calendar/days/<day>")
def delete_calendar_day(day: str):  # type: ignore[no-untyped-def]
    """Remove the mark on a date: the weekly hours and the public holidays apply to it again."""
    service.clear_day(current_user, _day(day))
    answer = {"version": service.calendar_version()}
    db.session.commit()
    return jsonify(answer)
