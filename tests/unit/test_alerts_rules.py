"""J1 alert conditions, the spending plan, and J4 raise-once / clear-when-gone."""
import datetime as dt
from decimal import Decimal

from hallmon.alerts.rules import (
    Alert,
    ComplaintFact,
    NoticeFact,
    SubmittedFact,
    complaint_alerts,
    demand_alerts,
    notice_alerts,
    settlement_alerts,
    spending_alert,
    spending_checkpoints,
    synchronise,
)
from hallmon.attendance.demands import Demand
from hallmon.core.calendar import WorkCalendar

D = dt.date


def test_a_notice_missing_past_its_deadline_or_sent_late_is_overdue():
    alerts = notice_alerts([NoticeFact("DT", "2024-01", "missing", D(2024, 2, 19)),
                            NoticeFact("DT", "2024-02", "pending", D(2024, 3, 14)),
                            NoticeFact("DT", "2023-12", "late", D(2024, 1, 15), D(2024, 3, 26)),
                            NoticeFact("DT", "2023-11", "on_time", D(2023, 12, 14), D(2023, 12, 10))])
    assert [a.subject for a in alerts] == ["DT/2024-01", "DT/2023-12"]
    assert "2024-02-19" in alerts[0].message and "逾期 71 天" in alerts[1].message


def test_overdue_complaints_and_those_due_within_two_working_days():
    cal = WorkCalendar()
    as_of = D(2024, 9, 27)  # Friday; Sunday 29 Sept is a 调休 working day, then 30 Sept
    facts = [ComplaintFact("DT", "C1", "hotline", "overdue", D(2024, 9, 20)),
             ComplaintFact("DT", "C2", "petition", "open", D(2024, 9, 30)),   # 2nd working day after T: soon
             ComplaintFact("DT", "C3", "petition", "open", D(2024, 10, 8)),   # after the holiday: not yet
             ComplaintFact("DT", "C4", "review", "on_time", D(2024, 9, 27))]
    assert [(a.kind, a.subject) for a in complaint_alerts(facts, as_of, cal)] == [
        ("complaint_overdue", "C1"), ("complaint_due_soon", "C2")]


def test_a_settlement_unverified_after_five_working_days_is_an_alert():
    cal = WorkCalendar()
    submitted = [SubmittedFact("DT", "2024-03", D(2024, 4, 1))]  # 5th working day after: 9 April (4–6 April Qingming, 7th worked)
    assert settlement_alerts(submitted, D(2024, 4, 9), cal) == []
    assert [a.subject for a in settlement_alerts(submitted, D(2024, 4, 10), cal)] == ["DT/2024-03"]


def test_unenforced_unwaived_demands_are_alerts():
    demands = [Demand("S1", "no_signin", D(2024, 8, 1), D(2024, 8, 16), False, True, ("2024-08",)),
               Demand("S2", "no_signin", D(2024, 8, 1), D(2024, 8, 16), False, False, ())]
    assert [a.subject for a in demand_alerts("DT", demands)] == ["DT/S1/no_signin/2024-08-01"]


def bases(n: int, fee: str = "100.00") -> dict[str, Decimal]:
    return {f"{2024 + i // 12}-{i % 12 + 1:02d}": Decimal(fee) for i in range(n)}


def test_the_spending_plan_of_a_calendar_year_contract():
    points = spending_checkpoints(bases(12))
    assert [(c.month, str(c.target)) for c in points] == [
        ("2024-03", "300.00"), ("2024-06", "600.00"), ("2024-10", "900.00"), ("2024-12", "1200.00")]


def test_a_second_short_year_is_due_in_full_at_its_end_on_top_of_the_first():
    points = spending_checkpoints(bases(18))
    assert [(c.month, str(c.target)) for c in points][-2:] == [("2025-03", "1350.00"), ("2025-06", "1800.00")]


def test_payments_behind_the_latest_passed_checkpoint_raise_an_alert():
    points = spending_checkpoints(bases(12))
    assert spending_alert("DT", points, Decimal("250.00"), Decimal("1200.00"), D(2024, 3, 31)) is None  # not passed yet
    alert = spending_alert("DT", points, Decimal("250.00"), Decimal("1200.00"), D(2024, 4, 1))
    assert alert.subject == "DT/2024-03" and alert.details["target"] == "300.00" and alert.details["paid_share"] == 0.2083
    assert spending_alert("DT", points, Decimal("300.00"), Decimal("1200.00"), D(2024, 4, 1)) is None


def test_alerts_are_raised_once_and_cleared_when_their_condition_goes():
    a, b = Alert("k", "1", "DT", "a"), Alert("k", "2", "DT", "b")
    first = synchronise([], [a, b])
    assert [x.subject for x in first.raise_] == ["1", "2"] and first.clear == []
    second = synchronise([("k", "1"), ("k", "2")], [b])
    assert second.raise_ == [] and [x.subject for x in second.keep] == ["2"] and second.clear == [("k", "1")]
