"""Working time: the office hours, less the public holidays and the admin's days off, plus make-up days.

`WorkCalendar` is a frozen object whose methods are pure: nothing here reads the database. The service
builds one from the database (`service.load_calendar()`); tests build one by hand. Every deadline of the
application is counted here and nowhere else.

Days, in order of precedence:
1. a day the admin marked as a day off is closed;
2. a day marked as a working day is open: a public holiday not taken, or a make-up day (ngày làm bù);
3. a public holiday (the `holidays` package's Vietnam calendar: Tết, the Hùng Kings' day, the observed and
   substituted days) is closed;
4. any other day is open during its weekday's office hours, if it has any.
A make-up day falls on the weekly rest (Saturday or Sunday) and is worked as a full normal day, with
Monday's hours; a working-day mark on Monday to Friday keeps that weekday's own hours.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from types import MappingProxyType

import holidays as holidays_package
from flask_babel import gettext

from ..clock import LOCAL_TZ
from ..errors import InvalidInput

MONDAY = 0
# Decision 188/1999/QĐ-TTg: public servants work 40 hours a week, Monday to Friday; Saturday and Sunday
# are the weekly rest, which is why the government's make-up working days fall on them.
WEEKLY_REST = frozenset({5, 6})
# A calendar with no working day for this many days in a row is misconfigured: stop instead of looping.
MAX_CLOSED_DAYS = 3660


@dataclass(frozen=True, order=True)
class OfficeInterval:
    """The office is open on `weekday` (0 is Monday) from `opens` until `closes`, local time."""

    weekday: int
    opens: time
    closes: time


DEFAULT_OFFICE_HOURS: tuple[OfficeInterval, ...] = tuple(
    OfficeInterval(weekday, opens, closes)
    for weekday in range(5)
    for opens, closes in ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))
)

IntervalInput = OfficeInterval | tuple[int, time, time]


def check_office_hours(intervals: Iterable[IntervalInput]) -> tuple[OfficeInterval, ...]:
    """The intervals, sorted by weekday and opening time; InvalidInput names each bad one.

    Rules: at least one interval; a weekday from 0 (Monday) to 6 (Sunday); times of day without a time
    zone; each interval opens before it closes; intervals of one weekday do not overlap (one may start
    when another ends). Fields are named `intervals.<index>.weekday`, `.opens`, `.closes`, and
    `intervals.<index>` for an overlap.
    """
    errors: dict[str, str] = {}
    valid: list[tuple[int, OfficeInterval]] = []
    count = 0
    for index, item in enumerate(intervals):
        count += 1
        name = f"intervals.{index}"
        if isinstance(item, OfficeInterval):
            weekday, opens, closes = item.weekday, item.opens, item.closes
        elif isinstance(item, tuple | list) and len(item) == 3:
            weekday, opens, closes = item
        else:
            errors[name] = gettext("Give a weekday, an opening time and a closing time.")
            continue
        ok = True
        if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
            errors[f"{name}.weekday"] = gettext("Give a weekday from 0 (Monday) to 6 (Sunday).")
            ok = False
        for part, value in (("opens", opens), ("closes", closes)):
            if not isinstance(value, time) or value.tzinfo is not None:
                errors[f"{name}.{part}"] = gettext("Give a time of day, such as 07:30.")
                ok = False
        if ok and opens >= closes:
            errors[f"{name}.closes"] = gettext("The closing time must be after the opening time.")
            ok = False
        if ok:
            valid.append((index, OfficeInterval(weekday, opens, closes)))
    if count == 0:
        errors["intervals"] = gettext("Give at least one opening interval.")
    ordered = sorted(valid, key=lambda pair: pair[1])
    latest: dict[int, tuple[int, OfficeInterval]] = {}  # per weekday, the interval that closes last so far
    for index, interval in ordered:
        before = latest.get(interval.weekday)
        if before is not None and interval.opens < before[1].closes:
            errors[f"intervals.{index}"] = gettext(
                "This interval overlaps interval %(other)s of the same weekday.", other=before[0]
            )
        if before is None or interval.closes > before[1].closes:
            latest[interval.weekday] = (index, interval)
    if errors:
        raise InvalidInput(errors)
    return tuple(interval for _, interval in ordered)


def check_years(years: Iterable[int]) -> frozenset[int]:
    """The years as a set; each must be one the `holidays` package knows Vietnam's holidays for."""
    first, last = holidays_package.VN.start_year, holidays_package.VN.end_year
    span = frozenset(years)
    if not span or any(isinstance(y, bool) or not isinstance(y, int) or not first <= y <= last for y in span):
        raise InvalidInput({"years": gettext("Give years from %(first)s to %(last)s.", first=first, last=last)})
    return span


@lru_cache(maxsize=8)
def national_holidays(years: frozenset[int]) -> tuple[Mapping[date, str], frozenset[date]]:
    """Vietnam's public holidays in these years with their Vietnamese names, and the weekend days the
    government made working days in exchange for a day off (both from the `holidays` package)."""
    calendar = holidays_package.country_holidays("VN", years=sorted(years), language="vi")
    worked = frozenset(day for day in calendar.weekend_workdays if day.year in years)
    return MappingProxyType(dict(calendar)), worked


def _elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time between two moments (aware arithmetic in one zone would count wall-clock time)."""
    return end.astimezone(UTC) - start.astimezone(UTC)


def _plain_date(day: date, name: str) -> date:
    if isinstance(day, datetime) or not isinstance(day, date):
        raise InvalidInput({name: gettext("Give a date without a time.")})
    return day


@dataclass(frozen=True, init=False)
class WorkCalendar:
    """Office hours, holidays and the admin's days; answers every question about working time.

    Moments must carry a time zone; answers are given in the calendar's zone (`tz`). `years`, when set,
    are the years whose holidays are known: a question that needs a day of another year is refused
    (InvalidInput) rather than answered without that year's holidays. `version` names the rules the
    calendar was built from (see `service.calendar_version()`).
    """

    hours: tuple[OfficeInterval, ...]
    holidays: Mapping[date, str] = field(hash=False, repr=False)
    extra_days_off: Mapping[date, str] = field(hash=False)
    working_days: frozenset[date]
    tz: tzinfo
    years: frozenset[int] | None
    version: str
    _weekly: Mapping[int, tuple[tuple[time, time], ...]] = field(repr=False, compare=False, hash=False)
    _normal_day: tuple[tuple[time, time], ...] = field(repr=False, compare=False)

    def __init__(
        self,
        hours: Iterable[IntervalInput] = DEFAULT_OFFICE_HOURS,
        holidays: Mapping[date, str] | None = None,
        extra_days_off: Mapping[date, str] | Iterable[date] = (),
        working_days: Iterable[date] = (),
        tz: tzinfo = LOCAL_TZ,
        years: Iterable[int] | None = None,
        version: str = "",
    ) -> None:
        checked = check_office_hours(hours)
        days_off = dict(extra_days_off) if isinstance(extra_days_off, Mapping) else dict.fromkeys(extra_days_off, "")
        worked = frozenset(working_days)
        both = sorted(worked & days_off.keys())
        if both:
            raise InvalidInput({"working_days": gettext("%(day)s is both a day off and a working day.", day=both[0])})
        weekly: dict[int, tuple[tuple[time, time], ...]] = {}
        for interval in checked:
            weekly[interval.weekday] = (*weekly.get(interval.weekday, ()), (interval.opens, interval.closes))
        # A make-up day is a full normal day: Monday's hours, or the first weekday's that has hours.
        normal = weekly.get(MONDAY) or weekly[min(weekly)]
        values = {
            "hours": checked,
            "holidays": MappingProxyType(dict(holidays or {})),
            "extra_days_off": MappingProxyType(days_off),
            "working_days": worked,
            "tz": tz,
            "years": check_years(years) if years is not None else None,
            "version": version,
            "_weekly": MappingProxyType(weekly),
            "_normal_day": normal,
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)

    @classmethod
    def national(
        cls,
        years: Iterable[int],
        *,
        hours: Iterable[IntervalInput] = DEFAULT_OFFICE_HOURS,
        days_off: Mapping[date, str] | None = None,
        working_days: Iterable[date] = (),
        tz: tzinfo = LOCAL_TZ,
        version: str = "",
    ) -> WorkCalendar:
        """Vietnam's public holidays for `years`, with the admin's days on top.

        The weekend days the government made working days (from the `holidays` package) are working days
        unless the admin marked them as days off.
        """
        span = check_years(years)
        names, worked = national_holidays(span)
        off = dict(days_off or {})
        return cls(
            hours=hours,
            holidays=names,
            extra_days_off=off,
            working_days=(worked - off.keys()) | frozenset(working_days),
            tz=tz,
            years=span,
            version=version,
        )

    # --- Days ------------------------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        """Whether the office opens at all on this date (see the module's rules)."""
        return bool(self._day_hours(_plain_date(day, "day"), "day"))

    def holiday_name(self, day: date) -> str | None:
        """The public holiday's name, or the admin's note for a day off; None on a day the office opens and
        on a plain weekend."""
        day = _plain_date(day, "day")
        self._check_year(day, "day")
        if day in self.working_days:
            return None
        return self.holidays.get(day) or self.extra_days_off.get(day) or None

    def _check_year(self, day: date, name: str) -> None:
        if self.years is not None and day.year not in self.years:
            raise InvalidInput(
                {
                    name: gettext(
                        "The working calendar covers %(first)s to %(last)s only.",
                        first=min(self.years),
                        last=max(self.years),
                    )
                }
            )

    def _day_hours(self, day: date, name: str) -> tuple[tuple[time, time], ...]:
        self._check_year(day, name)
        if day in self.extra_days_off:
            return ()
        own = self._weekly.get(day.weekday(), ())
        if day in self.working_days:
            return own if own and day.weekday() not in WEEKLY_REST else self._normal_day
        if day in self.holidays:
            return ()
        return own

    def _next_working_day(self, day: date, name: str, until: date | None = None) -> date | None:
        """The first working day after `day`; None once past `until`."""
        for _ in range(MAX_CLOSED_DAYS):
            day += timedelta(days=1)
            if until is not None and day > until:
                return None
            if self._day_hours(day, name):
                return day
        raise InvalidInput({name: gettext("The working calendar has no working day in ten years from here.")})

    # --- Moments ---------------------------------------------------------------------------------------

    def _local(self, moment: datetime, name: str) -> datetime:
        if not isinstance(moment, datetime) or moment.utcoffset() is None:
            raise InvalidInput({name: gettext("Give a date and time with its time zone.")})
        local = moment.astimezone(self.tz)
        self._check_year(local.date(), name)
        return local

    def _spans_from(
        self, moment: datetime, name: str, until: date | None = None
    ) -> Iterator[tuple[datetime, datetime]]:
        """The office's open spans from `moment` on, in order, the first one cut to start at `moment`."""
        day: date | None = moment.date()
        while day is not None:
            for opens, closes in self._day_hours(day, name):
                start = datetime.combine(day, opens, tzinfo=self.tz)
                end = datetime.combine(day, closes, tzinfo=self.tz)
                if end > moment:
                    yield max(start, moment), end
            day = self._next_working_day(day, name, until)

    def next_opening(self, moment: datetime) -> datetime:
        """The moment itself if the office is open then, else the next time it opens.

        Open means within an interval, its opening included and its closing excluded: at 11:30 the
        next opening is 13:30.
        """
        return next(self._spans_from(self._local(moment, "moment"), "moment"))[0]

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The deadline `days` working days after `start`.

        The one-stop rules (Decree 61/2018/NĐ-CP as amended by Decree 107/2021/NĐ-CP) set the appointment
        date as the time the dossier is received plus the statutory time limit in working days. Hence:
        1. counting starts at `next_opening(start)`: a dossier received on Friday at 17:30 counts from
           Monday at 07:30, one received during lunch from 13:30;
        2. the deadline is that clock time on the `days`-th working day after that opening's day (received
           Tuesday at 09:15, three days: Friday at 09:15), so every day counted is a whole working day;
        3. if that clock time is not office time on that day (a day with shorter hours, such as an open
           Saturday morning), the deadline moves to the next opening after it.
        Zero days gives the opening itself. The answer is in the calendar's time zone.
        """
        begin = self._local(start, "start")
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise InvalidInput({"days": gettext("Give a whole number of days, zero or more.")})
        opening = next(self._spans_from(begin, "start"))[0]
        day = opening.date()
        for _ in range(days):
            following = self._next_working_day(day, "days")
            assert following is not None  # no limit was given
            day = following
        due = datetime.combine(day, opening.time(), tzinfo=self.tz)
        return next(self._spans_from(due, "days"))[0]

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """The moment when `hours` of office time have passed since `start`.

        Only office time counts: lunch, nights, weekends, holidays and days off are skipped, make-up days
        are counted. A count that ends exactly at a closing time gives that closing time (11:30, not
        13:30). Zero hours gives `start` itself.
        """
        begin = self._local(start, "start")
        if isinstance(hours, bool) or not isinstance(hours, int | float) or not math.isfinite(hours) or hours < 0:
            raise InvalidInput({"hours": gettext("Give a number of hours, zero or more.")})
        left = timedelta(hours=hours)
        if not left:
            return begin
        spans = self._spans_from(begin, "hours")
        while True:
            opens, closes = next(spans)
            length = _elapsed(opens, closes)
            if left <= length:
                return (opens.astimezone(UTC) + left).astimezone(self.tz)
            left -= length

    def working_time_between(self, a: datetime, b: datetime) -> timedelta:
        """The office time from `a` to `b`.

        Antisymmetric: when `b` is before `a` the answer is minus the time from `b` to `a`, so a deadline
        compared with now reads as time left (positive) or time overdue (negative). Zero when they are equal
        or when no office time lies between them.
        """
        first, last = self._local(a, "a"), self._local(b, "b")
        sign = 1
        if last < first:
            first, last, sign = last, first, -1
        total = timedelta(0)
        for opens, closes in self._spans_from(first, "b", until=last.date()):
            if opens >= last:
                break
            total += _elapsed(opens, min(closes, last))
        return total * sign
