"""Attendance rules (rules §4), pure and vectorised over pandas frames.

Times of day are integer nanoseconds since midnight, so that seconds, boundaries and midpoints are
exact; a session given in whole minutes has a midpoint on a whole second.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from hallmon.contract.terms import AttendanceTerms, ComplaintTerms, Schedule
from hallmon.core.calendar import WorkCalendar
from hallmon.core.periods import month_bounds, next_month_start

# Roster frame columns
STAFF_ID = "staff_id"
HIRED_ON = "hired_on"
LEFT_ON = "left_on"
DAY = "date"

# Punch, make-up and leave frame columns
TIME = "time"
APPROVED = "approved"
START = "start"
END = "end"
ACCEPTED = "accepted"
REJECTED = "rejected"

# Session frame columns (times of day in ns)
SESSION = "session"
S = "s_ns"
E = "e_ns"
IN = "in_ns"
OUT = "out_ns"
TOD = "tod_ns"
IS_IN = "is_in"
EXCUSED = "excused"

# Outcome columns (A5)
LENGTH = "length_minutes"
ABSENT = "absent"
MISSING = "missing_punch"
LATE = "late"
SERIOUS = "serious_late"
LATE_MIN = "late_minutes"
EARLY = "early"
EARLY_MIN = "early_minutes"
CHARGEABLE = "chargeable_minutes"

# Summary frame columns
MONTH = "month"

SUMMARY_FIELDS = (
    "scheduled_days", "scheduled_minutes", "excused_minutes", "late_count", "serious_late_count",
    "late_minutes", "early_count", "early_minutes", "missing_punch_count", "absent_sessions",
    "absent_minutes", "chargeable_minutes", "makeup_used", "makeup_rejected", "punch_count",
    "no_signin_month", "late_early_events",
)
COUNT_FIELDS = tuple(f for f in SUMMARY_FIELDS if f != "no_signin_month")

NS_SECOND = 1_000_000_000
NS_MINUTE = 60 * NS_SECOND


@dataclass(frozen=True)
class AttendanceRules:
    """The contract terms §4 reads: sessions in minutes after midnight, grace, quota, limits (defaults: the terms')."""

    sessions: tuple[tuple[int, int], ...]
    grace_minutes: int = Schedule.grace_minutes
    serious_late_minutes: int = Schedule.serious_late_minutes
    makeup_quota_per_month: int = Schedule.makeup_quota_per_month
    missing_punch_counts_as_absent: bool = AttendanceTerms.missing_punch_counts_as_absent
    monthly_late_early_limit: int = AttendanceTerms.monthly_late_early_limit
    annual_late_early_limit: int = AttendanceTerms.annual_late_early_limit
    enforcement_days: int = AttendanceTerms.enforcement_days
    personnel_limit_per_year: int = ComplaintTerms.personnel_limit_per_year

    @classmethod
    def from_terms(cls, terms) -> AttendanceRules:
        schedule, att = terms.schedule, terms.attendance
        return cls(
            sessions=tuple((s.start, s.end) for s in schedule.sessions),
            grace_minutes=schedule.grace_minutes,
            serious_late_minutes=schedule.serious_late_minutes,
            makeup_quota_per_month=schedule.makeup_quota_per_month,
            missing_punch_counts_as_absent=att.missing_punch_counts_as_absent,
            monthly_late_early_limit=att.monthly_late_early_limit,
            annual_late_early_limit=att.annual_late_early_limit,
            enforcement_days=att.enforcement_days,
            personnel_limit_per_year=terms.complaints.personnel_limit_per_year,
        )

    def with_(self, **changes) -> AttendanceRules:
        return replace(self, **changes)


# ---------------------------------------------------------------- helpers


def as_ids(values) -> np.ndarray:
    return np.asarray(pd.Series(values, dtype=object).to_numpy(), dtype=object)


def as_ns(values) -> pd.Series:
    """Anything date-like → datetime64[ns] Series (NaT kept)."""
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if not len(series):
        return pd.Series([], dtype="datetime64[ns]")
    return pd.to_datetime(series).astype("datetime64[ns]")


def _empty(columns: Mapping[str, str]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in columns.items()})


def _in_month(frame: pd.DataFrame, column: str, month: str) -> pd.DataFrame:
    first, last = month_bounds(month)
    times = as_ns(frame[column]).to_numpy()
    lo = np.datetime64(first, "ns")
    hi = np.datetime64(next_month_start(first), "ns")
    return frame.loc[(times >= lo) & (times < hi)]


def _month_keys(times: pd.Series) -> np.ndarray:
    values = as_ns(times)
    return (values.dt.year * 100 + values.dt.month).to_numpy()


def empty_punches() -> pd.DataFrame:
    return _empty({STAFF_ID: "object", TIME: "datetime64[ns]"})


def empty_makeups() -> pd.DataFrame:
    return _empty({STAFF_ID: "object", TIME: "datetime64[ns]", APPROVED: "bool"})


def empty_leave() -> pd.DataFrame:
    return _empty({STAFF_ID: "object", START: "datetime64[ns]", END: "datetime64[ns]", APPROVED: "bool"})


# ---------------------------------------------------------------- A1


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


def scheduled_sessions(days: pd.DataFrame, sessions: Sequence[tuple[int, int]]) -> pd.DataFrame:
    """A1/A6: every session of every scheduled day: (staff_id, date, session, s_ns, e_ns)."""
    n = len(sessions)
    starts = np.array([s for s, _ in sessions], dtype=np.int64) * NS_MINUTE
    ends = np.array([e for _, e in sessions], dtype=np.int64) * NS_MINUTE
    index = np.tile(np.arange(n), len(days))
    return pd.DataFrame({
        STAFF_ID: np.repeat(as_ids(days[STAFF_ID]), n),
        DAY: np.repeat(as_ns(days[DAY]).to_numpy(), n),
        SESSION: index,
        S: starts[index],
        E: ends[index],
    })


# ---------------------------------------------------------------- A2


def punch_ranges(sessions: Sequence[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """A2: where each session's punch range starts, and each session's midpoint (ns since midnight).

    The range of session i runs from the midpoint of e_(i−1) and s_i (00:00 for the first) to the
    next one (24:00 for the last); a range includes its start and excludes its end.
    """
    starts = [0] + [(sessions[i - 1][1] + sessions[i][0]) * 30 * NS_SECOND for i in range(1, len(sessions))]
    mids = [(s + e) * 30 * NS_SECOND for s, e in sessions]
    return np.array(starts, dtype=np.int64), np.array(mids, dtype=np.int64)


def classify_punches(punches: pd.DataFrame, sessions: Sequence[tuple[int, int]]) -> pd.DataFrame:
    """A2: each punch's day (its own date), the session whose range holds it, and in- or out-punch.

    A punch before the session's midpoint is an in-punch; at or after it, an out-punch.
    """
    times = as_ns(punches[TIME])
    days = times.dt.normalize()
    tod = (times - days).to_numpy().astype("timedelta64[ns]").astype(np.int64)
    range_starts, mids = punch_ranges(sessions)
    session = np.searchsorted(range_starts, tod, side="right") - 1
    return pd.DataFrame({
        STAFF_ID: as_ids(punches[STAFF_ID]),
        DAY: days.to_numpy(),
        SESSION: session,
        TOD: tod,
        IS_IN: tod < mids[session],
    })


def session_punches(punches: pd.DataFrame, sessions: Sequence[tuple[int, int]]) -> pd.DataFrame:
    """A2: a session's IN (earliest in-punch) and OUT (latest out-punch), per (staff_id, date, session).

    Missing IN or OUT is NaN (the values are whole nanoseconds, exact in float64). Rows are ordered by
    (staff_id, date, session); the groups are keyed by one integer each (staff code, day, session), which
    is what makes a month of a large hall fast.
    """
    if punches.empty:
        return _empty({STAFF_ID: "object", DAY: "datetime64[ns]", SESSION: "int64", IN: "float64", OUT: "float64"})
    c = classify_punches(punches, sessions)
    codes, uniques = pd.factorize(c[STAFF_ID].to_numpy(dtype=object), sort=True)
    days = c[DAY].to_numpy(dtype="datetime64[ns]")
    ok = (codes >= 0) & ~np.isnat(days)   # what groupby would drop: no staff_id or no time
    day = days.astype("datetime64[D]").view(np.int64)
    first = day[ok].min() if ok.any() else 0
    span = (day[ok].max() - first + 1) if ok.any() else 1
    n = len(sessions)
    key = (codes.astype(np.int64) * span + (day - first)) * n + c[SESSION].to_numpy(dtype=np.int64)
    tod = c[TOD].to_numpy(dtype=np.int64)
    is_in = c[IS_IN].to_numpy(dtype=bool)
    ins = pd.Series(tod[ok & is_in]).groupby(key[ok & is_in]).min().rename(IN)
    outs = pd.Series(tod[ok & ~is_in]).groupby(key[ok & ~is_in]).max().rename(OUT)
    both = pd.concat([ins, outs], axis=1).sort_index()
    keys = both.index.to_numpy(dtype=np.int64)
    rest, session = np.divmod(keys, n)
    code, offset = np.divmod(rest, span)
    return pd.DataFrame({
        STAFF_ID: np.asarray(uniques, dtype=object)[code],
        DAY: (offset + first).astype("datetime64[D]").astype("datetime64[ns]"),
        SESSION: session.astype(np.int64),
        IN: both[IN].to_numpy(dtype="float64"),
        OUT: both[OUT].to_numpy(dtype="float64"),
    })


# ---------------------------------------------------------------- A3


def accept_makeups(makeups: pd.DataFrame, quota: int) -> pd.DataFrame:
    """A3: approved make-ups take the monthly quota in order of their time.

    Per staff member and calendar month of the make-up's own time, the first `quota` approved ones
    are accepted, the rest rejected; unapproved ones are neither.
    """
    out = makeups.copy()
    if out.empty:
        out[ACCEPTED] = pd.Series([], dtype=bool)
        out[REJECTED] = pd.Series([], dtype=bool)
        return out
    approved = out[APPROVED].fillna(False).astype(bool).to_numpy()
    times = as_ns(out[TIME]).to_numpy()
    frame = pd.DataFrame({STAFF_ID: as_ids(out[STAFF_ID]), "m": _month_keys(out[TIME]), "t": times,
                          "pos": np.arange(len(out))}).loc[approved]
    frame = frame.sort_values([STAFF_ID, "m", "t", "pos"], kind="stable")
    rank = frame.groupby([STAFF_ID, "m"], sort=False).cumcount().to_numpy()
    accepted = np.zeros(len(out), dtype=bool)
    accepted[frame["pos"].to_numpy()[rank < quota]] = True
    out[ACCEPTED] = accepted
    out[REJECTED] = approved & ~accepted
    return out


def merge_punches(device: pd.DataFrame, accepted: pd.DataFrame) -> pd.DataFrame:
    """A3: device punches plus accepted make-ups, one punch per (staff_id, exact time) — the first one kept."""
    ids = np.concatenate([as_ids(device[STAFF_ID]), as_ids(accepted[STAFF_ID])]).astype(object)
    times = np.concatenate([as_ns(device[TIME]).to_numpy(), as_ns(accepted[TIME]).to_numpy()]).astype("datetime64[ns]")
    codes, _ = pd.factorize(ids)  # integer keys: hashing a million staff_id strings once, not per comparison
    first = ~pd.DataFrame({"s": codes, "t": times.view(np.int64)}).duplicated().to_numpy()
    return pd.DataFrame({STAFF_ID: ids[first], TIME: times[first]})


def all_punches(device: pd.DataFrame, makeups: pd.DataFrame, quota: int) -> pd.DataFrame:
    """A3: after A3, "punch" means a device punch or an accepted make-up, everywhere."""
    judged = accept_makeups(makeups, quota)
    return merge_punches(device, judged.loc[judged[ACCEPTED]])


# ---------------------------------------------------------------- A4


def excused_sessions(sessions: pd.DataFrame, leave: pd.DataFrame) -> np.ndarray:
    """A4: a session is excused when one approved leave interval contains it whole (start ≤ s and end ≥ e).

    Leave covering only part of a session changes nothing; the leave kind has no effect.
    """
    excused = np.zeros(len(sessions), dtype=bool)
    if sessions.empty or leave.empty:
        return excused
    approved = leave.loc[leave[APPROVED].fillna(False).astype(bool).to_numpy()]
    if approved.empty:
        return excused
    left = pd.DataFrame({
        STAFF_ID: as_ids(sessions[STAFF_ID]),
        "row": np.arange(len(sessions)),
        "s_abs": as_ns(sessions[DAY]).to_numpy().astype(np.int64) + sessions[S].to_numpy(dtype=np.int64),
        "e_abs": as_ns(sessions[DAY]).to_numpy().astype(np.int64) + sessions[E].to_numpy(dtype=np.int64),
    })
    right = pd.DataFrame({
        STAFF_ID: as_ids(approved[STAFF_ID]),
        "l_start": as_ns(approved[START]).to_numpy().astype(np.int64),
        "l_end": as_ns(approved[END]).to_numpy().astype(np.int64),
    })
    both = left.merge(right, on=STAFF_ID, how="inner")
    inside = (both["l_start"].to_numpy() <= both["s_abs"].to_numpy()) & (both["l_end"].to_numpy() >= both["e_abs"].to_numpy())
    excused[both["row"].to_numpy()[inside]] = True
    return excused


# ---------------------------------------------------------------- A5


def session_outcomes(frame: pd.DataFrame, rules: AttendanceRules) -> pd.DataFrame:
    """A5: the outcome of each scheduled session from its IN, OUT and whether it is excused.

    Input columns s_ns, e_ns, in_ns, out_ns (NaN when missing), excused. Excused sessions get no
    outcome. No IN and no OUT: absent. Exactly one: missing punch (and, when
    missing_punch_counts_as_absent, absent without any late or early judged). late_minutes =
    ⌊(IN − s) / 1 min⌋ and early_minutes = ⌊(e − OUT) / 1 min⌋, never negative; late when above the
    grace, serious late when above serious_late_minutes (a serious late is also a late), early when
    above the grace. Chargeable: the length when absent, else the late and early minutes counted.
    """
    s = frame[S].to_numpy(dtype=np.int64)
    e = frame[E].to_numpy(dtype=np.int64)
    in_raw = frame[IN].to_numpy(dtype="float64")
    out_raw = frame[OUT].to_numpy(dtype="float64")
    excused = frame[EXCUSED].to_numpy(dtype=bool)
    active = ~excused
    has_in = ~np.isnan(in_raw)
    has_out = ~np.isnan(out_raw)
    in_ns = np.where(has_in, in_raw, 0).astype(np.int64)
    out_ns = np.where(has_out, out_raw, 0).astype(np.int64)
    length = (e - s) // NS_MINUTE

    no_punch = active & ~has_in & ~has_out
    missing = active & (has_in ^ has_out)
    absent = no_punch | (missing & rules.missing_punch_counts_as_absent)
    judged = active & ~absent

    late_min = np.maximum(np.floor_divide(in_ns - s, NS_MINUTE), 0)
    early_min = np.maximum(np.floor_divide(e - out_ns, NS_MINUTE), 0)
    serious = judged & has_in & (late_min > rules.serious_late_minutes)
    late = judged & has_in & ((late_min > rules.grace_minutes) | serious)
    early = judged & has_out & (early_min > rules.grace_minutes)
    late_counted = np.where(late, late_min, 0)
    early_counted = np.where(early, early_min, 0)
    chargeable = np.where(absent, length, late_counted + early_counted)
    return pd.DataFrame({
        LENGTH: length,
        EXCUSED: excused,
        ABSENT: absent,
        MISSING: missing,
        LATE: late,
        SERIOUS: serious,
        LATE_MIN: late_counted,
        EARLY: early,
        EARLY_MIN: early_counted,
        CHARGEABLE: chargeable,
    }, index=frame.index)


# ---------------------------------------------------------------- A6, A7


@dataclass(frozen=True)
class MonthSessions:
    """A1–A5 for one month: every scheduled session with its IN, OUT and outcome, and the punches behind them."""

    listed: np.ndarray          # staff_ids listed (A1), ascending
    days: pd.DataFrame          # (staff_id, date) scheduled (A1)
    sessions: pd.DataFrame      # scheduled sessions with IN/OUT (A2), excused (A4) and outcome columns (A5)
    punches: pd.DataFrame       # device punches and accepted make-ups of the month (A3)
    makeups: pd.DataFrame       # the month's approved make-ups, accepted or rejected (A3)


def month_sessions(roster: pd.DataFrame, contract_start: dt.date, contract_end: dt.date, month: str,
                   calendar: WorkCalendar, rules: AttendanceRules, punches: pd.DataFrame,
                   makeups: pd.DataFrame | None = None, leave: pd.DataFrame | None = None) -> MonthSessions:
    """A1–A5 for every listed staff member's sessions of the month.

    punches: device punches (staff_id, time); makeups: (staff_id, time, approved); leave:
    (staff_id, start, end, approved). Rows outside the month are ignored, except leave, which
    counts wherever it covers a session of the month.
    """
    makeups = empty_makeups() if makeups is None else makeups
    leave = empty_leave() if leave is None else leave
    listed = listed_staff(roster, contract_start, contract_end, month)
    ids = as_ids(listed[STAFF_ID])
    known = set(ids)

    month_makeups = _in_month(makeups, TIME, month)
    month_makeups = month_makeups.loc[month_makeups[STAFF_ID].isin(known)]
    judged = accept_makeups(month_makeups, rules.makeup_quota_per_month)
    month_punches = _in_month(punches, TIME, month)
    month_punches = month_punches.loc[month_punches[STAFF_ID].isin(known)]
    merged = merge_punches(month_punches, judged.loc[judged[ACCEPTED]])

    days = scheduled_days(listed, contract_start, contract_end, month, calendar)
    sessions = scheduled_sessions(days, rules.sessions)
    sessions[EXCUSED] = excused_sessions(sessions, leave.loc[leave[STAFF_ID].isin(known)])
    found = session_punches(merged, rules.sessions)
    sessions[IN], sessions[OUT] = _in_out(sessions, found, ids, month, len(rules.sessions))
    outcomes = session_outcomes(sessions, rules)
    for column in outcomes.columns:
        sessions[column] = outcomes[column].to_numpy()
    return MonthSessions(ids, days, sessions, merged, judged)


def _in_out(sessions: pd.DataFrame, found: pd.DataFrame, ids: np.ndarray, month: str, n: int
            ) -> tuple[np.ndarray, np.ndarray]:
    """A2: each scheduled session's IN and OUT from session_punches (NaN where none): a left join on
    (staff_id, date, session) through one integer key per session, the listed staff being the codes."""
    if found.empty or sessions.empty:
        return np.full(len(sessions), np.nan), np.full(len(sessions), np.nan)
    first = np.datetime64(month_bounds(month)[0], "D").view(np.int64)
    staff = pd.Index(ids)

    def key(frame: pd.DataFrame) -> np.ndarray:
        code = staff.get_indexer(as_ids(frame[STAFF_ID])).astype(np.int64)
        day = frame[DAY].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").view(np.int64) - first
        return (code * 32 + day) * n + frame[SESSION].to_numpy(dtype=np.int64)

    position = pd.Index(key(found)).get_indexer(key(sessions))
    hit = position >= 0
    values = []
    for column in (IN, OUT):
        out = np.full(len(sessions), np.nan)
        out[hit] = found[column].to_numpy(dtype="float64")[position[hit]]
        values.append(out)
    return values[0], values[1]


def summarise_month(roster: pd.DataFrame, contract_start: dt.date, contract_end: dt.date, month: str,
                    calendar: WorkCalendar, rules: AttendanceRules, punches: pd.DataFrame,
                    makeups: pd.DataFrame | None = None, leave: pd.DataFrame | None = None) -> pd.DataFrame:
    """A6: the monthly summary of every listed staff member (A1), ordered by staff_id (inputs as month_sessions)."""
    month_data = month_sessions(roster, contract_start, contract_end, month, calendar, rules, punches, makeups, leave)
    ids, days, merged, judged = month_data.listed, month_data.days, month_data.punches, month_data.makeups
    outcomes = month_data.sessions

    # per listed staff member: sums over integer codes (ids are the listed staff, ascending)
    staff = pd.Index(ids)
    n_staff = len(ids)

    def codes(frame: pd.DataFrame) -> np.ndarray:
        return staff.get_indexer(as_ids(frame[STAFF_ID]))

    def total(code: np.ndarray, values=None) -> np.ndarray:
        keep = code >= 0
        weights = None if values is None else np.asarray(values, dtype=np.float64)[keep]
        return np.rint(np.bincount(code[keep], weights, minlength=n_staff)).astype(np.int64)

    at = codes(outcomes)
    length = outcomes[LENGTH].to_numpy(dtype=np.int64)
    excused = outcomes[EXCUSED].to_numpy(dtype=bool)
    absent = outcomes[ABSENT].to_numpy(dtype=bool)
    out = pd.DataFrame({STAFF_ID: ids})
    out["scheduled_days"] = total(codes(days))
    out["scheduled_minutes"] = total(at, length)
    out["excused_minutes"] = total(at, np.where(excused, length, 0))
    for name, column in (("late_count", LATE), ("serious_late_count", SERIOUS), ("late_minutes", LATE_MIN),
                         ("early_count", EARLY), ("early_minutes", EARLY_MIN), ("missing_punch_count", MISSING),
                         ("absent_sessions", ABSENT)):
        out[name] = total(at, outcomes[column].to_numpy(dtype=np.int64))
    out["absent_minutes"] = total(at, np.where(absent, length, 0))
    out["chargeable_minutes"] = total(at, outcomes[CHARGEABLE].to_numpy(dtype=np.int64))
    judged_at = codes(judged)
    out["makeup_used"] = total(judged_at, judged[ACCEPTED].to_numpy(dtype=np.int64))
    out["makeup_rejected"] = total(judged_at, judged[REJECTED].to_numpy(dtype=np.int64))
    out["punch_count"] = total(codes(merged))
    all_excused = total(at, excused.astype(np.int64)) >= total(at)
    out["no_signin_month"] = no_signin_month(out["scheduled_days"].to_numpy(), out["punch_count"].to_numpy(),
                                             all_excused)
    out["late_early_events"] = out["late_count"] + out["early_count"]
    return out[[STAFF_ID, *SUMMARY_FIELDS]]


def no_signin_month(scheduled_days: np.ndarray, punch_count: np.ndarray, all_excused: np.ndarray) -> np.ndarray:
    """A7: scheduled on at least one working day, no punch in the month, and not every scheduled session excused."""
    return (np.asarray(scheduled_days) >= 1) & (np.asarray(punch_count) == 0) & ~np.asarray(all_excused, dtype=bool)


def summary_totals(summary: pd.DataFrame) -> dict[str, int]:
    """A6: totals are the sums over the listed staff; for no_signin_month, the number of staff for whom it is true."""
    return {name: int(summary[name].sum()) if len(summary) else 0 for name in SUMMARY_FIELDS}
