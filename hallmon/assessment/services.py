"""Assessment services: storing rows and notices, the stored catalogue, monthly and yearly scores (S1–S7)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from hallmon.assessment import rules
from hallmon.assessment.catalogue import (
    CatalogueEntry,
    CatalogueError,
    default_text,
    parse_catalogue,
    render_catalogue,
)
from hallmon.assessment.models import AssessmentRow, CatalogueItem, Notice
from hallmon.complaints.models import Complaint
from hallmon.core.calendar import WorkCalendar
from hallmon.core.clock import now, today
from hallmon.core.errors import Refused
from hallmon.core.jsonout import day, number
from hallmon.core.periods import Month
from hallmon.db import keyed_upsert
from hallmon.ingest.service import IngestMeta, Persisted, Touched
from hallmon.ingest.source import Parsed
from hallmon.roster.models import Contract

# ---------------------------------------------------------------- persisting the sources



def _contract_ids(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Contract.code, Contract.id)).all())


_ROW_COLUMNS = ["contract_id", "month", "item_code", "item", "points", "staff_id", "window", "date", "note", "rank",
                "source_file", "loaded_at"]


def persist_assessment(session: Session, parsed: Parsed, meta: IngestMeta) -> Persisted:
    """Rows keyed by row_key (the rules §2 key with the row's rank in its file), inserted in file order: their ids
    are the ingest order S1 numbers by; a row whose key is stored adds nothing."""
    frame = parsed.frame
    if frame.empty:
        return Persisted()
    contract_ids = _contract_ids(session)
    rows = [{
        "row_key": r["row_key"], "contract_id": contract_ids[r["contract"]], "month": r["month"],
        "item_code": r["item_code"], "item": r["item"], "points": r["points"], "staff_id": r["staff_id"],
        "window": r["window"], "date": r["date"], "note": r["note"], "rank": int(r["rank"]),
        "source_file": meta.file[-500:], "loaded_at": meta.at,
    } for r in frame.to_dict("records")]
    done = keyed_upsert(session, AssessmentRow.__table__, rows, ["row_key"], also=_ROW_COLUMNS)
    touched = Touched(alerts={r["contract_id"] for r in rows}) if done.inserted else Touched()
    return Persisted(done.inserted, done.updated, done.unchanged, touched)


def persist_notices(session: Session, parsed: Parsed, meta: IngestMeta) -> Persisted:
    """Key (contract, month): a later file replaces the stored notice date."""
    frame = parsed.frame
    if frame.empty:
        return Persisted()
    contract_ids = _contract_ids(session)
    rows = [{"contract_id": contract_ids[r["contract"]], "month": r["month"], "notified_on": r["notified_on"]}
            for r in frame.to_dict("records")]
    done = keyed_upsert(session, Notice.__table__, rows, ["contract_id", "month"], ["notified_on"])
    touched = Touched(alerts={r["contract_id"] for r in rows}) if done.inserted or done.updated else Touched()
    return Persisted(done.inserted, done.updated, done.unchanged, touched)


PERSIST = {"assessment": persist_assessment, "notices": persist_notices}

# ---------------------------------------------------------------- the catalogue


def catalogue_names(session: Session) -> dict[str, str] | None:
    """The stored catalogue as code → name; None when the database has none (then every code is accepted)."""
    found = dict(session.execute(select(CatalogueItem.code, CatalogueItem.name)).all())
    return found or None


def stored_catalogue(session: Session) -> list[CatalogueEntry]:
    return [CatalogueEntry(i.code, i.name, i.kind, i.points, i.description)
            for i in session.scalars(select(CatalogueItem).order_by(CatalogueItem.position))]


@dataclass(frozen=True)
class CatalogueLoad:
    items: int
    replaced: int
    warnings: list[str] = field(default_factory=list)

    def sentence(self) -> str:
        text = f"考核项目目录已载入：{self.items} 个项目"
        if self.replaced:
            text += f"（替换了原有的 {self.replaced} 个项目）"
        return text + "；此后导入考核明细只接受目录中的项目代码"


def load_catalogue_text(session: Session, text: str, source_name: str | None = None,
                        actor: str | None = None) -> CatalogueLoad:
    """Validate a catalogue file and store it in place of the database's catalogue (rows already stored stay)."""
    try:
        entries = parse_catalogue(text)
    except CatalogueError as exc:
        name = source_name or "目录文件"
        raise Refused(f"{name} 不是有效的考核项目目录", [f"{name}: {m}" for m in exc.messages]) from None
    replaced = session.scalar(select(func.count()).select_from(CatalogueItem)) or 0
    session.execute(delete(CatalogueItem))
    session.execute(insert(CatalogueItem), [{
        "code": e.code, "name": e.name, "kind": e.kind, "points": e.points, "description": e.description,
        "position": n, "source_name": (source_name or "")[-500:] or None, "loaded_by": actor, "loaded_at": now(),
    } for n, e in enumerate(entries, start=1)])
    codes = {e.code for e in entries}
    stored = sorted(set(session.scalars(select(AssessmentRow.item_code).distinct())) - codes)
    warnings = []
    if stored:
        warnings.append(f"已存储的考核明细中有 {len(stored)} 个项目代码不在新目录中（照常计分）：{'、'.join(stored[:20])}"
                        + ("……" if len(stored) > 20 else ""))
    return CatalogueLoad(len(entries), replaced, warnings)


def clear_catalogue(session: Session) -> int:
    """Remove the stored catalogue: assessment ingest accepts every item code again."""
    return session.execute(delete(CatalogueItem)).rowcount or 0


def catalogue_document(session: Session) -> dict[str, Any]:
    entries = stored_catalogue(session)
    return {"stored": bool(entries), "items": [e.as_dict() for e in entries], "warnings": []}


def export_catalogue_text(session: Session) -> tuple[str, bool]:
    """The stored catalogue as an editable TOML file, or the default one when none is stored; (text, stored)."""
    entries = stored_catalogue(session)
    if entries:
        return render_catalogue(entries), True
    return default_text(), False


# ---------------------------------------------------------------- scores


@dataclass(frozen=True)
class MonthScore:
    """S2, S4: one month's score; None when the month is not assessed."""

    month: str
    assessed: bool
    score: Decimal | None


def _item_rows(session: Session, contract_id: int, years: set[int]) -> list[rules.ItemRow]:
    """The contract's assessment-file rows of the given calendar years (S1 numbers within the year)."""
    if not years:
        return []
    first, last = dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
    stmt = (select(AssessmentRow.id, AssessmentRow.month, AssessmentRow.date, AssessmentRow.item_code,
                   AssessmentRow.points, AssessmentRow.item, AssessmentRow.staff_id, AssessmentRow.window,
                   AssessmentRow.note)
            .where(AssessmentRow.contract_id == contract_id,
                   AssessmentRow.month >= f"{first.year:04d}-01", AssessmentRow.month <= f"{last.year:04d}-12")
            .order_by(AssessmentRow.id))
    return [rules.ItemRow(month, date, code, points, rid, item, staff, window, note)
            for rid, month, date, code, points, item, staff, window, note in session.execute(stmt)
            if int(month[:4]) in years]


def _notices(session: Session, contract_id: int, months: list[str]) -> dict[str, dt.date]:
    if not months:
        return {}
    stmt = select(Notice.month, Notice.notified_on).where(Notice.contract_id == contract_id, Notice.month.in_(months))
    return dict(session.execute(stmt).all())


def personnel_complaints(session: Session, contract_id: int) -> list[rules.ComplaintFact]:
    """S3: the contract's substantiated personnel complaints."""
    stmt = select(Complaint.complaint_id, Complaint.received_on, Complaint.resolved_on).where(
        Complaint.contract_id == contract_id, Complaint.substantiated.is_(True),
        Complaint.category == rules.PERSONNEL)
    return [rules.ComplaintFact(received, resolved, True, rules.PERSONNEL, cid)
            for cid, received, resolved in session.execute(stmt)]


def assess(session: Session, contract: Contract, months: list[str]) -> dict[str, rules.MonthAssessment]:
    """S1–S4 for months of one contract; months outside the contract are never scored."""
    terms = contract.terms()
    contract_months = set(terms.months())
    scored = [m for m in months if m in contract_months]
    years = {int(m[:4]) for m in scored}
    results = rules.assess_months(scored, _item_rows(session, contract.id, years),
                                  personnel_complaints(session, contract.id), _notices(session, contract.id, scored),
                                  terms.assessment)
    for month in months:
        results.setdefault(month, rules.MonthAssessment(month, False, None))
    return results


def month_scores(session: Session, contract: Contract, months: list[str]) -> dict[str, MonthScore]:
    """S2, S4 for billing (B3): each month's score, None when not assessed (or outside the contract)."""
    results = assess(session, contract, list(months))
    return {m: MonthScore(m, results[m].assessed, results[m].score) for m in months}


def year_scores(session: Session, contract: Contract, year: int, as_of: dt.date | None = None) -> dict[str, Any]:
    """S1–S7 for the contract's months of calendar year `year`, notice statuses as of a date: the rules §12 document."""
    terms = contract.terms()
    as_of = as_of or today()
    months = rules.year_months(terms.months(), year)
    results = assess(session, contract, months)
    notices = _notices(session, contract.id, months)
    calendar = WorkCalendar.for_terms(terms)
    out_months = []
    for month in months:
        result = results[month]
        deadline = rules.notice_deadline(month, calendar, terms.assessment)
        notified_on, status = rules.notice_status(notices.get(month), deadline, as_of)
        out_months.append({
            "month": month,
            "assessed": result.assessed,
            "score": number(result.score),
            "grade": rules.grade(result.score),
            "notice": {"notified_on": day(notified_on), "deadline": day(deadline), "status": status},
        })
    total = rules.year_score(rules.assessed_scores(results))
    return {
        "contract": contract.code,
        "year": year,
        "months": out_months,
        "year_score": number(total),
        "grade": rules.grade(total),
        "warnings": calendar.warnings(),
    }


@dataclass(frozen=True)
class NoticeStatus:
    """S5 for one contract month as of a date; notified_on is None while the notice is not yet sent."""

    month: str
    notified_on: dt.date | None
    deadline: dt.date
    status: str


def notice_statuses(session: Session, contract: Contract, as_of: dt.date) -> tuple[list[NoticeStatus], list[str]]:
    """S5 for every month of the contract as of a date (J1 raises an alert for each `missing` one); W1 warnings."""
    terms = contract.terms()
    months = terms.months()
    notices = _notices(session, contract.id, months)
    calendar = WorkCalendar.for_terms(terms)
    out = []
    for month in months:
        deadline = rules.notice_deadline(month, calendar, terms.assessment)
        notified_on, status = rules.notice_status(notices.get(month), deadline, as_of)
        out.append(NoticeStatus(month, notified_on, deadline, status))
    return out, calendar.warnings()


def month_detail(session: Session, contract: Contract, month: Month) -> dict[str, Any]:
    """One month's rows with what each counted for (S1 numbers and escalation, S3 rows), for people to check."""
    result = assess(session, contract, [month])[month]
    return {
        "contract": contract.code,
        "month": month,
        "assessed": result.assessed,
        "score": number(result.score),
        "grade": rules.grade(result.score),
        "rows": [{
            "date": day(c.row.date), "item_code": c.row.item_code, "item": c.row.item, "points": number(c.row.points),
            "occurrence": c.occurrence, "counted": number(c.counted), "staff_id": c.row.staff_id,
            "window": c.row.window, "note": c.row.note,
        } for c in result.rows],
        "complaint_rows": [number(p) for p in result.complaint_rows] if result.assessed else [],
        "deductions": number(result.deductions),
        "bonuses": number(result.bonuses),
        "bonus_counted": number(result.bonus_counted),
        "warnings": [],
    }
