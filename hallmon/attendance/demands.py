"""Replacement demands (rules §4, A8) and their enforcement (A9), pure: plain facts in, demands out."""
from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from hallmon.attendance.rules import MONTH, STAFF_ID, TIME, as_ids, as_ns
from hallmon.core.periods import month_bounds, next_month_start

MONTHLY = "monthly_late_early"
ANNUAL = "annual_late_early"
NO_SIGNIN = "no_signin"
COMPLAINTS = "complaints"
REASONS = (MONTHLY, ANNUAL, NO_SIGNIN, COMPLAINTS)
DAY = "day"


@dataclass(frozen=True)
class Demand:
    """A8: a replacement demand, named by (staff_id, reason, raised_on); A9 fills the enforcement as of a date."""

    staff_id: str
    reason: str
    raised_on: dt.date
    deadline: dt.date
    waived: bool = False
    unenforced: bool = False
    unenforced_months: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str, dt.date]:
        return (self.staff_id, self.reason, self.raised_on)

    @property
    def order(self) -> tuple[dt.date, str, str]:
        return (self.raised_on, self.staff_id, self.reason)


@dataclass(frozen=True)
class LatePunches:
    """A9 over every stored punch: the first punch day after a demand's deadline (any date, also after the
    contract's end), and in each contract month the first punch day after it. Any date T then answers A9 as of T."""

    first: dt.date | None = None
    months: tuple[tuple[str, dt.date], ...] = ()   # (contract month, first punch day after the deadline), ascending


def demand_for(staff_id: str, reason: str, raised_on: dt.date, enforcement_days: int) -> Demand:
    """A8: a demand's deadline is raised_on + enforcement_days (calendar days)."""
    return Demand(str(staff_id), reason, raised_on, raised_on + dt.timedelta(days=enforcement_days))


@functools.lru_cache(maxsize=1024)
def raised_after_month(month: str) -> dt.date:
    """A8: a month's demand is raised on the first day after the month (also past the contract's end)."""
    return next_month_start(month_bounds(month)[0])


def late_early_demands(summaries: pd.DataFrame, monthly_limit: int, annual_limit: int,
                       enforcement_days: int) -> list[Demand]:
    """A8 monthly_late_early and annual_late_early from contract months' A6 summaries.

    summaries: (staff_id, month, late_early_events), one row per staff member listed in a contract
    month. Monthly: every month with late_early_events ≥ the limit. Annual: the month in which the
    running sum over a calendar year first reaches the limit; once per person per year.
    """
    out: list[Demand] = []
    if summaries.empty:
        return out
    frame = summaries[[STAFF_ID, MONTH, "late_early_events"]].copy()
    frame[STAFF_ID] = as_ids(frame[STAFF_ID])
    frame = frame.sort_values([STAFF_ID, MONTH], kind="stable")
    events = frame["late_early_events"].to_numpy(dtype=np.int64)
    hits = frame.loc[events >= monthly_limit]
    for staff_id, month in zip(hits[STAFF_ID].tolist(), hits[MONTH].tolist(), strict=True):
        out.append(demand_for(staff_id, MONTHLY, raised_after_month(month), enforcement_days))
    frame["year"] = frame[MONTH].str.slice(0, 4)
    frame["running"] = frame.groupby([STAFF_ID, "year"], sort=False)["late_early_events"].cumsum()
    reached = frame.loc[frame["running"].to_numpy() >= annual_limit]
    first = reached.drop_duplicates([STAFF_ID, "year"], keep="first")
    for staff_id, month in zip(first[STAFF_ID].tolist(), first[MONTH].tolist(), strict=True):
        out.append(demand_for(staff_id, ANNUAL, raised_after_month(month), enforcement_days))
    return out


def no_signin_demands(summaries: pd.DataFrame, enforcement_days: int) -> list[Demand]:
    """A8 no_signin: one demand for each contract month that is an A7 no sign-in month."""
    if summaries.empty:
        return []
    hits = summaries.loc[summaries["no_signin_month"].astype(bool).to_numpy(), [STAFF_ID, MONTH]]
    return [demand_for(staff_id, NO_SIGNIN, raised_after_month(month), enforcement_days)
            for staff_id, month in zip(hits[STAFF_ID].tolist(), hits[MONTH].tolist(), strict=True)]


def complaint_demands(complaints: Iterable[tuple[str, dt.date]], contract_start: dt.date, contract_end: dt.date,
                      limit: int, enforcement_days: int) -> list[Demand]:
    """A8 complaints: substantiated personnel complaints naming the person, per calendar year.

    complaints: (staff_id, date) with date = resolved_on else received_on. Only those dated in a
    contract month count; the complaint that makes the year's count reach the limit raises the
    demand on the day after its date; once per person per year.
    """
    per: dict[tuple[str, int], list[dt.date]] = {}
    for staff_id, day in complaints:
        if day is None or not contract_start <= day <= contract_end:
            continue
        per.setdefault((str(staff_id), day.year), []).append(day)
    out = []
    for (staff_id, _year), days in per.items():
        days.sort()
        if len(days) >= limit:
            trigger = days[max(limit, 1) - 1]
            out.append(demand_for(staff_id, COMPLAINTS, trigger + dt.timedelta(days=1), enforcement_days))
    return out


def sort_demands(demands: Iterable[Demand]) -> list[Demand]:
    """A8: lists are ordered by (raised_on, staff_id, reason)."""
    return sorted(demands, key=operator.attrgetter("raised_on", "staff_id", "reason"))


def demands_as_of(demands: Iterable[Demand], as_of: dt.date | None) -> list[Demand]:
    """A8: as of T, demands raised after T are not listed."""
    return [d for d in demands if as_of is None or d.raised_on <= as_of]


def punch_days(punches: pd.DataFrame) -> pd.DataFrame:
    """(staff_id, time) punches → (staff_id, day): the days A9 looks at."""
    return pd.DataFrame({STAFF_ID: as_ids(punches[STAFF_ID]),
                         DAY: as_ns(punches[TIME]).to_numpy().astype("datetime64[D]")})


def late_punches(demands: Iterable[Demand], days: pd.DataFrame, contract_start: dt.date,
                 contract_end: dt.date) -> dict[tuple[str, str, dt.date], LatePunches]:
    """A9 over every stored punch: per demand, the first punch day after its deadline, and in each contract month
    the first punch day after it (a punch after the contract's end adds no month).

    days: (staff_id, day) of device punches and accepted make-ups (A3). Any superset of each person's first
    punch day of each month and first punch day after each deadline within the deadline's month gives the same
    answer: the services reduce years of punches to those.
    """
    demands = list(demands)
    if not demands or days.empty:
        return {}
    wanted = pd.DataFrame({"i": np.arange(len(demands)),
                           STAFF_ID: np.array([d.staff_id for d in demands], dtype=object),
                           "deadline": np.array([d.deadline for d in demands], dtype="datetime64[D]")})
    seen = pd.DataFrame({STAFF_ID: as_ids(days[STAFF_ID]),
                         DAY: days[DAY].to_numpy().astype("datetime64[D]")}).drop_duplicates()
    both = wanted.merge(seen, on=STAFF_ID, how="inner")
    both = both.loc[both[DAY].to_numpy() > both["deadline"].to_numpy()]
    if both.empty:
        return {}
    first = both.groupby("i", sort=True)[DAY].min()
    inside = both.loc[(both[DAY].to_numpy() >= np.datetime64(contract_start, "D"))
                      & (both[DAY].to_numpy() <= np.datetime64(contract_end, "D"))].copy()
    inside[MONTH] = inside[DAY].to_numpy().astype("datetime64[M]")
    per_month = inside.groupby(["i", MONTH], sort=True)[DAY].min().reset_index()
    months: dict[int, list[tuple[str, dt.date]]] = {}
    labels = np.datetime_as_string(per_month[MONTH].to_numpy().astype("datetime64[M]"), unit="M").tolist()
    for i, month, day in zip(per_month["i"].tolist(), labels, per_month[DAY].dt.date.tolist(), strict=True):
        months.setdefault(i, []).append((month, day))
    return {demands[i].key: LatePunches(day, tuple(months.get(i, ())))
            for i, day in zip(first.index.tolist(), pd.to_datetime(first.to_numpy()).date.tolist(), strict=True)}


def judge(demands: Iterable[Demand], late: dict[tuple[str, str, dt.date], LatePunches],
          waived: Iterable[tuple[str, str, dt.date]] = (), as_of: dt.date | None = None) -> list[Demand]:
    """A9 as of T (None: every punch), in the order given: a demand is unenforced when not waived and the person
    has a punch dated after its deadline and not after T; its unenforced months are the contract months holding
    such a punch. A waived demand is never unenforced and lists no months."""
    waived = set(waived)
    out = []
    for demand in demands:
        if demand.key in waived:
            out.append(replace(demand, waived=True, unenforced=False, unenforced_months=()))
            continue
        found = late.get(demand.key, LatePunches())
        counted = found.first is not None and (as_of is None or found.first <= as_of)
        months = tuple(m for m, first in found.months if as_of is None or first <= as_of) if counted else ()
        if demand.waived or demand.unenforced != counted or demand.unenforced_months != months:
            demand = replace(demand, waived=False, unenforced=counted, unenforced_months=months)
        out.append(demand)  # (most demands are enforced: nothing to change, and replace() is not free)
    return out


def listed(demands: Iterable[Demand], late: dict[tuple[str, str, dt.date], LatePunches],
           waived: Iterable[tuple[str, str, dt.date]] = (), as_of: dt.date | None = None) -> list[Demand]:
    """A8 and A9 as of T: the demands raised by T, judged as of T, ordered by (raised_on, staff_id, reason)."""
    return judge(sort_demands(demands_as_of(demands, as_of)), late, waived, as_of)


def enforce(demands: Iterable[Demand], punches: pd.DataFrame, contract_start: dt.date, contract_end: dt.date,
            waived: Iterable[tuple[str, str, dt.date]] = (), as_of: dt.date | None = None) -> list[Demand]:
    """A9 as of T from the punches themselves ((staff_id, time): device punches and accepted make-ups)."""
    demands = list(demands)
    return judge(demands, late_punches(demands, punch_days(punches), contract_start, contract_end), waived, as_of)


def unenforced_person_months(demands: Iterable[Demand]) -> dict[str, list[str]]:
    """A9: each (person, contract month) with a punch after an unwaived demand's deadline, once.

    contract month → sorted staff_ids, however many of the person's demands are unenforced.
    """
    months: dict[str, set[str]] = {}
    for demand in demands:
        if demand.waived:
            continue
        for month in demand.unenforced_months:
            months.setdefault(month, set()).add(demand.staff_id)
    return {month: sorted(staff) for month, staff in sorted(months.items())}
