"""Contract terms (rules §1) as frozen dataclasses: the only place that states a term's default."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from hallmon.core.periods import months_between

Number = int | Decimal


@dataclass(frozen=True)
class Session:
    """One scheduled block of a working day, as minutes after midnight."""

    start: int
    end: int

    @property
    def minutes(self) -> int:
        return self.end - self.start

    def label(self) -> str:
        return f"{hhmm(self.start)}–{hhmm(self.end)}"


@dataclass(frozen=True)
class Schedule:
    sessions: tuple[Session, ...]
    grace_minutes: int = 5
    serious_late_minutes: int = 30
    makeup_quota_per_month: int = 3


@dataclass(frozen=True)
class CalendarTerms:
    extra_workdays: frozenset[dt.date] = frozenset()
    extra_holidays: frozenset[dt.date] = frozenset()


@dataclass(frozen=True)
class AttendanceTerms:
    monthly_late_early_limit: int = 3
    annual_late_early_limit: int = 20
    missing_punch_counts_as_absent: bool = True
    enforcement_days: int = 15


DEFAULT_BANDS: tuple[tuple[Decimal, Decimal], ...] = (
    (Decimal(90), Decimal("1.00")),
    (Decimal(80), Decimal("0.95")),
    (Decimal(70), Decimal("0.90")),
    (Decimal(60), Decimal("0.80")),
    (Decimal(0), Decimal("0.70")),
)


@dataclass(frozen=True)
class AssessmentTerms:
    base_score: Decimal = Decimal(100)
    max_bonus: Decimal = Decimal(5)
    pass_score: Decimal = Decimal(90)
    mode: str = "per_point"
    per_point_rate: Decimal = Decimal("0.01")
    bands: tuple[tuple[Decimal, Decimal], ...] = DEFAULT_BANDS  # sorted by min score, descending
    recurrence_limit: int = 3
    recurrence_factor: Decimal = Decimal(2)
    notify_within_workdays: int = 10
    personnel_complaint_points: Decimal = Decimal(-2)


@dataclass(frozen=True)
class ComplaintTerms:
    petition_accept_days: int = 15
    petition_resolve_days: int = 60
    petition_extension_days: int = 30
    hotline_workdays: tuple[tuple[str, int], ...] = (("consult", 2), ("help", 5), ("complaint", 10))
    review_workdays: int = 5
    other_workdays: int = 5
    personnel_limit_per_year: int = 2

    def hotline_days(self, kind: str) -> int:
        return dict(self.hotline_workdays)[kind]


@dataclass(frozen=True)
class CaseloadTerms:
    daily_target: Decimal = Decimal(0)


@dataclass(frozen=True)
class BillingTerms:
    deduction_cap: Decimal = Decimal("0.30")
    unenforced_fine: Decimal = Decimal("0.00")


@dataclass(frozen=True)
class ContractTerms:
    code: str
    name: str
    contractor: str
    start: dt.date
    end: dt.date
    total_fee: Decimal
    headcount: int
    schedule: Schedule
    billing_months: int = 1
    calendar: CalendarTerms = field(default_factory=CalendarTerms)
    attendance: AttendanceTerms = field(default_factory=AttendanceTerms)
    assessment: AssessmentTerms = field(default_factory=AssessmentTerms)
    complaints: ComplaintTerms = field(default_factory=ComplaintTerms)
    caseload: CaseloadTerms = field(default_factory=CaseloadTerms)
    billing: BillingTerms = field(default_factory=BillingTerms)

    def months(self) -> list[str]:
        """The contract's calendar months, `YYYY-MM`, ascending."""
        return months_between(self.start, self.end)

    def to_document(self) -> dict[str, Any]:
        """A canonical, JSON-safe dictionary of every term (defaults included)."""
        return _document(self)

    def fingerprint(self) -> str:
        return hashlib.sha256(
            json.dumps(self.to_document(), sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()


# ---------------------------------------------------------------- loading



def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"



# ---------------------------------------------------------------- canonical document


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(_plain(v) for v in value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _document(terms: ContractTerms) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    for f in dataclasses.fields(terms):
        value = getattr(terms, f.name)
        if f.name == "schedule":
            doc["schedule"] = {
                "sessions": [[hhmm(s.start), hhmm(s.end)] for s in value.sessions],
                "grace_minutes": value.grace_minutes,
                "serious_late_minutes": value.serious_late_minutes,
                "makeup_quota_per_month": value.makeup_quota_per_month,
            }
        elif dataclasses.is_dataclass(value):
            sub = {}
            for g in dataclasses.fields(value):
                v = getattr(value, g.name)
                if g.name == "hotline_workdays":
                    sub[g.name] = dict(v)
                elif g.name == "bands":
                    sub[g.name] = [[_number_doc(low), str(share)] for low, share in v]
                elif isinstance(v, Decimal) and g.name not in _STRING_DECIMALS:
                    sub[g.name] = _number_doc(v)
                else:
                    sub[g.name] = _plain(v)
            doc[f.name] = sub
        else:
            doc[f.name] = _plain(value)
    return doc


# Terms that rules §1 writes as decimal strings; every other Decimal is a TOML number.
_STRING_DECIMALS = {"per_point_rate", "deduction_cap", "unenforced_fine", "total_fee"}


def _number_doc(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
