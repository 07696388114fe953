"""Assessment rows (their id is the ingest order S1 numbers by) and monthly notices."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hallmon.db import Base, DecimalType


class AssessmentRow(Base):
    """One itemised deduction or bonus; `row_key` hashes the rules §2 key including the row's rank in its file."""

    __tablename__ = "assessment_row"
    # a contract's rows of a year's months (S1 numbers a year; migration 0006)
    __table_args__ = (Index("ix_assessment_row_contract_month", "contract_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    month: Mapped[str] = mapped_column(String(7))
    item_code: Mapped[str] = mapped_column(String(50))
    item: Mapped[str] = mapped_column(String(200))
    points: Mapped[Decimal] = mapped_column(DecimalType(12, 4))
    staff_id: Mapped[str | None] = mapped_column(String(64))
    window: Mapped[str | None] = mapped_column(String(100))
    date: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    rank: Mapped[int] = mapped_column(Integer)
    row_key: Mapped[str] = mapped_column(String(64), unique=True)
    source_file: Mapped[str | None] = mapped_column(String(500))
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Notice(Base):
    """S5: the date a month's assessment was notified; a later file replaces it."""

    __tablename__ = "notice"
    __table_args__ = (UniqueConstraint("contract_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"))
    month: Mapped[str] = mapped_column(String(7))
    notified_on: Mapped[dt.date] = mapped_column(Date)


class CatalogueItem(Base):
    """One item of the centre's assessment catalogue; a database without items accepts every item code."""

    __tablename__ = "assessment_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    points: Mapped[Decimal] = mapped_column(DecimalType(12, 4))
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    source_name: Mapped[str | None] = mapped_column(String(500))
    loaded_by: Mapped[str | None] = mapped_column(String(100))
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime)
