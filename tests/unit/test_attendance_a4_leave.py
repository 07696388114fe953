"""A4: approved leave that contains a whole session excuses it."""
from tests.attendance_helpers import one_day

DAY = "2024-03-01"


def test_a_whole_session_leave_excuses_and_a_partial_one_does_not():
    whole = one_day(DAY, "14:20:00", "17:40:00", lv=[("A", "2024-03-01 08:30:00", "2024-03-01 12:00:00", True)])
    assert (whole["excused_minutes"], whole["absent_sessions"], whole["chargeable_minutes"]) == (210, 0, 0)
    assert whole["scheduled_minutes"] == 390
    partial = one_day(DAY, "14:20:00", "17:40:00", lv=[("A", "2024-03-01 08:31:00", "2024-03-01 12:00:00", True)])
    assert (partial["excused_minutes"], partial["absent_sessions"], partial["chargeable_minutes"]) == (0, 1, 210)


def test_a_leave_ending_one_second_early_does_not_excuse():
    day = one_day(DAY, "14:20:00", "17:40:00", lv=[("A", "2024-03-01 08:00:00", "2024-03-01 11:59:59", True)])
    assert day["excused_minutes"] == 0


def test_a_whole_day_leave_excuses_both_sessions():
    day = one_day(DAY, lv=[("A", "2024-03-01 00:00:00", "2024-03-02 00:00:00", True)])
    assert (day["excused_minutes"], day["absent_sessions"], day["chargeable_minutes"]) == (390, 0, 0)


def test_an_unapproved_leave_changes_nothing():
    day = one_day(DAY, lv=[("A", "2024-03-01 00:00:00", "2024-03-02 00:00:00", False)])
    assert (day["excused_minutes"], day["absent_sessions"]) == (0, 2)


def test_two_leaves_that_only_together_cover_a_session_do_not_excuse_it():
    day = one_day(DAY, "14:20:00", "17:40:00", lv=[("A", "2024-03-01 08:00:00", "2024-03-01 10:00:00", True),
                                                   ("A", "2024-03-01 10:00:00", "2024-03-01 12:30:00", True)])
    assert day["excused_minutes"] == 0


def test_an_excused_session_gets_no_outcome_even_with_punches():
    day = one_day(DAY, "09:40:00", "14:20:00", "17:40:00",
                  lv=[("A", "2024-03-01 08:00:00", "2024-03-01 12:00:00", True)])
    assert (day["late_count"], day["missing_punch_count"], day["chargeable_minutes"]) == (0, 0, 0)
    assert day["punch_count"] == 3


def test_a_leave_of_someone_else_excuses_nothing():
    day = one_day(DAY, lv=[("B", "2024-03-01 00:00:00", "2024-03-02 00:00:00", True)])
    assert day["excused_minutes"] == 0
