"""The replacement notice (更换人员通知书) of an A8 demand: the document served on the contractor — the person,
the reason with its facts, the deadline and the contract clause — and the record of its serving and of the
contractor's acknowledgement."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from hallmon.attendance import services as attendance
from hallmon.attendance.demands import ANNUAL, COMPLAINTS, MONTHLY, NO_SIGNIN, Demand
from hallmon.complaints.models import Complaint
from hallmon.core import labels
from hallmon.core.clock import now, today
from hallmon.core.errors import NotFound, Refused
from hallmon.core.exports import render_html
from hallmon.core.periods import Month, month_key
from hallmon.notify import messages as M
from hallmon.notify.models import ReplacementNotice
from hallmon.notify.outbox import announce
from hallmon.roster.models import Contract, Staff


@dataclass(frozen=True)
class NoticeKey:
    """A demand, named as a waiver names it (A8): (staff_id, reason, raised_on)."""

    staff_id: str
    reason: str
    raised_on: dt.date

    @classmethod
    def parse(cls, staff_id: str | None, reason: str | None, raised_on: str | None) -> NoticeKey:
        try:
            day = dt.date.fromisoformat(raised_on or "")
        except ValueError:
            raise NotFound(f"提出日期无效：{raised_on!r}") from None
        if not staff_id or reason not in labels.REASONS:
            raise NotFound("没有这条更换要求")
        return cls(staff_id, reason, day)

    def subject(self, contract: str) -> str:
        return f"{contract}/{self.staff_id}/{self.reason}/{self.raised_on.isoformat()}"


@dataclass(frozen=True)
class Fact:
    """One fact behind the demand: a late or early session with its date, or a complaint."""

    day: dt.date
    what: str            # 迟到 / 早退 / the complaint's channel
    detail: str          # the session and its minutes / the complaint's id and summary


@dataclass(frozen=True)
class NoticeDocument:
    number: str
    contract: Contract
    demand: Demand
    staff_name: str
    department: str
    window: str | None
    reason_name: str
    basis: str           # the facts in one sentence
    facts: tuple[Fact, ...]
    clause: str          # the contract's terms that give the right, and the consequence
    record: ReplacementNotice | None
    issued_on: dt.date


def demand_of(session: Session, contract: Contract, key: NoticeKey) -> Demand:
    for demand in attendance.demands(session, contract):
        if demand.key == (key.staff_id, key.reason, key.raised_on):
            return demand
    raise NotFound(f"合同 {contract.code} 没有这条更换要求：工号 {key.staff_id}，"
                   f"原因 {labels.name(labels.REASONS, key.reason)}，提出日期 {key.raised_on}")


def record_of(session: Session, contract: Contract, key: NoticeKey) -> ReplacementNotice | None:
    return session.scalar(select(ReplacementNotice).where(
        ReplacementNotice.contract_id == contract.id, ReplacementNotice.staff_id == key.staff_id,
        ReplacementNotice.reason == key.reason, ReplacementNotice.raised_on == key.raised_on))


def notices_of(session: Session, contract: Contract) -> dict[tuple[str, str, dt.date], ReplacementNotice]:
    """The contract's served notices by demand key, for the demands lists."""
    return {(n.staff_id, n.reason, n.raised_on): n for n in session.scalars(
        select(ReplacementNotice).where(ReplacementNotice.contract_id == contract.id))}


def _late_early(session: Session, contract: Contract, staff_id: str, months: list[str]) -> list[Fact]:
    """A5 lates and early leaves of the person in these months, by date, from the stored punches (the same A1–A5
    computation as the person's page)."""
    out = []
    for month in months:
        detail = attendance.person_month(session, contract, Month(month), staff_id)
        for day in detail["days"]:
            for s in day["sessions"]:
                if s["late"]:
                    out.append(Fact(day["date"], labels.OUTCOMES["late"],
                                    f"{s['session']} 上班打卡 {s['in']}，迟到 {s['late_minutes']} 分钟"))
                if s["early"]:
                    out.append(Fact(day["date"], labels.OUTCOMES["early"],
                                    f"{s['session']} 下班打卡 {s['out']}，早退 {s['early_minutes']} 分钟"))
    return out


def _complaints(session: Session, contract: Contract, staff_id: str, until: dt.date) -> list[Fact]:
    """A8 complaints: the person's substantiated personnel complaints of the year up to the one that reached the
    limit, each dated resolved_on, else received_on, inside the contract."""
    rows = session.scalars(select(Complaint).where(Complaint.staff_id == staff_id, Complaint.substantiated.is_(True),
                                                   Complaint.category == "personnel")).all()
    out = []
    for c in rows:
        day = c.resolved_on or c.received_on
        if day.year == until.year and day <= until and contract.start <= day <= contract.end:
            out.append(Fact(day, labels.name(labels.CHANNELS, c.channel),
                            f"{c.complaint_id}{'：' + c.summary if c.summary else ''}"))
    return sorted(out, key=lambda f: (f.day, f.detail))


def notice_document(session: Session, contract: Contract, key: NoticeKey, issued_on: dt.date | None = None
                    ) -> NoticeDocument:
    """A8: the notice of one demand with its facts, the deadline, and the clause of the contract."""
    demand = demand_of(session, contract, key)
    terms = contract.terms()
    person = session.scalar(select(Staff).where(Staff.staff_id == key.staff_id, Staff.contract_id == contract.id))
    if person is None:
        raise NotFound(f"合同 {contract.code} 没有工号 {key.staff_id}")
    trigger = key.raised_on - dt.timedelta(days=1)          # A8: raised the day after the month (or complaint)
    month = month_key(trigger)
    limits = terms.attendance
    if key.reason == MONTHLY:
        facts = _late_early(session, contract, key.staff_id, [month])
        basis = f"{month} 迟到早退共 {len(facts)} 次，达到合同约定的每月 {limits.monthly_late_early_limit} 次"
        clause = f"服务人员当月迟到、早退累计达 {limits.monthly_late_early_limit} 次的"
    elif key.reason == ANNUAL:
        months = [m for m in terms.months() if m[:4] == month[:4] and m <= month]
        facts = _late_early(session, contract, key.staff_id, months)
        basis = (f"{month[:4]} 年截至 {month} 迟到早退累计 {len(facts)} 次，"
                 f"达到合同约定的全年 {limits.annual_late_early_limit} 次")
        clause = f"服务人员一年内迟到、早退累计达 {limits.annual_late_early_limit} 次的"
    elif key.reason == NO_SIGNIN:
        summary = attendance.person_month(session, contract, Month(month), key.staff_id)["summary"]
        days = summary.scheduled_days if summary else 0
        facts = ()
        basis = f"{month} 排班 {days} 天，全月没有任何打卡记录，且未全部请假（整月未签到）"
        clause = "服务人员整月未签到（有排班而全月无打卡，且未全部请假）的"
    else:   # COMPLAINTS
        facts = _complaints(session, contract, key.staff_id, trigger)
        basis = (f"{trigger.year} 年属实的人员类投诉共 {len(facts)} 件，"
                 f"达到合同约定的每年 {terms.complaints.personnel_limit_per_year} 件")
        clause = f"服务人员一年内被投诉并经查属实达 {terms.complaints.personnel_limit_per_year} 次的"
    fine = terms.billing.unenforced_fine
    clause = (f"依据合同《{contract.name}》（{contract.code}）的考勤与人员管理条款：{clause}，采购人有权要求服务单位"
              f"更换该人员（解除其在本项目的用工），服务单位应自要求提出之日起 {limits.enforcement_days} 日内完成更换。"
              f"期限届满后该人员仍在本项目打卡上岗的，视为未按约定更换人员，每人每月扣减服务费 {fine} 元。")
    number = f"{contract.code}-{key.raised_on:%Y%m%d}-{key.staff_id}-{REASON_MARK[key.reason]}"
    record = record_of(session, contract, key)
    issued = issued_on or (record.served_on if record else today())   # the date it was served, once it was
    return NoticeDocument(number, contract, demand, person.name, person.department.name,
                          person.window.code if person.window else None, labels.name(labels.REASONS, key.reason),
                          basis, tuple(facts), clause, record, issued)


REASON_MARK = {MONTHLY: "M", ANNUAL: "Y", NO_SIGNIN: "N", COMPLAINTS: "C"}


def serve_notice(session: Session, contract: Contract, key: NoticeKey, served_on: dt.date, how: str, note: str,
                 actor: str) -> ReplacementNotice:
    """The manager records that the notice was served on the contractor (date, how); the contractor's users are
    told in the same transaction."""
    demand = demand_of(session, contract, key)
    if demand.waived:
        raise Refused("该更换要求已豁免，无需送达通知书")
    if how not in labels.SERVED_HOW:
        raise Refused(f"未知的送达方式 {how!r}（可用：{'、'.join(labels.SERVED_HOW.values())}）")
    if served_on < key.raised_on:
        raise Refused(f"送达日期 {served_on} 早于要求提出日期 {key.raised_on}")
    if served_on > today():
        raise Refused(f"送达日期 {served_on} 晚于今天")
    previous = record_of(session, contract, key)
    if previous is not None:
        raise Refused(f"该通知书已于 {previous.served_on} 送达（{labels.name(labels.SERVED_HOW, previous.served_how)}，"
                      f"{previous.served_by} 登记）")
    row = ReplacementNotice(contract_id=contract.id, staff_id=key.staff_id, reason=key.reason,
                            raised_on=key.raised_on, served_on=served_on, served_how=how,
                            served_note=(note or "").strip()[:2000] or None, served_by=actor,
                            served_recorded_at=now())
    session.add(row)
    session.flush()
    name = session.scalar(select(Staff.name).where(Staff.staff_id == key.staff_id)) or ""
    text = (f"{key.staff_id} {name} 的更换人员通知书（{labels.name(labels.REASONS, key.reason)}）已于 {served_on} "
            f"{labels.SERVED_HOW[how]}，请在 {demand.deadline} 前完成更换，并登录系统确认收到")
    announce(session, "notice_served", key.subject(contract.code), served_on, contract,
             M.announcement("notice_served", contract.code, text,
                            M.notice_link(contract.code, key.staff_id, key.reason, key.raised_on)))
    return row


def acknowledge_notice(session: Session, contract: Contract, key: NoticeKey, actor: str) -> ReplacementNotice:
    """The contractor acknowledges a served notice in the app (who, when)."""
    row = session.scalar(select(ReplacementNotice).where(
        ReplacementNotice.contract_id == contract.id, ReplacementNotice.staff_id == key.staff_id,
        ReplacementNotice.reason == key.reason, ReplacementNotice.raised_on == key.raised_on).with_for_update())
    if row is None:
        raise Refused("该通知书尚未登记送达，不能确认收到")
    if row.acknowledged_at is not None:
        raise Refused(f"该通知书已于 {row.acknowledged_at:%Y-%m-%d %H:%M} 由 {row.acknowledged_by} 确认收到")
    row.acknowledged_by, row.acknowledged_at = actor, now()
    return row


def notice_html(document: NoticeDocument, toolbar: str | None = None) -> str:
    """The notice as printable HTML (the browser prints it, or saves it as PDF); `toolbar` is the page's own
    controls (served, acknowledge), shown on screen and never printed."""
    return render_html("notify/notice_print.html", doc=document, toolbar=toolbar,
                       served_how=labels.SERVED_HOW)
