"""W1 and W2: the national calendar with 调休, contract corrections, and the fallback for uncovered years."""
import datetime as dt

from hallmon.core.calendar import WorkCalendar, covered_years

D = dt.date


def test_sunday_7_april_2024_is_a_make_up_working_day():
    assert WorkCalendar().is_working_day(D(2024, 4, 7))


def test_national_day_week_2024_is_rest():
    cal = WorkCalendar()
    assert not any(cal.is_working_day(D(2024, 10, d)) for d in range(1, 8))
    assert cal.is_working_day(D(2024, 10, 8))
    assert cal.is_working_day(D(2024, 10, 12))  # Saturday make-up day


def test_qingming_and_may_day_2024_with_their_make_up_days():
    cal = WorkCalendar()
    assert not cal.is_working_day(D(2024, 4, 4)) and not cal.is_working_day(D(2024, 4, 5))
    assert cal.is_working_day(D(2024, 4, 28))  # Sunday worked for May Day
    assert not any(cal.is_working_day(D(2024, 5, d)) for d in range(1, 6))
    assert cal.is_working_day(D(2024, 5, 11))  # Saturday worked for May Day


def test_contract_overrides_correct_the_national_calendar():
    cal = WorkCalendar(extra_workdays=[D(2024, 6, 8)], extra_holidays=[D(2024, 6, 7)])
    assert cal.is_working_day(D(2024, 6, 8))
    assert not cal.is_working_day(D(2024, 6, 7))


def test_the_nth_working_day_after_skips_holidays():
    cal = WorkCalendar()
    assert cal.add_working_days(D(2024, 9, 30), 1) == D(2024, 10, 8)
    assert cal.add_working_days(D(2024, 9, 27), 2) == D(2024, 9, 30)  # Sunday 29 Sept is worked
    # Spring Festival 2024: 10–17 Feb rest, Sundays 4 and 18 Feb worked, 9 Feb (除夕) a working day
    assert cal.add_working_days(D(2024, 1, 31), 9) == D(2024, 2, 18)
    assert cal.add_working_days(D(2024, 1, 31), 10) == D(2024, 2, 19)


def test_an_uncovered_year_falls_back_to_monday_to_friday_and_warns():
    cal = WorkCalendar()
    year = covered_years()[1] + 3
    monday = D(year, 1, 1) + dt.timedelta(days=(7 - D(year, 1, 1).weekday()) % 7)
    assert cal.is_working_day(monday)
    assert not cal.is_working_day(monday + dt.timedelta(days=5))
    assert cal.warnings() and str(year) in cal.warnings()[0]


def test_a_covered_year_carries_no_warning():
    cal = WorkCalendar()
    cal.working_days(D(2024, 1, 1), D(2024, 12, 31))
    assert cal.warnings() == []


def test_2024_has_262_weekdays_less_19_holidays_plus_8_make_up_days():
    assert WorkCalendar().count_working_days(D(2024, 1, 1), D(2024, 12, 31)) == 251
