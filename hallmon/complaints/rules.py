"""Complaint rules (rules §6): due dates (C1), status as of a date (C2), statistics for a range (C3); pure."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from hallmon.contract import ComplaintTerms
from hallmon.core.calendar import WorkCalendar
from hallmon.core.jsonout import rate
from hallmon.core.periods import same_day_last_year

# Channels, hotline kinds and categories as stored (rules §2 complaints source).
PETITION, HOTLINE, REVIEW, ONSITE = "petition", "hotline", "review", "onsite"
CHANNELS = (PETITION, HOTLINE, REVIEW, ONSITE)
CONSULT, HELP, COMPLAINT = "consult", "help", "complaint"
KINDS = (CONSULT, HELP, COMPLAINT)
PERSONNEL, BUSINESS, OTHER = "personnel", "business", "other"
CATEGORIES = (PERSONNEL, BUSINESS, OTHER)

# C2 statuses.
ON_TIME, RESOLVED_LATE, OVERDUE, OPEN = "on_time", "resolved_late", "overdue", "open"

# C3 backlog ageing buckets, by days since received: (label, last day of the bucket or None).
AGEING = (("0-15", 15), ("16-60", 60), ("61-90", 90), (">90", None))
AGEING_BUCKETS = tuple(label for label, _ in AGEING)

# C3 figures a complaint can count in (the drill-down of each statistic lists exactly these complaints).
RECEIVED, RESOLVED, RESOLVED_ON_TIME, ACCEPT_OVERDUE, BACKLOG, RECEIVED_PREV = (
    "received", "resolved", "on_time", "accept_overdue", "backlog", "received_prev")


@dataclass(frozen=True)
class ComplaintFacts:
    """One complaint as stored; `contract` names the terms and calendar it is judged by."""

    complaint_id: str
    contract: str
    channel: str
    kind: str | None
    category: str
    received_on: dt.date
    accepted_on: dt.date | None = None
    extended: bool = False
    resolved_on: dt.date | None = None
    substantiated: bool = False
    staff_id: str | None = None


@dataclass(frozen=True)
class Judge:
    """What one contract's complaints are judged by: its complaint terms and its working calendar (W1)."""

    terms: ComplaintTerms
    calendar: WorkCalendar


def accept_by(complaint: ComplaintFacts, terms: ComplaintTerms) -> dt.date:
    """C1: a petition is to be accepted within petition_accept_days calendar days of its receipt."""
    return complaint.received_on + dt.timedelta(days=terms.petition_accept_days)


def acceptance_as_of(complaint: ComplaintFacts, as_of: dt.date | None) -> dt.date | None:
    """C2: the acceptance that has happened by T; one dated after T has not happened yet."""
    if complaint.accepted_on is None or (as_of is not None and complaint.accepted_on > as_of):
        return None
    return complaint.accepted_on


def due_date(complaint: ComplaintFacts, judge: Judge, as_of: dt.date | None = None) -> dt.date:
    """C1: the date a complaint is to be resolved by.

    Petitions count calendar days from min(accepted_on, accept-by) — a late acceptance buys no
    time, and a missing acceptance (or, as of T, one dated after T) counts as the accept-by date —
    plus petition_resolve_days, plus petition_extension_days when extended. The other channels
    count working days after received_on (W2) on the complaint's contract's calendar.
    """
    terms = judge.terms
    if complaint.channel == PETITION:
        latest = accept_by(complaint, terms)
        accepted = acceptance_as_of(complaint, as_of)
        start = latest if accepted is None else min(accepted, latest)
        days = terms.petition_resolve_days + (terms.petition_extension_days if complaint.extended else 0)
        return start + dt.timedelta(days=days)
    if complaint.channel == HOTLINE:
        if complaint.kind not in KINDS:
            raise ValueError(f"C1: 12345 热线投诉 {complaint.complaint_id} 没有有效的类型")
        workdays = terms.hotline_days(complaint.kind)
    elif complaint.channel == REVIEW:
        workdays = terms.review_workdays
    elif complaint.channel == ONSITE:
        workdays = terms.other_workdays
    else:
        raise ValueError(f"C1: 未知渠道 {complaint.channel!r}")
    return judge.calendar.add_working_days(complaint.received_on, workdays)


def resolved_by(complaint: ComplaintFacts, as_of: dt.date) -> bool:
    """C2/C3: resolved at T means resolved_on ≤ T (a resolution dated after T has not happened yet)."""
    return complaint.resolved_on is not None and complaint.resolved_on <= as_of


def status(complaint: ComplaintFacts, due: dt.date, as_of: dt.date) -> str:
    """C2: on_time or resolved_late when resolved by T; otherwise overdue when T is past due, else open."""
    if resolved_by(complaint, as_of):
        return ON_TIME if complaint.resolved_on <= due else RESOLVED_LATE
    return OVERDUE if as_of > due else OPEN


def is_accept_overdue(complaint: ComplaintFacts, terms: ComplaintTerms, as_of: dt.date) -> bool:
    """C2: a petition accepted after its accept-by date, or still unaccepted at T past it.

    Only an acceptance dated on or before T has happened; a petition resolved with no accepted_on
    was never accepted.
    """
    if complaint.channel != PETITION:
        return False
    latest = accept_by(complaint, terms)
    accepted = acceptance_as_of(complaint, as_of)
    if accepted is not None:
        return accepted > latest
    return as_of > latest


def ageing_bucket(days: int) -> str:
    """C3: the backlog ageing bucket of a complaint received `days` days before `to`."""
    for label, last in AGEING:
        if last is None or days <= last:
            return label
    raise AssertionError(days)  # pragma: no cover - the last bucket is open


@dataclass(frozen=True)
class Judged:
    """A complaint judged as of a date: its due date, C2 status and accept_overdue flag, age in days."""

    complaint: ComplaintFacts
    due: dt.date
    status: str
    accept_overdue: bool
    age_days: int


def judge_complaint(complaint: ComplaintFacts, judge: Judge, as_of: dt.date) -> Judged:
    """C1 and C2 for one complaint as of T."""
    due = due_date(complaint, judge, as_of)
    return Judged(complaint, due, status(complaint, due, as_of), is_accept_overdue(complaint, judge.terms, as_of),
                  (as_of - complaint.received_on).days)


def previous_range(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """C3: the same range one year earlier; 29 February maps to 28 February."""
    return same_day_last_year(start), same_day_last_year(end)


def figures_of(complaint: ComplaintFacts, judge: Judge, start: dt.date, end: dt.date) -> list[str]:
    """C3: every figure of the statistics for [start, end] (as of `end`) that a complaint counts in.

    Figures are `received`, `resolved`, `on_time`, `accept_overdue`, `backlog`, `ageing:<bucket>`,
    `channel:<channel>`, `category:<category>` and `received_prev`. The statistics count them, and
    a drill-down lists the complaints holding one, so that both always agree.
    """
    out: list[str] = []
    received_on = complaint.received_on
    if received_on > end:
        return out
    prev_start, prev_end = previous_range(start, end)
    if prev_start <= received_on <= prev_end:
        out.append(RECEIVED_PREV)
    if start <= received_on:
        out += [RECEIVED, f"channel:{complaint.channel}", f"category:{complaint.category}"]
        # every received complaint is judged, so that a due date in a year the calendar data does not
        # cover brings its W1 warning even while the complaint is still open
        due = due_date(complaint, judge, end)
        if resolved_by(complaint, end):
            out.append(RESOLVED)
            if status(complaint, due, end) == ON_TIME:
                out.append(RESOLVED_ON_TIME)
        if is_accept_overdue(complaint, judge.terms, end):
            out.append(ACCEPT_OVERDUE)
    if not resolved_by(complaint, end):
        out += [BACKLOG, f"ageing:{ageing_bucket((end - received_on).days)}"]
    return out


@dataclass(frozen=True)
class ComplaintStats:
    """C3: the statistics of [start, end] as of `end`; counts are integers, rates via rules §12 rounding."""

    received: int
    resolved: int
    on_time: int
    accept_overdue: int
    backlog: int
    ageing: Mapping[str, int]
    by_channel: Mapping[str, int]
    by_category: Mapping[str, int]
    received_prev: int

    @property
    def resolution_rate(self) -> float | None:
        """C3: resolved / received."""
        return rate(self.resolved, self.received)

    @property
    def on_time_rate(self) -> float | None:
        """C3: resolved on time (C2 as of `to`) / resolved."""
        return rate(self.on_time, self.resolved)

    @property
    def growth(self) -> float | None:
        """C3: (received − received_prev) / received_prev; null when last year had none."""
        return rate(self.received - self.received_prev, self.received_prev)

    def document(self, warnings: list[str]) -> dict:
        """The JSON of `hallmon complaints stats` (rules §12), keys exactly as listed there."""
        return {
            "received": self.received,
            "resolved": self.resolved,
            "resolution_rate": self.resolution_rate,
            "on_time_rate": self.on_time_rate,
            "accept_overdue": self.accept_overdue,
            "backlog": self.backlog,
            "ageing": dict(self.ageing),
            "by_channel": dict(self.by_channel),
            "by_category": dict(self.by_category),
            "received_prev": self.received_prev,
            "growth": self.growth,
            "warnings": list(warnings),
        }


def complaint_statistics(complaints: Iterable[ComplaintFacts], judges: Mapping[str, Judge],
                         start: dt.date, end: dt.date) -> ComplaintStats:
    """C3: statistics for [start, end] as of `end`; each complaint is judged by its own contract's judge."""
    if start > end:
        raise ValueError("C3: 起始日期晚于结束日期")
    counts: Counter[str] = Counter()
    for complaint in complaints:
        counts.update(figures_of(complaint, judges[complaint.contract], start, end))
    return ComplaintStats(
        received=counts[RECEIVED],
        resolved=counts[RESOLVED],
        on_time=counts[RESOLVED_ON_TIME],
        accept_overdue=counts[ACCEPT_OVERDUE],
        backlog=counts[BACKLOG],
        ageing={label: counts[f"ageing:{label}"] for label in AGEING_BUCKETS},
        by_channel={channel: counts[f"channel:{channel}"] for channel in CHANNELS},
        by_category={category: counts[f"category:{category}"] for category in CATEGORIES},
        received_prev=counts[RECEIVED_PREV],
    )


def figure_names() -> list[str]:
    """Every figure a drill-down may ask for."""
    return ([RECEIVED, RESOLVED, RESOLVED_ON_TIME, ACCEPT_OVERDUE, BACKLOG, RECEIVED_PREV]
            + [f"ageing:{b}" for b in AGEING_BUCKETS] + [f"channel:{c}" for c in CHANNELS]
            + [f"category:{c}" for c in CATEGORIES])
