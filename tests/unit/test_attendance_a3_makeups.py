"""A3: the make-up quota, taken in time order per staff member and calendar month."""
from hallmon.attendance import rules as R
from tests.attendance_helpers import makeups, one, one_day, punches, summary

QUOTA = 3


def test_the_fourth_approved_makeup_in_a_month_is_rejected_when_the_quota_is_3():
    judged = R.accept_makeups(makeups(("A", "2024-03-20 08:30:00", True), ("A", "2024-03-04 08:30:00", True),
                                      ("A", "2024-03-11 08:30:00", True), ("A", "2024-03-06 08:30:00", True)), QUOTA)
    # in time order: 4th, 6th, 11th accepted; the 20th is the fourth
    assert list(judged[R.ACCEPTED]) == [False, True, True, True]
    assert list(judged[R.REJECTED]) == [True, False, False, False]


def test_unapproved_makeups_are_neither_used_nor_rejected_and_take_no_quota():
    judged = R.accept_makeups(makeups(("A", "2024-03-01 08:30:00", False), ("A", "2024-03-02 08:30:00", True),
                                      ("A", "2024-03-03 08:30:00", True), ("A", "2024-03-04 08:30:00", True)), QUOTA)
    assert list(judged[R.ACCEPTED]) == [False, True, True, True]
    assert list(judged[R.REJECTED]) == [False, False, False, False]


def test_the_quota_is_per_person_and_per_calendar_month():
    rows = [("A", f"2024-03-0{d} 08:30:00", True) for d in range(1, 5)]
    rows += [("B", "2024-03-05 08:30:00", True), ("A", "2024-04-01 08:30:00", True)]
    judged = R.accept_makeups(makeups(*rows), QUOTA)
    assert list(judged[R.ACCEPTED]) == [True, True, True, False, True, True]


def test_a_quota_of_zero_rejects_every_approved_makeup():
    judged = R.accept_makeups(makeups(("A", "2024-03-01 08:30:00", True)), 0)
    assert list(judged[R.REJECTED]) == [True]


def test_an_accepted_makeup_fills_a_missing_punch():
    day = one_day("2024-03-01", "08:20:00", "14:20:00", "17:40:00", m=[("A", "2024-03-01 12:00:00", True)])
    assert (day["missing_punch_count"], day["absent_sessions"], day["makeup_used"]) == (0, 0, 1)
    assert day["punch_count"] == 4


def test_an_accepted_makeup_at_the_time_of_a_device_punch_is_one_punch_but_uses_the_quota():
    day = one_day("2024-03-01", "08:20:00", "12:05:00", "14:20:00", "17:40:00",
                  m=[("A", "2024-03-01 12:05:00", True)])
    assert (day["punch_count"], day["makeup_used"]) == (4, 1)


def test_makeups_beyond_the_quota_are_counted_and_do_not_count_as_punches():
    rows = [("A", f"2024-03-0{d} 12:00:00", True) for d in range(4, 9)]  # Mon 4th .. Fri 8th
    s = one(summary("2024-03", m=rows))
    assert (s["makeup_used"], s["makeup_rejected"], s["punch_count"]) == (3, 2, 3)


def test_an_accepted_makeup_on_a_weekend_is_a_punch_of_the_month():
    s = one(summary("2024-03", p=[("A", "2024-03-04 08:20:00")], m=[("A", "2024-03-09 10:00:00", True)]))
    assert (s["makeup_used"], s["punch_count"]) == (1, 2)


def test_makeups_of_another_month_do_not_count_in_this_one():
    s = one(summary("2024-03", m=[("A", "2024-02-29 12:00:00", True), ("A", "2024-04-01 12:00:00", True)]))
    assert (s["makeup_used"], s["makeup_rejected"], s["punch_count"]) == (0, 0, 0)


def test_merge_keeps_one_punch_per_staff_and_exact_time():
    merged = R.merge_punches(punches(("A", "2024-03-01 08:00:00"), ("A", "2024-03-01 08:00:00"),
                                     ("B", "2024-03-01 08:00:00")),
                             makeups(("A", "2024-03-01 08:00:01", True)))
    assert len(merged) == 3
