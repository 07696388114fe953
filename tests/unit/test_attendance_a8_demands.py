"""A8 replacement demands and A9 enforcement, on small literal frames."""
import datetime as dt

import pandas as pd

from hallmon.attendance import demands as A8
from hallmon.attendance import rules as R
from tests.attendance_helpers import END, START, punches

D = dt.date


def months(*rows) -> pd.DataFrame:
    """(staff_id, month, late_early_events, no_signin_month) rows."""
    return pd.DataFrame(rows, columns=[R.STAFF_ID, R.MONTH, "late_early_events", "no_signin_month"])


def keys(demands):
    return [(d.staff_id, d.reason, d.raised_on.isoformat(), d.deadline.isoformat()) for d in A8.sort_demands(demands)]


def test_each_month_reaching_the_monthly_limit_raises_a_demand_on_the_first_of_the_next_month():
    found = A8.late_early_demands(months(("A", "2024-01", 3, False), ("A", "2024-02", 2, False),
                                        ("A", "2024-03", 5, False), ("B", "2024-12", 4, False)), 3, 20, 15)
    assert keys(found) == [("A", "monthly_late_early", "2024-02-01", "2024-02-16"),
                           ("A", "monthly_late_early", "2024-04-01", "2024-04-16"),
                           ("B", "monthly_late_early", "2025-01-01", "2025-01-16")]


def test_the_annual_demand_is_raised_once_after_the_month_the_running_sum_first_reaches_the_limit():
    rows = [("A", f"2024-{m:02d}", 2, False) for m in range(1, 13)]   # 2 a month: 20 reached in October
    found = A8.late_early_demands(months(*rows), 3, 20, 15)
    assert keys(found) == [("A", "annual_late_early", "2024-11-01", "2024-11-16")]


def test_the_annual_sum_starts_again_each_calendar_year():
    rows = [("A", f"2024-{m:02d}", 2, False) for m in range(7, 13)]   # 12 in 2024
    rows += [("A", f"2025-{m:02d}", 2, False) for m in range(1, 7)]   # 12 in 2025
    assert A8.late_early_demands(months(*rows), 3, 20, 15) == []
    assert keys(A8.late_early_demands(months(*rows), 3, 12, 15)) == [
        ("A", "annual_late_early", "2025-01-01", "2025-01-16"),
        ("A", "annual_late_early", "2025-07-01", "2025-07-16")]


def test_a_no_signin_month_raises_a_demand():
    found = A8.no_signin_demands(months(("A", "2024-05", 0, True), ("B", "2024-05", 0, False)), 10)
    assert keys(found) == [("A", "no_signin", "2024-06-01", "2024-06-11")]


def test_the_complaint_that_makes_the_count_reach_the_limit_raises_the_demand_the_next_day():
    complaints = [("A", D(2024, 3, 5)), ("A", D(2024, 1, 10)), ("A", D(2024, 6, 1)), ("B", D(2024, 2, 2))]
    assert keys(A8.complaint_demands(complaints, START, END, 2, 15)) == [
        ("A", "complaints", "2024-03-06", "2024-03-21")]


def test_complaints_count_per_calendar_year_and_only_inside_the_contract():
    complaints = [("A", D(2023, 12, 30)), ("A", D(2024, 1, 2)), ("A", D(2025, 1, 3))]
    assert A8.complaint_demands(complaints, START, END, 2, 15) == []
    across = [("A", D(2024, 12, 31)), ("A", D(2024, 12, 31))]
    assert keys(A8.complaint_demands(across, START, END, 2, 15)) == [("A", "complaints", "2025-01-01", "2025-01-16")]


def test_demands_are_ordered_by_raised_on_staff_id_and_reason():
    found = (A8.late_early_demands(months(*[("B", f"2024-{m:02d}", 4, False) for m in range(1, 6)]), 3, 20, 15)
             + A8.no_signin_demands(months(("A", "2024-05", 0, True)), 15))
    ordered = keys(found)
    assert ordered[-3:] == [("A", "no_signin", "2024-06-01", "2024-06-16"),
                            ("B", "annual_late_early", "2024-06-01", "2024-06-16"),
                            ("B", "monthly_late_early", "2024-06-01", "2024-06-16")]


def test_demands_raised_after_the_as_of_date_are_not_listed():
    found = A8.no_signin_demands(months(("A", "2024-05", 0, True), ("A", "2024-06", 0, True)), 15)
    assert [d.raised_on for d in A8.demands_as_of(found, D(2024, 6, 30))] == [D(2024, 6, 1)]
    assert len(A8.demands_as_of(found, D(2024, 7, 1))) == 2


def demand(raised: str = "2024-04-01", days: int = 15, staff: str = "A") -> A8.Demand:
    return A8.demand_for(staff, "monthly_late_early", D.fromisoformat(raised), days)


def test_a_punch_on_the_deadline_is_enforced_and_one_the_day_after_is_not():
    on_deadline = A8.enforce([demand()], punches(("A", "2024-04-16 23:59:59")), START, END)
    assert not on_deadline[0].unenforced and on_deadline[0].unenforced_months == ()
    after = A8.enforce([demand()], punches(("A", "2024-04-17 00:00:00"), ("A", "2024-06-03 08:00:00")), START, END)
    assert after[0].unenforced and after[0].unenforced_months == ("2024-04", "2024-06")


def test_as_of_a_date_later_punches_are_not_looked_at():
    found = A8.enforce([demand()], punches(("A", "2024-04-20 08:00:00")), START, END, as_of=D(2024, 4, 19))
    assert not found[0].unenforced
    found = A8.enforce([demand()], punches(("A", "2024-04-20 08:00:00")), START, END, as_of=D(2024, 4, 20))
    assert found[0].unenforced_months == ("2024-04",)


def test_punches_after_the_contract_end_make_a_demand_unenforced_but_add_no_month():
    found = A8.enforce([demand("2025-01-01")], punches(("A", "2025-01-20 08:00:00")), START, END)
    assert found[0].unenforced and found[0].unenforced_months == ()


def test_a_waived_demand_is_never_unenforced():
    d = demand()
    found = A8.enforce([d], punches(("A", "2024-05-20 08:00:00")), START, END, waived=[d.key])
    assert found[0].waived and not found[0].unenforced and found[0].unenforced_months == ()


def test_someone_elses_punches_do_not_make_a_demand_unenforced():
    assert not A8.enforce([demand()], punches(("B", "2024-05-20 08:00:00")), START, END)[0].unenforced


def test_a_person_month_is_counted_once_however_many_demands_are_unenforced():
    found = A8.enforce([demand("2024-04-01"), A8.demand_for("A", "no_signin", D(2024, 5, 1), 15),
                       demand("2024-05-01", staff="B")],
                      punches(("A", "2024-05-20 08:00:00"), ("A", "2024-06-20 08:00:00"),
                              ("B", "2024-05-10 08:00:00")), START, END)  # B left in time
    assert A8.unenforced_person_months(found) == {"2024-05": ["A"], "2024-06": ["A"]}
