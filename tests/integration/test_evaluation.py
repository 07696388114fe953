"""The annual self-evaluation: indicators from the data, scored full when met and proportionally otherwise."""
from decimal import Decimal

from hallmon.evaluation.rules import YearFacts, grade, indicators, total
from tests.billing_helpers import load_hall


def facts(**changes) -> YearFacts:
    base = dict(year=2024, months=12, headcount=10, staffed_person_days=2510, working_days=251, assessed_months=12,
                passing_months=12, notices_on_time=12, demands_due=2, demands_enforced=2, complaints_resolved=10,
                complaints_on_time=10, petitions_received=20, petitions_resolved=19, complaints_received=20,
                complaints_received_prev=25, fee=Decimal("1200000.00"), paid=Decimal("1200000.00"),
                satisfaction=Decimal("96.94"))
    return YearFacts(**{**base, **changes})


def test_every_target_met_scores_100_and_grades_excellent():
    items = indicators(facts(), Decimal(90))
    assert all(i.met for i in items) and total(items) == Decimal("100.00") and grade(total(items)) == "优"


def test_a_missed_target_scores_in_proportion():
    items = {i.code: i for i in indicators(facts(passing_months=9, paid=Decimal("900000.00")), Decimal(90))}
    assert items["months_passed"].score == Decimal("7.50")       # 10 × 9/12
    assert items["payments_on_plan"].score == Decimal("11.25")   # 15 × 0.75
    assert not items["months_passed"].met


def test_without_a_satisfaction_survey_the_rest_is_scaled_to_100():
    items = indicators(facts(satisfaction=None), Decimal(90))
    assert "satisfaction" not in {i.code for i in items}
    assert sum(i.weight for i in items) == 80 and total(items) == Decimal("100.00")


def test_the_evaluation_of_a_year_is_traced_to_its_records(cli, tmp_path):
    load_hall(cli, tmp_path)
    result = cli("evaluation", "report", "B-1", "--year", "2024", "--as-of", "2024-04-30", "--json",
                 "--xlsx", tmp_path / "eval.xlsx")
    assert result.exit_code == 0, result.stderr
    doc = result.json()
    by = {i["code"]: i for i in doc["indicators"]}
    assert by["months_assessed"]["actual"] == "1 个月" and not by["months_assessed"]["met"]
    assert by["demands_enforced"]["basis"].startswith("本年提出且未豁免的更换要求 2 条，按期执行 0 条")
    assert by["payments_on_plan"]["actual"] == "0.00%"
    assert cli("evaluation", "note", "B-1", "--year", "2024", "--indicator", "months_assessed",
               "--reason", "1–2 月考核制度尚未建立", "--user", "wang").exit_code == 0
    assert cli("evaluation", "note", "B-1", "--year", "2024", "--indicator", "satisfaction",
               "--value", "96.94", "--user", "wang").exit_code == 0
    again = cli("evaluation", "report", "B-1", "--year", "2024", "--as-of", "2024-04-30", "--json").json()
    assert {i["code"]: i for i in again["indicators"]}["months_assessed"]["reason"] == "1–2 月考核制度尚未建立"
    assert again["satisfaction_given"] and len(again["indicators"]) == 10
    from hallmon.core.exports import read_rows

    rows = read_rows((tmp_path / "eval.xlsx").read_bytes())
    assert rows[0][:3] == ["一级指标", "二级指标", "三级指标"] and rows[-1][0] == "合计"
    assert cli("evaluation", "note", "B-1", "--year", "2024", "--indicator", "satisfaction", "--value", "120",
               "--user", "wang").exit_code == 2
    assert cli("evaluation", "report", "B-1", "--year", "2030", "--json").exit_code == 2
