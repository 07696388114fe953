"""The scheduler with a driven clock: a job missed while it was down runs once on return (J4); a tick is run once."""
import datetime as dt

import pytest
import time_machine
from sqlalchemy import func, select

from hallmon.alerts.models import Alert, JobRun
from hallmon.billing.models import Settlement
from hallmon.jobs import TIMEZONE, month_end
from hallmon.scheduler import run_scheduler
from tests.billing_helpers import load_hall


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TIMEZONE)


def runs(session) -> list[tuple[str, str]]:
    session.expire_all()
    return sorted(session.execute(select(JobRun.job_id, JobRun.run_key)).all())


@pytest.fixture
def hall(cli, tmp_path):
    return load_hall(cli, tmp_path)


def test_a_restart_after_a_missed_month_runs_the_month_end_once(db_url, session, hall):
    with time_machine.travel(at(2024, 2, 15, 12, 0), tick=False):
        run_scheduler(db_url, once=True)
    assert runs(session) == []                       # nothing was due yet
    # down from 15 February to 10 April: the 1 March and 1 April month-ends and every daily tick were missed
    with time_machine.travel(at(2024, 4, 10, 12, 0), tick=False):
        run_scheduler(db_url, once=True)
        run_scheduler(db_url, once=True)             # started again the same day: nothing is due
    assert runs(session) == [("daily_alerts", "2024-04-10"), ("month_end", "2024-03")]
    periods = sorted(session.scalars(select(Settlement.period)))
    assert periods == ["2024-01", "2024-02", "2024-03"]   # J2: draft settlements of the periods that ended
    assert session.scalar(select(func.count()).select_from(Alert).where(Alert.active.is_(True))) > 0
    with time_machine.travel(at(2024, 5, 1, 3, 0), tick=False):
        run_scheduler(db_url, once=True)
    # the daily ticks of 11–30 April were missed too: one coalesced run now, not twenty
    assert runs(session) == [("daily_alerts", "2024-04-10"), ("daily_alerts", "2024-05-01"),
                             ("month_end", "2024-03"), ("month_end", "2024-04")]


def test_two_schedulers_firing_the_same_tick_run_it_once(db_url, session, hall):
    with time_machine.travel(at(2024, 4, 1, 2, 0), tick=False):
        month_end(db_url)
        month_end(db_url)
    assert runs(session) == [("month_end", "2024-03")]
    assert session.scalar(select(func.count()).select_from(Settlement)) == 3
