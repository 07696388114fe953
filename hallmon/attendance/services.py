"""Attendance services: storing punches, leave and make-ups; computing and caching monthly summaries."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete
from sqlalchemy.orm import Session

from hallmon.attendance.models import MonthSummary, SummaryState


def invalidate_summaries(session: Session, contract_ids: Iterable[int], months: Iterable[str] | None = None) -> None:
    """Drop stored summaries whose inputs changed; the next read recomputes them (inside the caller's transaction)."""
    contract_ids = list(contract_ids)
    if not contract_ids:
        return
    month_list = None if months is None else sorted(set(months))
    for model in (MonthSummary, SummaryState):
        stmt = delete(model).where(model.contract_id.in_(contract_ids))
        if month_list is not None:
            stmt = stmt.where(model.month.in_(month_list))
        session.execute(stmt)


def roster_frame(session: Session, contract_id: int):
    """The contract's staff as a frame (staff_id, hired_on, left_on, name, department, window)."""
    import pandas as pd
    from sqlalchemy import select

    from hallmon.roster.models import Department, Staff, Window

    rows = session.execute(
        select(Staff.staff_id, Staff.name, Staff.hired_on, Staff.left_on, Department.name, Window.code)
        .join(Department, Staff.department_id == Department.id)
        .outerjoin(Window, Staff.window_id == Window.id)
        .where(Staff.contract_id == contract_id)
        .order_by(Staff.staff_id)
    ).all()
    return pd.DataFrame(rows, columns=["staff_id", "name", "hired_on", "left_on", "department", "window"],
                        dtype=object)


def staffed_person_days(session: Session, contract_code: str, months: Iterable[str]) -> tuple[dict[str, int], list[str]]:
    """A1 summed over the contract's staff, per month (B3 staffing, K3); with the W1 warnings."""
    from hallmon.attendance.rules import scheduled_days
    from hallmon.calendar import WorkCalendar
    from hallmon.roster.services import get_contract

    contract = get_contract(session, contract_code)
    terms = contract.terms()
    calendar = WorkCalendar.for_terms(terms)
    roster = roster_frame(session, contract.id)
    out = {month: len(scheduled_days(roster, terms.start, terms.end, month, calendar)) for month in months}
    return out, calendar.warnings()
