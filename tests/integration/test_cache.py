"""Pages kept per data version (hallmon.cache) never outlive the data they were computed from (issue 9)."""
import datetime as dt

from hallmon import cache
from hallmon.attendance.services import waive_demand
from tests.factories import write


def punches_of_1001(tmp_path, day: str, name: str):
    return write(tmp_path / name, f"staff_id,time\n1001,{day} 08:40:00\n1001,{day} 17:31:00\n")


def test_every_load_and_every_waiver_moves_the_data_version(cli, loaded_contract, data_dir, session, tmp_path):
    seen = [cache.data_version(session)]
    session.rollback()
    steps = [
        ("ingest", "staff", data_dir / "attendance" / "staff.csv"),
        ("ingest", "punches", punches_of_1001(tmp_path, "2024-03-04", "p1.csv")),
        ("ingest", "punches", punches_of_1001(tmp_path, "2024-03-04", "p1.csv")),  # the same file again
        ("ingest", "makeup", write(tmp_path / "m.csv", "staff_id,time,reason,approved\n1001,2024-03-05 08:30,忘,是\n")),
    ]
    for step in steps:
        assert cli(*step).exit_code == 0
        seen.append(cache.data_version(session))
        session.rollback()
    assert len(set(seen)) == len(seen)


def test_a_kept_result_is_served_until_the_data_changes(cli, loaded_contract, data_dir, session, tmp_path):
    assert cli("ingest", "staff", data_dir / "attendance" / "staff.csv").exit_code == 0
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert cache.remember(session, "test", (1,), compute) == 1
    assert cache.remember(session, "test", (1,), compute) == 1
    session.rollback()
    assert cli("ingest", "punches", punches_of_1001(tmp_path, "2024-03-04", "p.csv")).exit_code == 0
    assert cache.remember(session, "test", (1,), compute) == 2


def test_the_dashboard_shows_a_waiver_made_after_it_was_first_drawn(cli, loaded_contract, data_dir, session,
                                                                    tmp_path):
    from hallmon.roster.services import get_contract
    from hallmon.web.overview import manager_overview

    assert cli("ingest", "staff", data_dir / "attendance" / "staff.csv").exit_code == 0
    late = "staff_id,time\n" + "".join(f"1001,2024-03-0{d} {t}\n" for d in (4, 5, 6)
                                        for t in ("08:50:00", "12:01:00", "14:29:00", "17:31:00"))
    assert cli("ingest", "punches", write(tmp_path / "late.csv", late)).exit_code == 0
    assert cli("ingest", "punches", punches_of_1001(tmp_path, "2024-05-06", "after.csv")).exit_code == 0

    def demands_shown():
        contract = get_contract(session, loaded_contract)
        view = cache.remember(session, "manager_overview", (contract.id, "2024-04"),
                              lambda: manager_overview(session, contract, "2024-04"))
        session.rollback()
        return [(d["staff_id"], d["waived"], d["unenforced"]) for d in view["demands"]
                if d["reason"] == "monthly_late_early"]

    assert demands_shown() == [("1001", False, True)]
    waive_demand(session, loaded_contract, "1001", "monthly_late_early", dt.date(2024, 4, 1),
                 "已更换", actor="manager")
    assert demands_shown() == [("1001", True, False)]
