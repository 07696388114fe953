"""Delivery under faults, with real scheduler processes (`hallmon scheduler`, the installed console script) and a
real SMTP server: a scheduler killed with SIGKILL in the middle of a delivery and started again sends no message
twice; two schedulers running at once send each message once."""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from hallmon.core.clock import now
from hallmon.db import session_factory
from hallmon.notify.config import load_config
from hallmon.notify.delivery import deliver_due
from hallmon.notify.models import Message
from hallmon.notify.outbox import decide, outbox_view
from hallmon.uow import unit_of_work
from tests.billing_helpers import load_hall
from tests.drive import refresh
from tests.notify_helpers import WAIT, MailServer, write_config
from tests.reliability.figures import FIGURES
from tests.reliability.processes import HALLMON, ROOT

pytestmark = pytest.mark.slow
MANAGER = "wang@centre.gov.cn"


class Scheduler:
    """`hallmon scheduler` as its own process, delivering every second."""

    def __init__(self, db_url: str, config: Path, log: Path):
        self.log = log.open("ab")
        env = {**os.environ, "HALLMON_NOTIFY_CONFIG": str(config), "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen([str(HALLMON), "--db", db_url, "scheduler"], stdout=subprocess.DEVNULL,
                                        stderr=self.log, env=env)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(WAIT)
        self.log.close()

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGTERM)
        self.process.wait(WAIT)
        self.log.close()


@pytest.fixture
def outbox(cli, tmp_path, session):
    """The billing hall with its alerts switched on, then twelve complaints overdue: twelve e-mails to the
    manager waiting in the outbox."""
    load_hall(cli, tmp_path)
    assert cli("user", "add", "wang", "--role", "manager", "--password", "wang-password", "--email",
               MANAGER).exit_code == 0
    refresh(session, dt.date(2024, 4, 30))
    complaints = tmp_path / "complaints.csv"
    complaints.write_text("编号,合同编号,渠道,类别,收件日期\n" + "".join(
        f"P-{i:02d},B-1,信访,业务,2024-01-{i:02d}\n" for i in range(1, 13)), encoding="utf-8")
    assert cli("ingest", "complaints", complaints).exit_code == 0
    assert len(session.scalars(select(Message)).all()) == 12
    return session


@pytest.fixture
def mail():
    server = MailServer().start()
    yield server
    server.stop()


def statuses(session) -> dict[str, int]:
    session.expire_all()
    out: dict[str, int] = {}
    for m in session.scalars(select(Message)):
        out[m.status] = out.get(m.status, 0) + 1
    return out


def eventually(condition: Callable[[], bool], timeout: float = WAIT) -> bool:
    """Wait for a condition of the database with a bound (the scheduler process commits on its own time)."""
    deadline, pause = time.monotonic() + timeout, threading.Event()
    while not condition():
        if time.monotonic() > deadline:
            return False
        pause.wait(0.05)
    return True


def expire_claims(engine, config):
    """A delivery pass later than any lease: a claim left by a killed process becomes uncertain."""
    later = now() + dt.timedelta(seconds=config.delivery.lease_seconds + 60)
    return deliver_due(session_factory(engine), config, clock=lambda: later)


@pytest.mark.parametrize("moment", ["after_the_text", "before_the_text"])
def test_a_scheduler_killed_during_delivery_and_started_again_sends_no_message_twice(
        outbox, mail, db_url, engine, tmp_path, moment):
    config_path = write_config(tmp_path / "notify.toml", mail.port, interval_seconds=1, lease_seconds=600)
    config = load_config(config_path)
    if moment == "after_the_text":
        mail.hold_data(4)    # the 4th mail is stored by the server, its answer held: the crash between send and commit
    else:
        mail.hold_rcpt(4)    # the 4th mail is claimed, the server holds its recipient: nothing of its text sent
    first = Scheduler(db_url, config_path, tmp_path / "scheduler.log")
    try:
        assert mail.holding.wait(WAIT), (tmp_path / "scheduler.log").read_text()
    finally:
        first.kill()
    mail.release.set()
    held = 4 if moment == "after_the_text" else 3
    assert len(mail.received) == held
    assert statuses(outbox) == {"sent": 3, "sending": 1, "pending": 8}

    second = Scheduler(db_url, config_path, tmp_path / "scheduler.log")
    try:
        assert mail.wait_for(held + 8), (tmp_path / "scheduler.log").read_text()
        assert eventually(lambda: statuses(outbox) == {"sent": 11, "sending": 1})   # its last send recorded
    finally:
        second.stop()
    # the claim of the killed process is never sent again by itself: past its lease it is shown as uncertain
    report = expire_claims(engine, config)
    assert (report.expired, report.sent) == (1, 0)
    assert statuses(outbox) == {"sent": 11, "uncertain": 1}
    assert len(mail.received) == held + 8 and len(set(mail.ids())) == len(mail.received)
    [uncertain] = outbox_view(outbox).attention
    assert uncertain.status == "uncertain" and "中断" in uncertain.last_error
    if moment == "before_the_text":
        # it never arrived: the administrator sends it again, and it arrives once
        with unit_of_work(outbox):
            decide(outbox, uncertain.id, "resend", "admin")
        assert deliver_due(session_factory(engine), config).sent == 1
    assert len(mail.received) == 12 and len(set(mail.ids())) == 12
    FIGURES[f"notify_kill_{moment}"] = FIGURES.get(f"notify_kill_{moment}", 0) + 1


def test_two_schedulers_delivering_at_once_send_each_message_once(outbox, mail, db_url, tmp_path):
    config_path = write_config(tmp_path / "notify.toml", mail.port, interval_seconds=1)
    first = Scheduler(db_url, config_path, tmp_path / "first.log")
    second = None
    try:
        mail.hold_data(1)            # the second scheduler starts while the first is in its first send
        assert mail.holding.wait(WAIT), (tmp_path / "first.log").read_text()
        second = Scheduler(db_url, config_path, tmp_path / "second.log")
        assert mail.wait_for(2), (tmp_path / "second.log").read_text()   # the second is delivering too
        mail.release.set()
        assert mail.wait_for(12), (tmp_path / "second.log").read_text()
        assert eventually(lambda: statuses(outbox) == {"sent": 12})
    finally:
        first.stop()
        if second is not None:
            second.stop()
    assert len(mail.received) == 12 and len(set(mail.ids())) == 12
    processes = {m.claimed_by.rsplit(":", 1)[0] for m in outbox.scalars(select(Message))}   # host:pid
    assert len(processes) == 2        # both took messages, and no message went out twice

