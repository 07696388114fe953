"""B1: billing periods; month arithmetic."""
import datetime as dt

from hallmon.core.periods import (
    add_months,
    billing_periods,
    month_bounds,
    months_between,
    period_of,
    same_day_last_year,
)


def test_quarterly_periods_start_at_the_contract_start_and_the_last_may_be_shorter():
    periods = billing_periods(dt.date(2024, 2, 1), dt.date(2024, 12, 31), 3)
    assert [p.months for p in periods] == [
        ("2024-02", "2024-03", "2024-04"), ("2024-05", "2024-06", "2024-07"),
        ("2024-08", "2024-09", "2024-10"), ("2024-11", "2024-12"),
    ]
    assert periods[-1].name == "2024-11" and periods[-1].end == dt.date(2024, 12, 31)


def test_the_period_containing_a_month():
    assert period_of(dt.date(2024, 1, 1), dt.date(2024, 12, 31), 3, "2024-05").name == "2024-04"
    assert period_of(dt.date(2024, 1, 1), dt.date(2024, 12, 31), 3, "2025-01") is None


def test_month_helpers():
    assert months_between(dt.date(2023, 11, 15), dt.date(2024, 2, 1)) == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert month_bounds("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert add_months("2024-11", 3) == "2025-02" and add_months("2024-01", -1) == "2023-12"


def test_29_february_maps_to_28_february_a_year_earlier():
    assert same_day_last_year(dt.date(2024, 2, 29)) == dt.date(2023, 2, 28)
    assert same_day_last_year(dt.date(2024, 3, 1)) == dt.date(2023, 3, 1)
