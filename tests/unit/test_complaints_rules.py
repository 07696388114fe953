"""C1–C3: due dates per channel, status as of a date, and the statistics of a range."""
import datetime as dt

import pytest

from hallmon.complaints.rules import (
    ComplaintFacts,
    Judge,
    accept_by,
    ageing_bucket,
    complaint_statistics,
    due_date,
    figures_of,
    is_accept_overdue,
    status,
)
from hallmon.contract import ComplaintTerms
from hallmon.core.calendar import WorkCalendar

D = dt.date
MARCH_1 = D(2024, 3, 1)
TERMS = ComplaintTerms()  # defaults: accept 15 days, resolve 60, extension 30; consult 2, help 5, complaint 10


def judge(terms: ComplaintTerms = TERMS, **calendar) -> Judge:
    return Judge(terms, WorkCalendar(**calendar))


def complaint(channel="petition", received=MARCH_1, kind=None, accepted=None, resolved=None,
              extended=False, category="business", cid="X", contract="T-1") -> ComplaintFacts:
    return ComplaintFacts(cid, contract, channel, kind, category, received, accepted, extended, resolved)


# ---------------------------------------------------------------- C1 due dates


def test_a_hotline_consultation_received_on_the_friday_before_dragon_boat_is_due_two_working_days_later():
    # Fri 2024-06-07; Sat 8 and Sun 9 rest, Mon 10 is 端午节; Tue 11 is the first working day, Wed 12 the second
    c = complaint("hotline", D(2024, 6, 7), kind="consult")
    assert due_date(c, judge()) == D(2024, 6, 12)


def test_a_hotline_help_request_gets_five_working_days_across_the_holiday():
    # after Fri 2024-06-07: Tue 11, Wed 12, Thu 13, Fri 14, Mon 17
    assert due_date(complaint("hotline", D(2024, 6, 7), kind="help"), judge()) == D(2024, 6, 17)


def test_a_hotline_complaint_gets_ten_working_days():
    # after Fri 2024-06-07: 11 12 13 14 | 17 18 19 20 21 | 24
    assert due_date(complaint("hotline", D(2024, 6, 7), kind="complaint"), judge()) == D(2024, 6, 24)


def test_a_saturday_make_up_working_day_counts_before_mid_autumn():
    # Fri 2024-09-13; Sat 14 is a 调休 working day (1st); Sun 15 to Tue 17 rest (中秋); Wed 18 is the 2nd
    assert due_date(complaint("hotline", D(2024, 9, 13), kind="consult"), judge()) == D(2024, 9, 18)


def test_an_onsite_complaint_on_the_eve_of_national_day_uses_other_workdays():
    # Mon 2024-09-30; 1–7 Oct rest; Tue 8, Wed 9, Thu 10, Fri 11, and Sat 12 (调休) is the 5th working day
    assert due_date(complaint("onsite", D(2024, 9, 30)), judge()) == D(2024, 10, 12)


def test_a_review_uses_review_workdays():
    terms = ComplaintTerms(review_workdays=3)
    # Mon 2024-03-04 + 3 working days = Thu 2024-03-07
    assert due_date(complaint("review", D(2024, 3, 4)), judge(terms)) == D(2024, 3, 7)


def test_the_contracts_extra_holiday_moves_a_hotline_due_date():
    # 2024-06-11 declared a holiday by the contract: Wed 12 is the 1st working day, Thu 13 the 2nd
    c = complaint("hotline", D(2024, 6, 7), kind="consult")
    assert due_date(c, judge(extra_holidays=[D(2024, 6, 11)])) == D(2024, 6, 13)


def test_the_contracts_hotline_workdays_apply():
    terms = ComplaintTerms(hotline_workdays=(("consult", 3), ("help", 5), ("complaint", 10)))
    assert due_date(complaint("hotline", D(2024, 6, 7), kind="consult"), judge(terms)) == D(2024, 6, 13)


def test_a_petition_accepted_in_time_is_due_60_days_after_its_acceptance():
    # accept by 2024-03-01 + 15 = 2024-03-16; accepted 2024-03-05; + 60 days = 2024-05-04
    c = complaint(received=D(2024, 3, 1), accepted=D(2024, 3, 5))
    assert accept_by(c, TERMS) == D(2024, 3, 16)
    assert due_date(c, judge()) == D(2024, 5, 4)


def test_an_extended_petition_gets_30_more_days():
    # 2024-03-05 + 60 + 30 = 2024-06-03
    c = complaint(received=D(2024, 3, 1), accepted=D(2024, 3, 5), extended=True)
    assert due_date(c, judge()) == D(2024, 6, 3)


def test_a_late_acceptance_buys_no_time():
    # accepted 2024-03-25, after accept-by 2024-03-16: due 2024-03-16 + 60 = 2024-05-15
    c = complaint(received=D(2024, 3, 1), accepted=D(2024, 3, 25))
    assert due_date(c, judge()) == D(2024, 5, 15)


def test_a_petition_without_acceptance_counts_from_its_accept_by_date():
    assert due_date(complaint(received=D(2024, 3, 1)), judge()) == D(2024, 5, 15)


def test_as_of_a_date_before_the_acceptance_the_petition_counts_from_its_accept_by_date():
    c = complaint(received=D(2024, 3, 1), accepted=D(2024, 3, 5))
    assert due_date(c, judge(), as_of=D(2024, 3, 4)) == D(2024, 5, 15)
    assert due_date(c, judge(), as_of=D(2024, 3, 5)) == D(2024, 5, 4)


def test_petitions_count_calendar_days_whatever_the_contracts_calendar_says():
    c = complaint(received=D(2024, 9, 30), accepted=D(2024, 10, 1))  # accepted on a national holiday
    # 2024-10-01 + 60 days = 2024-11-30, a Saturday: calendar days, no working-day shift
    assert due_date(c, judge(extra_holidays=[D(2024, 11, 29)])) == D(2024, 11, 30)


# ---------------------------------------------------------------- C2 status as of T


def test_resolved_on_the_due_date_is_on_time_and_a_day_later_is_late():
    due = D(2024, 6, 12)
    assert status(complaint("hotline", D(2024, 6, 7), "consult", resolved=due), due, D(2024, 12, 31)) == "on_time"
    late = complaint("hotline", D(2024, 6, 7), "consult", resolved=D(2024, 6, 13))
    assert status(late, due, D(2024, 12, 31)) == "resolved_late"


def test_unresolved_is_open_until_the_due_date_and_overdue_after_it():
    c = complaint("hotline", D(2024, 6, 7), "consult")
    assert status(c, D(2024, 6, 12), D(2024, 6, 12)) == "open"
    assert status(c, D(2024, 6, 12), D(2024, 6, 13)) == "overdue"


def test_a_resolution_dated_after_t_has_not_happened_as_of_t():
    c = complaint("hotline", D(2024, 6, 7), "consult", resolved=D(2024, 6, 20))
    due = D(2024, 6, 12)
    assert status(c, due, D(2024, 6, 11)) == "open"
    assert status(c, due, D(2024, 6, 19)) == "overdue"
    assert status(c, due, D(2024, 6, 20)) == "resolved_late"


def test_an_acceptance_on_the_accept_by_date_is_in_time_and_a_day_later_is_accept_overdue():
    on_time = complaint(received=D(2024, 3, 1), accepted=D(2024, 3, 16))
    late = complaint(received=D(2024, 3, 1), accepted=D(2024, 3, 17))
    assert not is_accept_overdue(on_time, TERMS, D(2024, 12, 31))
    assert is_accept_overdue(late, TERMS, D(2024, 12, 31))


def test_an_unaccepted_petition_becomes_accept_overdue_the_day_after_its_accept_by_date():
    c = complaint(received=D(2024, 3, 1))
    assert not is_accept_overdue(c, TERMS, D(2024, 3, 16))
    assert is_accept_overdue(c, TERMS, D(2024, 3, 17))


def test_an_acceptance_dated_after_t_has_not_happened_as_of_t():
    in_time_but_later = complaint(received=D(2024, 3, 1), accepted=D(2024, 3, 10))
    assert not is_accept_overdue(in_time_but_later, TERMS, D(2024, 3, 8))  # T before accept-by: not yet
    late = complaint(received=D(2024, 3, 1), accepted=D(2024, 3, 25))
    assert is_accept_overdue(late, TERMS, D(2024, 3, 20))  # unaccepted at T past accept-by


def test_a_petition_resolved_without_acceptance_was_never_accepted():
    c = complaint(received=D(2024, 3, 1), resolved=D(2024, 3, 5))
    assert not is_accept_overdue(c, TERMS, D(2024, 3, 16))
    assert is_accept_overdue(c, TERMS, D(2024, 3, 31))


def test_other_channels_are_never_accept_overdue():
    assert not is_accept_overdue(complaint("hotline", D(2024, 1, 2), "consult"), TERMS, D(2024, 12, 31))


# ---------------------------------------------------------------- C3 statistics


@pytest.mark.parametrize("days, bucket", [(0, "0-15"), (15, "0-15"), (16, "16-60"), (60, "16-60"),
                                          (61, "61-90"), (90, "61-90"), (91, ">90"), (400, ">90")])
def test_ageing_bucket_edges(days, bucket):
    assert ageing_bucket(days) == bucket


def stats(complaints, start, end, judges=None):
    return complaint_statistics(complaints, judges or {"T-1": judge()}, start, end)


def test_the_backlog_includes_complaints_received_before_from_and_ages_them_from_their_receipt():
    end = D(2024, 6, 30)
    s = stats([
        complaint(cid="old", received=D(2024, 3, 31)),                        # 91 days: >90
        complaint(cid="edge90", received=D(2024, 4, 1)),                      # 90 days: 61-90
        complaint(cid="edge61", received=D(2024, 4, 30)),                     # 61 days
        complaint(cid="edge60", received=D(2024, 5, 1)),                      # 60 days: 16-60
        complaint(cid="edge16", received=D(2024, 6, 14)),                     # 16 days
        complaint(cid="edge15", received=D(2024, 6, 15)),                     # 15 days: 0-15
        complaint(cid="today", received=end),                                 # 0 days
        complaint(cid="done", received=D(2024, 1, 5), resolved=D(2024, 2, 1)),  # resolved: not backlog
        complaint(cid="later", received=D(2024, 2, 1), resolved=D(2024, 7, 1)),  # resolved after `to`: backlog
        complaint(cid="future", received=D(2024, 7, 1)),                      # received after `to`: nothing
    ], D(2024, 6, 1), end)
    assert s.backlog == 8
    assert dict(s.ageing) == {"0-15": 2, "16-60": 2, "61-90": 2, ">90": 2}
    assert s.received == 3  # edge16, edge15, today


def test_received_resolved_on_time_and_rates_of_a_range():
    start, end = D(2024, 6, 1), D(2024, 6, 30)
    s = stats([
        complaint("hotline", D(2024, 6, 7), "consult", resolved=D(2024, 6, 12), cid="a"),  # due 06-12: on time
        complaint("hotline", D(2024, 6, 7), "consult", resolved=D(2024, 6, 13), cid="b"),  # resolved late
        complaint("hotline", D(2024, 6, 7), "consult", resolved=D(2024, 7, 1), cid="c"),   # not resolved by `to`
    ], start, end)
    assert (s.received, s.resolved, s.on_time, s.backlog) == (3, 2, 1, 1)
    assert s.resolution_rate == 0.6667  # 2/3 = 0.66666… half up
    assert s.on_time_rate == 0.5


def test_accept_overdue_counts_the_received_petitions_late_in_acceptance_as_of_to():
    start, end = D(2024, 3, 1), D(2024, 3, 31)
    s = stats([
        complaint(cid="in-time", received=D(2024, 3, 1), accepted=D(2024, 3, 16)),
        complaint(cid="late", received=D(2024, 3, 1), accepted=D(2024, 3, 17)),
        complaint(cid="never", received=D(2024, 3, 2)),                      # accept-by 03-17 < 03-31
        complaint(cid="young", received=D(2024, 3, 20)),                     # accept-by 04-04: not yet
        complaint(cid="before", received=D(2024, 2, 1)),                     # not received in range
        complaint("hotline", D(2024, 3, 1), "help", cid="hotline"),
    ], start, end)
    assert s.accept_overdue == 2


def test_every_channel_and_category_key_is_present_even_when_zero():
    s = stats([complaint(category="personnel")], D(2024, 3, 1), D(2024, 3, 31))
    assert dict(s.by_channel) == {"petition": 1, "hotline": 0, "review": 0, "onsite": 0}
    assert dict(s.by_category) == {"personnel": 1, "business": 0, "other": 0}


def test_growth_is_null_when_last_year_had_none():
    s = stats([complaint(received=D(2024, 3, 1))], D(2024, 3, 1), D(2024, 3, 31))
    assert (s.received, s.received_prev, s.growth) == (1, 0, None)


def test_growth_against_the_same_range_one_year_earlier():
    s = stats([complaint(cid=f"p{i}", received=D(2023, 3, 1 + i)) for i in range(3)]
              + [complaint(cid="now", received=D(2024, 3, 9))]
              + [complaint(cid="outside", received=D(2023, 4, 1))], D(2024, 3, 1), D(2024, 3, 31))
    assert (s.received, s.received_prev) == (1, 3)
    assert s.growth == -0.6667  # (1 − 3)/3 = −0.66666…


def test_29_february_maps_to_28_february_a_year_earlier():
    complaints = [complaint(cid="feb28", received=D(2023, 2, 28)), complaint(cid="mar1", received=D(2023, 3, 1))]
    assert stats(complaints, D(2024, 2, 29), D(2024, 2, 29)).received_prev == 1       # [2023-02-28, 2023-02-28]
    assert stats(complaints, D(2024, 2, 1), D(2024, 2, 29)).received_prev == 1        # ends 2023-02-28
    assert stats(complaints, D(2024, 2, 29), D(2024, 3, 1)).received_prev == 2        # [02-28, 03-01]


def test_rates_are_null_on_zero_denominators():
    s = stats([], D(2024, 1, 1), D(2024, 12, 31))
    assert (s.received, s.resolution_rate, s.on_time_rate, s.growth) == (0, None, None, None)
    unresolved = stats([complaint(received=D(2024, 1, 2))], D(2024, 1, 1), D(2024, 12, 31))
    assert (unresolved.resolution_rate, unresolved.on_time_rate) == (0.0, None)


def test_each_complaint_is_judged_by_its_own_contracts_calendar():
    judges = {"A": judge(), "B": judge(extra_holidays=[D(2024, 6, 11), D(2024, 6, 12)])}
    resolved = D(2024, 6, 13)
    s = stats([complaint("hotline", D(2024, 6, 7), "consult", resolved=resolved, contract="A", cid="a"),
               complaint("hotline", D(2024, 6, 7), "consult", resolved=resolved, contract="B", cid="b")],
              D(2024, 6, 1), D(2024, 6, 30), judges)
    # A: due 06-12, resolved 06-13 late; B: 11 and 12 rest, due 06-14, on time
    assert (s.resolved, s.on_time) == (2, 1)


def test_the_figures_of_a_complaint_are_those_the_statistics_count():
    c = complaint(received=D(2024, 3, 2))
    assert figures_of(c, judge(), D(2024, 3, 1), D(2024, 3, 31)) == [
        "received", "channel:petition", "category:business", "accept_overdue", "backlog", "ageing:16-60"]


def test_from_after_to_is_refused():
    with pytest.raises(ValueError):
        stats([], D(2024, 2, 1), D(2024, 1, 1))
