"""Working days (W1, W2): the national calendar with its 调休, corrected by the contract."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

import chinese_calendar
from chinese_calendar import constants as _cc

_COVERED = (min(d.year for d in _cc.holidays), max(d.year for d in _cc.holidays))


def covered_years() -> tuple[int, int]:
    """The first and last year the national calendar data describes."""
    return _COVERED


def _year_covered(year: int) -> bool:
    return _COVERED[0] <= year <= _COVERED[1]


@lru_cache(maxsize=256)
def _national_workdays(year: int) -> frozenset[dt.date]:
    day = dt.date(year, 1, 1)
    out = set()
    covered = _year_covered(year)
    while day.year == year:
        if covered:
            if chinese_calendar.is_workday(day):
                out.add(day)
        elif day.weekday() < 5:
            out.add(day)
        day += dt.timedelta(days=1)
    return frozenset(out)


def uncovered_warning(year: int) -> str:
    return (f"{year} 年不在节假日数据范围内（{_COVERED[0]}–{_COVERED[1]}），"
            f"该年按周一至周五为工作日计算")


class WorkCalendar:
    """W1: a date is a working day as the national calendar says, corrected by the contract.

    Every year looked at outside the calendar data is remembered, so that results can carry
    the W1 warning.
    """

    def __init__(self, extra_workdays: Iterable[dt.date] = (), extra_holidays: Iterable[dt.date] = ()):
        self.extra_workdays = frozenset(extra_workdays)
        self.extra_holidays = frozenset(extra_holidays)
        self.uncovered: set[int] = set()
        self._years: dict[int, frozenset[dt.date]] = {}

    @classmethod
    def for_terms(cls, terms) -> WorkCalendar:
        return cls(terms.calendar.extra_workdays, terms.calendar.extra_holidays)

    def _workdays(self, year: int) -> frozenset[dt.date]:
        days = self._years.get(year)
        if days is None:
            if not _year_covered(year):
                self.uncovered.add(year)
            base = set(_national_workdays(year))
            base |= {d for d in self.extra_workdays if d.year == year}
            base -= {d for d in self.extra_holidays if d.year == year}
            days = self._years[year] = frozenset(base)
        return days

    def is_working_day(self, day: dt.date) -> bool:
        """W1."""
        return day in self._workdays(day.year)

    def working_days(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """Working days in [first, last], ascending."""
        out = []
        for year in range(first.year, last.year + 1):
            out.extend(d for d in self._workdays(year) if first <= d <= last)
        return sorted(out)

    def count_working_days(self, first: dt.date, last: dt.date) -> int:
        return len(self.working_days(first, last)) if first <= last else 0

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """W2: the n-th working day strictly after `day` (n ≥ 1)."""
        if n < 1:
            raise ValueError("W2: n 必须 ≥ 1")
        cursor = day
        found = 0
        while found < n:
            cursor += dt.timedelta(days=1)
            if self.is_working_day(cursor):
                found += 1
        return cursor

    def warnings(self) -> list[str]:
        """W1: one warning per uncovered year that a result touched."""
        return [uncovered_warning(y) for y in sorted(self.uncovered)]


def warnings_for_months(months: Iterable[str]) -> list[str]:
    """W1: the warning of every year of these `YYYY-MM` months that the calendar data does not cover."""
    return [uncovered_warning(y) for y in sorted({int(m[:4]) for m in months}) if not _year_covered(y)]
