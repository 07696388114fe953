"""A6 and A7: the monthly summary per staff member, its totals, and the no sign-in month."""
import datetime as dt

from hallmon.attendance import rules as R
from hallmon.core.calendar import WorkCalendar
from tests.attendance_helpers import START, on_time, one, roster, summary


def test_the_fields_come_in_the_order_of_spec_a6():
    frame = summary("2024-03")
    assert list(frame.columns) == ["staff_id", "scheduled_days", "scheduled_minutes", "excused_minutes",
                                   "late_count", "serious_late_count", "late_minutes", "early_count",
                                   "early_minutes", "missing_punch_count", "absent_sessions", "absent_minutes",
                                   "chargeable_minutes", "makeup_used", "makeup_rejected", "punch_count",
                                   "no_signin_month", "late_early_events"]


def test_a_person_hired_on_the_15th_is_scheduled_from_the_15th():
    s = one(summary("2024-03", roster(("A", "2024-03-15", None))))
    assert s["scheduled_days"] == 11                  # Fri 15th and two full weeks
    assert s["scheduled_minutes"] == 11 * 390


def test_qingming_2024_rests_4_and_5_april_and_works_sunday_7_april():
    s = one(summary("2024-04", roster(("A", "2024-04-01", "2024-04-07"))))
    # Mon 1, Tue 2, Wed 3 worked; Thu 4 – Sat 6 holiday; Sun 7 a make-up working day
    assert s["scheduled_days"] == 4


def test_may_day_2024_rests_1_to_5_may_and_works_sunday_28_april_and_saturday_11_may():
    april = one(summary("2024-04", roster(("A", "2024-04-22", None))))
    may = one(summary("2024-05", roster(("A", "2020-01-01", "2024-05-11"))))
    assert april["scheduled_days"] == 8        # Mon 22 – Fri 26, Sun 28 (make-up), Mon 29, Tue 30
    assert may["scheduled_days"] == 6          # Mon 6 – Fri 10 (5) and Sat 11; 1–5 May rest
    whole_may = one(summary("2024-05"))
    assert whole_may["scheduled_days"] == 21   # 23 weekdays − 3 holiday weekdays + Saturday 11th


def test_a_make_up_working_day_is_scheduled_and_judged_like_any_other():
    s = one(summary("2024-04", roster(("A", "2024-04-07", "2024-04-07")), p=on_time("A", "2024-04-07")))
    assert (s["scheduled_days"], s["absent_sessions"], s["punch_count"]) == (1, 0, 4)


def test_punch_count_counts_every_punch_of_the_month_on_any_day():
    s = one(summary("2024-03", roster(("A", "2024-03-15", "2024-03-20")),
                    p=[("A", "2024-03-02 10:00:00"), ("A", "2024-03-30 10:00:00"), ("A", "2024-04-01 08:20:00")]))
    assert s["punch_count"] == 2  # a Saturday before hire and a Saturday after leaving; April is another month


def test_a_person_listed_but_never_scheduled_has_zeros_and_is_no_no_signin_month():
    s = one(summary("2024-10", roster(("A", "2024-10-01", "2024-10-07"))))
    assert (s["scheduled_days"], s["absent_sessions"], s["no_signin_month"]) == (0, 0, False)


def test_a_month_without_any_punch_is_a_no_signin_month():
    s = one(summary("2024-03"))
    assert bool(s["no_signin_month"])
    assert s["absent_sessions"] == 42 and s["chargeable_minutes"] == 21 * 390


def test_a_single_punch_on_a_saturday_is_enough_to_sign_in():
    s = one(summary("2024-03", p=[("A", "2024-03-09 09:00:00")]))
    assert not s["no_signin_month"]


def test_a_month_entirely_on_approved_leave_is_not_a_no_signin_month():
    s = one(summary("2024-03", lv=[("A", "2024-03-01 00:00:00", "2024-04-01 00:00:00", True)]))
    assert (s["excused_minutes"], s["scheduled_minutes"], s["no_signin_month"]) == (8190, 8190, False)


def test_leave_covering_all_but_one_session_still_leaves_a_no_signin_month():
    s = one(summary("2024-03", lv=[("A", "2024-03-01 00:00:00", "2024-03-29 12:00:00", True)]))
    assert s["no_signin_month"] and s["absent_sessions"] == 1


def test_the_summary_lists_staff_by_staff_id_and_totals_sum_them():
    people = roster(("B", "2020-01-01", None), ("A", "2024-03-15", None), ("C", "2020-01-01", "2024-02-29"))
    late = [("B", "2024-03-04 08:40:00"), ("B", "2024-03-04 12:05:00")]
    frame = summary("2024-03", people, p=on_time("B", "2024-03-01") + late)
    assert list(frame["staff_id"]) == ["A", "B"]
    totals = R.summary_totals(frame)
    assert totals["scheduled_days"] == 11 + 21
    assert totals["no_signin_month"] == 1     # A has no punch; B has
    assert totals["late_count"] == 1          # B on the morning of the 4th, 10 minutes late
    assert totals["missing_punch_count"] == 0
    assert totals["punch_count"] == 6


def test_months_outside_the_contract_list_nobody():
    frame = R.summarise_month(roster(("A", "2020-01-01", None)), START, dt.date(2024, 2, 29), "2024-03",
                              WorkCalendar(), R.AttendanceRules(sessions=((510, 720),)), R.empty_punches())
    assert frame.empty and R.summary_totals(frame)["scheduled_days"] == 0
