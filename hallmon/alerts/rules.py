"""J1 alert conditions and the spending plan, pure: each function takes plain facts and returns alerts."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from hallmon.attendance.demands import Demand
from hallmon.core import labels
from hallmon.core.calendar import WorkCalendar
from hallmon.core.jsonout import money
from hallmon.core.periods import month_bounds

NOTICE_OVERDUE = "notice_overdue"
COMPLAINT_OVERDUE = "complaint_overdue"
COMPLAINT_DUE_SOON = "complaint_due_soon"
SETTLEMENT_UNVERIFIED = "settlement_unverified"
DEMAND_UNENFORCED = "demand_unenforced"
SPENDING_BEHIND = "spending_behind"

MIDYEAR = "reminder_midyear"
SELF_EVALUATION = "reminder_self_evaluation"

# J1: share of the fee to be paid by the end of these months of each contract year (the Chengde county report: 25/50/75/100 %)
SPENDING_PLAN = ((3, Decimal("0.25")), (6, Decimal("0.50")), (10, Decimal("0.75")), (12, Decimal("1.00")))
DUE_SOON_WORKDAYS = 2
VERIFY_WITHIN_WORKDAYS = 5


@dataclass(frozen=True)
class Alert:
    """J4: an alert is keyed by (kind, subject)."""

    kind: str
    subject: str
    contract: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, self.subject


@dataclass(frozen=True)
class NoticeFact:
    contract: str
    month: str
    status: str        # S5 status as of T
    deadline: dt.date
    notified_on: dt.date | None = None


def notice_alerts(notices: Iterable[NoticeFact]) -> list[Alert]:
    """J1: an assessment notice is overdue (S5) when, as of T, it is missing past its deadline or was sent late.

    One alert per month, whichever of the two: a missing notice that is then sent late keeps its alert
    (the Xinyang report: notices two to five months late are the finding, not only the ones never sent).
    """
    out = []
    for n in notices:
        details = {"month": n.month, "deadline": n.deadline.isoformat(), "status": n.status}
        if n.status == "missing":
            message = f"{n.contract} {n.month} 的考核通报已超过期限 {n.deadline} 仍未发出"
        elif n.status == "late" and n.notified_on is not None:
            days = (n.notified_on - n.deadline).days
            message = f"{n.contract} {n.month} 的考核通报于 {n.notified_on} 发出，晚于期限 {n.deadline}（逾期 {days} 天）"
            details |= {"notified_on": n.notified_on.isoformat(), "days_late": days}
        else:
            continue
        out.append(Alert(NOTICE_OVERDUE, f"{n.contract}/{n.month}", n.contract, message, details))
    return out


@dataclass(frozen=True)
class ComplaintFact:
    contract: str
    complaint_id: str
    channel: str
    status: str        # C2 as of T
    due: dt.date


def complaint_alerts(complaints: Iterable[ComplaintFact], as_of: dt.date, calendar: WorkCalendar) -> list[Alert]:
    """J1: complaints overdue (C2), or open and due within two working days of T."""
    soon = calendar.add_working_days(as_of, DUE_SOON_WORKDAYS)
    out = []
    for c in complaints:
        if c.status == "overdue":
            out.append(Alert(COMPLAINT_OVERDUE, c.complaint_id, c.contract,
                             f"投诉 {c.complaint_id} 已超过办理期限 {c.due}", {"due": c.due.isoformat(), "channel": c.channel}))
        elif c.status == "open" and c.due <= soon:
            out.append(Alert(COMPLAINT_DUE_SOON, c.complaint_id, c.contract,
                             f"投诉 {c.complaint_id} 将于 {c.due} 到期", {"due": c.due.isoformat(), "channel": c.channel}))
    return out


@dataclass(frozen=True)
class SubmittedFact:
    contract: str
    period: str
    submitted_on: dt.date


def settlement_alerts(submitted: Iterable[SubmittedFact], as_of: dt.date, calendar: WorkCalendar) -> list[Alert]:
    """J1: a settlement submitted and not verified within five working days."""
    out = []
    for s in submitted:
        limit = calendar.add_working_days(s.submitted_on, VERIFY_WITHIN_WORKDAYS)
        if as_of > limit:
            out.append(Alert(SETTLEMENT_UNVERIFIED, f"{s.contract}/{s.period}", s.contract,
                             f"{s.contract} {s.period} 结算单于 {s.submitted_on} 提交，超过 5 个工作日（{limit}）仍未核验",
                             {"period": s.period, "submitted_on": s.submitted_on.isoformat(), "limit": limit.isoformat()}))
    return out


def demand_alerts(contract: str, demands: Iterable[Demand]) -> list[Alert]:
    """J1: replacement demands left unenforced (A9)."""
    return [Alert(DEMAND_UNENFORCED, f"{contract}/{d.staff_id}/{d.reason}/{d.raised_on.isoformat()}", contract,
                  f"{d.staff_id} 的更换要求（{labels.name(labels.REASONS, d.reason)}，{d.raised_on} 提出，"
                  f"期限 {d.deadline}）未执行",
                  {"staff_id": d.staff_id, "reason": d.reason, "raised_on": d.raised_on.isoformat(),
                   "deadline": d.deadline.isoformat(), "unenforced_months": list(d.unenforced_months)})
            for d in demands if d.unenforced and not d.waived]


def reminder_alerts(contract: str, start: dt.date, end: dt.date, as_of: dt.date) -> list[Alert]:
    """J3: the mid-year monitoring reminder from 1 July (for that July) and the self-evaluation reminder from
    5 January (for that January) of every year the contract runs in, or ran in the year before."""
    out = []
    if as_of.month == 7 and start.year <= as_of.year <= end.year:
        out.append(Alert(MIDYEAR, f"{contract}/{as_of.year}", contract,
                         f"{contract} {as_of.year} 年事中绩效监控：请在 7 月内完成并报财政部门", {"year": as_of.year}))
    year = as_of.year - 1
    if as_of.month == 1 and as_of.day >= 5 and start.year <= year <= end.year:
        out.append(Alert(SELF_EVALUATION, f"{contract}/{year}", contract,
                         f"{contract} {year} 年度绩效自评：请生成自评表、填写偏差原因并报送", {"year": year}))
    return out


@dataclass(frozen=True)
class Checkpoint:
    """J1: by the end of `month`, `share` of the contract year's fee (plus every earlier year's) should be paid."""

    month: str
    end: dt.date
    target: Decimal
    share: Decimal


def spending_checkpoints(month_bases: dict[str, Decimal]) -> list[Checkpoint]:
    """J1 spending plan: 25 % after March, 50 % after June, 75 % after October, 100 % after December of each
    contract year, counted from the contract's start. A year's fee is the sum of its month bases (B2);
    targets are cumulative over earlier years; a short last year is due in full at its last month."""
    months = sorted(month_bases)
    out: list[Checkpoint] = []
    paid_before = Decimal(0)
    for first in range(0, len(months), 12):
        year = months[first:first + 12]
        fee = sum((month_bases[m] for m in year), Decimal(0))
        plan = [(offset, share) for offset, share in SPENDING_PLAN if offset < len(year)] + [(len(year), Decimal(1))]
        for offset, share in plan:
            month = year[offset - 1]
            out.append(Checkpoint(month, month_bounds(month)[1], (paid_before + fee * share).quantize(Decimal("0.01")), share))
        paid_before += fee
    return out


def spending_alert(contract: str, checkpoints: list[Checkpoint], paid: Decimal, total_fee: Decimal,
                   as_of: dt.date) -> Alert | None:
    """J1: payments behind the spending plan at the latest checkpoint passed by T."""
    passed = [c for c in checkpoints if c.end < as_of]
    if not passed:
        return None
    latest = passed[-1]
    if paid >= latest.target:
        return None
    return Alert(SPENDING_BEHIND, f"{contract}/{latest.month}", contract,
                 f"{contract} 截至 {latest.end} 应支付 {money(latest.target)} 元，实际支付 {money(paid)} 元",
                 {"checkpoint": latest.month, "target": money(latest.target), "paid": money(paid),
                  "paid_share": float((paid / total_fee).quantize(Decimal("0.0001"))) if total_fee else None})


@dataclass(frozen=True)
class Sync:
    """J4: what refreshing the stored alerts does: raise the new, keep the standing, clear the gone."""

    raise_: list[Alert]
    keep: list[Alert]
    clear: list[tuple[str, str]]


def synchronise(active: Iterable[tuple[str, str]], current: Iterable[Alert]) -> Sync:
    """J4: an alert is raised once while its condition holds and cleared when it no longer does."""
    active = set(active)
    current = {a.key: a for a in current}
    return Sync(
        raise_=[a for key, a in sorted(current.items()) if key not in active],
        keep=[a for key, a in sorted(current.items()) if key in active],
        clear=sorted(active - current.keys()),
    )
