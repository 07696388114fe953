"""Scheduler job functions (SPEC §11): thin calls into the services, each tick claimed once in the database."""
from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hallmon.alerts.models import JobRun
from hallmon.core.periods import add_months, month_key
from hallmon.db import make_engine, session_factory

TIMEZONE = ZoneInfo("Asia/Shanghai")


def now() -> dt.datetime:
    """The hall's local time (the clock tests drive)."""
    return dt.datetime.now(TIMEZONE).replace(tzinfo=None)


@contextmanager
def claimed(url: str, job_id: str, run_key: str) -> Iterator[Session | None]:
    """J4: the first worker to insert (job, tick) runs it; any other gets None and does nothing."""
    engine = make_engine(url)
    session = session_factory(engine)()
    try:
        run = JobRun(job_id=job_id, run_key=run_key, started_at=now(), status="running",
                     worker=f"{socket.gethostname()}:{os.getpid()}")
        session.add(run)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            yield None
            return
        try:
            yield session
        except Exception as exc:
            session.rollback()
            run = session.get(JobRun, run.id)
            run.status, run.finished_at, run.message = "failed", now(), f"{type(exc).__name__}: {exc}"[:2000]
            session.commit()
            raise
        run = session.get(JobRun, run.id)
        run.status, run.finished_at = "done", now()
        session.commit()
    finally:
        session.close()
        engine.dispose()


def daily_alerts(url: str) -> None:
    """J1 daily: refresh the stored alerts as of today."""
    from hallmon.alerts.services import refresh_alerts

    today = now().date()
    with claimed(url, "daily_alerts", today.isoformat()) as session:
        if session is not None:
            refresh_alerts(session, today)


def month_end(url: str) -> None:
    """J2 monthly: attendance summaries of the month just ended, draft settlements of periods that ended."""
    today = now().date()
    month = add_months(month_key(today), -1)
    with claimed(url, "month_end", month) as session:
        if session is not None:
            run_month_end(session, month, today)


def run_month_end(session: Session, month: str, today: dt.date) -> dict[str, list[str]]:
    from hallmon.attendance.services import monthly_summary
    from hallmon.billing.services import draft_ended_periods
    from hallmon.roster.models import Contract

    done: dict[str, list[str]] = {}
    for contract in session.scalars(select(Contract).order_by(Contract.code)).all():
        if month in contract.terms().months():
            monthly_summary(session, contract.code, month)
        done[contract.code] = draft_ended_periods(session, contract.code, today)
    return done


def yearly_reminder(url: str) -> None:
    """J3: the mid-year monitoring (1 July) and self-evaluation (5 January) reminders, raised as alerts."""
    from hallmon.alerts.services import refresh_alerts

    today = now().date()
    with claimed(url, "yearly_reminder", today.isoformat()) as session:
        if session is not None:
            refresh_alerts(session, today)
