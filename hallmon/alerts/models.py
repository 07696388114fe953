"""Stored alerts (J4: one row per (kind, subject), raised once, cleared when gone), job runs and the job store."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    LargeBinary,
    String,
    Text,
    Unicode,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from hallmon.core import labels
from hallmon.db import Base


class Alert(Base):
    __tablename__ = "alert"
    __table_args__ = (UniqueConstraint("kind", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(200))
    contract: Mapped[str] = mapped_column(String(64), index=True)
    message: Mapped[str] = mapped_column(Text)
    details: Mapped[dict | None] = mapped_column(JSON)
    first_raised_on: Mapped[dt.date] = mapped_column(Date)
    raised_on: Mapped[dt.date] = mapped_column(Date)
    cleared_on: Mapped[dt.date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, index=True)
    # someone has seen it and acts on it: it leaves the header's count, stays listed until it clears; a raise after
    # a clear starts unacknowledged again
    acknowledged_by: Mapped[str | None] = mapped_column(String(100))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    acknowledged_note: Mapped[str | None] = mapped_column(Text)

    @property
    def kind_name(self) -> str:
        return labels.name(labels.ALERT_KINDS, self.kind)


class AlertEvaluation(Base):
    """J1/J4: the date the stored alerts were last judged as of (by the daily job, or `hallmon alerts refresh`).
    A write re-judges the alerts of the contracts it touches as of this same date; with no row, alerts have never
    been switched on and a write raises none."""

    __tablename__ = "alert_evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[dt.date] = mapped_column(Date)
    at: Mapped[dt.datetime] = mapped_column(DateTime)


class JobRun(Base):
    """J4: one row per job and scheduled tick; a second scheduler finds the row taken and does nothing."""

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("job_id", "run_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(100))
    run_key: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20))
    worker: Mapped[str] = mapped_column(String(100))
    message: Mapped[str | None] = mapped_column(Text)


class SchedulerJob(Base):
    """APScheduler 3's SQLAlchemyJobStore table, declared here so that the migrations own it."""

    __tablename__ = "apscheduler_jobs"

    id: Mapped[str] = mapped_column(Unicode(191), primary_key=True)
    next_run_time: Mapped[float | None] = mapped_column(Float(25), index=True)
    job_state: Mapped[bytes] = mapped_column(LargeBinary)
