"""Months and billing periods (B1); pure date arithmetic."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hallmon.core.errors import Refused


def month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


class Month(str):
    """A calendar month, written `YYYY-MM`: a string that was checked when it was made."""

    __slots__ = ()

    def __new__(cls, text: str) -> Month:
        if type(text) is cls:
            return text
        year, month = parse_month(text)
        return super().__new__(cls, f"{year:04d}-{month:02d}")

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(month_key(day))

    @property
    def year(self) -> int:
        return int(self[:4])

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, int(self[5:7]), 1)

    @property
    def last(self) -> dt.date:
        return next_month_start(self.first) - dt.timedelta(days=1)


def month_of(text: str, what: str = "月份") -> Month:
    """A month given by a person (an option, a URL): refused input, naming what it is, when it is not YYYY-MM."""
    try:
        return Month(text)
    except (ValueError, TypeError):
        raise Refused(f"{what}应为 YYYY-MM：{text!r}") from None


def parse_month(text: str) -> tuple[int, int]:
    """`YYYY-MM` → (year, month); ValueError naming the value otherwise."""
    parts = text.strip().split("-")
    if len(parts) != 2 or len(parts[0]) != 4 or not parts[0].isdigit() or not parts[1].isdigit():
        raise ValueError(f"月份应为 YYYY-MM：{text!r}")
    year, month = int(parts[0]), int(parts[1])
    if not 1 <= month <= 12:
        raise ValueError(f"月份应为 YYYY-MM：{text!r}")
    return year, month


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """First and last day of a `YYYY-MM` month."""
    year, mon = parse_month(month)
    first = dt.date(year, mon, 1)
    return first, next_month_start(first) - dt.timedelta(days=1)


def next_month_start(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def add_months(month: str, n: int) -> str:
    year, mon = parse_month(month)
    index = year * 12 + (mon - 1) + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(start: dt.date, end: dt.date) -> list[str]:
    """Every calendar month touched by [start, end], ascending."""
    out = []
    cursor = dt.date(start.year, start.month, 1)
    while cursor <= end:
        out.append(month_key(cursor))
        cursor = next_month_start(cursor)
    return out


def same_day_last_year(day: dt.date) -> dt.date:
    """C3: the same date one year earlier; 29 February maps to 28 February."""
    if day.month == 2 and day.day == 29:
        return dt.date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


@dataclass(frozen=True)
class Period:
    """B1: a block of billing months, named by its first month."""

    months: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.months[0]

    @property
    def start(self) -> dt.date:
        return month_bounds(self.months[0])[0]

    @property
    def end(self) -> dt.date:
        return month_bounds(self.months[-1])[1]


def billing_periods(start: dt.date, end: dt.date, billing_months: int) -> list[Period]:
    """B1: consecutive blocks of billing_months calendar months from the contract start; the last may be shorter."""
    months = months_between(start, end)
    return [Period(tuple(months[i:i + billing_months])) for i in range(0, len(months), billing_months)]


def period_of(start: dt.date, end: dt.date, billing_months: int, month: str) -> Period | None:
    for period in billing_periods(start, end, billing_months):
        if month in period.months:
            return period
    return None
