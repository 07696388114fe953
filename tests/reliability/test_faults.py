"""Faults: `hallmon ingest` and the gate actions killed with SIGKILL at random moments, in real processes.

Whatever the moment, the database is consistent afterwards (SQLite's integrity check; all rows of the file
or none; a settlement in one of its states with exactly the events and archive entries of that state) and
running the work again gives what an uninterrupted run gives.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import time

import pytest
from sqlalchemy import delete, func, select, text
from sqlalchemy.engine import make_url

from hallmon.attendance.models import MonthSummary, Punch, StoredDemand
from hallmon.billing.models import ArchiveEntry, Objection, Settlement, SettlementEvent
from hallmon.core.calendar import WorkCalendar
from hallmon.db import make_engine
from hallmon.ingest.models import IngestLog
from tests.billing_helpers import load_hall
from tests.reliability.figures import count
from tests.reliability.hall import ROSTER_CSV
from tests.reliability.processes import ForkServer, console_script

INGEST_KILLS = 12
GATE_KILLS = 10
SEED = int(os.environ.get("HALLMON_FAULT_SEED") or random.SystemRandom().randrange(10**9))


@pytest.fixture(scope="module")
def forkserver(tmp_path_factory):
    server = ForkServer(tmp_path_factory.mktemp("forkserver"))
    yield server
    server.close()


def integrity(backend: str, url: str) -> None:
    """SQLite checks its own file; PostgreSQL guarantees it, and the row checks below do the rest."""
    if backend != "sqlite":
        return
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    engine.dispose()


FAULT_APPLICATION = "hallmon-fault-run"


def killable_url(backend: str, url: str) -> str:
    """The URL the killed processes use: on PostgreSQL it names them, so that their server side can be awaited."""
    if backend == "sqlite":
        return url
    return make_url(url).update_query_dict({"application_name": FAULT_APPLICATION}).render_as_string(
        hide_password=False)


def server_done(backend: str, session, timeout: float = 30.0) -> None:
    """Wait until the server has finished with the killed process's connection.

    A SIGKILL ends the client, not its server process: a COMMIT the client sent just before it died is still
    carried out (and one it had not sent is rolled back) when the server notices. What the database holds is
    judged after that, as anyone reading it later would see it.
    """
    if backend == "sqlite":
        return
    deadline = time.monotonic() + timeout
    while True:
        left = session.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name"),
                              {"name": FAULT_APPLICATION})
        session.rollback()
        if not left:
            return
        assert time.monotonic() < deadline, "the killed process's server connection did not end"
        time.sleep(0.02)


# ---------------------------------------------------------------- ingest


def punch_file(path) -> int:
    rows = ["staff_id,time,device"]
    for day in WorkCalendar().working_days(dt.date(2024, 1, 1), dt.date(2024, 12, 31)):
        for n in range(1, 7):
            for clock in (f"08:2{n}:1{n}", f"12:0{n}:4{n}", f"14:2{n}:0{n}", f"17:3{n}:5{n}"):
                rows.append(f"A{n},{day.isoformat()} {clock},zkteco")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(rows) - 1


def punches(session) -> list[tuple]:
    session.expire_all()
    return session.execute(select(Punch.staff_id, Punch.time, Punch.device).order_by(Punch.staff_id, Punch.time)).all()


def clear_punches(session) -> None:
    for model in (MonthSummary, StoredDemand, Punch, IngestLog):
        session.execute(delete(model))
    session.commit()


def test_a_killed_ingest_leaves_all_of_its_file_or_none_and_the_rerun_is_the_same(
        forkserver, backend, db_url, session, loaded_contract, cli, tmp_path):
    rng = random.Random(SEED)
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER_CSV, encoding="utf-8")
    assert cli("ingest", "staff", roster).exit_code == 0
    path = tmp_path / "punches-2024.csv"
    total = punch_file(path)
    command = ["--db", killable_url(backend, db_url), "ingest", "punches", path, "--json"]

    reference = forkserver.run(command)          # uninterrupted, in a process of its own
    assert reference.finished, forkserver.stderr()
    wanted = punches(session)
    assert len(wanted) == total
    clear_punches(session)

    outcomes = []
    for run in range(INGEST_KILLS + 1):
        delay = rng.uniform(0.0, reference.seconds * 1.05)
        if run == INGEST_KILLS:  # once through the installed console script itself
            outcome = console_script(*command, kill_after=delay + 1.0)
        else:
            outcome = forkserver.run(command, kill_after=delay)
        context = f"seed {SEED}, run {run}, killed after {delay:.3f}s: {outcome}"
        server_done(backend, session)
        integrity(backend, db_url)
        stored, logged = len(punches(session)), session.scalar(select(func.count()).select_from(IngestLog))
        assert (stored, logged) in ((0, 0), (total, 1)), context     # all of the file or none of it
        assert outcome.killed or outcome.exit == 0, context
        outcomes.append("finished" if not outcome.killed else "killed after commit" if stored else "killed, nothing written")
        rerun = cli("ingest", "punches", path, "--json")
        assert rerun.exit_code == 0, (context, rerun.stderr)
        report = rerun.json()
        assert (report["inserted"], report["unchanged"]) == ((0, total) if stored else (total, 0)), context
        assert punches(session) == wanted, context
        clear_punches(session)
    count("fault_ingest_runs", len(outcomes))
    for kind in set(outcomes):
        count(f"fault_ingest_{kind.replace(' ', '_').replace(',', '')}", outcomes.count(kind))
    assert outcomes.count("killed, nothing written") >= 1, (SEED, outcomes)


# ---------------------------------------------------------------- the gate


CHAIN = ("submit", "verify", "approve", "pay")
STATE_AFTER = {"draft": 0, "submitted": 1, "verified": 2, "approved": 3, "paid": 4}


def gate_commands(db_url: str, report, net_fee: str | None) -> list[list]:
    base = ["--db", db_url, "gate"]
    return [
        [*base, "submit", "B-1", "--month", "2024-03", "--user", "wang", "--report", report],
        [*base, "verify", "B-1", "--month", "2024-03", "--user", "li"],
        [*base, "approve", "B-1", "--month", "2024-03", "--user", "zhao"],
        [*base, "pay", "B-1", "--month", "2024-03", "--user", "zhao", "--voucher", "记-0418", "--paid-on",
         "2024-04-20", "--amount", net_fee or "0"],
    ]


def gate_state(session) -> tuple[str, int, list[str]]:
    session.expire_all()
    row = session.scalar(select(Settlement))
    events = [e.action for e in session.scalars(select(SettlementEvent).order_by(SettlementEvent.id))]
    entries = [e.kind for e in session.scalars(select(ArchiveEntry).order_by(ArchiveEntry.seq))]
    return (row.state if row else "draft"), len(events), entries


def clear_gate(session) -> None:
    for model in (ArchiveEntry, SettlementEvent, Objection, Settlement):
        session.execute(delete(model))
    session.commit()


def final_documents(cli) -> tuple[dict, dict]:
    settled = cli("settle", "B-1", "--month", "2024-03", "--json")
    audit = cli("audit", "verify", "--json")
    assert settled.exit_code == 0 and audit.exit_code == 0, (settled.stderr, audit.stderr)
    return settled.json(), audit.json()


def test_a_killed_gate_action_leaves_a_settlement_in_one_state_and_finishing_gives_the_same_result(
        forkserver, backend, db_url, session, cli, tmp_path):
    rng = random.Random(SEED + 1)
    hall = load_hall(cli, tmp_path)
    net = cli("settle", "B-1", "--month", "2024-03", "--json").json()["net_fee"]
    commands = gate_commands(killable_url(backend, db_url), hall["report"], net)

    reference = forkserver.run(*commands)
    assert reference.finished, forkserver.stderr()
    wanted = final_documents(cli)
    assert wanted[0]["status"] == "paid" and wanted[1]["entries"] == 2
    clear_gate(session)

    reached = []
    for run in range(GATE_KILLS):
        delay = rng.uniform(0.0, reference.seconds * 1.05)
        outcome = forkserver.run(*commands, kill_after=delay)
        context = f"seed {SEED + 1}, run {run}, killed after {delay:.3f}s: {outcome}"
        server_done(backend, session)
        integrity(backend, db_url)
        state, events, entries = gate_state(session)
        reached.append(state)
        # the state, its G3 events and its G2 archive entries agree: nothing half-done
        assert events == STATE_AFTER[state], (context, state, events)
        assert entries == {"approved": ["approval"], "paid": ["approval", "payment"]}.get(state, []), context
        audit = cli("audit", "verify", "--json")
        assert audit.exit_code == 0 and audit.json()["entries"] == len(entries), (context, audit.stdout)
        if state != "draft":
            assert cli("settle", "B-1", "--month", "2024-03", "--json").json()["net_fee"] == net, context
        for command in commands[STATE_AFTER[state]:]:   # finish the walk from where it stopped
            result = cli(*command[2:])
            assert result.exit_code == 0, (context, command, result.stderr)
        settled, audit = final_documents(cli)
        assert settled == wanted[0] and audit == wanted[1], context
        clear_gate(session)
    count("fault_gate_runs", len(reached))
    for state in set(reached):
        count(f"fault_gate_stopped_{state}", reached.count(state))
    assert len(set(reached)) >= 2, (SEED + 1, reached)
