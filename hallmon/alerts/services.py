"""Alert services: what needs attention as of a date (J1), kept in step with the stored alerts (J4)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hallmon.alerts import rules
from hallmon.alerts.models import Alert
from hallmon.core.calendar import WorkCalendar
from hallmon.db import transaction
from hallmon.roster.models import Contract


def contract_alerts(session: Session, contract: Contract, as_of: dt.date) -> tuple[list[rules.Alert], list[str]]:
    """J1 for one contract as of a date: notices, complaints, settlements, demands, payments."""
    from hallmon.assessment.services import notice_statuses
    from hallmon.attendance.services import demands
    from hallmon.billing.gate import State
    from hallmon.billing.models import Settlement
    from hallmon.billing.services import paid_total
    from hallmon.billing.settlement import month_bases
    from hallmon.complaints.services import complaints_as_of

    terms = contract.terms()
    calendar = WorkCalendar.for_terms(terms)
    warnings: list[str] = []
    found: list[rules.Alert] = []

    statuses, w = notice_statuses(session, contract.code, as_of)
    warnings += w
    found += rules.notice_alerts(rules.NoticeFact(contract.code, s.month, s.status, s.deadline, s.notified_on) for s in statuses)

    judged, w = complaints_as_of(session, contract.code, as_of)
    warnings += w
    found += rules.complaint_alerts((rules.ComplaintFact(contract.code, j.complaint.complaint_id, j.complaint.channel,
                                                         j.status, j.due) for j in judged), as_of, calendar)

    submitted = session.scalars(select(Settlement).where(Settlement.contract_id == contract.id,
                                                         Settlement.state == State.SUBMITTED.value)).all()
    found += rules.settlement_alerts((rules.SubmittedFact(contract.code, s.period, s.submitted_at.date())
                                      for s in submitted if s.submitted_at and s.submitted_at.date() <= as_of),
                                     as_of, calendar)

    listed, w = demands(session, contract.code, as_of)
    warnings += w
    found += rules.demand_alerts(contract.code, listed)

    spending = rules.spending_alert(contract.code, rules.spending_checkpoints(month_bases(terms)),
                                    paid_total(session, contract, as_of), terms.total_fee, as_of)
    if spending is not None:
        found.append(spending)
    found += reminder_alerts(contract, as_of)
    warnings += [w for w in calendar.warnings() if w not in warnings]
    return found, list(dict.fromkeys(warnings))


MIDYEAR = "reminder_midyear"
SELF_EVALUATION = "reminder_self_evaluation"
rules.KIND_NAMES.update({MIDYEAR: "事中监控提醒", SELF_EVALUATION: "年度绩效自评提醒"})


def reminder_alerts(contract: Contract, as_of: dt.date) -> list[rules.Alert]:
    """J3: the mid-year monitoring reminder from 1 July (for that July) and the self-evaluation reminder from
    5 January (for that January) of every year the contract runs in, or ran in the year before."""
    out = []
    if as_of.month == 7 and contract.start.year <= as_of.year <= contract.end.year:
        out.append(rules.Alert(MIDYEAR, f"{contract.code}/{as_of.year}", contract.code,
                               f"{contract.code} {as_of.year} 年事中绩效监控：请在 7 月内完成并报财政部门",
                               {"year": as_of.year}))
    year = as_of.year - 1
    if as_of.month == 1 and as_of.day >= 5 and contract.start.year <= year <= contract.end.year:
        out.append(rules.Alert(SELF_EVALUATION, f"{contract.code}/{year}", contract.code,
                               f"{contract.code} {year} 年度绩效自评：请生成自评表、填写偏差原因并报送",
                               {"year": year}))
    return out


def current_alerts(session: Session, as_of: dt.date) -> tuple[list[rules.Alert], list[str]]:
    """J1 over every contract, ordered by contract, kind and subject."""
    found: list[rules.Alert] = []
    warnings: list[str] = []
    for contract in session.scalars(select(Contract).order_by(Contract.code)):
        alerts, w = contract_alerts(session, contract, as_of)
        found += alerts
        warnings += [x for x in w if x not in warnings]
    return sorted(found, key=lambda a: (a.contract, a.kind, a.subject)), warnings


@dataclass(frozen=True)
class Refresh:
    raised: int
    kept: int
    cleared: int


def refresh_alerts(session: Session, as_of: dt.date) -> Refresh:
    """J4: raise the new alerts once, keep the standing ones, clear those whose condition no longer holds."""
    current, _ = current_alerts(session, as_of)
    with transaction(session):
        active = {(a.kind, a.subject): a for a in session.scalars(select(Alert).where(Alert.active.is_(True)))}
        sync = rules.synchronise(active, current)
        for alert in sync.raise_:
            row = session.scalar(select(Alert).where(Alert.kind == alert.kind, Alert.subject == alert.subject))
            if row is None:
                row = Alert(kind=alert.kind, subject=alert.subject, first_raised_on=as_of)
                session.add(row)
            row.contract, row.message, row.details = alert.contract, alert.message, alert.details
            row.raised_on, row.cleared_on, row.active = as_of, None, True
        for alert in sync.keep:
            row = active[alert.key]
            row.message, row.details = alert.message, alert.details
        for key in sync.clear:
            row = active[key]
            row.active, row.cleared_on = False, as_of
    return Refresh(len(sync.raise_), len(sync.keep), len(sync.clear))


def stored_alerts(session: Session, contractor: str | None = None) -> list[Alert]:
    """The alerts standing now, for dashboards; a contractor sees only its own contracts'."""
    stmt = select(Alert).where(Alert.active.is_(True)).order_by(Alert.raised_on.desc(), Alert.kind, Alert.subject)
    if contractor is not None:
        codes = select(Contract.code).where(Contract.contractor == contractor)
        stmt = stmt.where(Alert.contract.in_(codes))
    return list(session.scalars(stmt))


def count_alerts(session: Session) -> int:
    """How many alerts stand now (the header's count), without loading them."""
    return session.scalar(select(func.count()).select_from(Alert).where(Alert.active.is_(True))) or 0


def alert_summary(alerts: list[Alert]) -> list[dict[str, Any]]:
    """Standing alerts counted by kind, with the latest few of each, for dashboards."""
    groups: dict[str, list[Alert]] = {}
    for alert in alerts:
        groups.setdefault(alert.kind, []).append(alert)
    return [{"kind": kind, "name": rules.KIND_NAMES.get(kind, kind), "count": len(items), "latest": items[:3]}
            for kind, items in sorted(groups.items(), key=lambda kv: -len(kv[1]))]


def alert_document(alert: rules.Alert | Alert, raised_on: dt.date | None = None) -> dict[str, Any]:
    return {"kind": alert.kind, "name": rules.KIND_NAMES.get(alert.kind, alert.kind), "subject": alert.subject,
            "contract": alert.contract, "message": alert.message, "details": alert.details or {},
            **({"raised_on": raised_on.isoformat()} if raised_on else {})}


def alerts_document(session: Session, as_of: dt.date) -> dict[str, Any]:
    """`hallmon alerts --json`: every J1 alert as of the date."""
    found, warnings = current_alerts(session, as_of)
    counts: dict[str, int] = {}
    for a in found:
        counts[a.kind] = counts.get(a.kind, 0) + 1
    return {"as_of": as_of.isoformat(), "count": len(found), "by_kind": counts,
            "alerts": [alert_document(a) for a in found], "warnings": warnings}

