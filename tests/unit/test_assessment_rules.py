"""S1–S7 on literal rows: recurrence, bonus cap and clamping, complaint rows, assessed months, notices, grades."""
import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from hallmon.assessment.rules import (
    ComplaintFact,
    ItemRow,
    assess_months,
    complaint_rows,
    count_rows,
    grade,
    is_assessed,
    month_score,
    notice_deadline,
    notice_status,
    recurrence_numbers,
    year_score,
)
from hallmon.contract import AssessmentTerms
from hallmon.core.calendar import WorkCalendar

D = dt.date
P = Decimal
TERMS = AssessmentTerms()  # base 100, max_bonus 5, recurrence_limit 3, factor 2, notify within 10 working days, −2


def row(month: str, points: str, code: str = "LG", order: int = 0, day: int | None = None) -> ItemRow:
    year, mon = int(month[:4]), int(month[5:])
    date = D(year, mon, day) if day else D(year, mon, 28)
    return ItemRow(month, date, code, P(points), order)


def rows_in_order(*specs) -> list[ItemRow]:
    """Rows given as (month, points[, code[, day]]) get ingest orders 1, 2, 3 … as listed."""
    out = []
    for n, spec in enumerate(specs, start=1):
        month, points, *rest = spec
        code = rest[0] if rest else "LG"
        day = rest[1] if len(rest) > 1 else None
        out.append(row(month, points, code, n, day))
    return out


def counted(rows, terms=TERMS) -> list[str]:
    return [str(c.counted) for c in count_rows(rows, terms)]


def complaint(received: dt.date, resolved: dt.date | None = None, substantiated=True, category="personnel"):
    return ComplaintFact(received, resolved, substantiated, category)


# ---------------------------------------------------------------- S1 recurrence


def test_the_third_occurrence_of_an_item_in_a_year_counts_double_with_the_default_terms():
    rows = rows_in_order(("2024-01", "-1"), ("2024-02", "-1"), ("2024-03", "-1"), ("2024-04", "-1"))
    assert counted(rows) == ["-1", "-1", "-2", "-2"]


def test_recurrence_counts_whoever_the_staff_or_window():
    rows = [replace(r, staff_id=s, window=w) for r, s, w in zip(
        rows_in_order(("2024-01", "-1"), ("2024-01", "-1"), ("2024-01", "-1")),
        ("S1", "S2", None), ("A01", None, "B02"), strict=True)]
    assert counted(rows) == ["-1", "-1", "-2"]


def test_recurrence_counting_restarts_in_a_new_calendar_year():
    rows = rows_in_order(("2024-11", "-1"), ("2024-12", "-1"), ("2025-01", "-1"), ("2025-02", "-1"),
                         ("2025-03", "-1"))
    assert counted(rows) == ["-1", "-1", "-1", "-1", "-2"]


def test_recurrence_is_counted_per_item_code():
    rows = rows_in_order(("2024-01", "-1", "LG"), ("2024-02", "-1", "ZZ"), ("2024-03", "-1", "LG"),
                         ("2024-04", "-1", "ZZ"), ("2024-05", "-1", "LG"))
    assert counted(rows) == ["-1", "-1", "-1", "-1", "-2"]


def test_rows_are_numbered_by_month_then_date_then_ingest_order_not_by_file_position():
    # loaded in this order: the March row first, then two January rows (the later date loaded first)
    rows = rows_in_order(("2024-03", "-3", "LG", 1), ("2024-01", "-1", "LG", 20), ("2024-01", "-2", "LG", 5))
    assert recurrence_numbers(rows) == {3: 1, 2: 2, 1: 3}
    by_order = {c.row.order: str(c.counted) for c in count_rows(rows, TERMS)}
    assert by_order == {3: "-2", 2: "-1", 1: "-6"}


def test_same_month_and_date_are_numbered_in_ingest_order():
    rows = [row("2024-05", "-1", order=9, day=10), row("2024-05", "-0.5", order=4, day=10),
            row("2024-05", "-2", order=7, day=10)]
    assert recurrence_numbers(rows) == {4: 1, 7: 2, 9: 3}
    assert {c.row.order: str(c.counted) for c in count_rows(rows, TERMS)}[9] == "-2"


def test_bonuses_and_zero_rows_are_never_numbered_or_escalated():
    rows = rows_in_order(("2024-01", "1", "JQ"), ("2024-02", "1", "JQ"), ("2024-03", "1", "JQ"),
                         ("2024-04", "0", "JQ"), ("2024-05", "-1", "JQ"), ("2024-06", "-1", "JQ"))
    assert counted(rows) == ["1", "1", "1", "0", "-1", "-1"]
    assert recurrence_numbers(rows) == {5: 1, 6: 2}


def test_recurrence_limit_and_factor_come_from_the_terms():
    terms = AssessmentTerms(recurrence_limit=2, recurrence_factor=P("1.5"))
    rows = rows_in_order(("2024-01", "-1"), ("2024-02", "-0.5"), ("2024-03", "-2"))
    assert counted(rows, terms) == ["-1", "-0.75", "-3.0"]


def test_rows_of_months_not_scored_still_take_part_in_the_numbering():
    # a contract starting in March: the January and February rows of the same year are numbered first
    rows = rows_in_order(("2024-01", "-1"), ("2024-02", "-1"), ("2024-03", "-1"))
    result = assess_months(["2024-03"], rows, [], [], TERMS)
    assert list(result) == ["2024-03"]
    assert result["2024-03"].score == P(98)


# ---------------------------------------------------------------- S2 score


def test_a_month_scores_base_plus_deductions_plus_bonuses():
    assert month_score([P("-1"), P("-0.5"), P("2")], TERMS) == P("100.5")


def test_bonuses_above_max_bonus_are_capped():
    assert month_score([P(3), P(4)], TERMS) == P(105)
    assert month_score([P(3), P(4), P(-10)], TERMS) == P(95)


def test_the_bonus_cap_applies_to_the_sum_of_bonuses_not_to_the_net():
    # 6 of bonuses count as 5 even though the net of the month is +2
    assert month_score([P(6), P(-4)], TERMS) == P(101)


def test_the_score_is_clamped_at_zero():
    assert month_score([P(-80), P(-30), P(3)], TERMS) == P(0)


def test_the_score_is_clamped_at_base_plus_max_bonus():
    terms = AssessmentTerms(base_score=P(100), max_bonus=P(0))
    assert month_score([P(7)], terms) == P(100)
    assert month_score([P(7), P("-0.25")], AssessmentTerms(max_bonus=P(10))) == P("106.75")


def test_decimal_points_add_up_exactly():
    assert month_score([P("-0.1")] * 3 + [P("-0.0001")], TERMS) == P("99.6999")


# ---------------------------------------------------------------- S3 complaint rows


def test_a_substantiated_personnel_complaint_adds_the_terms_points_to_the_month_it_was_resolved():
    rows = complaint_rows([complaint(D(2024, 3, 28), D(2024, 4, 2))], TERMS)
    assert rows == {"2024-04": [P(-2)]}


def test_an_unresolved_complaint_goes_to_the_month_it_was_received():
    assert complaint_rows([complaint(D(2024, 3, 28))], TERMS) == {"2024-03": [P(-2)]}


def test_only_substantiated_personnel_complaints_add_rows():
    complaints = [complaint(D(2024, 3, 1), substantiated=False), complaint(D(2024, 3, 2), category="business"),
                  complaint(D(2024, 3, 3), category="other"), complaint(D(2024, 3, 4))]
    assert complaint_rows(complaints, TERMS) == {"2024-03": [P(-2)]}


def test_complaint_rows_count_only_in_assessed_months():
    complaints = [complaint(D(2024, 3, 5)), complaint(D(2024, 4, 5)), complaint(D(2024, 4, 9))]
    rows = rows_in_order(("2024-04", "-1"))
    result = assess_months(["2024-03", "2024-04"], rows, complaints, [], TERMS)
    assert (result["2024-03"].assessed, result["2024-03"].score) == (False, None)
    assert result["2024-04"].score == P(95)  # 100 − 1 − 2 − 2


def test_a_notice_alone_lets_complaint_rows_count():
    result = assess_months(["2024-03"], [], [complaint(D(2024, 3, 5))], ["2024-03"], TERMS)
    assert result["2024-03"].score == P(98)


def test_complaint_rows_take_no_part_in_recurrence_numbering():
    # two file rows of the year and many complaints: the file's third LG row is only its third row
    complaints = [complaint(D(2024, 1, d)) for d in (2, 3, 4, 5)]
    rows = rows_in_order(("2024-01", "-1"), ("2024-02", "-1"))
    result = assess_months(["2024-01", "2024-02"], rows, complaints, [], TERMS)
    assert result["2024-01"].score == P(91)  # 100 − 1 − 4 × 2, nothing escalated
    assert result["2024-02"].score == P(99)  # the second LG of the year


def test_the_complaint_points_follow_the_terms():
    terms = AssessmentTerms(personnel_complaint_points=P("-1.5"))
    result = assess_months(["2024-03"], [], [complaint(D(2024, 3, 5))], ["2024-03"], terms)
    assert result["2024-03"].score == P("98.5")


# ---------------------------------------------------------------- S4 assessed


def test_a_month_with_a_notice_and_no_rows_scores_100():
    result = assess_months(["2024-05"], [], [], ["2024-05"], TERMS)
    assert (result["2024-05"].assessed, result["2024-05"].score) == (True, P(100))


def test_a_month_with_only_a_zero_point_row_is_assessed_and_scores_base():
    result = assess_months(["2024-05"], rows_in_order(("2024-05", "0")), [], [], TERMS)
    assert (result["2024-05"].assessed, result["2024-05"].score) == (True, P(100))


def test_a_month_without_notice_or_rows_is_not_assessed():
    result = assess_months(["2024-05", "2024-06"], rows_in_order(("2024-06", "-1")), [], [], TERMS)
    assert (result["2024-05"].assessed, result["2024-05"].score) == (False, None)
    assert result["2024-06"].assessed is True


def test_is_assessed_needs_a_notice_or_a_file_row():
    assert [is_assessed(False, 0), is_assessed(True, 0), is_assessed(False, 1)] == [False, True, True]


# ---------------------------------------------------------------- S5 notices


CAL = WorkCalendar()


def test_the_notice_deadline_is_the_tenth_working_day_after_month_end():
    # 2024-03-31 is a Sunday; April 1–3 work, 4–6 are 清明 (Sun 7 is a make-up working day), 8–12, then 15
    assert notice_deadline("2024-03", CAL, TERMS) == D(2024, 4, 15)
    assert CAL.count_working_days(D(2024, 4, 1), D(2024, 4, 15)) == 10


def test_a_notice_on_the_tenth_working_day_after_month_end_is_on_time_and_on_the_eleventh_late():
    deadline = notice_deadline("2024-03", CAL, TERMS)
    eleventh = CAL.add_working_days(D(2024, 3, 31), 11)
    assert eleventh == D(2024, 4, 16)
    assert notice_status(D(2024, 4, 15), deadline, D(2024, 12, 31)) == (D(2024, 4, 15), "on_time")
    assert notice_status(eleventh, deadline, D(2024, 12, 31)) == (eleventh, "late")


def test_the_deadline_skips_the_spring_festival_and_counts_its_make_up_sundays():
    # January 2024: Feb 1, 2, Sun 4 (调休), 5–9, then the holiday 10–17, Sun 18 (调休), Mon 19
    assert notice_deadline("2024-01", CAL, TERMS) == D(2024, 2, 19)


def test_the_deadline_follows_the_contract_calendar_and_notify_within_workdays():
    cal = WorkCalendar(extra_holidays=[D(2024, 4, 15)])
    assert notice_deadline("2024-03", cal, TERMS) == D(2024, 4, 16)
    assert notice_deadline("2024-03", CAL, AssessmentTerms(notify_within_workdays=1)) == D(2024, 4, 1)


def test_without_a_notice_the_month_is_pending_until_the_deadline_and_missing_after_it():
    deadline = D(2024, 4, 15)
    assert notice_status(None, deadline, D(2024, 4, 15)) == (None, "pending")
    assert notice_status(None, deadline, D(2024, 4, 16)) == (None, "missing")


def test_a_notice_dated_after_as_of_is_not_yet_sent():
    deadline = D(2024, 4, 15)
    assert notice_status(D(2024, 4, 10), deadline, D(2024, 4, 9)) == (None, "pending")
    assert notice_status(D(2024, 5, 10), deadline, D(2024, 5, 1)) == (None, "missing")
    assert notice_status(D(2024, 4, 10), deadline, D(2024, 4, 10)) == (D(2024, 4, 10), "on_time")


def test_a_late_notice_is_late_as_soon_as_it_is_sent():
    assert notice_status(D(2024, 6, 25), D(2024, 3, 14), D(2024, 6, 25)) == (D(2024, 6, 25), "late")


def test_a_notice_dated_after_as_of_still_makes_its_month_assessed():
    # S5: as of T changes only statuses; assess_months never sees T
    result = assess_months(["2024-03"], [], [], ["2024-03"], TERMS)
    assert result["2024-03"].assessed is True


# ---------------------------------------------------------------- S6 grades


@pytest.mark.parametrize(("score", "expected"), [
    ("105", "优"), ("90", "优"), ("89.9999", "良"), ("80", "良"), ("79.99", "中"), ("60", "中"),
    ("59.9999", "差"), ("0", "差"),
])
def test_grades_use_the_fixed_thresholds(score, expected):
    assert grade(P(score)) == expected


def test_grades_ignore_the_contract_pass_score():
    # pass_score drives billing (B3), not the grade
    assert grade(P(85)) == "良"


def test_no_score_has_no_grade():
    assert grade(None) is None


# ---------------------------------------------------------------- S7 year score


def test_the_year_score_rounds_half_up_to_two_decimals():
    assert year_score([P("91.25"), P(91)]) == P("91.13")  # mean 91.125
    assert year_score([P("91.245"), P(91)]) == P("91.12")  # mean 91.1225


def test_the_year_score_rounds_a_repeating_mean():
    assert year_score([P(90), P(90), P(91)]) == P("90.33")  # 90.333…
    assert year_score([P(90), P(91), P(91)]) == P("90.67")  # 90.666…


def test_the_year_score_is_graded_on_its_rounded_value():
    score = year_score([P("89.99"), P(90)])  # mean 89.995 rounds to 90.00
    assert (score, grade(score)) == (P("90.00"), "优")


def test_the_year_score_is_none_with_no_assessed_month():
    assert year_score([]) is None
    assert grade(year_score([])) is None
