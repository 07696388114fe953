"""Punches, leave and make-ups; the monthly summaries and demands derived from them; demand waivers."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from hallmon.db import Base

BigId = BigInteger().with_variant(Integer, "sqlite")


class Punch(Base):
    """One clock event from a device or app; key (staff_id, time)."""

    __tablename__ = "punch"
    __table_args__ = (UniqueConstraint("staff_id", "time"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.staff_id"))
    time: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    device: Mapped[str | None] = mapped_column(String(100))


class Leave(Base):
    """A leave interval; key (staff_id, start); a later file replaces the row."""

    __tablename__ = "leave"
    __table_args__ = (UniqueConstraint("staff_id", "start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.staff_id"))
    start: Mapped[dt.datetime] = mapped_column(DateTime)
    end: Mapped[dt.datetime] = mapped_column(DateTime)
    kind: Mapped[str] = mapped_column(String(50))
    approved: Mapped[bool] = mapped_column(Boolean)


class Makeup(Base):
    """A make-up punch request (补卡); key (staff_id, time)."""

    __tablename__ = "makeup"
    __table_args__ = (UniqueConstraint("staff_id", "time"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.staff_id"))
    time: Mapped[dt.datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(Text)
    approved: Mapped[bool] = mapped_column(Boolean)


class MonthSummary(Base):
    """A6 for one staff member and contract month, recomputed by every write that changes the month's inputs."""

    __tablename__ = "month_summary"
    __table_args__ = (UniqueConstraint("contract_id", "month", "staff_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"))
    month: Mapped[str] = mapped_column(String(7))
    staff_id: Mapped[str] = mapped_column(String(64))
    scheduled_days: Mapped[int] = mapped_column(Integer)
    scheduled_minutes: Mapped[int] = mapped_column(Integer)
    excused_minutes: Mapped[int] = mapped_column(Integer)
    late_count: Mapped[int] = mapped_column(Integer)
    serious_late_count: Mapped[int] = mapped_column(Integer)
    late_minutes: Mapped[int] = mapped_column(Integer)
    early_count: Mapped[int] = mapped_column(Integer)
    early_minutes: Mapped[int] = mapped_column(Integer)
    missing_punch_count: Mapped[int] = mapped_column(Integer)
    absent_sessions: Mapped[int] = mapped_column(Integer)
    absent_minutes: Mapped[int] = mapped_column(Integer)
    chargeable_minutes: Mapped[int] = mapped_column(Integer)
    makeup_used: Mapped[int] = mapped_column(Integer)
    makeup_rejected: Mapped[int] = mapped_column(Integer)
    punch_count: Mapped[int] = mapped_column(Integer)
    no_signin_month: Mapped[bool] = mapped_column(Boolean)
    late_early_events: Mapped[int] = mapped_column(Integer)


class StoredDemand(Base):
    """A8 demand of a contract with its A9 facts over every stored punch, kept by every write that changes them."""

    __tablename__ = "demand"
    # the month at a glance lists the unenforced ones first, by raised_on (migration 0007)
    __table_args__ = (UniqueConstraint("contract_id", "staff_id", "reason", "raised_on"),
                      Index("ix_demand_contract_unenforced_raised", "contract_id", "unenforced", "raised_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(30))
    raised_on: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date] = mapped_column(Date)
    first_late_punch: Mapped[dt.date | None] = mapped_column(Date)   # the first punch day after the deadline
    waived: Mapped[bool] = mapped_column(Boolean)       # a waiver names it (kept by the waiver's write)
    unenforced: Mapped[bool] = mapped_column(Boolean)   # A9 over every punch: not waived, a punch after the deadline


class DemandMonth(Base):
    """A9: a contract month holding a punch after a stored demand's deadline, with the first such punch day (so that
    the month counts as of any date on or after it). Billing reads a period's months straight from here."""

    __tablename__ = "demand_month"
    __table_args__ = (Index("ix_demand_month_contract_month", "contract_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("demand.id", ondelete="CASCADE"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"))
    staff_id: Mapped[str] = mapped_column(String(64))
    month: Mapped[str] = mapped_column(String(7))
    first_day: Mapped[dt.date] = mapped_column(Date)
    waived: Mapped[bool] = mapped_column(Boolean)       # its demand's, kept with it


class AttendanceMonth(Base):
    """A6 of one contract month as a whole, stored with its rows: how many are listed and need attention, and the
    totals (no_signin_month: how many staff)."""

    __tablename__ = "attendance_month"

    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    listed: Mapped[int] = mapped_column(Integer)
    flagged: Mapped[int] = mapped_column(Integer)   # late or early, absent, or no sign-in in the month
    scheduled_days: Mapped[int] = mapped_column(Integer)
    scheduled_minutes: Mapped[int] = mapped_column(Integer)
    excused_minutes: Mapped[int] = mapped_column(Integer)
    late_count: Mapped[int] = mapped_column(Integer)
    serious_late_count: Mapped[int] = mapped_column(Integer)
    late_minutes: Mapped[int] = mapped_column(Integer)
    early_count: Mapped[int] = mapped_column(Integer)
    early_minutes: Mapped[int] = mapped_column(Integer)
    missing_punch_count: Mapped[int] = mapped_column(Integer)
    absent_sessions: Mapped[int] = mapped_column(Integer)
    absent_minutes: Mapped[int] = mapped_column(Integer)
    chargeable_minutes: Mapped[int] = mapped_column(Integer)
    makeup_used: Mapped[int] = mapped_column(Integer)
    makeup_rejected: Mapped[int] = mapped_column(Integer)
    punch_count: Mapped[int] = mapped_column(Integer)
    no_signin_month: Mapped[int] = mapped_column(Integer)
    late_early_events: Mapped[int] = mapped_column(Integer)


class DemandWaiver(Base):
    """A8: a manager waives one replacement demand, named by (staff_id, reason, raised_on)."""

    __tablename__ = "demand_waiver"
    __table_args__ = (UniqueConstraint("contract_id", "staff_id", "reason", "raised_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"))
    staff_id: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(30))
    raised_on: Mapped[dt.date] = mapped_column(Date)
    why: Mapped[str] = mapped_column(Text)
    waived_by: Mapped[str] = mapped_column(String(100))
    waived_at: Mapped[dt.datetime] = mapped_column(DateTime)
