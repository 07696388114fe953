"""The caseload source, parsed without a database: keys, counts and bad rows."""
import datetime as dt

from hallmon.caseload.ingest import CASELOAD
from hallmon.ingest.context import ContractInfo, RosterView, StaffInfo

D = dt.date
ROSTER = RosterView(
    staff={"S1": StaffInfo("S1", "T-1", D(2020, 1, 1), None)},
    contracts={"T-1": ContractInfo("T-1", D(2024, 1, 1), D(2024, 12, 31))},
)
CHINESE = "合同编号,日期,科室,窗口,工号,业务类型,件数\n"


def parse(text: str):
    return CASELOAD.parse(CASELOAD.table(text.encode("utf-8"), "k.csv"), ROSTER)


def errors(parsed) -> list[str]:
    return [str(e) for e in sorted(parsed.errors)]


def test_chinese_headers_load_with_optional_window_and_staff():
    parsed = parse(CHINESE + "T-1,2024-06-03,受理科,A01,S1,转移登记,12\n" + "T-1,2024/6/4,档案查询,,,查询,0\n")
    assert errors(parsed) == []
    frame = parsed.frame
    assert list(frame["date"]) == [D(2024, 6, 3), D(2024, 6, 4)]
    assert list(frame["window"]) == ["A01", None] and list(frame["staff_id"]) == ["S1", None]
    assert list(frame["count"]) == [12, 0]


def test_the_window_and_staff_columns_may_be_absent():
    parsed = parse("contract,date,department,business,count\nT-1,2024-06-03,受理科,转移登记,3\n")
    assert errors(parsed) == [] and parsed.frame.iloc[0]["window"] is None


def test_a_key_repeated_within_a_file_is_a_bad_row_even_when_the_date_is_spelled_differently():
    parsed = parse(CHINESE + "T-1,2024-06-03,受理科,A01,S1,转移登记,12\n" + "T-1,2024-06-03,受理科,A02,S1,转移登记,5\n"
                   + "T-1,2024/6/3,受理科,A01,S1,转移登记,9\n")
    assert errors(parsed) == ["k.csv:4: 日期: 同一合同、日期、科室、窗口、工号与业务类型的记录重复：与第 2 行相同"]
    assert list(parsed.frame["count"]) == [12, 5]


def test_negative_or_fractional_counts_unknown_staff_and_missing_values_are_bad_rows():
    parsed = parse(CHINESE + "T-1,2024-06-03,受理科,A01,,转移登记,-1\n" + "T-1,2024-06-03,受理科,A02,,转移登记,2.5\n"
                   + "T-1,2024-06-03,受理科,A03,S9,转移登记,1\n" + "T-1,2024-06-03,,A04,,,1\n"
                   + "NOPE,2024-06-31,受理科,A05,,转移登记,1\n")
    assert errors(parsed) == [
        "k.csv:2: 件数: 应为非负整数：“-1”",
        "k.csv:3: 件数: 应为非负整数：“2.5”",
        "k.csv:4: 工号: 工号不在花名册中：“S9”",
        "k.csv:5: 业务类型: 必填，不能为空",
        "k.csv:5: 科室: 必填，不能为空",
        "k.csv:6: 合同编号: 合同未导入：“NOPE”（先运行 hallmon contract load）",
        "k.csv:6: 日期: 无法识别的日期 “2024-06-31”（应为 YYYY-MM-DD）",
    ]
    assert parsed.frame.empty
