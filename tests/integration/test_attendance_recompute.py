"""Stored monthly summaries are recomputed whenever their month's inputs change."""
import pytest
from sqlalchemy import func, select

from hallmon.attendance.models import MonthSummary, SummaryState
from tests.attendance_helpers import load_fixture_roster
from tests.factories import terms_toml, write

# Staff 1001, 1002, 1003 of the fixture roster, contract T-1 (sessions 08:30–12:00, 14:30–17:30).
DAY = "2024-03-04"


@pytest.fixture
def month(cli, loaded_contract, tmp_path):
    load_fixture_roster(cli, tmp_path)
    path = write(tmp_path / "p.csv", "工号,打卡时间\n" + "\n".join(
        f"1001,{DAY} {clock}" for clock in ("08:20:00", "12:05:00", "14:20:00", "17:40:00")) + "\n")
    assert cli("ingest", "punches", path).exit_code == 0
    return "2024-03"


def person(cli, staff_id="1001", month="2024-03"):
    result = cli("attendance", "summary", "T-1", "--month", month, "--json")
    assert result.exit_code == 0, result.stderr
    return next(s for s in result.json()["staff"] if s["staff_id"] == staff_id)


def states(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(SummaryState))


def test_a_summary_is_stored_and_served_again(cli, month, session):
    first = person(cli)
    assert states(session) == 1
    assert session.scalar(select(func.count()).select_from(MonthSummary)) == 3
    assert person(cli) == first


def test_new_punches_recompute_their_month_only(cli, month, tmp_path, session):
    assert person(cli)["punch_count"] == 4
    person(cli, month="2024-04")
    assert states(session) == 2
    cli("ingest", "punches", write(tmp_path / "more.csv", "工号,打卡时间\n1001,2024-03-05 08:40:00\n"))
    assert states(session) == 1           # March dropped, April kept
    assert person(cli)["punch_count"] == 5


def test_loading_the_same_punches_again_keeps_the_stored_summary(cli, month, tmp_path, session):
    person(cli)
    path = write(tmp_path / "p2.csv", f"工号,打卡时间\n1001,{DAY} 08:20:00\n")
    assert cli("ingest", "punches", path).exit_code == 0
    assert states(session) == 1


def test_leave_recomputes_every_month_it_overlaps(cli, month, tmp_path, session):
    before = person(cli)
    person(cli, month="2024-04")
    path = write(tmp_path / "l.csv", "工号,开始时间,结束时间,类型,是否批准\n1001,2024-03-29,2024-04-01,年假,是\n")
    assert cli("ingest", "leave", path).exit_code == 0
    assert states(session) == 0
    assert person(cli)["excused_minutes"] == before["excused_minutes"] + 390
    assert person(cli, month="2024-04")["excused_minutes"] == 390


def test_changing_a_leave_approval_recomputes(cli, month, tmp_path, session):
    header = "工号,开始时间,结束时间,类型,是否批准\n"
    cli("ingest", "leave", write(tmp_path / "l1.csv", header + "1001,2024-03-05,2024-03-05,事假,否\n"))
    assert person(cli)["excused_minutes"] == 0
    cli("ingest", "leave", write(tmp_path / "l2.csv", header + "1001,2024-03-05,2024-03-05,事假,是\n"))
    assert person(cli)["excused_minutes"] == 390


def test_makeups_recompute_their_month(cli, month, tmp_path):
    assert person(cli)["makeup_used"] == 0
    path = write(tmp_path / "m.csv", "工号,补卡时间,原因,是否批准\n1001,2024-03-05 08:30:00,忘打卡,是\n")
    assert cli("ingest", "makeup", path).exit_code == 0
    assert (person(cli)["makeup_used"], person(cli)["punch_count"]) == (1, 5)


def test_a_roster_change_recomputes(cli, month, tmp_path):
    assert person(cli, "1003")["scheduled_days"] == 21
    path = write(tmp_path / "s.csv", "staff_id,name,contract,department,hired_on,left_on\n"
                                     "1003,王芳,T-1,发证科,2022-01-10,2024-03-08\n")
    assert cli("ingest", "staff", path).exit_code == 0
    assert person(cli, "1003")["scheduled_days"] == 6     # Fri 1 and Mon 4 – Fri 8


def test_changed_contract_terms_recompute(cli, month, tmp_path):
    path = write(tmp_path / "p.csv", "工号,打卡时间\n1002,2024-03-04 08:38:00\n1002,2024-03-04 12:05:00\n")
    cli("ingest", "punches", path)
    assert person(cli, "1002")["late_count"] == 1
    terms = terms_toml(schedule={"grace_minutes": 10})
    assert cli("contract", "load", write(tmp_path / "t1b.toml", terms)).exit_code == 0
    assert person(cli, "1002")["late_count"] == 0


def invalidating_after_each_refresh(monkeypatch, db_url, times: int):
    """refresh_summaries as a concurrent load would leave it: right after it stores the month, another
    connection drops the month again (as a load's invalidation does), `times` times."""
    from sqlalchemy import delete

    from hallmon.attendance import services
    from hallmon.db import make_engine, session_factory

    original = services.refresh_summaries
    other = session_factory(make_engine(db_url))()
    left = {"n": times}

    def refresh(session, contract, terms, months):
        original(session, contract, terms, months)
        if left["n"] > 0:
            left["n"] -= 1
            with other.begin():
                other.execute(delete(MonthSummary))
                other.execute(delete(SummaryState))

    monkeypatch.setattr(services, "refresh_summaries", refresh)
    return other


@pytest.mark.parametrize("invalidations", [1, 10])
def test_a_month_invalidated_between_recomputing_and_reading_is_never_served_empty(
        cli, month, monkeypatch, db_url, invalidations):
    expected = person(cli)
    other = invalidating_after_each_refresh(monkeypatch, db_url, invalidations)
    try:
        assert person(cli) == expected      # recomputed and read again, or computed in memory after many turns
    finally:
        other.close()
        other.get_bind().dispose()
