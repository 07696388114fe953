"""The month at a glance for each role, gathered from the domain services (no rules here)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from hallmon.alerts.rules import spending_checkpoints
from hallmon.assessment.services import year_scores
from hallmon.attendance.services import (
    DemandOverview,
    MonthTotals,
    StaffMonth,
    demand_overview,
    month_glance,
)
from hallmon.billing.services import paid_total
from hallmon.billing.settlement import month_bases
from hallmon.caseload.services import statistics_document as caseload_stats
from hallmon.complaints.services import statistics_document as complaint_stats
from hallmon.core.jsonout import money, rate
from hallmon.core.periods import Month
from hallmon.roster.models import Contract

DEMANDS_SHOWN = 20
FLAGGED_SHOWN = 15


@dataclass(frozen=True)
class ManagerOverview:
    """The manager's month: scores against the pass line, attendance, demands, complaints, caseload."""

    contract: Contract
    month: Month
    year: int
    pass_score: Decimal
    scores: dict[str, Any]
    month_score: dict[str, Any] | None
    attendance: MonthTotals
    attendance_warnings: tuple[str, ...]
    listed_staff: int
    flagged: list[StaffMonth]
    flagged_count: int
    demands: DemandOverview
    complaints: dict[str, Any]
    complaints_from: dt.date
    complaints_to: dt.date
    caseload: dict[str, Any]
    daily_target: Decimal
    first: dt.date
    last: dt.date


def manager_overview(session: Session, contract: Contract, month: Month) -> ManagerOverview:
    """Scores against 90, the month's attendance, demands and their enforcement, complaints, caseload."""
    terms = contract.terms()
    year = month.year
    first, last = month.first, month.last
    scores = year_scores(session, contract, year)
    attendance = month_glance(session, contract, month, FLAGGED_SHOWN)
    year_start = max(dt.date(year, 1, 1), contract.start)
    return ManagerOverview(
        contract=contract, month=month, year=year, pass_score=terms.assessment.pass_score, scores=scores,
        month_score=next((m for m in scores["months"] if m["month"] == month), None),
        attendance=attendance.totals, attendance_warnings=attendance.warnings, listed_staff=attendance.listed,
        flagged=attendance.flagged, flagged_count=attendance.flagged_count,
        # the month at a glance lists what needs acting on: unenforced demands, then those raised in the month —
        # at most DEMANDS_SHOWN (years of a large hall hold tens of thousands); the full list is one click away
        demands=demand_overview(session, contract, month, DEMANDS_SHOWN),
        complaints=complaint_stats(session, contract, year_start, last), complaints_from=year_start,
        complaints_to=last, caseload=caseload_stats(session, contract, year),
        daily_target=terms.caseload.daily_target, first=first, last=last,
    )


def spending(session: Session, contract: Contract, as_of: dt.date) -> dict[str, Any]:
    """Payments against the 25/50/75/100 % plan (J1) and the payment rate (paid / total, as the Xinyang report's 74.92 %)."""
    terms = contract.terms()
    paid = paid_total(session, contract, as_of)
    checkpoints = spending_checkpoints(month_bases(terms))
    passed = [c for c in checkpoints if c.end < as_of]
    target = passed[-1].target if passed else Decimal("0.00")
    return {
        "paid": money(paid), "total": money(terms.total_fee), "payment_rate": rate(paid, terms.total_fee),
        "target": money(target), "target_month": passed[-1].month if passed else None,
        "behind": paid < target,
        "plan": [{"month": c.month, "target": money(c.target), "share": float(c.share)} for c in checkpoints],
    }
