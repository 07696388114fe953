"""A person's month session by session, and the month's outcomes by week (what the manager's pages show)."""
import datetime as dt

from hallmon.attendance.services import outcomes_by_week, person_month
from hallmon.core.periods import Month
from tests.billing_helpers import load_hall
from tests.drive import contract


def test_a_persons_month_shows_each_session_with_the_punches_that_decided_it(cli, session, tmp_path):
    load_hall(cli, tmp_path)
    month = person_month(session, contract(session, "B-1"), Month("2024-03"), "B")
    assert (month["name"], month["hired_on"]) == ("李娜", dt.date(2024, 3, 11))
    twelfth = next(d for d in month["days"] if d["date"] == dt.date(2024, 3, 12))
    assert twelfth["punches"] == ["14:25:00", "17:35:00"]
    assert [(s["session"], s["in"], s["out"], s["outcome"], s["chargeable"]) for s in twelfth["sessions"]] == [
        ("08:30–12:00", None, None, "旷工", 210), ("14:30–17:30", "14:25:00", "17:35:00", "正常", 0)]
    assert month["days"][0]["date"] == dt.date(2024, 3, 11) and month["summary"].absent_sessions == 1
    late = person_month(session, contract(session, "B-1"), Month("2024-03"), "A")
    fifth = next(d for d in late["days"] if d["date"] == dt.date(2024, 3, 5))
    assert fifth["sessions"][0]["outcome"] == "迟到 10 分" and fifth["sessions"][0]["bad"]


def test_outcomes_are_counted_by_week(cli, session, tmp_path):
    load_hall(cli, tmp_path)
    weeks, counts = outcomes_by_week(session, contract(session, "B-1"), Month("2024-03"))
    assert weeks[:2] == ["2/26 起", "3/4 起"]
    assert counts["迟到"][1] == 1 and sum(counts["迟到"]) == 1
    assert counts["旷工"][2] == 1 and sum(counts["旷工"]) == 1
