"""The scheduler process (`hallmon scheduler`): APScheduler 3 with its jobs stored in the application database.

Run it as its own process, never inside web workers. Misfired ticks are coalesced: a job missed while
the scheduler was down runs once when it comes back (J4). Each run claims its (job, tick) row, so a
second scheduler started by mistake runs nothing twice.
"""
from __future__ import annotations

from collections.abc import Callable

from apscheduler.executors.debug import DebugExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select

from hallmon.alerts.models import SchedulerJob
from hallmon.db import make_engine
from hallmon.jobs import TIMEZONE
from hallmon.migrate import ensure_schema

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


def build(url: str, once: bool = False):
    engine = make_engine(url)
    cls = OnePassScheduler if once else BlockingScheduler
    scheduler = cls(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename="apscheduler_jobs")},
        executors={"default": DebugExecutor()},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        timezone=TIMEZONE,
    )
    # Jobs already in the store keep their next run time: replacing them would forget a missed tick (J4).
    with engine.connect() as conn:
        stored = set(conn.scalars(select(SchedulerJob.id)))
    for job_id, func, cron in JOBS:
        if job_id not in stored:
            scheduler.add_job(func, CronTrigger(timezone=TIMEZONE, **cron), id=job_id, kwargs={"url": url})
    return scheduler, engine


def run_scheduler(url: str, once: bool = False, echo: Callable[[str], None] = print) -> None:
    check = make_engine(url)
    ensure_schema(check)
    check.dispose()
    scheduler, engine = build(url, once)
    try:
        if not once:
            echo("定时任务进程已启动（Ctrl+C 退出）：" + "、".join(job_id for job_id, _, _ in JOBS))
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=True)
        engine.dispose()
