"""Complaints, keyed by complaint_id; a later file replaces the row because its status moves."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hallmon.db import Base


class Complaint(Base):
    __tablename__ = "complaint"
    # a contract's complaints received in a window (C3; migration 0006)
    __table_args__ = (Index("ix_complaint_contract_received", "contract_id", "received_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[str] = mapped_column(String(100), unique=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str | None] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(10))
    received_on: Mapped[dt.date] = mapped_column(Date, index=True)
    accepted_on: Mapped[dt.date | None] = mapped_column(Date)
    extended: Mapped[bool] = mapped_column(Boolean)
    substantiated: Mapped[bool] = mapped_column(Boolean)
    staff_id: Mapped[str | None] = mapped_column(String(64), index=True)
    resolved_on: Mapped[dt.date | None] = mapped_column(Date)
    summary: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
