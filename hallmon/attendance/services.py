"""Attendance services: the month summaries (A6) and demands (A8, A9) that the writes changing their inputs
recompute and store, and the reads of them; one person's month session by session."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from hallmon.attendance import demands as D
from hallmon.attendance import rules as R
from hallmon.attendance import store
from hallmon.attendance.models import DemandWaiver
from hallmon.contract import ContractTerms
from hallmon.core import labels
from hallmon.core.calendar import WorkCalendar, warnings_for_months
from hallmon.core.clock import now
from hallmon.core.errors import NotFound, Refused
from hallmon.core.periods import Month
from hallmon.roster.models import Contract, Staff


@dataclass(frozen=True)
class StaffMonth:
    """A6 for one listed staff member and month."""

    staff_id: str
    scheduled_days: int
    scheduled_minutes: int
    excused_minutes: int
    late_count: int
    serious_late_count: int
    late_minutes: int
    early_count: int
    early_minutes: int
    missing_punch_count: int
    absent_sessions: int
    absent_minutes: int
    chargeable_minutes: int
    makeup_used: int
    makeup_rejected: int
    punch_count: int
    no_signin_month: bool
    late_early_events: int

    def value(self, name: str) -> int | bool:
        return getattr(self, name)


@dataclass(frozen=True)
class MonthTotals:
    """A6 totals: the sums over the listed staff; for no_signin_month, the number of staff for whom it is true."""

    scheduled_days: int = 0
    scheduled_minutes: int = 0
    excused_minutes: int = 0
    late_count: int = 0
    serious_late_count: int = 0
    late_minutes: int = 0
    early_count: int = 0
    early_minutes: int = 0
    missing_punch_count: int = 0
    absent_sessions: int = 0
    absent_minutes: int = 0
    chargeable_minutes: int = 0
    makeup_used: int = 0
    makeup_rejected: int = 0
    punch_count: int = 0
    no_signin_month: int = 0
    late_early_events: int = 0

    def value(self, name: str) -> int:
        return getattr(self, name)


assert tuple(f.name for f in fields(StaffMonth))[1:] == R.SUMMARY_FIELDS == tuple(f.name for f in fields(MonthTotals))


@dataclass(frozen=True)
class MonthSummary:
    """A6 of one contract month: every listed staff member (by staff_id), the totals, the W1 warnings."""

    contract: str
    month: Month
    staff: tuple[StaffMonth, ...]
    totals: MonthTotals
    warnings: tuple[str, ...]

    def document(self) -> dict[str, Any]:
        """rules §12 `hallmon attendance summary --json`."""
        return {"contract": self.contract, "month": str(self.month),
                "staff": [{"staff_id": s.staff_id, **{n: s.value(n) for n in R.SUMMARY_FIELDS}} for s in self.staff],
                "totals": {n: self.totals.value(n) for n in R.SUMMARY_FIELDS}, "warnings": list(self.warnings)}


# ---------------------------------------------------------------- writes: recomputing what changed


def compute_month(session: Session, contract: Contract, terms: ContractTerms, month: str) -> pd.DataFrame:
    """A1–A7 for one contract month from the data now stored."""
    calendar = WorkCalendar.for_terms(terms)
    roster = store.roster_frame(session, contract.id)[[R.STAFF_ID, R.HIRED_ON, R.LEFT_ON]]
    punches, makeups, leave = store.month_inputs(session, contract.id, month)
    return R.summarise_month(roster, terms.start, terms.end, month, calendar, R.AttendanceRules.from_terms(terms),
                             punches, makeups, leave)


def recompute_months(session: Session, contract: Contract, months: set[str] | None = None) -> None:
    """A6 storage: the stored summaries of the contract months whose inputs a write changed (None: every month)
    are computed again from the data as this transaction sees it, and replace the stored ones."""
    terms = contract.terms()
    contract_months = terms.months()
    if months is None:
        store.drop_months_outside(session, contract.id, contract_months)
    for month in contract_months:
        if months is None or month in months:
            store.store_month(session, contract.id, month, compute_month(session, contract, terms, month))


def recompute_demands(session: Session, contract: Contract) -> None:
    """A8 over the stored summaries and the contract's personnel complaints, with A9 over every stored punch,
    stored in place of the contract's demands."""
    terms = contract.terms()
    rules = R.AttendanceRules.from_terms(terms)
    summaries = store.stored_summaries(session, contract.id, terms.months())
    found = D.sort_demands(
        D.late_early_demands(summaries, rules.monthly_late_early_limit, rules.annual_late_early_limit,
                             rules.enforcement_days)
        + D.no_signin_demands(summaries, rules.enforcement_days)
        + D.complaint_demands(store.personnel_complaints(session, contract.id), terms.start, terms.end,
                              rules.personnel_limit_per_year, rules.enforcement_days))
    days = store.late_punch_days(session, found, rules.makeup_quota_per_month)
    store.store_demands(session, contract.id, found, D.late_punches(found, days, terms.start, terms.end))


def waive_demand(session: Session, contract: Contract, staff_id: str, reason: str, raised_on: dt.date,
                 why: str, actor: str) -> None:
    """A8: a manager waives one demand, named by (staff_id, reason, raised_on), with a reason. The caller holds
    the contract (a second waiver of the same demand waits, then finds the first)."""
    why = (why or "").strip()
    if not why:
        raise Refused("豁免必须写明理由（--why）")
    if reason not in D.REASONS:
        raise Refused(f"未知的原因代码 {reason!r}（可用：{'、'.join(D.REASONS)}）")
    key = (staff_id, reason, raised_on)
    found, _ = store.stored_demands(session, contract.id)
    if not any(d.key == key for d in found):
        raise NotFound(f"合同 {contract.code} 没有这条替换要求：工号 {staff_id}，原因 {reason}，"
                       f"提出日期 {raised_on.isoformat()}")
    previous = store.waiver_of(session, contract.id, key)
    if previous is not None:
        raise Refused(f"该替换要求已于 {previous.waived_at:%Y-%m-%d %H:%M} 由 {previous.waived_by} 豁免"
                      f"（理由：{previous.why}）")
    session.add(DemandWaiver(contract_id=contract.id, staff_id=staff_id, reason=reason, raised_on=raised_on,
                             why=why, waived_by=actor, waived_at=now()))
    store.mark_waived(session, contract.id, key)


# ---------------------------------------------------------------- reads


def _staff_month(record: tuple) -> StaffMonth:
    return StaffMonth(str(record[0]), *(bool(v) if n == "no_signin_month" else int(v)
                                        for n, v in zip(R.SUMMARY_FIELDS, record[1:], strict=True)))


def monthly_summary(session: Session, contract: Contract, month: Month) -> MonthSummary:
    """A6 of one month as stored (a month outside the contract lists nobody)."""
    terms = contract.terms()
    if month not in terms.months():
        return MonthSummary(contract.code, month, (), MonthTotals(), ())
    frame = store.stored_summaries(session, contract.id, [month])
    staff = tuple(_staff_month(r) for r in frame[[R.STAFF_ID, *R.SUMMARY_FIELDS]].itertuples(index=False, name=None))
    totals = MonthTotals(**R.summary_totals(frame))
    return MonthSummary(contract.code, month, staff, totals, tuple(warnings_for_months([month])))


def _totals(row) -> MonthTotals:
    return MonthTotals(**{n: getattr(row, n) for n in R.SUMMARY_FIELDS})


def month_totals(session: Session, contract: Contract, months: list[str]) -> dict[str, MonthTotals]:
    """A6 totals of each month as stored with its rows (outside the contract: zeros)."""
    rows = store.month_rows(session, contract.id, list(months))
    return {m: _totals(rows[m]) if m in rows else MonthTotals() for m in months}


@dataclass(frozen=True)
class MonthGlance:
    """A month's attendance at a glance: its totals, how many are listed, and the people who need attention."""

    totals: MonthTotals
    listed: int
    flagged: list[StaffMonth]
    flagged_count: int
    warnings: tuple[str, ...]


def month_glance(session: Session, contract: Contract, month: Month, limit: int) -> MonthGlance:
    """A6 totals and the first `limit` people needing attention (absent first), read as stored."""
    row = store.month_rows(session, contract.id, [month]).get(month)
    if row is None:
        return MonthGlance(MonthTotals(), 0, [], 0, ())
    flagged = [_staff_month(r) for r in store.flagged_rows(session, contract.id, month, limit)]
    return MonthGlance(_totals(row), row.listed, flagged, row.flagged, tuple(warnings_for_months([month])))


def demands(session: Session, contract: Contract, as_of: dt.date | None = None) -> list[D.Demand]:
    """A8 and A9 as of T (None: every demand, every punch), ordered by (raised_on, staff_id, reason)."""
    found, late = store.stored_demands(session, contract.id, as_of)
    return D.listed(found, late, store.waivers(session, contract.id), as_of)


def demand_document(demand: D.Demand) -> dict[str, Any]:
    """rules §12 `hallmon demands --json`, one entry."""
    return {"staff_id": demand.staff_id, "reason": demand.reason, "raised_on": demand.raised_on.isoformat(),
            "deadline": demand.deadline.isoformat(), "waived": demand.waived, "unenforced": demand.unenforced,
            "unenforced_months": list(demand.unenforced_months)}


def unenforced_person_months(session: Session, contract: Contract, months: list[str] | None = None
                             ) -> dict[str, list[str]]:
    """A9 for billing (B3): contract month → sorted staff_ids with an unenforced person-month, over every punch
    and every demand (of these months, or of the whole term)."""
    return store.unenforced_staff(session, contract.id, contract.terms().months() if months is None else months)


@dataclass(frozen=True)
class DemandOverview:
    """A month's demands to act on (unenforced first, then those raised in the month), and the term's counts."""

    shown: list[D.Demand]
    wanted: int
    total: int
    waived: int
    unenforced: int


def demand_overview(session: Session, contract: Contract, month: Month, limit: int) -> DemandOverview:
    """What the manager's month shows of A8/A9, counted and chosen by the database (three years of a large hall
    hold tens of thousands of demands)."""
    keys, wanted = store.demands_to_act_on(session, contract.id, month.first, month.last, limit)
    total, waived, unenforced = store.demand_counts(session, contract.id)
    return DemandOverview(store.demands_by_key(session, contract.id, keys), wanted, total, waived, unenforced)


def demand_warnings(contract: Contract) -> list[str]:
    return warnings_for_months(contract.terms().months())


WEEKDAYS = "一二三四五六日"


def _month_sessions(session: Session, contract: Contract, month: str, staff_id: str | None = None):
    terms = contract.terms()
    calendar = WorkCalendar.for_terms(terms)
    roster = store.roster_frame(session, contract.id)
    if staff_id is not None:
        roster = roster.loc[roster[R.STAFF_ID] == staff_id]
    punches, makeups, leave = store.month_inputs(session, contract.id, month)
    if staff_id is not None:
        punches = punches.loc[punches[R.STAFF_ID] == staff_id]
        makeups = makeups.loc[makeups[R.STAFF_ID] == staff_id]
        leave = leave.loc[leave[R.STAFF_ID] == staff_id]
    data = R.month_sessions(roster[[R.STAFF_ID, R.HIRED_ON, R.LEFT_ON]], terms.start, terms.end, month, calendar,
                            R.AttendanceRules.from_terms(terms), punches, makeups, leave)
    return data, terms


def outcome_of(row) -> str:
    """A5 in words, for people."""
    if row[R.EXCUSED]:
        return labels.OUTCOMES["excused"]
    if row[R.ABSENT]:
        return labels.OUTCOMES["missing_absent"] if row[R.MISSING] else labels.OUTCOMES["absent"]
    parts = []
    if row[R.MISSING]:
        parts.append(labels.OUTCOMES["missing"])
    if row[R.SERIOUS]:
        parts.append(f"{labels.OUTCOMES['serious_late']} {row[R.LATE_MIN]} 分")
    elif row[R.LATE]:
        parts.append(f"{labels.OUTCOMES['late']} {row[R.LATE_MIN]} 分")
    if row[R.EARLY]:
        parts.append(f"{labels.OUTCOMES['early']} {row[R.EARLY_MIN]} 分")
    return "、".join(parts) or labels.OUTCOMES["normal"]


def person_month(session: Session, contract: Contract, month: Month, staff_id: str) -> dict:
    """A1–A6 for one person and month, session by session with the punches behind each outcome."""
    person = session.scalar(select(Staff).where(Staff.staff_id == staff_id, Staff.contract_id == contract.id))
    if person is None:
        raise NotFound(f"合同 {contract.code} 没有工号 {staff_id}")
    data, terms = _month_sessions(session, contract, month, staff_id)
    names = [s.label() for s in terms.schedule.sessions]

    def hhmmss(ns) -> str | None:
        if ns is None or pd.isna(ns):
            return None
        seconds = int(ns) // R.NS_SECOND
        return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"

    punch_days: dict[dt.date, list[str]] = {}
    for t in sorted(pd.to_datetime(data.punches[R.TIME])):
        punch_days.setdefault(t.date(), []).append(t.strftime("%H:%M:%S"))
    scheduled: dict[dt.date, list[dict]] = {}
    for _, row in data.sessions.sort_values([R.DAY, R.SESSION]).iterrows():
        day = pd.Timestamp(row[R.DAY]).date()
        scheduled.setdefault(day, []).append({
            "session": names[int(row[R.SESSION])], "in": hhmmss(row[R.IN]), "out": hhmmss(row[R.OUT]),
            "outcome": outcome_of(row), "chargeable": int(row[R.CHARGEABLE]),
            "bad": bool(row[R.ABSENT] or row[R.MISSING] or row[R.LATE] or row[R.EARLY]),
            # A5 late and early, with their minutes, for documents that cite them (the replacement notice)
            "late": bool(row[R.LATE]), "late_minutes": int(row[R.LATE_MIN]),
            "early": bool(row[R.EARLY]), "early_minutes": int(row[R.EARLY_MIN]),
        })
    days = [{"date": day, "weekday": WEEKDAYS[day.weekday()], "working": day in scheduled,
             "sessions": scheduled.get(day, []), "punches": punch_days.get(day, [])}
            for day in sorted(set(scheduled) | set(punch_days))]
    makeups = [{"time": pd.Timestamp(m[R.TIME]).to_pydatetime(), "accepted": bool(m[R.ACCEPTED])}
               for _, m in data.makeups.iterrows()]
    summary = monthly_summary(session, contract, month)
    mine = next((s for s in summary.staff if s.staff_id == staff_id), None)
    return {"contract": contract.code, "month": month, "staff_id": staff_id, "name": person.name,
            "department": person.department.name, "window": person.window.code if person.window else None,
            "hired_on": person.hired_on, "left_on": person.left_on, "days": days, "makeups": makeups,
            "summary": mine, "warnings": list(summary.warnings)}


OUTCOME_COLUMNS = (("late", R.LATE), ("serious_late", R.SERIOUS), ("early", R.EARLY), ("missing", R.MISSING),
                   ("absent", R.ABSENT))


def outcomes_by_week(session: Session, contract: Contract, month: Month) -> tuple[list[str], dict[str, list[int]]]:
    """A5 outcomes of the month's sessions counted by week (Monday to Sunday), for the manager's chart: the week
    labels and, per outcome (its label), the count of each week."""
    data, _ = _month_sessions(session, contract, month)
    sessions = data.sessions
    weeks: list[str] = []
    counts: dict[str, list[int]] = {labels.OUTCOMES[name]: [] for name, _ in OUTCOME_COLUMNS}
    if len(sessions):
        days = pd.to_datetime(sessions[R.DAY])
        monday = (days - pd.to_timedelta(days.dt.day_of_week, unit="D")).dt.date
        for start in sorted(set(monday)):
            mask = (monday == start).to_numpy()
            weeks.append(f"{start.month}/{start.day} 起")
            for name, column in OUTCOME_COLUMNS:
                counts[labels.OUTCOMES[name]].append(int(sessions.loc[mask, column].sum()))
    return weeks, counts
