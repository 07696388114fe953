"""Caseload counts; key (contract, date, department, window, staff_id, business), a later file replaces the count."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hallmon.db import Base


class CaseloadRow(Base):
    __tablename__ = "caseload_row"
    __table_args__ = (Index("ix_caseload_row_contract_date", "contract_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    department: Mapped[str] = mapped_column(String(100))
    window: Mapped[str | None] = mapped_column(String(100))
    staff_id: Mapped[str | None] = mapped_column(String(64))
    business: Mapped[str] = mapped_column(String(100))
    count: Mapped[int] = mapped_column(BigInteger)
    row_key: Mapped[str] = mapped_column(String(64), unique=True)
