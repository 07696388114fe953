"""Contracts (terms kept per version), departments, windows and staff."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hallmon.contract import ContractTerms, terms_from_document
from hallmon.db import Base, Money


class Contract(Base):
    __tablename__ = "contract"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    contractor: Mapped[str] = mapped_column(String(200), index=True)
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date] = mapped_column(Date)
    total_fee: Mapped[Any] = mapped_column(Money())
    current_version: Mapped[int] = mapped_column(Integer, default=1)

    versions: Mapped[list[ContractVersion]] = relationship(
        back_populates="contract", order_by="ContractVersion.version", cascade="all, delete-orphan"
    )

    def current(self) -> ContractVersion:
        return next(v for v in self.versions if v.version == self.current_version)

    def terms(self) -> ContractTerms:
        return self.current().terms()


class ContractVersion(Base):
    """One version of a contract's terms; a changed TOML adds a version and keeps the old ones."""

    __tablename__ = "contract_version"
    __table_args__ = (UniqueConstraint("contract_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    terms_document: Mapped[dict] = mapped_column(JSON)
    fingerprint: Mapped[str] = mapped_column(String(64))
    source_text: Mapped[str] = mapped_column(Text)
    source_name: Mapped[str | None] = mapped_column(String(500))
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    loaded_by: Mapped[str | None] = mapped_column(String(100))

    contract: Mapped[Contract] = relationship(back_populates="versions")

    def terms(self) -> ContractTerms:
        # parsed once per loaded row: a page asks for the terms several times (a version's document never changes)
        parsed = self.__dict__.get("_parsed_terms")
        if parsed is None or parsed[0] is not self.terms_document:
            parsed = (self.terms_document, terms_from_document(self.terms_document))
            self.__dict__["_parsed_terms"] = parsed
        return parsed[1]


class Department(Base):
    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class Window(Base):
    __tablename__ = "window"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))

    department: Mapped[Department | None] = relationship()


class Staff(Base):
    """A person supplied under a contract, identified by staff_id (工号)."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    post: Mapped[str | None] = mapped_column(String(100))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    window_id: Mapped[int | None] = mapped_column(ForeignKey("window.id"))
    hired_on: Mapped[dt.date] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)

    contract: Mapped[Contract] = relationship()
    department: Mapped[Department] = relationship()
    window: Mapped[Window | None] = relationship()
