"""Caseload rules (rules §7): totals (K1), days below target (K2), cases per staffed person-day (K3),
window imbalance (K4); pure, over a frame of caseload rows."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import isqrt

import pandas as pd

from hallmon.core.jsonout import rate
from hallmon.core.periods import month_key

# Caseload frame columns
DATE = "date"
DEPARTMENT = "department"
WINDOW = "window"
STAFF_ID = "staff_id"
BUSINESS = "business"
COUNT = "count"
MONTH = "month"
COLUMNS = (DATE, DEPARTMENT, WINDOW, STAFF_ID, BUSINESS, COUNT)


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in COLUMNS})


def months_of_year(contract_months: Iterable[str], year: int) -> list[str]:
    """K: `--year YYYY` means the contract's months that lie in calendar year YYYY."""
    return sorted(m for m in contract_months if m.startswith(f"{year:04d}-"))


def rows_in_months(frame: pd.DataFrame, months: Iterable[str]) -> pd.DataFrame:
    """K: only rows dated in the selected months count anywhere; adds the `month` column."""
    out = frame.copy()
    out[MONTH] = [month_key(d) for d in out[DATE]] if len(out) else pd.Series([], dtype=object)
    out = out.loc[out[MONTH].isin(list(months))]
    out[COUNT] = out[COUNT].astype("int64")
    return out.reset_index(drop=True)


def totals_by(frame: pd.DataFrame, column: str) -> dict[str, int]:
    """K1: totals by department, window, staff or business, sorted by key; rows without that key are left out
    (so rows without a window count everywhere except in `by_window`)."""
    present = frame.loc[frame[column].notna()]
    sums = present.groupby(column, sort=True)[COUNT].sum()
    return {str(k): int(v) for k, v in sums.items()}


def totals_by_month(frame: pd.DataFrame, months: Iterable[str]) -> dict[str, int]:
    """K1: the total of each selected month, 0 for a month without rows."""
    sums = frame.groupby(MONTH)[COUNT].sum() if len(frame) else {}
    return {m: int(sums.get(m, 0)) for m in sorted(months)}


def totals_by_day(frame: pd.DataFrame) -> dict[dt.date, int]:
    """K1: the contract's total of each day that has rows."""
    if not len(frame):
        return {}
    sums = frame.groupby(DATE)[COUNT].sum()
    return {d: int(v) for d, v in sums.items()}


def days_below_target(daily: Mapping[dt.date, int], working_days: Iterable[dt.date],
                      daily_target: Decimal | int) -> int | None:
    """K2: working days on which the contract's total is below daily_target (a working day without rows
    counts as 0); null without a target (daily_target = 0)."""
    if not daily_target:
        return None
    return sum(1 for day in working_days if daily.get(day, 0) < daily_target)


def per_staffed_person_day(by_month: Mapping[str, int], staffed: Mapping[str, int]) -> dict[str, float | None]:
    """K3: a month's cases / its staffed person-days (A1), rounded half up to four decimals; null on 0."""
    return {m: rate(by_month[m], staffed.get(m, 0)) for m in sorted(by_month)}


def coefficient_of_variation(values: list[int]) -> float | None:
    """K4: population standard deviation / mean, rounded half up to four decimals; null when the mean is 0
    or there are no values.

    Computed exactly: cv² = variance / mean² is a fraction, and round-half-up of √cv² to 4 decimals is
    the integer m with (2m − 1)² ≤ 4·10⁸·cv² < (2m + 1)², found with integer square roots.
    """
    if not values:
        return None
    n = len(values)
    mean = Fraction(sum(values), n)
    if mean == 0:
        return None
    variance = sum((Fraction(v) - mean) ** 2 for v in values) / n
    scaled = variance / (mean * mean) * 4 * 10**8
    root = isqrt(scaled.numerator // scaled.denominator)  # ⌊√(4·10⁸·cv²)⌋
    m = (root + 1) // 2
    return float(Decimal(m).scaleb(-4))


def window_imbalance(frame: pd.DataFrame, months: Iterable[str]) -> dict[str, float | None]:
    """K4: per month, the coefficient of variation of the monthly totals of every window that has a row in
    the selected months (0 for such a window without cases that month); null when the mean is 0 or no
    window has a row."""
    windowed = frame.loc[frame[WINDOW].notna()]
    windows = sorted(set(windowed[WINDOW]))
    sums = windowed.groupby([MONTH, WINDOW])[COUNT].sum() if len(windowed) else {}
    out: dict[str, float | None] = {}
    for month in sorted(months):
        out[month] = coefficient_of_variation([int(sums.get((month, w), 0)) for w in windows])
    return out


@dataclass(frozen=True)
class CaseloadStats:
    """K1–K4 for the contract's months of one year."""

    contract: str
    year: int
    total: int
    by_department: dict[str, int]
    by_window: dict[str, int]
    by_business: dict[str, int]
    by_month: dict[str, int]
    days_below_target: int | None
    per_staffed_person_day: dict[str, float | None]
    window_imbalance: dict[str, float | None]

    def document(self, warnings: list[str]) -> dict:
        """The JSON of `hallmon caseload stats` (rules §12), keys exactly as listed there."""
        return {
            "contract": self.contract,
            "year": self.year,
            "total": self.total,
            "by_department": self.by_department,
            "by_window": self.by_window,
            "by_business": self.by_business,
            "by_month": self.by_month,
            "days_below_target": self.days_below_target,
            "per_staffed_person_day": self.per_staffed_person_day,
            "window_imbalance": self.window_imbalance,
            "warnings": list(warnings),
        }


def caseload_statistics(contract: str, year: int, frame: pd.DataFrame, months: list[str],
                        working_days: Iterable[dt.date], daily_target: Decimal | int,
                        staffed: Mapping[str, int]) -> CaseloadStats:
    """K1–K4 over the rows of the given months (the contract's months of `year`)."""
    rows = rows_in_months(frame, months)
    by_month = totals_by_month(rows, months)
    return CaseloadStats(
        contract=contract,
        year=year,
        total=int(rows[COUNT].sum()) if len(rows) else 0,
        by_department=totals_by(rows, DEPARTMENT),
        by_window=totals_by(rows, WINDOW),
        by_business=totals_by(rows, BUSINESS),
        by_month=by_month,
        days_below_target=days_below_target(totals_by_day(rows), working_days, daily_target),
        per_staffed_person_day=per_staffed_person_day(by_month, staffed),
        window_imbalance=window_imbalance(rows, months),
    )
