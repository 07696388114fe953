"""Attendance rules (SPEC §4), pure and vectorised over pandas frames."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from hallmon.calendar import WorkCalendar
from hallmon.periods import month_bounds

# Roster frame columns
STAFF_ID = "staff_id"
HIRED_ON = "hired_on"
LEFT_ON = "left_on"
DAY = "date"


def _as_datetime64(values) -> np.ndarray:
    return pd.to_datetime(pd.Series(values, dtype=object)).to_numpy(dtype="datetime64[D]")


def employment_bounds(roster: pd.DataFrame, contract_start: dt.date, contract_end: dt.date
                      ) -> tuple[np.ndarray, np.ndarray]:
    """A1: each person's first and last day of employment inside the contract (datetime64[D])."""
    start = np.maximum(_as_datetime64(roster[HIRED_ON]), np.datetime64(contract_start, "D"))
    left = pd.Series(roster[LEFT_ON], dtype=object).where(pd.notna(roster[LEFT_ON]), contract_end)
    end = np.minimum(_as_datetime64(left), np.datetime64(contract_end, "D"))
    return start, end


def listed_staff(roster: pd.DataFrame, contract_start: dt.date, contract_end: dt.date, month: str) -> pd.DataFrame:
    """A1: the staff a monthly summary lists — employment overlapping the month inside the contract — by staff_id."""
    first, last = month_bounds(month)
    start, end = employment_bounds(roster, contract_start, contract_end)
    overlaps = (start <= np.datetime64(last, "D")) & (end >= np.datetime64(first, "D")) & (start <= end)
    return roster.loc[overlaps].sort_values(STAFF_ID).reset_index(drop=True)


def scheduled_days(roster: pd.DataFrame, contract_start: dt.date, contract_end: dt.date, month: str,
                   calendar: WorkCalendar) -> pd.DataFrame:
    """A1: (staff_id, date) for every working day of the month from hired_on to left_on (or the contract's end) inside the contract."""
    first, last = month_bounds(month)
    days = np.array(calendar.working_days(first, last), dtype="datetime64[D]")
    if roster.empty or not len(days):
        return pd.DataFrame({STAFF_ID: pd.Series([], dtype=object), DAY: pd.Series([], dtype="datetime64[s]")})
    start, end = employment_bounds(roster, contract_start, contract_end)
    inside = (days[None, :] >= start[:, None]) & (days[None, :] <= end[:, None])
    person, day = np.nonzero(inside)
    return pd.DataFrame({
        STAFF_ID: roster[STAFF_ID].to_numpy(dtype=object)[person],
        DAY: days[day].astype("datetime64[s]"),
    })


def scheduled_day_counts(roster: pd.DataFrame, contract_start: dt.date, contract_end: dt.date, month: str,
                         calendar: WorkCalendar) -> pd.Series:
    """A1: scheduled days per listed staff member (0 for someone listed but never scheduled)."""
    listed = listed_staff(roster, contract_start, contract_end, month)
    days = scheduled_days(listed, contract_start, contract_end, month, calendar)
    counts = days.groupby(STAFF_ID).size()
    return counts.reindex(listed[STAFF_ID], fill_value=0).astype(int)
