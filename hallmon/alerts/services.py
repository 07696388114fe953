"""Alert services: what needs attention as of a date (J1), and the stored alerts kept in step with it (J4) by the
daily job and by every write to a contract."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hallmon.alerts import rules
from hallmon.alerts.models import Alert, AlertEvaluation
from hallmon.assessment.services import notice_statuses
from hallmon.attendance.services import demands
from hallmon.billing.gate import State
from hallmon.billing.models import Settlement
from hallmon.billing.services import paid_total
from hallmon.billing.settlement import month_bases
from hallmon.complaints.services import complaints_as_of
from hallmon.core import labels
from hallmon.core.calendar import WorkCalendar, warnings_for_months
from hallmon.core.clock import now
from hallmon.core.errors import NotFound, Refused
from hallmon.roster.models import Contract


def contract_alerts(session: Session, contract: Contract, as_of: dt.date) -> tuple[list[rules.Alert], list[str]]:
    """J1 for one contract as of a date: notices, complaints, settlements, demands, payments, reminders."""
    terms = contract.terms()
    calendar = WorkCalendar.for_terms(terms)
    found: list[rules.Alert] = []
    statuses, warnings = notice_statuses(session, contract, as_of)
    found += rules.notice_alerts(rules.NoticeFact(contract.code, s.month, s.status, s.deadline, s.notified_on)
                                 for s in statuses)
    judged, w = complaints_as_of(session, contract, as_of)
    warnings = [*warnings, *w]
    found += rules.complaint_alerts((rules.ComplaintFact(contract.code, j.complaint.complaint_id, j.complaint.channel,
                                                         j.status, j.due) for j in judged), as_of, calendar)
    submitted = session.scalars(select(Settlement).where(Settlement.contract_id == contract.id,
                                                         Settlement.state == State.SUBMITTED.value)).all()
    found += rules.settlement_alerts((rules.SubmittedFact(contract.code, s.period, s.submitted_at.date())
                                      for s in submitted if s.submitted_at and s.submitted_at.date() <= as_of),
                                     as_of, calendar)
    found += rules.demand_alerts(contract.code, demands(session, contract, as_of))
    spending = rules.spending_alert(contract.code, rules.spending_checkpoints(month_bases(terms)),
                                    paid_total(session, contract, as_of), terms.total_fee, as_of)
    if spending is not None:
        found.append(spending)
    found += rules.reminder_alerts(contract.code, contract.start, contract.end, as_of)
    warnings = [*warnings, *warnings_for_months(terms.months()), *calendar.warnings()]
    return found, list(dict.fromkeys(warnings))


def current_alerts(session: Session, as_of: dt.date, contracts: list[Contract] | None = None
                   ) -> tuple[list[rules.Alert], list[str]]:
    """J1 over every contract (or these), ordered by contract, kind and subject."""
    found: list[rules.Alert] = []
    warnings: list[str] = []
    if contracts is None:
        contracts = list(session.scalars(select(Contract).order_by(Contract.code)))
    for contract in contracts:
        alerts, w = contract_alerts(session, contract, as_of)
        found += alerts
        warnings += [x for x in w if x not in warnings]
    return sorted(found, key=lambda a: (a.contract, a.kind, a.subject)), warnings


@dataclass(frozen=True)
class Refresh:
    raised: int
    kept: int
    cleared: int
    as_of: dt.date | None = None
    raised_rows: tuple[Alert, ...] = ()   # the alerts raised now, flushed (with their ids): what notifications announce


def _synchronise(session: Session, current: list[rules.Alert], as_of: dt.date, codes: list[str] | None) -> Refresh:
    """J4: raise the new alerts once, keep the standing ones, clear those whose condition no longer holds (among
    the alerts of these contracts, or of every contract)."""
    stmt = select(Alert).where(Alert.active.is_(True))
    if codes is not None:
        stmt = stmt.where(Alert.contract.in_(codes))
    active = {(a.kind, a.subject): a for a in session.scalars(stmt)}
    sync = rules.synchronise(active, current)
    raised = []
    for alert in sync.raise_:
        row = session.scalar(select(Alert).where(Alert.kind == alert.kind, Alert.subject == alert.subject))
        if row is None:
            row = Alert(kind=alert.kind, subject=alert.subject, first_raised_on=as_of)
            session.add(row)
        row.contract, row.message, row.details = alert.contract, alert.message, alert.details
        row.raised_on, row.cleared_on, row.active = as_of, None, True
        row.acknowledged_by = row.acknowledged_at = row.acknowledged_note = None
        raised.append(row)
    for alert in sync.keep:
        row = active[alert.key]
        row.message, row.details = alert.message, alert.details
    for key in sync.clear:
        row = active[key]
        row.active, row.cleared_on = False, as_of
    session.flush()
    return Refresh(len(sync.raise_), len(sync.keep), len(sync.clear), as_of, tuple(raised))


def refresh_alerts(session: Session, as_of: dt.date) -> Refresh:
    """J1 daily (and `hallmon alerts refresh`): every contract's alerts judged as of the date, which becomes the
    date the stored alerts stand as of."""
    current, _ = current_alerts(session, as_of)
    done = _synchronise(session, current, as_of, None)
    evaluation = session.get(AlertEvaluation, 1)
    if evaluation is None:
        evaluation = AlertEvaluation(id=1)
        session.add(evaluation)
    evaluation.as_of, evaluation.at = as_of, now()
    return done


def refresh_contracts(session: Session, contracts: list[Contract]) -> Refresh | None:
    """After a write: these contracts' alerts judged again as of the date the stored alerts stand as of, so that
    no alert contradicts the data once the write commits. None while alerts were never switched on."""
    evaluation = session.get(AlertEvaluation, 1)
    if evaluation is None or not contracts:
        return None
    current, _ = current_alerts(session, evaluation.as_of, contracts)
    return _synchronise(session, current, evaluation.as_of, [c.code for c in contracts])


def stored_alerts(session: Session, contractor: str | None = None, kind: str | None = None,
                  contract: str | None = None) -> list[Alert]:
    """The alerts standing now, newest first; a contractor sees only its own contracts'."""
    stmt = select(Alert).where(Alert.active.is_(True)).order_by(Alert.raised_on.desc(), Alert.kind, Alert.subject)
    if contractor is not None:
        stmt = stmt.where(Alert.contract.in_(select(Contract.code).where(Contract.contractor == contractor)))
    if kind is not None:
        stmt = stmt.where(Alert.kind == kind)
    if contract is not None:
        stmt = stmt.where(Alert.contract == contract)
    return list(session.scalars(stmt))


def count_alerts(session: Session) -> int:
    """How many alerts stand now and nobody has acknowledged (the header's count), without loading them."""
    return session.scalar(select(func.count()).select_from(Alert).where(
        Alert.active.is_(True), Alert.acknowledged_at.is_(None))) or 0


def acknowledge_alert(session: Session, alert_id: int, actor: str, note: str, at: dt.datetime | None = None,
                      contractor: str | None = None) -> Alert:
    """Someone has seen a standing alert and acts on it: who, when and a note. It leaves the header's count and
    stays listed until its condition clears."""
    note = (note or "").strip()
    if not note:
        raise Refused("确认提醒须写明处理说明")
    alert = session.get(Alert, alert_id, with_for_update=True)
    visible = contractor is None or (alert is not None and session.scalar(
        select(Contract.id).where(Contract.code == alert.contract, Contract.contractor == contractor)) is not None)
    if alert is None or not visible:
        raise NotFound(f"没有编号为 {alert_id} 的提醒")
    if not alert.active:
        raise Refused(f"该提醒已于 {alert.cleared_on} 消除，无需确认")
    if alert.acknowledged_at is not None:
        raise Refused(f"该提醒已于 {alert.acknowledged_at:%Y-%m-%d %H:%M} 由 {alert.acknowledged_by} 确认"
                      f"（{alert.acknowledged_note}）")
    alert.acknowledged_by, alert.acknowledged_at, alert.acknowledged_note = actor, at or now(), note[:2000]
    return alert


@dataclass(frozen=True)
class AlertGroup:
    kind: str
    name: str
    count: int
    latest: tuple[Alert, ...]


def alert_summary(alerts: list[Alert]) -> list[AlertGroup]:
    """Standing alerts counted by kind, with the latest few of each, for dashboards."""
    groups: dict[str, list[Alert]] = {}
    for alert in alerts:
        groups.setdefault(alert.kind, []).append(alert)
    return [AlertGroup(kind, labels.name(labels.ALERT_KINDS, kind), len(items), tuple(items[:3]))
            for kind, items in sorted(groups.items(), key=lambda kv: -len(kv[1]))]


def alert_document(alert: rules.Alert) -> dict[str, Any]:
    return {"kind": alert.kind, "name": labels.name(labels.ALERT_KINDS, alert.kind), "subject": alert.subject,
            "contract": alert.contract, "message": alert.message, "details": alert.details or {}}


def alerts_document(session: Session, as_of: dt.date) -> dict[str, Any]:
    """`hallmon alerts --json`: every J1 alert as of the date (judged now, nothing written)."""
    found, warnings = current_alerts(session, as_of)
    counts: dict[str, int] = {}
    for a in found:
        counts[a.kind] = counts.get(a.kind, 0) + 1
    return {"as_of": as_of.isoformat(), "count": len(found), "by_kind": counts,
            "alerts": [alert_document(a) for a in found], "warnings": warnings}
