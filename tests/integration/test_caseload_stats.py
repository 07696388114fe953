"""K1–K4 through `hallmon caseload stats --json`: an independent scenario computed by hand from rules §7.

Contract K-1 runs 2024-11-01 … 2025-02-28 with daily_target 100, so `--year 2024` is November and December
2024 and `--year 2025` is January and February 2025. Staff: A1 (hired 2020) and A2 (hired Mon 2024-12-16).
Working days (national calendar, no 2024 holiday in these months): November 21 (Fri 1st + four full weeks),
December 22 (20 in four full weeks + Mon 30 and Tue 31).

Rows (tests/data/caseload/scenario.csv):
  11-01  受理科 A01 A1 转移登记  60 | 受理科 A02 – 抵押登记 50 | 档案查询 – – 查询 30   → day total 140
  11-04  受理科 A01 A1 转移登记  40 | 受理科 A01 A1 抵押登记 59                       → day total 99
  11-09  受理科 A01 A1 转移登记 500   (a Saturday: counts in the totals, is no working day for K2)
  12-02  受理科 A01 A1 转移登记 100 | 受理科 A03 – 转移登记 0                        → day total 100
  12-16  档案查询 – A2 查询 70                                                     → day total 70
  10-31  (before the contract: stored, never counted)      2025-01-02 受理科 A09 – 转移登记 777 (year 2025)

K1 total 60+50+30+40+59+500+100+0+70 = 909
   by_department 受理科 60+50+40+59+500+100+0 = 809, 档案查询 30+70 = 100
   by_window (rows without a window left out) A01 60+40+59+500+100 = 759, A02 50, A03 0
   by_business 转移登记 60+40+500+100+0 = 700, 抵押登记 50+59 = 109, 查询 100
   by_month 2024-11 60+50+30+40+59+500 = 739, 2024-12 100+0+70 = 170
K2 43 working days; at or above 100 only 11-01 (140) and 12-02 (100, equal is not below) → 41 below
   (11-04 with 99 and 12-16 with 70 are below; every working day without rows counts as 0)
K3 staffed person-days (A1): November A1 21; December A1 22 + A2 12 (16–20, 23–27, 30, 31) = 34
   2024-11 739/21 = 35.190476… → 35.1905; 2024-12 170/34 = 5.0
K4 windows with a row in those months: A01, A02, A03
   2024-11 [659, 50, 0]: mean 709/3, variance (659²+50²)/3 − (709/3)² = 807662/9, cv = √807662/709
           = 898.70017…/709 = 1.267560… → 1.2676
   2024-12 [100, 0, 0]: mean 100/3, variance 20000/9, cv = √20000/100 = 1.414213… → 1.4142
"""
import pytest

from tests.complaints_helpers import ingest, load_contract, load_staff
from tests.drive import contract

SCENARIO_2024 = {
    "contract": "K-1", "year": 2024, "total": 909,
    "by_department": {"受理科": 809, "档案查询": 100},
    "by_window": {"A01": 759, "A02": 50, "A03": 0},
    "by_business": {"抵押登记": 109, "查询": 100, "转移登记": 700},
    "by_month": {"2024-11": 739, "2024-12": 170},
    "days_below_target": 41,
    "per_staffed_person_day": {"2024-11": 35.1905, "2024-12": 5.0},
    "window_imbalance": {"2024-11": 1.2676, "2024-12": 1.4142},
    "warnings": [],
}


@pytest.fixture
def scenario(cli, tmp_path, data_dir):
    load_contract(cli, tmp_path, "K-1", "2024-11-01", "2025-02-28", caseload={"daily_target": 100})
    load_staff(cli, tmp_path, ["A1,张伟,K-1,窗口受理员,受理科,A01,2020-01-01,",
                               "A2,李娜,K-1,档案查询员,档案查询,,2024-12-16,"])
    ingest(cli, "caseload", data_dir / "caseload" / "scenario.csv")


def stats(cli, *args):
    result = cli("caseload", "stats", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def test_the_hand_computed_scenario_comes_out_identical(cli, scenario):
    document = stats(cli, "K-1", "--year", "2024")
    assert document == SCENARIO_2024
    assert list(document) == ["contract", "year", "total", "by_department", "by_window", "by_business", "by_month",
                              "days_below_target", "per_staffed_person_day", "window_imbalance", "warnings"]
    assert list(document["by_business"]) == sorted(document["by_business"])


def test_the_next_year_holds_the_contracts_remaining_months(cli, scenario):
    # January 2025: 19 working days (1 Jan and 28–31 Jan rest, Sun 26 Jan works); February 2025: 19
    # (1–4 Feb rest, Sat 8 Feb works). Only window A09 has a row: January cv 0, February mean 0 → null.
    # K2: 38 working days, only 01-02 (777) reaches 100 → 37. K3: 777 / (19 × 2) = 20.447368… → 20.4474
    document = stats(cli, "K-1", "--year", "2025")
    assert document == {
        "contract": "K-1", "year": 2025, "total": 777, "by_department": {"受理科": 777}, "by_window": {"A09": 777},
        "by_business": {"转移登记": 777}, "by_month": {"2025-01": 777, "2025-02": 0}, "days_below_target": 37,
        "per_staffed_person_day": {"2025-01": 20.4474, "2025-02": 0.0},
        "window_imbalance": {"2025-01": 0.0, "2025-02": None}, "warnings": [],
    }


def test_a_later_file_replaces_a_count_and_the_statistics_follow(cli, scenario, tmp_path):
    path = tmp_path / "fix.csv"
    path.write_text("合同编号,日期,科室,窗口,工号,业务类型,件数\nK-1,2024-11-04,受理科,A01,A1,抵押登记,60\n",
                    encoding="utf-8")
    report = ingest(cli, "caseload", path, "--json").json()
    assert (report["inserted"], report["updated"]) == (0, 1)
    document = stats(cli, "K-1", "--year", "2024")
    assert document["total"] == 910
    assert document["days_below_target"] == 40  # 11-04 now has 40 + 60 = 100


def test_without_a_target_days_below_target_is_null_and_without_staff_the_rate_is_null(cli, tmp_path):
    load_contract(cli, tmp_path, "K-0", "2024-01-01", "2024-12-31")
    path = tmp_path / "k0.csv"
    path.write_text("合同编号,日期,科室,业务类型,件数\nK-0,2024-03-04,受理科,转移登记,5\n", encoding="utf-8")
    ingest(cli, "caseload", path)
    document = stats(cli, "K-0", "--year", "2024")
    assert document["days_below_target"] is None
    assert document["per_staffed_person_day"]["2024-03"] is None
    assert document["window_imbalance"]["2024-03"] is None  # no window at all
    assert document["by_window"] == {} and document["total"] == 5
    assert len(document["by_month"]) == 12


def test_a_year_outside_the_contract_an_unknown_contract_and_a_bad_year_are_refused(cli, scenario):
    for args in (["K-1", "--year", "2023"], ["NOPE", "--year", "2024"], ["K-1", "--year", "24"]):
        result = cli("caseload", "stats", *args, "--json")
        assert result.exit_code == 2, args
        assert result.stdout == "" and "拒绝" in result.stderr


def test_a_year_beyond_the_calendar_data_carries_a_warning(cli, tmp_path):
    load_contract(cli, tmp_path, "K-31", "2031-01-01", "2031-12-31", caseload={"daily_target": 1})
    document = stats(cli, "K-31", "--year", "2031")
    assert document["days_below_target"] == 261  # Monday to Friday of 2031, none with cases
    assert any("2031" in w for w in document["warnings"])


def test_without_json_the_statistics_are_printed(cli, scenario):
    result = cli("caseload", "stats", "K-1", "--year", "2024")
    assert result.exit_code == 0
    assert "共 909 件" in result.stdout and "低于日目标的工作日：41 天" in result.stdout


def test_per_staff_and_per_day_totals_for_the_web_pages(cli, scenario, session):
    from hallmon.caseload.services import daily_totals, staff_totals

    # A1: 60 + 40 + 59 + 500 + 100 = 759; A2: 70; rows naming nobody are left out
    assert staff_totals(session, contract(session, "K-1"), 2024) == {"A1": 759, "A2": 70}
    days = daily_totals(session, contract(session, "K-1"), 2024)
    assert [(d.isoformat(), n) for d, n in sorted(days.items())] == [
        ("2024-11-01", 140), ("2024-11-04", 99), ("2024-11-09", 500), ("2024-12-02", 100), ("2024-12-16", 70)]
