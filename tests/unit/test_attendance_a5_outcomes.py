"""A5: late, serious late, early, missing punch and absent, with their minutes."""
from tests.attendance_helpers import one_day

DAY = "2024-03-01"  # a Friday; sessions 08:30–12:00 and 14:30–17:30, grace 5, serious 30


def morning(in_clock: str, **rules) -> dict:
    return one_day(DAY, in_clock, "12:05:00", "14:20:00", "17:40:00", **rules)


def test_late_within_grace_is_not_late():
    day = morning("08:35:00")
    assert (day["late_count"], day["late_minutes"], day["chargeable_minutes"]) == (0, 0, 0)


def test_five_minutes_and_59_seconds_late_is_still_within_grace():
    assert morning("08:35:59")["late_count"] == 0


def test_six_minutes_late_is_late():
    day = morning("08:36:00")
    assert (day["late_count"], day["serious_late_count"], day["late_minutes"]) == (1, 0, 6)
    assert day["chargeable_minutes"] == 6 and day["late_early_events"] == 1


def test_a_serious_late_counts_as_a_late():
    day = morning("09:01:00")  # 31 minutes > 30
    assert (day["late_count"], day["serious_late_count"], day["late_minutes"]) == (1, 1, 31)


def test_thirty_minutes_late_is_late_but_not_serious():
    day = morning("09:00:59")
    assert (day["late_count"], day["serious_late_count"], day["late_minutes"]) == (1, 0, 30)


def test_a_serious_late_is_a_late_even_when_the_grace_is_longer():
    day = morning("08:45:00", grace_minutes=20, serious_late_minutes=10)
    assert (day["late_count"], day["serious_late_count"]) == (1, 1)


def test_leaving_six_minutes_early_is_early_and_five_is_not():
    day = one_day(DAY, "08:20:00", "12:05:00", "14:20:00", "17:24:00")
    assert (day["early_count"], day["early_minutes"], day["chargeable_minutes"]) == (1, 6, 6)
    assert one_day(DAY, "08:20:00", "12:05:00", "14:20:00", "17:25:00")["early_count"] == 0


def test_early_minutes_are_floored_on_exact_seconds():
    # 17:30:00 − 17:23:59 = 6 min 1 s → 6 minutes
    assert one_day(DAY, "08:20:00", "12:05:00", "14:20:00", "17:23:59")["early_minutes"] == 6


def test_arriving_early_and_leaving_late_is_never_negative():
    day = one_day(DAY, "07:00:00", "13:00:00", "13:30:00", "23:00:00")
    assert (day["late_minutes"], day["early_minutes"], day["chargeable_minutes"]) == (0, 0, 0)


def test_a_missing_out_is_a_missing_punch_and_not_early():
    day = one_day(DAY, "08:20:00", "14:20:00", "17:40:00")  # no lunch OUT
    assert day["missing_punch_count"] == 1 and day["early_count"] == 0
    # by default a missing punch is absent: the whole morning (210 minutes) is chargeable
    assert (day["absent_sessions"], day["absent_minutes"], day["chargeable_minutes"]) == (1, 210, 210)


def test_a_missing_punch_that_is_absent_is_not_judged_late():
    day = one_day(DAY, "09:40:00", "14:20:00", "17:40:00")
    assert (day["late_count"], day["missing_punch_count"], day["chargeable_minutes"]) == (0, 1, 210)


def test_when_a_missing_punch_is_not_absent_late_is_judged_on_the_punch_that_exists():
    day = one_day(DAY, "09:40:00", "14:20:00", "17:40:00", missing_punch_counts_as_absent=False)
    assert (day["missing_punch_count"], day["absent_sessions"], day["absent_minutes"]) == (1, 0, 0)
    assert (day["late_count"], day["serious_late_count"], day["late_minutes"]) == (1, 1, 70)
    assert day["chargeable_minutes"] == 70


def test_when_a_missing_punch_is_not_absent_early_is_judged_on_the_out_that_exists():
    day = one_day(DAY, "11:00:00", "14:20:00", "17:40:00", missing_punch_counts_as_absent=False)
    # 11:00 is past the morning midpoint 10:15: an OUT, 60 minutes early, and no IN
    assert (day["missing_punch_count"], day["early_count"], day["early_minutes"]) == (1, 1, 60)
    assert day["late_count"] == 0 and day["chargeable_minutes"] == 60


def test_no_punch_at_all_is_absent_for_both_sessions():
    day = one_day(DAY)
    assert (day["absent_sessions"], day["absent_minutes"], day["chargeable_minutes"]) == (2, 390, 390)
    assert day["missing_punch_count"] == 0


def test_late_and_early_in_one_session_are_both_charged():
    day = one_day(DAY, "08:40:00", "11:50:00", "14:20:00", "17:40:00")
    assert (day["late_minutes"], day["early_minutes"], day["chargeable_minutes"]) == (10, 10, 20)
    assert day["late_early_events"] == 2


def test_late_minutes_sum_only_over_late_sessions():
    # morning 4 minutes late (within grace), afternoon 7 minutes late
    day = one_day(DAY, "08:34:00", "12:05:00", "14:37:00", "17:40:00")
    assert (day["late_count"], day["late_minutes"], day["chargeable_minutes"]) == (1, 7, 7)
