"""The month at a glance for each role, gathered from the domain services (no rules here)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from hallmon.core.jsonout import money, rate
from hallmon.core.periods import month_bounds

DEMANDS_SHOWN = 20


def manager_overview(session: Session, contract, month: str) -> dict[str, Any]:
    """Scores against 90, the month's attendance, demands and their enforcement, complaints, caseload."""
    from hallmon.assessment.services import year_scores
    from hallmon.attendance.services import demand_json, monthly_summary, term_demands
    from hallmon.caseload.services import statistics_document as caseload_stats
    from hallmon.complaints.services import statistics_document as complaint_stats

    terms = contract.terms()
    year = int(month[:4])
    first, last = month_bounds(month)
    scores = year_scores(session, contract.code, year)
    attendance = monthly_summary(session, contract.code, month)
    found, _ = term_demands(session, contract, terms)
    listed = [demand_json(d) for d in found]
    year_start = max(dt.date(year, 1, 1), contract.start)
    complaints = complaint_stats(session, contract.code, year_start, last)
    caseload = caseload_stats(session, contract.code, year)  # `month` is a contract month, so the year is too
    # the month at a glance lists what needs acting on: unenforced demands, then those raised in the month —
    # at most DEMANDS_SHOWN (years of a large hall hold tens of thousands); the full list is one click away
    wanted = [d for d in listed if d["unenforced"] or first.isoformat() <= d["raised_on"] <= last.isoformat()]
    wanted.sort(key=lambda d: (not d["unenforced"], d["raised_on"], d["staff_id"], d["reason"]))
    month_score = next((m for m in scores["months"] if m["month"] == month), None)
    staff_rows = attendance["staff"]
    flagged = sorted((s for s in staff_rows if s["late_early_events"] or s["absent_sessions"] or s["no_signin_month"]),
                     key=lambda s: (-s["absent_sessions"], -s["late_early_events"], s["staff_id"]))
    return {
        "contract": contract, "month": month, "year": year, "pass_score": terms.assessment.pass_score,
        "scores": scores, "month_score": month_score,
        "attendance": attendance["totals"], "attendance_warnings": attendance["warnings"],
        "listed_staff": len(staff_rows), "flagged": flagged[:15], "flagged_count": len(flagged),
        "demands": wanted[:DEMANDS_SHOWN], "demands_wanted": len(wanted),
        "demand_counts": {
            "total": len(listed), "waived": sum(d["waived"] for d in listed),
            "unenforced": sum(d["unenforced"] for d in listed),
        },
        "complaints": complaints, "complaints_from": year_start, "complaints_to": last,
        "caseload": caseload, "daily_target": terms.caseload.daily_target,
        "first": first, "last": last,
    }


def spending(session: Session, contract, as_of: dt.date) -> dict[str, Any]:
    """Payments against the 25/50/75/100 % plan (J1) and the payment rate (paid / total, as seed 004's 74.92 %)."""
    from hallmon.alerts.rules import spending_checkpoints
    from hallmon.billing.services import paid_total
    from hallmon.billing.settlement import month_bases

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
