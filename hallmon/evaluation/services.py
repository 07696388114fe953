"""The self-evaluation of a contract year: facts gathered from every domain, indicators scored, reasons kept."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hallmon.assessment.services import year_scores
from hallmon.attendance.services import demand_warnings, demands, month_totals
from hallmon.billing.services import paid_total
from hallmon.billing.settlement import month_bases
from hallmon.complaints.services import complaint_list, complaint_statistics
from hallmon.core.calendar import WorkCalendar, warnings_for_months
from hallmon.core.clock import now, today
from hallmon.core.errors import Refused
from hallmon.core.exports import workbook
from hallmon.core.periods import month_bounds
from hallmon.evaluation import rules
from hallmon.evaluation.models import DeviationNote
from hallmon.roster.models import Contract

SATISFACTION = "satisfaction"


def _months(contract, year: int) -> list[str]:
    months = [m for m in contract.terms().months() if m.startswith(f"{year}-")]
    if not months:
        raise Refused(f"合同 {contract.code} 在 {year} 年没有服务月份（{contract.start} 至 {contract.end}）")
    return months


def year_facts(session: Session, contract: Contract, year: int, as_of: dt.date) -> tuple[rules.YearFacts, list[str]]:
    terms = contract.terms()
    months = _months(contract, year)
    calendar = WorkCalendar.for_terms(terms)
    staffed = {m: totals.scheduled_days for m, totals in month_totals(session, contract, months).items()}
    warnings = warnings_for_months(months)
    working = sum(calendar.count_working_days(*month_bounds(m)) for m in months)
    scores = year_scores(session, contract, year, as_of)
    assessed = [m for m in scores["months"] if m["assessed"]]
    listed = demands(session, contract, as_of)
    warnings += demand_warnings(contract)
    due = [d for d in listed if d.raised_on.year == year and not d.waived]
    first, last = month_bounds(months[0])[0], month_bounds(months[-1])[1]
    stats, w = complaint_statistics(session, contract, first, last)
    warnings += w
    petitions, _ = complaint_list(session, contract, first, last, "channel:petition")
    bases = month_bases(terms)
    paid = paid_total(session, contract, as_of, months)
    satisfaction = session.scalar(select(DeviationNote.value).where(
        DeviationNote.contract_id == contract.id, DeviationNote.year == year, DeviationNote.indicator == SATISFACTION))
    facts = rules.YearFacts(
        year=year, months=len(months), headcount=terms.headcount, staffed_person_days=sum(staffed.values()),
        working_days=working, assessed_months=len(assessed),
        passing_months=sum(1 for m in assessed if Decimal(str(m["score"])) >= terms.assessment.pass_score),
        notices_on_time=sum(1 for m in assessed if m["notice"]["status"] == "on_time"),
        demands_due=len(due), demands_enforced=sum(1 for d in due if not d.unenforced),
        complaints_resolved=stats.resolved, complaints_on_time=stats.on_time,
        petitions_received=len(petitions), petitions_resolved=sum(1 for p in petitions if "resolved" in p.figures),
        complaints_received=stats.received, complaints_received_prev=stats.received_prev,
        fee=sum((bases[m] for m in months), Decimal(0)), paid=paid, satisfaction=satisfaction,
    )
    return facts, list(dict.fromkeys(warnings + scores["warnings"] + calendar.warnings()))


def evaluation(session: Session, contract: Contract, year: int, as_of: dt.date | None = None) -> dict[str, Any]:
    """The self-evaluation table: every indicator with target, actual, weight, score, basis and the manager's reason."""
    as_of = as_of or today()
    facts, warnings = year_facts(session, contract, year, as_of)
    items = rules.indicators(facts, contract.terms().assessment.pass_score)
    notes = {n.indicator: n for n in session.scalars(select(DeviationNote).where(
        DeviationNote.contract_id == contract.id, DeviationNote.year == year))}
    score = rules.total(items)
    return {
        "contract": contract.code, "name": contract.name, "contractor": contract.contractor, "year": year,
        "as_of": as_of.isoformat(), "score": float(score), "grade": rules.grade(score),
        "satisfaction_given": facts.satisfaction is not None,
        "indicators": [{
            "code": i.code, "level1": i.level1, "level2": i.level2, "name": i.name, "target": i.target,
            "actual": i.actual, "weight": float(i.weight), "score": float(i.score), "met": i.met, "basis": i.basis,
            "reason": notes[i.code].reason if i.code in notes else "",
        } for i in items],
        "warnings": warnings,
    }


def write_note(session: Session, contract: Contract, year: int, indicator: str, reason: str, actor: str,
               value: str | None = None) -> None:
    """The manager's deviation reason for an indicator (or, for `satisfaction`, the survey result in percent)."""
    _months(contract, year)
    known = {i.code for i in rules.indicators(_blank(year), Decimal(90))} | {SATISFACTION}
    if indicator not in known:
        raise Refused(f"未知的指标 {indicator!r}")
    amount = None
    if indicator == SATISFACTION:
        try:
            amount = Decimal(str(value).strip().rstrip("%"))
        except (InvalidOperation, AttributeError):
            raise Refused(f"满意度应为百分数，如 96.94：{value!r}") from None
        if not (0 <= amount <= 100):
            raise Refused(f"满意度应在 0 与 100 之间：{value}")
    note = session.scalar(select(DeviationNote).where(
        DeviationNote.contract_id == contract.id, DeviationNote.year == year, DeviationNote.indicator == indicator))
    if note is None:
        note = DeviationNote(contract_id=contract.id, year=year, indicator=indicator)
        session.add(note)
    note.reason, note.value = reason.strip(), amount
    note.written_by, note.written_at = actor, now()


def _blank(year: int) -> rules.YearFacts:
    return rules.YearFacts(year, 12, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Decimal(0), Decimal(0), Decimal(90))


def evaluation_xlsx(document: dict[str, Any]) -> bytes:
    rows: list[list[Any]] = [["一级指标", "二级指标", "三级指标", "指标值", "完成值", "分值", "得分", "是否达成", "数据依据", "偏差原因"]]
    for i in document["indicators"]:
        rows.append([i["level1"], i["level2"], i["name"], i["target"], i["actual"], i["weight"], i["score"],
                     "是" if i["met"] else "否", i["basis"], i["reason"]])
    rows.append(["合计", "", "", "", "", sum(i["weight"] for i in document["indicators"]), document["score"],
                 document["grade"], "满分按 100 折算" if not document["satisfaction_given"] else "", ""])
    head = [["项目", "内容"], ["合同", f"{document['name']}（{document['contract']}）"], ["服务单位", document["contractor"]],
            ["评价年度", document["year"]], ["评价日期", document["as_of"]], ["自评得分", document["score"]],
            ["评价等级", document["grade"]]]
    return workbook([("绩效自评表", rows), ("基本信息", head)],
                    widths={"绩效自评表": (8, 14, 30, 14, 22, 6, 6, 8, 60, 40), "基本信息": (12, 50)})
