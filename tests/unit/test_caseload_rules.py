"""K1–K4: totals, days below the daily target, cases per staffed person-day, window imbalance."""
import datetime as dt
from decimal import Decimal

import pandas as pd

from hallmon.caseload.rules import (
    caseload_statistics,
    coefficient_of_variation,
    days_below_target,
    months_of_year,
    per_staffed_person_day,
    rows_in_months,
    totals_by,
    totals_by_month,
    window_imbalance,
)
from hallmon.core.calendar import WorkCalendar
from hallmon.core.periods import month_bounds

D = dt.date


def rows(*data):
    """(date, department, window, staff_id, business, count) rows."""
    return pd.DataFrame(list(data), columns=["date", "department", "window", "staff_id", "business", "count"],
                        dtype=object)


def june_working_days():
    return WorkCalendar().working_days(*month_bounds("2024-06"))


# ---------------------------------------------------------------- K: the year's months


def test_year_means_the_contracts_months_in_that_calendar_year():
    contract = [f"2024-{m:02d}" for m in range(7, 13)] + [f"2025-{m:02d}" for m in range(1, 7)]
    assert months_of_year(contract, 2024) == ["2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12"]
    assert months_of_year(contract, 2025)[-1] == "2025-06"
    assert months_of_year(contract, 2026) == []


def test_only_rows_dated_in_the_selected_months_count():
    frame = rows((D(2024, 6, 30), "受理科", "A01", None, "转移", 5), (D(2024, 7, 1), "受理科", "A01", None, "转移", 7),
                 (D(2023, 6, 3), "受理科", "A01", None, "转移", 11))
    assert int(rows_in_months(frame, ["2024-06"])["count"].sum()) == 5


# ---------------------------------------------------------------- K1 totals


def test_totals_by_department_window_business_and_month():
    frame = rows_in_months(rows(
        (D(2024, 6, 3), "受理科", "A01", "S1", "转移", 10),
        (D(2024, 6, 3), "受理科", "A02", "S2", "抵押", 4),
        (D(2024, 6, 4), "档案查询", None, None, "查询", 20),   # no window: counts everywhere but by_window
        (D(2024, 7, 1), "受理科", "A01", "S1", "转移", 6),
    ), ["2024-06", "2024-07", "2024-08"])
    assert totals_by(frame, "department") == {"受理科": 20, "档案查询": 20}
    assert totals_by(frame, "window") == {"A01": 16, "A02": 4}
    assert totals_by(frame, "business") == {"抵押": 4, "查询": 20, "转移": 16}
    assert totals_by(frame, "staff_id") == {"S1": 16, "S2": 4}
    assert totals_by_month(frame, ["2024-06", "2024-07", "2024-08"]) == {"2024-06": 34, "2024-07": 6, "2024-08": 0}


# ---------------------------------------------------------------- K2 days below target


def test_june_2024_has_19_working_days():
    # 3–7, 11–14 (Mon 10 is 端午节), 17–21, 24–28
    assert len(june_working_days()) == 19


def test_a_working_day_without_rows_counts_as_zero_below_target():
    daily = {D(2024, 6, 3): 120,   # above
             D(2024, 6, 4): 100,   # equal to the target: not below
             D(2024, 6, 5): 99,    # below
             D(2024, 6, 8): 500,   # Saturday: not a working day, never counted
             D(2024, 6, 10): 0}    # 端午节: not a working day
    # 19 working days − 2 at or above the target = 17 (16 without rows + the 99)
    assert days_below_target(daily, june_working_days(), Decimal(100)) == 17


def test_no_target_gives_null():
    assert days_below_target({}, june_working_days(), Decimal(0)) is None


def test_a_decimal_target_compares_exactly():
    assert days_below_target({D(2024, 6, 3): 100}, [D(2024, 6, 3)], Decimal("100.5")) == 1


# ---------------------------------------------------------------- K3 per staffed person-day


def test_cases_per_staffed_person_day_rounds_half_up_and_is_null_without_staff():
    result = per_staffed_person_day({"2024-06": 200, "2024-07": 1, "2024-08": 5},
                                    {"2024-06": 40, "2024-07": 3, "2024-08": 0})
    assert result == {"2024-06": 5.0, "2024-07": 0.3333, "2024-08": None}


# ---------------------------------------------------------------- K4 window imbalance


def test_a_window_without_cases_one_month_counts_as_zero_that_month():
    frame = rows_in_months(rows(
        (D(2024, 6, 3), "受理科", "A", None, "转移", 10),
        (D(2024, 6, 3), "受理科", "B", None, "转移", 30),
        (D(2024, 7, 1), "受理科", "B", None, "转移", 20),
        (D(2024, 7, 1), "受理科", "C", None, "转移", 40),
        (D(2024, 7, 2), "档案查询", None, None, "查询", 999),  # no window: not in K4
    ), ["2024-06", "2024-07", "2024-08"])
    # June: A 10, B 30, C 0 → mean 40/3, variance 1400/9, cv = √1400/40 = 0.935414… → 0.9354
    # July: A 0, B 20, C 40 → mean 20, variance 800/3, cv = √(2/3) = 0.816496… → 0.8165
    # August: every window 0 → mean 0 → null
    assert window_imbalance(frame, ["2024-06", "2024-07", "2024-08"]) == {
        "2024-06": 0.9354, "2024-07": 0.8165, "2024-08": None}


def test_no_window_at_all_gives_null():
    frame = rows_in_months(rows((D(2024, 6, 3), "档案查询", None, None, "查询", 5)), ["2024-06"])
    assert window_imbalance(frame, ["2024-06"]) == {"2024-06": None}


def test_equal_windows_have_no_imbalance():
    assert coefficient_of_variation([7, 7, 7]) == 0.0


def test_an_exact_half_at_the_fifth_decimal_rounds_up():
    # mean 20000, population sd 2469: cv = 0.12345 exactly → 0.1235
    assert coefficient_of_variation([17531, 22469]) == 0.1235
    # mean 2, sd 1: 0.5
    assert coefficient_of_variation([1, 3]) == 0.5


def test_a_cv_below_the_half_rounds_down():
    # mean 20000.5, sd 2468.5: cv = 0.123422… → 0.1234
    assert coefficient_of_variation([17532, 22469]) == 0.1234


# ---------------------------------------------------------------- all together


def test_statistics_of_a_year_put_the_rules_together():
    frame = rows((D(2024, 6, 3), "受理科", "A01", "S1", "转移", 150),
                 (D(2024, 6, 3), "受理科", "A02", "S2", "转移", 50),
                 (D(2024, 6, 4), "档案查询", None, None, "查询", 80),
                 (D(2025, 1, 2), "受理科", "A01", "S1", "转移", 1000))  # next year: not counted
    months = ["2024-06"]
    s = caseload_statistics("T-1", 2024, frame, months, june_working_days(), Decimal(100), {"2024-06": 40})
    assert s.total == 280
    assert s.by_month == {"2024-06": 280}
    assert s.days_below_target == 18          # 06-03 has 200; 06-04 has 80 (below) and 17 days have nothing
    assert s.per_staffed_person_day == {"2024-06": 7.0}   # 280 / 40
    assert s.window_imbalance == {"2024-06": 0.5}         # A01 150, A02 50: mean 100, sd 50
