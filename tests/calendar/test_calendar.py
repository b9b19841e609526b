"""Working time, counted by a WorkCalendar built by hand: no database, no application."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from app.calendar.work_calendar import DEFAULT_OFFICE_HOURS, WorkCalendar, check_office_hours
from app.errors import InvalidInput

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SATURDAY_MORNINGS = (*DEFAULT_OFFICE_HOURS, (5, time(7, 30), time(11, 30)))

# Vietnam's holidays for 2024 to 2035, from the `holidays` package; no admin changes.
NATIONAL = WorkCalendar.national(range(2024, 2036))
# Office hours only: no holidays at all, so the weekly rule alone decides.
PLAIN = WorkCalendar()


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def hours(value: float) -> timedelta:
    return timedelta(hours=value)


# --- Tết and the other public holidays, from the `holidays` package -------------------------------------


def _tet_days(year: int) -> list[date]:
    """The Tết days the package gives for `year`: the 29th, the eve, the first days and their substitutes."""
    names = holidays.country_holidays("VN", years=year, language="en_US")
    return sorted(day for day, name in names.items() if "Lunar New Year" in name)


def _working_by_the_package(day: date) -> bool:
    package = holidays.country_holidays("VN", years=day.year)
    return (day.weekday() < 5 and day not in package) or day in package.weekend_workdays


@pytest.mark.parametrize("year", range(2025, 2035))
def test_no_day_of_tet_is_a_working_day(year: int) -> None:
    tet = _tet_days(year)
    assert len(tet) >= 5  # the eve and the first four days at least
    for day in tet:
        assert not NATIONAL.is_working_day(day), day
        assert NATIONAL.holiday_name(day), day


@pytest.mark.parametrize("year", range(2025, 2035))
def test_three_working_days_from_the_last_day_before_tet_land_after_tet(year: int) -> None:
    tet = _tet_days(year)
    before = tet[0] - timedelta(days=1)
    while not _working_by_the_package(before):
        before -= timedelta(days=1)
    expected = before
    for _ in range(3):
        expected += timedelta(days=1)
        while not _working_by_the_package(expected):
            expected += timedelta(days=1)

    due = NATIONAL.add_working_days(at(before, 9, 15), 3)

    assert due == at(expected, 9, 15)
    assert due.date() > tet[-1]


def test_known_dates_of_2025_and_2026() -> None:
    # Tết Bính Ngọ: Mùng 1 is Tuesday 17 February 2026; the eve is Monday 16 February.
    assert NATIONAL.holiday_name(date(2026, 2, 17)) == "Tết Nguyên Đán"
    assert NATIONAL.holiday_name(date(2026, 2, 16)) == "Giao thừa Tết Nguyên Đán"
    assert NATIONAL.is_working_day(date(2026, 2, 13))  # the Friday before
    assert NATIONAL.is_working_day(date(2026, 2, 23))  # the Monday after
    # The Hùng Kings' day (10th of the 3rd lunar month) is Sunday 26 April 2026: taken on Monday 27.
    assert NATIONAL.holiday_name(date(2026, 4, 26)) == "Ngày Giỗ Tổ Hùng Vương"
    assert not NATIONAL.is_working_day(date(2026, 4, 27))
    # Tết Ất Tỵ: Mùng 1 is Wednesday 29 January 2025.
    assert NATIONAL.holiday_name(date(2025, 1, 29)) == "Tết Nguyên Đán"
    # 2025: Friday 2 May off in exchange for Saturday 26 April, which was worked.
    assert not NATIONAL.is_working_day(date(2025, 5, 2))
    assert NATIONAL.is_working_day(date(2025, 4, 26))
    # Vietnam Cultural Day, a holiday from 2026.
    assert not NATIONAL.is_working_day(date(2026, 11, 24))
    assert NATIONAL.is_working_day(date(2025, 11, 24))


def test_a_deadline_from_the_friday_before_tet_2026_skips_the_whole_week() -> None:
    assert NATIONAL.add_working_days(at(date(2026, 2, 13), 9), 3) == at(date(2026, 2, 25), 9)


def test_the_package_make_up_saturday_is_worked_with_mondays_hours() -> None:
    # Friday 25 April 2025 at 16:00, four hours: one on Friday, three on Saturday 26 April.
    assert NATIONAL.add_working_hours(at(date(2025, 4, 25), 16), 4) == at(date(2025, 4, 26), 10, 30)


# --- Starting moments -----------------------------------------------------------------------------------


def test_a_deadline_keeps_the_clock_time_of_the_start() -> None:
    # Tuesday 17 November 2026 at 09:15, three working days: Friday 20 at 09:15.
    assert PLAIN.add_working_days(at(date(2026, 11, 17), 9, 15), 3) == at(date(2026, 11, 20), 9, 15)


def test_a_friday_afternoon_start_counts_the_next_week() -> None:
    friday = date(2026, 11, 20)
    assert PLAIN.add_working_days(at(friday, 15), 1) == at(date(2026, 11, 23), 15)
    # Tuesday 24 November 2026 is Vietnam Cultural Day: the second day is Wednesday.
    assert NATIONAL.add_working_days(at(friday, 15), 2) == at(date(2026, 11, 25), 15)


def test_a_start_during_lunch_counts_from_the_afternoon_opening() -> None:
    monday = date(2026, 11, 16)
    assert PLAIN.next_opening(at(monday, 12)) == at(monday, 13, 30)
    assert PLAIN.add_working_days(at(monday, 12), 1) == at(date(2026, 11, 17), 13, 30)
    assert PLAIN.add_working_hours(at(monday, 12), 1) == at(monday, 14, 30)


def test_a_start_after_hours_counts_from_the_next_opening() -> None:
    friday = date(2026, 11, 20)
    monday = date(2026, 11, 23)
    assert PLAIN.next_opening(at(friday, 17, 30)) == at(monday, 7, 30)
    assert PLAIN.add_working_days(at(friday, 17, 30), 3) == at(date(2026, 11, 26), 7, 30)
    assert PLAIN.add_working_days(at(date(2026, 11, 19), 6), 1) == at(friday, 7, 30)  # before opening


def test_the_office_is_open_from_its_opening_until_just_before_its_closing() -> None:
    monday = date(2026, 11, 16)
    assert PLAIN.next_opening(at(monday, 7, 30)) == at(monday, 7, 30)
    assert PLAIN.next_opening(at(monday, 11, 30)) == at(monday, 13, 30)
    assert PLAIN.next_opening(at(monday, 17)) == at(date(2026, 11, 17), 7, 30)


def test_zero_days_is_the_next_opening() -> None:
    saturday = date(2026, 11, 21)
    assert PLAIN.add_working_days(at(saturday, 10), 0) == at(date(2026, 11, 23), 7, 30)


def test_a_start_in_another_time_zone_is_the_same_moment() -> None:
    # 10:30 UTC is 17:30 in Hà Nội: after hours.
    start = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
    due = PLAIN.add_working_days(start, 1)
    assert due == at(date(2026, 11, 24), 7, 30)
    assert due.utcoffset() == timedelta(hours=7)


def test_on_the_eve_of_a_holiday_the_count_resumes_after_it() -> None:
    eve = date(2026, 4, 29)  # Wednesday; then 30 April, 1 May, and the weekend
    monday = date(2026, 5, 4)
    assert NATIONAL.add_working_days(at(eve, 10), 1) == at(monday, 10)
    assert NATIONAL.add_working_hours(at(eve, 16), 2) == at(monday, 8, 30)


# --- The admin's days -----------------------------------------------------------------------------------


def test_a_make_up_saturday_is_worked() -> None:
    saturday = date(2026, 11, 28)
    calendar = WorkCalendar(working_days={saturday})
    assert calendar.is_working_day(saturday)
    assert not PLAIN.is_working_day(saturday)
    assert calendar.add_working_days(at(date(2026, 11, 27), 10), 1) == at(saturday, 10)
    assert calendar.add_working_hours(at(date(2026, 11, 27), 16), 2) == at(saturday, 8, 30)


def test_a_make_up_saturday_is_a_full_day_even_where_saturday_mornings_are_open() -> None:
    saturday = date(2026, 11, 28)
    mornings_only = WorkCalendar(hours=SATURDAY_MORNINGS)
    make_up = WorkCalendar(hours=SATURDAY_MORNINGS, working_days={saturday})
    assert mornings_only.next_opening(at(saturday, 14)) == at(date(2026, 11, 30), 7, 30)
    assert make_up.next_opening(at(saturday, 14)) == at(saturday, 14)


def test_a_day_off_the_admin_added_is_skipped() -> None:
    wednesday = date(2026, 11, 18)
    calendar = WorkCalendar(extra_days_off={wednesday: "Nghỉ bù theo Thông báo 01/TB-UBND"})
    assert not calendar.is_working_day(wednesday)
    assert calendar.holiday_name(wednesday) == "Nghỉ bù theo Thông báo 01/TB-UBND"
    assert calendar.add_working_days(at(date(2026, 11, 17), 9), 1) == at(date(2026, 11, 19), 9)
    assert calendar.add_working_hours(at(date(2026, 11, 17), 16), 2) == at(date(2026, 11, 19), 8, 30)


def test_a_day_off_wins_over_the_packages_make_up_saturday() -> None:
    saturday = date(2025, 4, 26)
    calendar = WorkCalendar.national([2025], days_off={saturday: "Không làm bù"})
    assert not calendar.is_working_day(saturday)


def test_a_holiday_the_admin_removed_is_a_working_day_again() -> None:
    cultural_day = date(2026, 11, 24)  # a Tuesday
    calendar = WorkCalendar.national([2026], working_days={cultural_day})
    assert calendar.is_working_day(cultural_day)
    assert calendar.holiday_name(cultural_day) is None
    assert calendar.add_working_days(at(date(2026, 11, 23), 9), 1) == at(cultural_day, 9)


def test_a_removed_holiday_keeps_its_own_weekdays_hours() -> None:
    friday = date(2026, 11, 27)
    short_fridays = [(d, time(7, 30), time(16, 0) if d == 4 else time(17, 0)) for d in range(5)]
    calendar = WorkCalendar(hours=short_fridays, holidays={friday: "Ngày lễ thử"}, working_days={friday})
    assert calendar.next_opening(at(friday, 16, 30)) == at(date(2026, 11, 30), 7, 30)


# --- Office hours ---------------------------------------------------------------------------------------


def test_saturday_mornings_when_the_office_opens_them() -> None:
    calendar = WorkCalendar(hours=SATURDAY_MORNINGS)
    friday, saturday, monday = date(2026, 11, 27), date(2026, 11, 28), date(2026, 11, 30)
    assert calendar.is_working_day(saturday)
    assert not calendar.is_working_day(date(2026, 11, 29))
    assert calendar.add_working_hours(at(friday, 16), 2) == at(saturday, 8, 30)
    assert calendar.add_working_days(at(friday, 10), 1) == at(saturday, 10)
    # 15:00 is not office time on Saturday: the deadline moves to the next opening.
    assert calendar.add_working_days(at(friday, 15), 1) == at(monday, 7, 30)
    assert calendar.working_time_between(at(friday, 17), at(monday, 7, 30)) == hours(4)


def test_working_time_across_a_weekend_and_lunch() -> None:
    friday, monday = date(2026, 11, 20), date(2026, 11, 23)
    # Friday 10:00-11:30 and 13:30-17:00, Monday 07:30-11:30 and 13:30-14:00.
    assert PLAIN.working_time_between(at(friday, 10), at(monday, 14)) == hours(9.5)


def test_working_time_backwards_is_negative() -> None:
    friday, monday = date(2026, 11, 20), date(2026, 11, 23)
    assert PLAIN.working_time_between(at(monday, 14), at(friday, 10)) == -hours(9.5)


def test_no_working_time_within_lunch_or_between_equal_moments() -> None:
    monday = date(2026, 11, 16)
    assert PLAIN.working_time_between(at(monday, 11, 45), at(monday, 13, 15)) == timedelta(0)
    assert PLAIN.working_time_between(at(monday, 10), at(monday, 10)) == timedelta(0)


def test_working_time_up_to_the_last_day_of_the_calendar_is_answered() -> None:
    calendar = WorkCalendar.national([2026])
    last = date(2026, 12, 31)  # a Thursday
    assert calendar.working_time_between(at(last, 16), at(last, 20)) == hours(1)


def test_working_hours_skip_lunch() -> None:
    monday = date(2026, 11, 16)
    assert PLAIN.add_working_hours(at(monday, 10, 30), 2) == at(monday, 14, 30)


def test_working_hours_skip_nights() -> None:
    monday = date(2026, 11, 16)
    # One hour on Monday, then Tuesday's four in the morning and three in the afternoon.
    assert PLAIN.add_working_hours(at(monday, 16), 8) == at(date(2026, 11, 17), 16, 30)
    assert PLAIN.add_working_hours(at(monday, 7, 30), 7.5) == at(monday, 17)


def test_working_hours_that_end_at_a_closing_time_end_there() -> None:
    monday = date(2026, 11, 16)
    assert PLAIN.add_working_hours(at(monday, 10, 30), 1) == at(monday, 11, 30)


def test_zero_working_hours_is_the_start_itself() -> None:
    sunday = date(2026, 11, 22)
    assert PLAIN.add_working_hours(at(sunday, 10), 0) == at(sunday, 10)


@pytest.mark.parametrize(
    ("start", "count"),
    [
        (at(date(2026, 2, 12), 15, 10), 3.25),
        (at(date(2026, 4, 29), 11), 16),
        (at(date(2026, 12, 31), 17, 45), 0.5),
        (at(date(2025, 4, 25), 8), 40),
    ],
)
def test_the_hours_added_are_the_working_time_between(start: datetime, count: float) -> None:
    end = NATIONAL.add_working_hours(start, count)
    assert NATIONAL.working_time_between(start, end) == hours(count)


# --- Bad input ------------------------------------------------------------------------------------------


def _fields(error: pytest.ExceptionInfo[InvalidInput]) -> set[str]:
    return set(error.value.fields)


def test_a_moment_without_a_time_zone_is_refused() -> None:
    with pytest.raises(InvalidInput) as error:
        PLAIN.add_working_days(datetime(2026, 11, 16, 9), 1)
    assert _fields(error) == {"start"}


def test_negative_or_fractional_counts_are_refused() -> None:
    start = at(date(2026, 11, 16))
    with pytest.raises(InvalidInput) as error:
        PLAIN.add_working_days(start, -1)
    assert _fields(error) == {"days"}
    with pytest.raises(InvalidInput) as error:
        PLAIN.add_working_days(start, 1.5)  # type: ignore[arg-type]
    assert _fields(error) == {"days"}
    with pytest.raises(InvalidInput) as error:
        PLAIN.add_working_hours(start, -0.5)
    assert _fields(error) == {"hours"}


def test_a_date_with_a_time_is_not_a_day() -> None:
    with pytest.raises(InvalidInput) as error:
        PLAIN.is_working_day(at(date(2026, 11, 16)))
    assert _fields(error) == {"day"}


def test_a_count_past_the_calendars_years_is_refused_not_guessed() -> None:
    calendar = WorkCalendar.national([2026])
    with pytest.raises(InvalidInput) as error:
        calendar.add_working_days(at(date(2026, 12, 30)), 5)
    assert _fields(error) == {"days"}
    with pytest.raises(InvalidInput) as error:
        calendar.next_opening(at(date(2027, 1, 4)))
    assert _fields(error) == {"moment"}


def test_a_day_cannot_be_both_off_and_worked() -> None:
    day = date(2026, 11, 28)
    with pytest.raises(InvalidInput) as error:
        WorkCalendar(extra_days_off={day}, working_days={day})
    assert _fields(error) == {"working_days"}


@pytest.mark.parametrize(
    ("intervals", "field"),
    [
        ([], "intervals"),
        ([(0, time(7, 30), time(11, 30)), (0, time(11, 0), time(12, 0))], "intervals.1"),
        ([(2, time(7, 0), time(17, 0)), (2, time(8, 0), time(9, 0)), (2, time(10, 0), time(11, 0))], "intervals.2"),
        ([(0, time(11, 30), time(7, 30))], "intervals.0.closes"),
        ([(0, time(8, 0), time(8, 0))], "intervals.0.closes"),
        ([(7, time(7, 30), time(11, 30))], "intervals.0.weekday"),
        ([(-1, time(7, 30), time(11, 30))], "intervals.0.weekday"),
        ([(0, "07:30", time(11, 30))], "intervals.0.opens"),
        ([(0, time(7, 30))], "intervals.0"),
    ],
)
def test_office_hours_are_checked(intervals: list, field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        check_office_hours(intervals)
    assert field in error.value.fields


def test_touching_intervals_do_not_overlap() -> None:
    checked = check_office_hours([(0, time(13, 0), time(17, 0)), (0, time(7, 30), time(13, 0))])
    assert [(i.opens, i.closes) for i in checked] == [(time(7, 30), time(13, 0)), (time(13, 0), time(17, 0))]
