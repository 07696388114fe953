"""Concurrency: two people or two processes doing the same thing at the same moment get exactly one effect.

The races run in threads with their own connections, released together by a barrier; the summary race is
driven step by step (a load commits in the middle of a recomputation), so that it happens every time.
"""
from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from hallmon.alerts.models import JobRun
from hallmon.billing.commands import Approve, GateCommand, Submit, Verify
from hallmon.billing.models import ArchiveEntry, Settlement
from hallmon.core.errors import Refused
from hallmon.core.periods import Month
from hallmon.db import make_engine, session_factory
from tests import drive
from tests.billing_helpers import load_hall
from tests.reliability.figures import count

ROUNDS = 3


def together(*calls: Callable[[], object]) -> list[object]:
    """Run the calls in threads released at the same moment; each result or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 — the refusal is the result we look at
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def own_session(db_url: str):
    engine = make_engine(db_url)
    return engine, session_factory(engine)()


def gate(db_url: str, command: GateCommand, user: str, month: str = "2024-03") -> Callable[[], object]:
    def call():
        engine, session = own_session(db_url)
        try:
            return drive.gate(session, "B-1", month, command, user)
        finally:
            session.close()
            engine.dispose()
    return call


@pytest.fixture
def hall(cli, tmp_path):
    files = load_hall(cli, tmp_path)
    # February assessed too, so that two periods can be approved at once
    notice = tmp_path / "notice-02.csv"
    notice.write_text("合同编号,月份,通报日期\nB-1,2024-02,2024-03-08\n", encoding="utf-8")
    assert cli("ingest", "notices", notice).exit_code == 0
    return files


def submitted_and_verified(db_url, report: bytes, month: str = "2024-03") -> None:
    gate(db_url, Submit(report, "考核报告.pdf"), "wang", month)()
    gate(db_url, Verify(), "li", month)()


def test_two_finance_officers_approving_at_once_make_one_approval_and_one_archive_entry(
        backend, db_url, session, hall, cli):
    report = hall["report"].read_bytes()
    for round_ in range(ROUNDS):
        month = ("2024-02", "2024-03")[round_ % 2] if round_ < 2 else "2024-03"
        if round_ == 2:  # start again on a fresh chain: the archive is cleared by the test, not by the product
            session.execute(ArchiveEntry.__table__.delete())
            session.execute(Settlement.__table__.delete())
            session.commit()
        submitted_and_verified(db_url, report, month)
        first, second = together(gate(db_url, Approve(), "li", month), gate(db_url, Approve(), "zhao", month))
        outcomes = [r for r in (first, second) if not isinstance(r, Exception)]
        refusals = [r for r in (first, second) if isinstance(r, Exception)]
        assert len(outcomes) == 1 and len(refusals) == 1, (first, second)
        assert isinstance(refusals[0], Refused), repr(refusals[0])   # refused cleanly, not a database error
        assert outcomes[0].status == "approved"
        session.expire_all()
        entries = session.scalars(select(ArchiveEntry).where(ArchiveEntry.period == month)).all()
        assert len(entries) == 1 and entries[0].kind == "approval"
        assert cli("audit", "verify", "--json").json()["ok"] is True
        count("concurrent_approvals", 2)


def test_a_stale_copy_of_a_verified_settlement_cannot_approve_it_a_second_time(backend, db_url, session, hall):
    """Whatever the timing, the version column refuses the second writer (SQLite has no SELECT … FOR UPDATE)."""
    submitted_and_verified(db_url, hall["report"].read_bytes())
    engine, stale = own_session(db_url)
    try:
        assert stale.scalar(select(Settlement)).state == "verified"          # read before the other approves
        gate(db_url, Approve(), "li")()
        with pytest.raises(Refused):
            drive.gate(stale, "B-1", "2024-03", Approve(), "zhao")
    finally:
        stale.close()
        engine.dispose()
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(ArchiveEntry)) == 1


def test_approvals_of_two_periods_at_once_extend_one_chain(backend, db_url, session, hall, cli):
    report = hall["report"].read_bytes()
    submitted_and_verified(db_url, report, "2024-02")
    submitted_and_verified(db_url, report, "2024-03")
    results = together(gate(db_url, Approve(), "li", "2024-02"), gate(db_url, Approve(), "zhao", "2024-03"))
    assert all(not isinstance(r, Exception) for r in results), results
    assert sorted(r.archive_seq for r in results) == [1, 2]
    audit = cli("audit", "verify", "--json").json()
    assert audit["ok"] is True and audit["entries"] == 2


def test_two_schedulers_running_month_end_at_the_same_moment_run_it_once(backend, db_url, session, hall,
                                                                          monkeypatch):
    import hallmon.jobs as jobs

    ran = []
    real = jobs.run_month_end
    monkeypatch.setattr(jobs, "now", lambda: dt.datetime(2024, 4, 1, 2, 0))
    monkeypatch.setattr(jobs, "run_month_end", lambda s, m, t: ran.append(m) or real(s, m, t))
    results = together(lambda: jobs.month_end(db_url), lambda: jobs.month_end(db_url))
    assert results == [None, None]
    assert ran == ["2024-03"]
    session.expire_all()
    assert session.execute(select(JobRun.job_id, JobRun.run_key, JobRun.status)).all() == [
        ("month_end", "2024-03", "done")]
    assert sorted(session.scalars(select(Settlement.period))) == ["2024-01", "2024-02", "2024-03"]


# ---------------------------------------------------------------- the summary race


def test_a_punch_load_committing_while_another_load_recomputes_the_month_is_never_lost(
        backend, db_url, session, hall, monkeypatch, tmp_path):
    """A load of punches for March is recomputing March when a load of late punches for March, in another thread
    and connection, tries to commit. The second load waits for the first (both hold the contract), then
    recomputes March from what both stored: the next read has every punch of both."""
    import hallmon.attendance.services as attendance

    late = tmp_path / "late.csv"
    late.write_text("staff_id,time\nB,2024-03-12 08:25:00\nB,2024-03-12 12:02:00\n", encoding="utf-8")
    march = Month("2024-03")

    def person(staff_id):
        found = attendance.monthly_summary(session, drive.contract(session, "B-1"), march)
        session.rollback()
        return next(s for s in found.staff if s.staff_id == staff_id)

    a_before, b_before = person("A"), person("B")
    assert b_before.absent_sessions == 1                 # B missed the morning of 12 March (billing_helpers)
    first = tmp_path / "first.csv"
    first.write_text("staff_id,time\nA,2024-03-30 10:00:00\n", encoding="utf-8")
    real = attendance.compute_month
    loads: list[threading.Thread] = []
    failures: list[BaseException] = []

    def load_late_punches():
        engine, other = own_session(db_url)
        try:
            drive.load(other, "punches", late)
        except BaseException as exc:  # noqa: BLE001 — reported by the test below
            failures.append(exc)
        finally:
            other.close()
            engine.dispose()

    def compute_while_a_load_commits(*args, **kwargs):
        result = real(*args, **kwargs)
        if not loads:
            loads.append(threading.Thread(target=load_late_punches))
            loads[0].start()
            # long enough for the load to commit if nothing holds it back (it takes milliseconds)
            loads[0].join(timeout=2)
        return result

    monkeypatch.setattr(attendance, "compute_month", compute_while_a_load_commits)
    drive.load(session, "punches", first)
    monkeypatch.setattr(attendance, "compute_month", real)
    assert loads
    loads[0].join()
    assert failures == []
    a, b = person("A"), person("B")
    assert b.absent_sessions == 0 and b.punch_count == b_before.punch_count + 2
    assert a.punch_count == a_before.punch_count + 1
