"""Settlements through the gate, their transitions (G3), objections and the archive chain (G2)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hallmon.db import Base, Money


class Settlement(Base):
    """One billing period of one contract once the gate has been touched; absent means draft."""

    __tablename__ = "settlement"
    __table_args__ = (UniqueConstraint("contract_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(7))
    state: Mapped[str] = mapped_column(String(20))
    snapshot: Mapped[dict | None] = mapped_column(JSON)
    report_name: Mapped[str | None] = mapped_column(String(300))
    report_sha256: Mapped[str | None] = mapped_column(String(64))
    report: Mapped[bytes | None] = mapped_column(LargeBinary)
    submitted_by: Mapped[str | None] = mapped_column(String(100))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    verified_by: Mapped[str | None] = mapped_column(String(100))
    verified_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    approved_by: Mapped[str | None] = mapped_column(String(100))
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    suspended_reason: Mapped[str | None] = mapped_column(Text)
    voucher: Mapped[str | None] = mapped_column(String(100))
    paid_on: Mapped[dt.date | None] = mapped_column(Date)
    paid_amount: Mapped[Decimal | None] = mapped_column(Money())
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}

    events: Mapped[list[SettlementEvent]] = relationship(order_by="SettlementEvent.id", cascade="all, delete-orphan")
    objections: Mapped[list[Objection]] = relationship(order_by="Objection.id", cascade="all, delete-orphan")


class SettlementEvent(Base):
    """G3: every transition — who, when, why — and every failed verification with its differences."""

    __tablename__ = "settlement_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    settlement_id: Mapped[int] = mapped_column(ForeignKey("settlement.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    why: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict | None] = mapped_column(JSON)


class Objection(Base):
    """G1: the contractor's objection to one line, and the manager's answer."""

    __tablename__ = "objection"

    id: Mapped[int] = mapped_column(primary_key=True)
    settlement_id: Mapped[int] = mapped_column(ForeignKey("settlement.id", ondelete="CASCADE"), index=True)
    month: Mapped[str] = mapped_column(String(7))
    line_kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    raised_by: Mapped[str] = mapped_column(String(100))
    raised_at: Mapped[dt.datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(10))  # open, accepted, rejected
    answer: Mapped[str | None] = mapped_column(Text)
    adjustment: Mapped[Decimal | None] = mapped_column(Money())
    answered_by: Mapped[str | None] = mapped_column(String(100))
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ArchiveEntry(Base):
    """G2: an approved (or paid) settlement archived with its report, chained by hash."""

    __tablename__ = "archive_entry"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    settlement_id: Mapped[int] = mapped_column(ForeignKey("settlement.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    contract: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(7))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    payload: Mapped[str] = mapped_column(Text)
    report_sha256: Mapped[str | None] = mapped_column(String(64))
    report: Mapped[bytes | None] = mapped_column(LargeBinary)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
