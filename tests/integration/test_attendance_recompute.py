"""Stored monthly summaries are recomputed whenever their month's inputs change."""
import pytest
from sqlalchemy import select

from hallmon.attendance.models import MonthSummary
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


def stored_ids(session, month: str) -> list[int]:
    """The ids of the month's stored summary rows."""
    session.expire_all()
    ids = sorted(session.scalars(select(MonthSummary.id).where(MonthSummary.month == month)))
    session.rollback()
    return ids


@pytest.fixture
def recomputed(monkeypatch):
    """The months whose summaries a write stores again, in the order it stores them."""
    from hallmon.attendance import store

    months: list[str] = []
    real = store.store_month

    def spy(session, contract_id, month, frame):
        months.append(month)
        return real(session, contract_id, month, frame)

    monkeypatch.setattr(store, "store_month", spy)
    return months


def test_a_load_stores_its_months_summaries_and_a_read_serves_them_without_writing(cli, month, session,
                                                                                   recomputed):
    stored = stored_ids(session, "2024-03")
    assert len(stored) == 3
    first = person(cli)
    assert person(cli) == first and first["punch_count"] == 4
    assert stored_ids(session, "2024-03") == stored and recomputed == []


def test_new_punches_recompute_their_month_only(cli, month, tmp_path, recomputed):
    assert person(cli)["punch_count"] == 4
    cli("ingest", "punches", write(tmp_path / "more.csv", "工号,打卡时间\n1001,2024-03-05 08:40:00\n"))
    assert recomputed == ["2024-03"]
    assert person(cli)["punch_count"] == 5


def test_loading_the_same_punches_again_keeps_the_stored_summary(cli, month, tmp_path, recomputed):
    path = write(tmp_path / "p2.csv", f"工号,打卡时间\n1001,{DAY} 08:20:00\n")
    assert cli("ingest", "punches", path).exit_code == 0
    assert recomputed == []


def test_leave_recomputes_every_month_it_overlaps(cli, month, tmp_path, recomputed):
    before = person(cli)
    path = write(tmp_path / "l.csv", "工号,开始时间,结束时间,类型,是否批准\n1001,2024-03-29,2024-04-01,年假,是\n")
    assert cli("ingest", "leave", path).exit_code == 0
    assert recomputed == ["2024-03", "2024-04"]
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
