"""The scheduler process (`hallmon scheduler`): APScheduler 3 with its jobs stored in the application database.

Run it as its own process, never inside web workers. Misfired ticks are coalesced: a job missed while
the scheduler was down runs once when it comes back (J4). Each run claims its (job, tick) row, so a
second scheduler started by mistake runs nothing twice. With HALLMON_NOTIFY_CONFIG set it also delivers the
outbox (every `delivery.interval_seconds`) and writes the daily digest (at `digest.time`); a broken config stops
it at start.
"""
from __future__ import annotations

from collections.abc import Callable

from apscheduler.executors.debug import DebugExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import delete, select

from hallmon.alerts.models import SchedulerJob
from hallmon.db import make_engine
from hallmon.jobs import TIMEZONE
from hallmon.migrate import ensure_schema
from hallmon.notify.config import NotifyConfig, configured

JOBS = (
    ("daily_alerts", "hallmon.jobs:daily_alerts", {"hour": 6, "minute": 30}),
    ("month_end", "hallmon.jobs:month_end", {"day": 1, "hour": 2, "minute": 0}),
    ("midyear_reminder", "hallmon.jobs:yearly_reminder", {"month": 7, "day": 1, "hour": 8, "minute": 0}),
    ("self_evaluation_reminder", "hallmon.jobs:yearly_reminder", {"month": 1, "day": 5, "hour": 8, "minute": 0}),
)


class OnePassScheduler(BlockingScheduler):
    """Runs whatever is due (coalesced) once, then returns: for `--once`, cron and tests."""

    def _main_loop(self):
        self._process_jobs()


DELIVER, DIGEST = "deliver_notifications", "daily_digest"


def notify_jobs(config: NotifyConfig | None) -> list[tuple[str, str, object]]:
    """The delivery and digest jobs of this config. Their ids carry the interval and the hour, so that a changed
    config replaces the stored job while an unchanged one keeps its next run time (a missed digest runs on return)."""
    if config is None:
        return []
    interval = config.delivery.interval_seconds
    hour, minute = config.digest_time.hour, config.digest_time.minute
    return [(f"{DELIVER}@{interval}s", "hallmon.jobs:deliver_notifications",
             IntervalTrigger(seconds=interval, timezone=TIMEZONE)),
            (f"{DIGEST}@{hour:02d}:{minute:02d}", "hallmon.jobs:daily_digest",
             CronTrigger(hour=hour, minute=minute, timezone=TIMEZONE))]


def build(url: str, once: bool = False, config: NotifyConfig | None = None):
    engine = make_engine(url)
    cls = OnePassScheduler if once else BlockingScheduler
    scheduler = cls(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename="apscheduler_jobs")},
        executors={"default": DebugExecutor()},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        timezone=TIMEZONE,
    )
    # Jobs already in the store keep their next run time: replacing them would forget a missed tick (J4).
    wanted = notify_jobs(config)
    with engine.begin() as conn:
        conn.execute(delete(SchedulerJob).where(
            SchedulerJob.id.like(f"{DELIVER}@%") | SchedulerJob.id.like(f"{DIGEST}@%"),
            SchedulerJob.id.not_in([job_id for job_id, _, _ in wanted] or [""])))
        stored = set(conn.scalars(select(SchedulerJob.id)))
    for job_id, func, cron in JOBS:
        if job_id not in stored:
            scheduler.add_job(func, CronTrigger(timezone=TIMEZONE, **cron), id=job_id, kwargs={"url": url})
    for job_id, func, trigger in wanted:
        if job_id not in stored:
            scheduler.add_job(func, trigger, id=job_id, kwargs={"url": url})
    return scheduler, engine


def run_scheduler(url: str, once: bool = False, echo: Callable[[str], None] = print) -> None:
    config = configured()   # a set but missing or broken notification config stops the scheduler here
    check = make_engine(url)
    ensure_schema(check)
    check.dispose()
    scheduler, engine = build(url, once, config)
    try:
        if not once:
            names = [job_id for job_id, _, _ in JOBS] + [job_id for job_id, _, _ in notify_jobs(config)]
            echo("定时任务进程已启动（Ctrl+C 退出）：" + "、".join(names))
            if config is None:
                echo("未设置 HALLMON_NOTIFY_CONFIG：通知留在待发队列中，不发送")
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=True)
        engine.dispose()
