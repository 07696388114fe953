"""rules §1: contract terms, their defaults, and refusals that name the key."""
import datetime as dt
from decimal import Decimal

import pytest

from hallmon.contract import TermsError, load_terms_text, terms_from_document

BASE = """\
code = "DT-2024"
name = "不动产登记窗口日常服务"
contractor = "某人力资源有限公司"
start = 2024-01-01
end = 2024-12-31
total_fee = "13475000.00"
headcount = 255

[schedule]
sessions = [["08:30", "12:00"], ["14:30", "17:30"]]
"""


def load(extra: str = "", base: str = BASE):
    return load_terms_text(base + extra)


def refused_keys(text: str) -> list[str]:
    with pytest.raises(TermsError) as info:
        load_terms_text(text)
    return [m.split(":")[0] for m in info.value.messages]


def test_a_minimal_file_takes_every_default_of_spec_1():
    t = load()
    assert t.total_fee == Decimal("13475000.00")
    assert t.billing_months == 1
    assert [(s.start, s.end) for s in t.schedule.sessions] == [(510, 720), (870, 1050)]
    assert (t.schedule.grace_minutes, t.schedule.serious_late_minutes, t.schedule.makeup_quota_per_month) == (5, 30, 3)
    assert t.attendance.monthly_late_early_limit == 3 and t.attendance.annual_late_early_limit == 20
    assert t.attendance.missing_punch_counts_as_absent is True and t.attendance.enforcement_days == 15
    a = t.assessment
    assert (a.base_score, a.max_bonus, a.pass_score, a.mode) == (100, 5, 90, "per_point")
    assert a.per_point_rate == Decimal("0.01") and a.recurrence_limit == 3 and a.recurrence_factor == 2
    assert a.notify_within_workdays == 10 and a.personnel_complaint_points == -2
    assert a.bands[0] == (90, Decimal("1.00")) and a.bands[-1] == (0, Decimal("0.70"))
    c = t.complaints
    assert (c.petition_accept_days, c.petition_resolve_days, c.petition_extension_days) == (15, 60, 30)
    assert dict(c.hotline_workdays) == {"consult": 2, "help": 5, "complaint": 10}
    assert (c.review_workdays, c.other_workdays, c.personnel_limit_per_year) == (5, 5, 2)
    assert t.caseload.daily_target == 0
    assert t.billing.deduction_cap == Decimal("0.30") and t.billing.unenforced_fine == Decimal("0.00")
    assert len(t.months()) == 12


def test_dates_may_be_strings_too():
    t = load(base=BASE.replace("start = 2024-01-01", 'start = "2024-01-01"'))
    assert t.start == dt.date(2024, 1, 1)


@pytest.mark.parametrize("missing", ["code", "name", "contractor", "start", "end", "total_fee", "headcount"])
def test_a_missing_required_key_is_refused_by_name(missing):
    text = "\n".join(line for line in BASE.splitlines() if not line.startswith(f"{missing} ="))
    assert missing in refused_keys(text)


def test_missing_sessions_are_refused():
    assert "schedule.sessions" in refused_keys(BASE.replace('sessions = [["08:30", "12:00"], ["14:30", "17:30"]]', "grace_minutes = 5"))


@pytest.mark.parametrize("line, key", [
    ('total_fee = 13475000.5', "total_fee"),
    ('headcount = "255"', "headcount"),
    ('headcount = 2.5', "headcount"),
    ('billing_months = true', "billing_months"),
])
def test_a_wrong_type_is_refused_by_name(line, key):
    name = line.split(" =")[0]
    text = "\n".join(line if existing.startswith(f"{name} =") else existing for existing in BASE.splitlines())
    if name not in BASE:
        text = BASE.replace("headcount = 255", f"headcount = 255\n{line}")
    assert key in refused_keys(text)


def test_money_as_a_float_is_refused_with_advice():
    with pytest.raises(TermsError) as info:
        load("[billing]\nunenforced_fine = 5000.0\n")
    assert "billing.unenforced_fine" in info.value.messages[0]
    assert "字符串" in info.value.messages[0]


def test_an_unknown_key_is_refused_by_its_dotted_name():
    assert refused_keys(BASE + "[attendance]\nmonthly_limit = 3\n") == ["attendance.monthly_limit"]
    assert refused_keys(BASE.replace("headcount = 255", "headcount = 255\nheadcont = 1")) == ["headcont"]


@pytest.mark.parametrize("sessions", [
    '[["08:30", "12:00"], ["11:00", "17:30"]]',   # overlapping
    '[["14:30", "17:30"], ["08:30", "12:00"]]',   # not ascending
    '[["20:00", "24:30"]]',                       # past 24:00
    '[["12:00", "08:30"]]',                       # ends before it starts
    '[["8h30", "12:00"]]',                        # not a time
])
def test_inconsistent_sessions_are_refused(sessions):
    text = BASE.replace('[["08:30", "12:00"], ["14:30", "17:30"]]', sessions)
    assert refused_keys(text) == ["schedule.sessions"]


def test_touching_sessions_and_a_session_ending_at_midnight_are_allowed():
    t = load_terms_text(BASE.replace('[["08:30", "12:00"], ["14:30", "17:30"]]', '[["08:00", "12:00"], ["12:00", "24:00"]]'))
    assert [(s.start, s.end) for s in t.schedule.sessions] == [(480, 720), (720, 1440)]


@pytest.mark.parametrize("old, new, key", [
    ("start = 2024-01-01", "start = 2024-01-02", "start"),
    ("end = 2024-12-31", "end = 2024-12-30", "end"),
    ("start = 2024-01-01", "start = 2025-01-01", "end"),
    ("headcount = 255", "headcount = 0", "headcount"),
    ("headcount = 255", "headcount = 255\nbilling_months = 0", "billing_months"),
])
def test_inconsistent_top_level_values_are_refused(old, new, key):
    assert key in refused_keys(BASE.replace(old, new))


def test_a_date_in_both_calendar_lists_is_refused():
    text = BASE + "[calendar]\nextra_workdays = [2024-02-10]\nextra_holidays = [2024-02-10]\n"
    assert refused_keys(text) == ["calendar.extra_holidays"]


@pytest.mark.parametrize("table, key", [
    ("[complaints]\nreview_workdays = 0\n", "complaints.review_workdays"),
    ("[complaints]\nother_workdays = 0\n", "complaints.other_workdays"),
    ("[complaints]\nhotline_workdays = { consult = 0 }\n", "complaints.hotline_workdays.consult"),
    ("[assessment]\nnotify_within_workdays = 0\n", "assessment.notify_within_workdays"),
])
def test_workdays_below_one_are_refused(table, key):
    assert refused_keys(BASE + table) == [key]


def test_bands_may_come_in_any_order_but_must_reach_zero():
    t = load('[assessment]\nmode = "bands"\nbands = [[0, "0.70"], [90, "1.00"], [75, "0.90"]]\n')
    assert [low for low, _ in t.assessment.bands] == [90, 75, 0]
    assert refused_keys(BASE + '[assessment]\nbands = [[90, "1.00"], [60, "0.80"]]\n') == ["assessment.bands"]


def test_partial_hotline_workdays_keep_the_other_defaults():
    t = load("[complaints]\nhotline_workdays = { consult = 3 }\n")
    assert dict(t.complaints.hotline_workdays) == {"consult": 3, "help": 5, "complaint": 10}


def test_decimal_points_are_accepted_for_scores_and_complaint_points():
    t = load("[assessment]\npersonnel_complaint_points = -0.5\npass_score = 89.5\n")
    assert t.assessment.personnel_complaint_points == Decimal("-0.5")
    assert t.assessment.pass_score == Decimal("89.5")


def test_terms_survive_the_round_trip_through_their_stored_document():
    t = load('[calendar]\nextra_workdays = [2024-02-18]\n[assessment]\nmode = "bands"\n[billing]\nunenforced_fine = "5000.00"\n')
    again = terms_from_document(t.to_document())
    assert again == t
    assert again.fingerprint() == t.fingerprint()


def test_the_fingerprint_changes_when_a_term_changes():
    assert load().fingerprint() != load('[billing]\ndeduction_cap = "0.20"\n').fingerprint()


def test_toml_syntax_errors_are_refused_not_raised():
    with pytest.raises(TermsError) as info:
        load_terms_text("code = ")
    assert "TOML" in info.value.messages[0]
