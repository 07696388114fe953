"""One unit of work per entry point: a gate action commits once and holds its settlement until then; reads write
nothing; what a write changes, every read shows at once (no worker keeps an older state)."""
from __future__ import annotations

import contextlib
import datetime as dt
import re
import sqlite3

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.engine import Engine

from hallmon.alerts import services as alert_services
from hallmon.alerts.models import Alert
from hallmon.db import make_engine
from hallmon.uow import NestedUnitOfWork, unit_of_work
from tests.billing_helpers import load_hall
from tests.drive import refresh

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|CREATE|DROP|ALTER)\b", re.IGNORECASE)


@pytest.fixture
def hall(cli, tmp_path):
    return load_hall(cli, tmp_path)


@contextlib.contextmanager
def recorded():
    """Every statement and every COMMIT any engine of this process runs meanwhile."""
    seen = {"statements": [], "commits": 0}

    def statement(conn, cursor, sql, params, context, executemany):
        seen["statements"].append(sql)

    def commit(conn):
        seen["commits"] += 1

    event.listen(Engine, "before_cursor_execute", statement)
    event.listen(Engine, "commit", commit)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", statement)
        event.remove(Engine, "commit", commit)


def writes_in(seen) -> list[str]:
    return [s for s in seen["statements"] if WRITES.match(s)]


def submit(cli, hall):
    result = cli("gate", "submit", "B-1", "--month", "2024-03", "--user", "wang", "--report", hall["report"])
    assert result.exit_code == 0, result.stderr


def gate(cli, action: str, *options) -> None:
    result = cli("gate", action, "B-1", "--month", "2024-03", *options)
    assert result.exit_code == 0, result.stderr


# ---------------------------------------------------------------- the payment gate is atomic


def test_a_unit_of_work_refuses_to_open_inside_another(session):
    with unit_of_work(session), pytest.raises(NestedUnitOfWork), unit_of_work(session):
        pass


def test_verify_approve_and_pay_each_commit_exactly_once(cli, hall):
    submit(cli, hall)
    net = cli("settle", "B-1", "--month", "2024-03", "--json").json()["net_fee"]
    for action, options in (("verify", ("--user", "li")), ("approve", ("--user", "zhao")),
                            ("pay", ("--user", "li", "--voucher", "记-1", "--paid-on", "2024-04-20", "--amount", net))):
        with recorded() as seen:
            gate(cli, action, *options)
        assert seen["commits"] == 1, (action, seen["commits"])
        assert writes_in(seen), action


class HoldsTheSettlement:
    """While a gate action is still inside its transaction (its alerts being judged again, the last step before
    the commit), another connection tries to take the settlement's row (PostgreSQL: FOR UPDATE NOWAIT) or the
    database's write lock (SQLite: BEGIN IMMEDIATE without waiting); each attempt's outcome is kept."""

    def __init__(self, db_url: str, backend: str):
        self.db_url, self.backend, self.outcomes = db_url, backend, []

    def attempt(self) -> str:
        if self.backend == "postgresql":
            engine = make_engine(self.db_url)
            try:
                with engine.connect() as conn:
                    conn.execute(text("SELECT id FROM settlement FOR UPDATE NOWAIT"))
                return "taken"
            except Exception as exc:  # noqa: BLE001 — the refusal is the outcome looked at
                return "held" if "could not obtain lock" in str(exc) else f"error: {exc}"
            finally:
                engine.dispose()
        raw = sqlite3.connect(self.db_url.removeprefix("sqlite:///"), timeout=0)
        try:
            raw.execute("BEGIN IMMEDIATE")
            raw.rollback()
            return "taken"
        except sqlite3.OperationalError as exc:
            return "held" if "locked" in str(exc) else f"error: {exc}"
        finally:
            raw.close()


@pytest.mark.parametrize("action", ["verify", "approve", "pay"])
def test_a_gate_action_holds_its_settlement_until_its_one_commit(cli, hall, db_url, backend, monkeypatch, action):
    submit(cli, hall)
    net = cli("settle", "B-1", "--month", "2024-03", "--json").json()["net_fee"]
    if action != "verify":
        gate(cli, "verify", "--user", "li")
    if action == "pay":
        gate(cli, "approve", "--user", "zhao")
    probe = HoldsTheSettlement(db_url, backend)
    real = alert_services.refresh_contracts

    def while_inside(session, contracts):
        probe.outcomes.append(probe.attempt())
        return real(session, contracts)

    monkeypatch.setattr(alert_services, "refresh_contracts", while_inside)
    options = {"verify": ("--user", "li"), "approve": ("--user", "zhao"),
               "pay": ("--user", "li", "--voucher", "记-1", "--paid-on", "2024-04-20", "--amount", net)}[action]
    gate(cli, action, *options)
    assert probe.outcomes == ["held"]
    assert probe.attempt() == "taken"   # released by the commit


# ---------------------------------------------------------------- reads only read


@pytest.fixture
def manager(make_app, users, cli, hall):
    app = make_app()
    client = app.test_client()
    assert client.post("/login", data={"username": "manager", "password": users["manager"]}).status_code == 302
    return client


def test_pages_settle_and_alerts_issue_no_write(cli, hall, manager):
    refresh_as_of = cli("alerts", "refresh", "--as-of", "2024-04-30")
    assert refresh_as_of.exit_code == 0, refresh_as_of.stderr
    pages = ["/dashboard?contract=B-1&month=2024-03", "/settlements/B-1/2024-03", "/attendance/B-1/2024-03",
             "/attendance/B-1/2024-03/B", "/attendance/B-1/demands", "/alerts", "/complaints/B-1",
             "/assessment/B-1/month/2024-03", "/caseload/B-1/2024", "/evaluation/B-1/2024",
             "/account/notifications",
             "/attendance/B-1/demands/notice?staff_id=A&reason=no_signin&raised_on=2024-02-01"]
    for page in pages:
        with recorded() as seen:
            assert manager.get(page).status_code == 200, page
        assert writes_in(seen) == [] and seen["commits"] == 0, (page, writes_in(seen))
    for command in (("settle", "B-1", "--month", "2024-03", "--json"), ("alerts", "--json"),
                    ("alerts", "--as-of", "2024-04-30", "--json"), ("demands", "B-1", "--json"),
                    ("attendance", "summary", "B-1", "--month", "2024-03", "--json"),
                    ("notify", "outbox", "--json")):
        with recorded() as seen:
            result = cli(*command)
        assert result.exit_code == 0, (command, result.stderr)
        assert writes_in(seen) == [] and seen["commits"] == 0, (command, writes_in(seen))


# ---------------------------------------------------------------- a write shows at once


def alert_count(page: str) -> int:
    """The alert count the header shows beside 提醒 (none shown: 0)."""
    found = re.search(r'提醒 <span class="count">(\d+)</span>', page)
    return int(found.group(1)) if found else 0


def test_a_load_shows_at_once_in_a_worker_that_served_the_state_before(cli, hall, manager, tmp_path):
    assert cli("alerts", "refresh", "--as-of", "2024-04-30").exit_code == 0
    before = manager.get("/dashboard?contract=B-1&month=2024-03").get_data(as_text=True)
    settle_before = cli("settle", "B-1", "--month", "2024-03", "--json").json()
    alerts_before = cli("alerts", "--as-of", "2024-04-30", "--json").json()
    # A is late three mornings in April → a monthly_late_early demand raised 1 May, deadline 16 May; A still
    # punches on 20 May, so the demand is unenforced and May carries an unenforced person-month
    rows = ["staff_id,time"] + [f"A,2024-04-{d:02d} {t}" for d in (8, 9, 10)
                                for t in ("08:45:00", "12:02:00", "14:25:00", "17:35:00")] + ["A,2024-05-20 08:20:00"]
    path = tmp_path / "april.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert cli("ingest", "punches", path).exit_code == 0
    after = manager.get("/dashboard?contract=B-1&month=2024-05").get_data(as_text=True)
    assert after.count("月累计迟到早退") > before.count("月累计迟到早退")
    alerts_after = cli("alerts", "--as-of", "2024-05-31", "--json").json()
    assert any(a["subject"] == "B-1/A/monthly_late_early/2024-05-01" for a in alerts_after["alerts"])
    may = cli("settle", "B-1", "--month", "2024-05", "--json").json()["months"][0]["lines"]
    assert next(line for line in may if line["kind"] == "unenforced")["basis"]["staff_ids"] == ["A"]
    assert cli("settle", "B-1", "--month", "2024-03", "--json").json() == settle_before
    assert alerts_before["count"] >= 1


def test_verifying_clears_the_not_verified_alert_at_once(cli, hall, manager, session):
    result = cli("gate", "submit", "B-1", "--month", "2024-03", "--user", "wang", "--report", hall["report"])
    assert result.exit_code == 0, result.stderr
    # the stored alerts stand as of a date more than five working days after the submission
    moved = cli("alerts", "refresh", "--as-of", "2030-01-31")
    assert moved.exit_code == 0, moved.stderr

    def standing() -> set[str]:
        session.expire_all()
        found = {a.subject for a in session.scalars(select(Alert).where(
            Alert.active.is_(True), Alert.kind == "settlement_unverified"))}
        session.rollback()
        return found

    assert standing() == {"B-1/2024-03"}
    count = alert_count(manager.get("/dashboard").get_data(as_text=True))
    gate(cli, "verify", "--user", "li")
    assert standing() == set()
    assert alert_count(manager.get("/dashboard").get_data(as_text=True)) == count - 1


def test_the_daily_refresh_and_a_write_judge_alerts_as_of_the_same_date(cli, hall, session):
    """J4: a write re-judges its contracts' alerts as of the date the stored alerts stand as of, never as of
    another date (which would raise and clear alerts the daily refresh did not)."""
    assert refresh(session, dt.date(2024, 4, 30)).raised > 0
    session.rollback()
    before = sorted((a.kind, a.subject, a.raised_on) for a in session.scalars(select(Alert)))
    session.rollback()
    submit(cli, hall)
    session.expire_all()
    after = sorted((a.kind, a.subject, a.raised_on) for a in session.scalars(select(Alert)))
    assert after == before
