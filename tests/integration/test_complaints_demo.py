"""The demo hall's complaints look like the Datong report's year: 35 petitions in 2023, 1 091 in 2024, 460 resolved."""
from collections import Counter

from hallmon.complaints.services import load_complaints
from hallmon.demo import DemoResult, hall
from hallmon.demo import complaints as demo_complaints
from hallmon.roster.services import get_contract
from hallmon.uow import unit_of_work


def test_the_demo_complaints_follow_datong_report(session, tmp_path, cli):
    result = DemoResult(hall.CONTRACT_CODE)
    with unit_of_work(session):
        hall.build(session, tmp_path, 2024, result)
        demo_complaints.build(session, tmp_path, 2024, result)
    dt2024 = get_contract(session, "DT-2024")
    petitions = [c for c in load_complaints(session, dt2024) if c.channel == "petition"]
    by_year = Counter(c.received_on.year for c in petitions)
    assert by_year == {2023: 35, 2024: 1091}
    this_year = [c for c in petitions if c.received_on.year == 2024]
    assert sum(1 for c in this_year if c.resolved_on is not None) == 460  # 42 %
    assert Counter(c.category for c in this_year) == {"business": 1085, "personnel": 6}
    assert any(c.extended for c in this_year)
    substantiated = Counter(c.staff_id for c in load_complaints(session, dt2024)
                            if c.category == "personnel" and c.substantiated)
    assert max(substantiated.values()) == 2  # one person reaches the A8 limit of 2 a year
    document = cli("complaints", "stats", "DT-2024", "--from", "2024-01-01", "--to", "2024-12-31", "--json").json()
    assert document["by_channel"]["petition"] == 1091 and document["received_prev"] == 35
    assert min(document["by_channel"].values()) > 0
    assert 0 < document["accept_overdue"] < 60
    assert document["backlog"] >= 1091 - 460


def test_the_demo_complaints_are_the_same_for_the_same_seed(session, tmp_path):
    with unit_of_work(session):
        hall.build(session, tmp_path, 7, DemoResult(hall.CONTRACT_CODE))
        demo_complaints.build(session, tmp_path, 7, DemoResult(hall.CONTRACT_CODE))
    first = (tmp_path / "信访台账-2024.csv").read_bytes()
    with unit_of_work(session):
        demo_complaints.build(session, tmp_path, 7, DemoResult(hall.CONTRACT_CODE))
    assert (tmp_path / "信访台账-2024.csv").read_bytes() == first
