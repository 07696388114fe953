"""Caseload services: storing counts (a later file replaces the count of a key) and K1–K4 statistics."""
from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from hallmon.attendance.services import month_totals
from hallmon.caseload import rules
from hallmon.caseload.models import CaseloadRow
from hallmon.caseload.rules import CaseloadStats
from hallmon.core.calendar import WorkCalendar, warnings_for_months
from hallmon.core.errors import Refused
from hallmon.core.periods import month_bounds
from hallmon.db import keyed_upsert
from hallmon.ingest.service import IngestMeta, Persisted
from hallmon.ingest.source import Parsed
from hallmon.roster.models import Contract


def row_key(contract: str, day: dt.date, department: str, window: str | None, staff_id: str | None,
            business: str) -> str:
    """The rules §2 key (contract, date, department, window, staff_id, business) as one hashed column."""
    parts = [contract, day.isoformat(), department, window or "", staff_id or "", business]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def persist_caseload(session: Session, parsed: Parsed, meta: IngestMeta) -> Persisted:
    """Key (contract, date, department, window, staff_id, business), hashed into row_key: a later file replaces
    the count of a known key."""
    frame = parsed.frame
    if frame.empty:
        return Persisted()
    contract_ids = dict(session.execute(select(Contract.code, Contract.id)).all())
    rows = [{"row_key": row_key(contract, day, department, window, staff_id, business),
             "contract_id": contract_ids[contract], "date": day, "department": department, "window": window,
             "staff_id": staff_id, "business": business, "count": int(count)}
            for contract, day, department, window, staff_id, business, count in zip(
                frame["contract"], frame["date"], frame["department"], frame["window"], frame["staff_id"],
                frame["business"], frame["count"], strict=True)]
    done = keyed_upsert(session, CaseloadRow.__table__, rows, ["row_key"], ["count"],
                        also=["contract_id", "date", "department", "window", "staff_id", "business"])
    return Persisted(done.inserted, done.updated, done.unchanged)


# ---------------------------------------------------------------- reading


def caseload_frame(session: Session, contract_id: int, first: dt.date, last: dt.date) -> pd.DataFrame:
    """The contract's caseload rows dated in [first, last], as a rules frame."""
    result = session.execute(
        select(CaseloadRow.date, CaseloadRow.department, CaseloadRow.window, CaseloadRow.staff_id,
               CaseloadRow.business, CaseloadRow.count)
        .where(CaseloadRow.contract_id == contract_id, CaseloadRow.date >= first, CaseloadRow.date <= last)
    ).all()
    if not result:
        return rules.empty_frame()
    return pd.DataFrame(result, columns=list(rules.COLUMNS), dtype=object)


def year_months(contract: Contract, year: int) -> list[str]:
    """K: the contract's months in calendar year `year`; a year the contract does not reach is refused."""
    terms = contract.terms()
    months = rules.months_of_year(terms.months(), year)
    if not months:
        raise Refused(f"合同 {contract.code}（{terms.start.isoformat()} 至 {terms.end.isoformat()}）在 {year} 年没有月份")
    return months


def caseload_statistics(session: Session, contract: Contract, year: int) -> tuple[CaseloadStats, list[str]]:
    """K1–K4 for the contract's months of `year`, with the W1 warnings of every calendar consulted."""
    terms = contract.terms()
    months = year_months(contract, year)
    first, last = month_bounds(months[0])[0], month_bounds(months[-1])[1]
    frame = caseload_frame(session, contract.id, first, last)
    calendar = WorkCalendar.for_terms(terms)
    working_days = [d for m in months for d in calendar.working_days(*month_bounds(m))]
    staffed = {m: totals.scheduled_days for m, totals in month_totals(session, contract, months).items()}
    staffed_warnings = warnings_for_months(months)
    stats = rules.caseload_statistics(contract.code, year, frame, months, working_days,
                                      terms.caseload.daily_target, staffed)
    warnings = calendar.warnings()
    warnings += [w for w in staffed_warnings if w not in warnings]
    return stats, warnings


def statistics_document(session: Session, contract: Contract, year: int) -> dict:
    """The JSON document of `hallmon caseload stats` (rules §12)."""
    stats, warnings = caseload_statistics(session, contract, year)
    return stats.document(warnings)


def staff_totals(session: Session, contract: Contract, year: int) -> dict[str, int]:
    """K1: cases per staff member over the contract's months of `year` (rows naming no one are left out)."""
    months = year_months(contract, year)
    frame = caseload_frame(session, contract.id, month_bounds(months[0])[0], month_bounds(months[-1])[1])
    return rules.totals_by(rules.rows_in_months(frame, months), rules.STAFF_ID)


def daily_totals(session: Session, contract: Contract, year: int) -> dict[dt.date, int]:
    """K1: the contract's total per day over its months of `year` (days without rows are absent)."""
    months = year_months(contract, year)
    frame = caseload_frame(session, contract.id, month_bounds(months[0])[0], month_bounds(months[-1])[1])
    return rules.totals_by_day(rules.rows_in_months(frame, months))


PERSIST = {"caseload": persist_caseload}
