"""A2: punch ranges, midpoints, IN and OUT."""
import numpy as np

from hallmon.attendance import rules as R
from tests.attendance_helpers import DEFAULT, one_day, punches

H = R.NS_SECOND * 3600
M = R.NS_SECOND * 60


def test_ranges_start_at_midnight_and_at_the_midpoint_between_sessions():
    starts, mids = R.punch_ranges(DEFAULT.sessions)
    assert list(starts) == [0, 13 * H + 15 * M]            # (12:00 + 14:30) / 2 = 13:15
    assert list(mids) == [10 * H + 15 * M, 16 * H]         # (08:30+12:00)/2, (14:30+17:30)/2


def test_a_midpoint_of_hh_mm_times_falls_on_a_whole_second():
    starts, mids = R.punch_ranges(((8 * 60 + 31, 12 * 60), (13 * 60 + 1, 17 * 60)))
    assert mids[0] == (10 * 3600 + 15 * 60 + 30) * R.NS_SECOND   # (08:31 + 12:00) / 2 = 10:15:30
    assert starts[1] == (12 * 3600 + 30 * 60 + 30) * R.NS_SECOND  # (12:00 + 13:01) / 2 = 12:30:30


def test_a_punch_exactly_on_the_boundary_belongs_to_the_later_session():
    c = R.classify_punches(punches(("A", "2024-03-01 13:14:59"), ("A", "2024-03-01 13:15:00")), DEFAULT.sessions)
    assert list(c[R.SESSION]) == [0, 1]
    assert list(c[R.IS_IN]) == [False, True]


def test_a_punch_exactly_at_the_session_midpoint_is_an_out_punch():
    c = R.classify_punches(punches(("A", "2024-03-01 10:14:59"), ("A", "2024-03-01 10:15:00")), DEFAULT.sessions)
    assert list(c[R.IS_IN]) == [True, False]


def test_in_is_the_earliest_in_punch_and_out_the_latest_out_punch():
    found = R.session_punches(punches(("A", "2024-03-01 08:25:00"), ("A", "2024-03-01 08:10:00"),
                                      ("A", "2024-03-01 11:00:00"), ("A", "2024-03-01 12:30:00")), DEFAULT.sessions)
    row = found.iloc[0]
    assert row[R.IN] == (8 * 3600 + 10 * 60) * R.NS_SECOND
    assert row[R.OUT] == (12 * 3600 + 30 * 60) * R.NS_SECOND
    assert len(found) == 1


def test_punches_across_the_midday_boundary_go_to_the_right_session():
    # 13:20 lies after the 13:15 boundary: it is the afternoon IN, not a late morning OUT.
    day = one_day("2024-03-01", "08:20:00", "13:20:00", "17:40:00")
    assert day["missing_punch_count"] == 1 and day["absent_sessions"] == 1   # morning has no OUT
    assert day["late_count"] == 0
    # 13:10 lies before it: it is the morning OUT; the afternoon has no IN.
    day = one_day("2024-03-01", "08:20:00", "13:10:00", "17:40:00")
    assert day["missing_punch_count"] == 1
    assert day["absent_minutes"] == 180   # the afternoon, 14:30–17:30


def test_a_punch_after_midnight_belongs_to_its_own_day():
    found = R.session_punches(punches(("A", "2024-03-02 00:00:00")), DEFAULT.sessions)
    assert str(found.iloc[0][R.DAY].date()) == "2024-03-02"
    assert found.iloc[0][R.IN] == 0 and np.isnan(found.iloc[0][R.OUT])
