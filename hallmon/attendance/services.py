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
