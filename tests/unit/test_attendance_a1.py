"""A1: who is scheduled on which working day, and who a monthly summary lists."""
import datetime as dt

import pandas as pd

from hallmon.attendance.rules import listed_staff, scheduled_day_counts, scheduled_days
from hallmon.core.calendar import WorkCalendar

D = dt.date
START, END = D(2024, 1, 1), D(2024, 12, 31)


def roster(*rows):
    return pd.DataFrame(rows, columns=["staff_id", "hired_on", "left_on"], dtype=object)


def test_a_person_hired_on_the_15th_is_scheduled_from_the_15th():
    days = scheduled_days(roster(("A", D(2024, 3, 15), None)), START, END, "2024-03", WorkCalendar())
    assert days["date"].min() == pd.Timestamp("2024-03-15")
    assert len(days) == 11  # Friday 15th, then two full weeks


def test_the_last_working_day_is_left_on_inclusive():
    days = scheduled_days(roster(("A", D(2020, 1, 1), D(2024, 6, 7))), START, END, "2024-06", WorkCalendar())
    assert days["date"].max() == pd.Timestamp("2024-06-07") and len(days) == 5


def test_nobody_is_scheduled_outside_the_contract():
    r = roster(("A", D(2020, 1, 1), None))
    assert len(scheduled_days(r, D(2024, 3, 1), D(2024, 3, 31), "2024-04", WorkCalendar())) == 0
    assert listed_staff(r, D(2024, 3, 1), D(2024, 3, 31), "2024-04").empty


def test_the_summary_lists_everyone_whose_employment_overlaps_the_month_by_staff_id():
    r = roster(("C", D(2024, 5, 4), None),            # hired on a Saturday of May: listed
               ("A", D(2020, 1, 1), D(2024, 4, 30)),  # left before May: not listed
               ("B", D(2024, 6, 1), None))            # hired after May: not listed
    assert list(listed_staff(r, START, END, "2024-05")["staff_id"]) == ["C"]


def test_someone_listed_but_never_on_a_working_day_has_zero_days():
    # employed only during the National Day holiday; B works October's 23 weekdays − 5 holidays + Saturday 12th
    r = roster(("A", D(2024, 10, 1), D(2024, 10, 7)), ("B", D(2020, 1, 1), None))
    counts = scheduled_day_counts(r, START, END, "2024-10", WorkCalendar())
    assert counts.to_dict() == {"A": 0, "B": 19}
