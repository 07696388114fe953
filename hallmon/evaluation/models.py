"""What a manager writes into the self-evaluation: the reason an indicator missed its target."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hallmon.db import Base, DecimalType


class DeviationNote(Base):
    """A manager's reason for an indicator's deviation, or (indicator `satisfaction`) the survey result it reports."""

    __tablename__ = "deviation_note"
    __table_args__ = (UniqueConstraint("contract_id", "year", "indicator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    indicator: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text)
    value: Mapped[Decimal | None] = mapped_column(DecimalType(12, 4))
    written_by: Mapped[str] = mapped_column(String(100))
    written_at: Mapped[dt.datetime] = mapped_column(DateTime)
