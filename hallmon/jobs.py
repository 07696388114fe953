"""Scheduler job functions (rules §11): each tick is one unit of work that claims its (job, tick) and does the work."""
from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hallmon.alerts.models import JobRun
from hallmon.billing.services import draft_ended_periods
from hallmon.core.periods import add_months, month_key
from hallmon.db import make_engine, session_factory
from hallmon.notify.config import configured
from hallmon.notify.delivery import DeliveryReport, deliver_due, worker_name
from hallmon.notify.outbox import refresh_alerts, write_digests
from hallmon.roster.models import Contract
from hallmon.uow import unit_of_work

TIMEZONE = ZoneInfo("Asia/Shanghai")


def now() -> dt.datetime:
    """The hall's local time (the clock tests drive)."""
    return dt.datetime.now(TIMEZONE).replace(tzinfo=None)


def _claim(session: Session, job_id: str, run_key: str) -> bool:
    """J4: insert the (job, tick) row; a second scheduler finds the key taken (after the first commits, or at
    once) and gets False."""
    insert = (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(JobRun)
    claimed = session.execute(insert.values(
        job_id=job_id, run_key=run_key, started_at=now(), finished_at=None, status="running",
        worker=f"{socket.gethostname()}:{os.getpid()}").on_conflict_do_nothing(
        index_elements=["job_id", "run_key"]).returning(JobRun.id)).scalar()
    return claimed is not None


def run_once(url: str, job_id: str, run_key: str, work: Callable[[Session], object]) -> bool:
    """One tick as one unit of work: the claim, the work and the row saying it is done commit together, so that
    a killed job leaves nothing and runs again; a failure is recorded in a transaction of its own."""
    engine = make_engine(url)
    session = session_factory(engine)()
    try:
        try:
            with unit_of_work(session):
                if not _claim(session, job_id, run_key):
                    return False
                work(session)
                run = session.scalar(select(JobRun).where(JobRun.job_id == job_id, JobRun.run_key == run_key))
                run.status, run.finished_at = "done", now()
        except Exception as exc:
            with unit_of_work(session):
                if _claim(session, job_id, run_key):
                    run = session.scalar(select(JobRun).where(JobRun.job_id == job_id, JobRun.run_key == run_key))
                    run.status, run.finished_at = "failed", now()
                    run.message = f"{type(exc).__name__}: {exc}"[:2000]
            raise
        return True
    finally:
        session.close()
        engine.dispose()


def daily_alerts(url: str) -> None:
    """J1 daily: the stored alerts judged as of today."""
    today = now().date()
    run_once(url, "daily_alerts", today.isoformat(), lambda session: refresh_alerts(session, today))


def month_end(url: str) -> None:
    """J2 monthly: draft settlements of the periods that ended (the month's summaries are already stored: every
    write keeps them)."""
    today = now().date()
    month = add_months(month_key(today), -1)
    run_once(url, "month_end", month, lambda session: run_month_end(session, month, today))


def run_month_end(session: Session, month: str, today: dt.date) -> dict[str, list[str]]:
    """J2 for the month that ended: every contract's draft settlements of periods ended by `today`."""
    return {contract.code: draft_ended_periods(session, contract, today)
            for contract in session.scalars(select(Contract).order_by(Contract.code)).all()}


def yearly_reminder(url: str) -> None:
    """J3: the mid-year monitoring (1 July) and self-evaluation (5 January) reminders, raised as alerts."""
    today = now().date()
    run_once(url, "yearly_reminder", today.isoformat(), lambda session: refresh_alerts(session, today))


def deliver_notifications(url: str) -> DeliveryReport | None:
    """The outbox delivered: every message due claimed, sent and recorded, each in transactions of its own (the
    claim commits before the send: see hallmon.notify.delivery). Nothing when notifications are not configured."""
    config = configured()
    if config is None:
        return None
    engine = make_engine(url)
    try:
        return deliver_due(session_factory(engine), config, worker_name())
    finally:
        engine.dispose()


def daily_digest(url: str) -> None:
    """The daily digest of the alerts still standing, one message per recipient, written once a day."""
    today = now().date()
    run_once(url, "daily_digest", today.isoformat(), lambda session: write_digests(session, today))
