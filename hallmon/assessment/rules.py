"""Monthly assessment rules (rules §5): recurrence (S1), scores (S2), complaint rows (S3), assessed months (S4),
notice deadlines (S5), grades (S6) and the year score (S7); pure, Decimal throughout."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from hallmon.contract import AssessmentTerms
from hallmon.core.calendar import WorkCalendar
from hallmon.core.jsonout import round_half_up
from hallmon.core.periods import month_bounds, month_key

# The item code of the rows S3 adds for substantiated personnel complaints; refused in assessment files.
COMPLAINT_CODE = "COMPLAINT"
PERSONNEL = "personnel"

# S5 notice statuses.
ON_TIME, LATE, MISSING, PENDING = "on_time", "late", "missing", "pending"

# S6 grades: fixed thresholds, highest first (not pass_score).
GRADES = ((Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"))
LOWEST_GRADE = "差"

YEAR_SCORE_PLACES = Decimal("0.01")
ZERO = Decimal(0)


@dataclass(frozen=True)
class ItemRow:
    """One row of the assessment file as stored; `order` is its ingest order (the row id)."""

    month: str
    date: dt.date
    item_code: str
    points: Decimal
    order: int
    item: str = ""
    staff_id: str | None = None
    window: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class CountedRow:
    """A row with what it counts for: its recurrence number (deductions of the file only) and its points after S1."""

    row: ItemRow
    occurrence: int | None
    counted: Decimal

    @property
    def escalated(self) -> bool:
        return self.counted != self.row.points


@dataclass(frozen=True)
class ComplaintFact:
    """What S3 needs of a complaint."""

    received_on: dt.date
    resolved_on: dt.date | None
    substantiated: bool
    category: str
    complaint_id: str = ""


@dataclass(frozen=True)
class MonthAssessment:
    """One month's outcome (S2, S4): not assessed months have no score."""

    month: str
    assessed: bool
    score: Decimal | None
    rows: tuple[CountedRow, ...] = ()
    complaint_rows: tuple[Decimal, ...] = ()
    deductions: Decimal = ZERO
    bonuses: Decimal = ZERO
    bonus_counted: Decimal = ZERO


# ---------------------------------------------------------------- S1


def recurrence_numbers(rows: Iterable[ItemRow]) -> dict[int, int]:
    """S1: number the deductions (points < 0) per item_code within each calendar year, by (month, date, ingest order).

    Returns row order → its number (1 for the first occurrence). Whoever the staff or window, the same code
    is the same fault; rows of months outside the contract are numbered too (they are in the same year).
    """
    seen: dict[tuple[str, int], int] = {}
    numbers: dict[int, int] = {}
    deductions = sorted((r for r in rows if r.points < 0), key=lambda r: (r.month, r.date, r.order))
    for row in deductions:
        key = (row.item_code, int(row.month[:4]))
        seen[key] = seen.get(key, 0) + 1
        numbers[row.order] = seen[key]
    return numbers


def count_rows(rows: Iterable[ItemRow], terms: AssessmentTerms) -> list[CountedRow]:
    """S1: rows numbered ≥ recurrence_limit count recurrence_factor times their points; bonuses and 0 as written.

    The rows come back in S1 order (month, date, ingest order).
    """
    rows = sorted(rows, key=lambda r: (r.month, r.date, r.order))
    numbers = recurrence_numbers(rows)
    out = []
    for row in rows:
        number = numbers.get(row.order)
        counted = row.points
        if number is not None and number >= terms.recurrence_limit:
            counted = row.points * terms.recurrence_factor
        out.append(CountedRow(row, number, counted))
    return out


# ---------------------------------------------------------------- S2


def month_score(points: Iterable[Decimal], terms: AssessmentTerms) -> Decimal:
    """S2: clamp(base_score + Σ adjusted deductions + min(Σ bonuses, max_bonus), 0, base_score + max_bonus).

    `points` are the month's counted points (after S1, S3 rows included); 0-point rows count for nothing.
    """
    points = list(points)
    deductions = sum((p for p in points if p < 0), ZERO)
    bonuses = sum((p for p in points if p > 0), ZERO)
    raw = terms.base_score + deductions + min(bonuses, terms.max_bonus)
    return clamp(raw, ZERO, terms.base_score + terms.max_bonus)


def clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    """S2: the score stays within [0, base_score + max_bonus]."""
    return max(low, min(high, value))


# ---------------------------------------------------------------- S3


def complaint_month(complaint: ComplaintFact) -> str:
    """S3: a complaint's row goes to the month of its resolved_on, else of its received_on."""
    return month_key(complaint.resolved_on or complaint.received_on)


def complaint_rows(complaints: Iterable[ComplaintFact], terms: AssessmentTerms) -> dict[str, list[Decimal]]:
    """S3: each substantiated personnel complaint adds personnel_complaint_points (item COMPLAINT) to its month.

    Named person or not; these rows take no part in recurrence numbering (A8 handles repeat complaints).
    Returns month → the points of its complaint rows; whether they count depends on the month being assessed (S4).
    """
    out: dict[str, list[Decimal]] = {}
    for complaint in complaints:
        if complaint.substantiated and complaint.category == PERSONNEL:
            out.setdefault(complaint_month(complaint), []).append(terms.personnel_complaint_points)
    return out


# ---------------------------------------------------------------- S4


def is_assessed(has_notice: bool, file_rows: int) -> bool:
    """S4: a month is assessed when it has a notice (whatever its date) or at least one row of the assessment file.

    S3 complaint rows never make a month assessed by themselves.
    """
    return has_notice or file_rows > 0


def assess_months(months: Iterable[str], rows: Iterable[ItemRow], complaints: Iterable[ComplaintFact],
                  noticed: Iterable[str], terms: AssessmentTerms) -> dict[str, MonthAssessment]:
    """S1–S4 for the given months of one contract.

    `rows` are the contract's assessment-file rows of every calendar year the months touch (all of them take part
    in S1 numbering, also rows of months that are not asked for); `noticed` the months that have a notice.
    """
    counted = count_rows(rows, terms)
    by_month: dict[str, list[CountedRow]] = {}
    for c in counted:
        by_month.setdefault(c.row.month, []).append(c)
    extra = complaint_rows(complaints, terms)
    noticed = set(noticed)
    out: dict[str, MonthAssessment] = {}
    for month in months:
        month_rows = by_month.get(month, [])
        if not is_assessed(month in noticed, len(month_rows)):
            out[month] = MonthAssessment(month, False, None, tuple(month_rows))
            continue
        complaint_points = extra.get(month, [])
        points = [c.counted for c in month_rows] + complaint_points
        deductions = sum((p for p in points if p < 0), ZERO)
        bonuses = sum((p for p in points if p > 0), ZERO)
        out[month] = MonthAssessment(
            month, True, month_score(points, terms), tuple(month_rows), tuple(complaint_points),
            deductions, bonuses, min(bonuses, terms.max_bonus),
        )
    return out


# ---------------------------------------------------------------- S5


def notice_deadline(month: str, calendar: WorkCalendar, terms: AssessmentTerms) -> dt.date:
    """S5: the notify_within_workdays-th working day (W2) after the month's last day."""
    return calendar.add_working_days(month_bounds(month)[1], terms.notify_within_workdays)


def notice_status(notified_on: dt.date | None, deadline: dt.date, as_of: dt.date) -> tuple[dt.date | None, str]:
    """S5: as of T, (the notice date as known at T, status).

    A notice dated after T is not yet sent; one on or before the deadline is on_time, after it late;
    without a notice the month is missing once T is past the deadline, else pending.
    """
    if notified_on is not None and notified_on > as_of:
        notified_on = None
    if notified_on is not None:
        return notified_on, ON_TIME if notified_on <= deadline else LATE
    return None, MISSING if as_of > deadline else PENDING


# ---------------------------------------------------------------- S6, S7


def grade(score: Decimal | None) -> str | None:
    """S6: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差; no grade without a score."""
    if score is None:
        return None
    for threshold, name in GRADES:
        if score >= threshold:
            return name
    return LOWEST_GRADE


def year_score(scores: Iterable[Decimal]) -> Decimal | None:
    """S7: mean of the assessed months' scores, rounded half up to two decimals; None with no assessed month."""
    scores = list(scores)
    if not scores:
        return None
    mean = sum((Fraction(s) for s in scores), Fraction(0)) / len(scores)
    return round_half_up(mean, YEAR_SCORE_PLACES)


def year_months(months: Iterable[str], year: int) -> list[str]:
    """The contract's months in calendar year `year`, ascending."""
    return sorted(m for m in months if int(m[:4]) == year)


def assessed_scores(results: Mapping[str, MonthAssessment]) -> list[Decimal]:
    """S7: the scores that enter the year's mean (assessed months only)."""
    return [r.score for r in results.values() if r.assessed and r.score is not None]
