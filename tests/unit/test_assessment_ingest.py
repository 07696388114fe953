"""The assessment and notices sources, parsed without a database: headers, bad rows named, keys and ranks."""
import datetime as dt
from decimal import Decimal

from hallmon.assessment.ingest import ASSESSMENT, NOTICES, parse_months
from hallmon.ingest.context import ContractInfo, RosterView, StaffInfo

D = dt.date
ROSTER = RosterView(
    staff={"S1": StaffInfo("S1", "T-1", D(2020, 1, 1), None)},
    contracts={"T-1": ContractInfo("T-1", D(2024, 1, 1), D(2024, 12, 31))},
)
CATALOGUE = {"LG": "离岗/串岗", "JQ": "锦旗"}
CHINESE = "合同编号,月份,项目代码,考核项目,分值,工号,窗口,日期,说明\n"
ENGLISH = "contract,month,item_code,item,points,staff_id,window,date,note\n"


def parse(text: str, roster: RosterView = ROSTER, encoding: str = "utf-8"):
    table = ASSESSMENT.table(text.encode(encoding), "a.csv")
    return ASSESSMENT.parse(table, roster)


def parse_notices(text: str):
    return NOTICES.parse(NOTICES.table(text.encode("utf-8"), "n.csv"), ROSTER)


def errors(parsed) -> list[str]:
    return [str(e) for e in sorted(parsed.errors)]


def with_catalogue(items=CATALOGUE) -> RosterView:
    return RosterView(ROSTER.staff, ROSTER.contracts, items)


def test_chinese_headers_in_gbk_become_typed_rows():
    parsed = parse(CHINESE + "T-1,2024-03,LG,离岗,-1,S1,A01,2024/3/5,午间离岗\n"
                   + "T-1,2024/4,JQ,锦旗,+1.50,,,,\n", encoding="gb18030")
    assert errors(parsed) == []
    rows = parsed.frame.to_dict("records")
    assert [(r["contract"], r["month"], r["item_code"], r["item"], r["points"], r["staff_id"], r["window"],
             r["date"], r["note"]) for r in rows] == [
        ("T-1", "2024-03", "LG", "离岗", Decimal("-1"), "S1", "A01", D(2024, 3, 5), "午间离岗"),
        ("T-1", "2024-04", "JQ", "锦旗", Decimal("1.50"), None, None, D(2024, 4, 30), None),
    ]


def test_a_missing_date_defaults_to_the_months_last_day():
    parsed = parse(ENGLISH + "T-1,2024-02,LG,离岗,-1,,,,\nT-1,2023-12,LG,离岗,-1,,,,\n")
    assert list(parsed.frame["date"]) == [D(2024, 2, 29), D(2023, 12, 31)]


def test_a_date_outside_its_month_is_a_bad_row():
    parsed = parse(ENGLISH + "T-1,2024-03,LG,离岗,-1,,,2024-04-01,\nT-1,2024-03,LG,离岗,-1,,,2024-02-29,\n"
                   + "T-1,2024-03,LG,离岗,-1,,,2024-03-31,\nT-1,2024-03,LG,离岗,-1,,,2024-03-01,\n"
                   + "T-1,2024-12,LG,离岗,-1,,,2025-01-01,\nT-1,2024-12,LG,离岗,-1,,,2024-12-31,\n")
    assert errors(parsed) == [
        "a.csv:2: date: 日期 “2024-04-01” 不在月份 2024-03 内",
        "a.csv:3: date: 日期 “2024-02-29” 不在月份 2024-03 内",
        "a.csv:6: date: 日期 “2025-01-01” 不在月份 2024-12 内",
    ]
    assert list(parsed.frame["_line"]) == [4, 5, 7]


def test_an_unknown_contract_is_a_bad_row():
    parsed = parse(CHINESE + "T-9,2024-03,LG,离岗,-1,,,,\n")
    assert errors(parsed) == ["a.csv:2: 合同编号: 合同未导入：“T-9”（先运行 hallmon contract load）"]


def test_a_staff_id_not_on_the_roster_is_a_bad_row():
    parsed = parse(CHINESE + "T-1,2024-03,LG,离岗,-1,S9,,,\n")
    assert errors(parsed) == ["a.csv:2: 工号: 工号不在花名册中：“S9”"]


def test_required_values_and_unreadable_ones_are_named():
    parsed = parse(ENGLISH + ",,,,,,,,\nT-1,2024-13,LG,离岗,abc,,,2024-02-30,\nT-1,202403,LG,离岗,-1,,,,\n")
    assert errors(parsed) == [
        "a.csv:2: contract: 必填，不能为空",
        "a.csv:2: item: 必填，不能为空",
        "a.csv:2: item_code: 必填，不能为空",
        "a.csv:2: month: 必填，不能为空",
        "a.csv:2: points: 必填，不能为空",
        "a.csv:3: date: 无法识别的日期 “2024-02-30”（应为 YYYY-MM-DD）",
        "a.csv:3: month: 无法识别的月份 “2024-13”（应为 YYYY-MM）",
        "a.csv:3: points: 不是数字：“abc”",
        "a.csv:4: month: 无法识别的月份 “202403”（应为 YYYY-MM）",
    ]


def test_points_have_at_most_four_decimals():
    parsed = parse(ENGLISH + "T-1,2024-03,LG,离岗,-0.12345,,,,\nT-1,2024-03,LG,离岗,-0.1234,,,,\n"
                   + "T-1,2024-03,LG,离岗,-0.123400,,,,\n")
    assert errors(parsed) == ["a.csv:2: points: 分值最多 4 位小数：“-0.12345”"]
    assert list(parsed.frame["points"]) == [Decimal("-0.1234"), Decimal("-0.123400")]


def test_the_complaint_code_is_reserved_for_s3():
    parsed = parse(ENGLISH + "T-1,2024-03,COMPLAINT,人员投诉,-2,,,,\n")
    assert [e.column for e in parsed.errors] == ["item_code"]
    assert "COMPLAINT" in parsed.errors[0].message and "S3" in parsed.errors[0].message


def test_without_a_catalogue_every_code_is_accepted_but_the_item_name_is_required():
    parsed = parse(ENGLISH + "T-1,2024-03,ANY-CODE,别的系统的项目,-1,,,,\nT-1,2024-03,LG,,-1,,,,\n")
    assert errors(parsed) == ["a.csv:3: item: 必填，不能为空"]
    assert list(parsed.frame["item_code"]) == ["ANY-CODE"]


def test_with_a_catalogue_codes_not_in_it_are_refused():
    parsed = parse(ENGLISH + "T-1,2024-03,LG,离岗,-1,,,,\nT-1,2024-03,XX,别的,-1,,,,\n", with_catalogue())
    assert errors(parsed) == ["a.csv:3: item_code: 项目代码 XX 不在考核项目目录中（hallmon catalogue show 查看）"]


def test_with_a_catalogue_an_empty_item_name_takes_the_catalogue_name():
    parsed = parse(ENGLISH + "T-1,2024-03,LG,,-1,,,,\nT-1,2024-03,JQ,群众赠送锦旗,1,,,,\n", with_catalogue())
    assert errors(parsed) == []
    assert list(parsed.frame["item"]) == ["离岗/串岗", "群众赠送锦旗"]


def test_a_file_without_the_item_column_loads_when_the_catalogue_names_its_codes():
    parsed = parse("contract,month,item_code,points\nT-1,2024-03,LG,-1\n", with_catalogue())
    assert errors(parsed) == []
    assert list(parsed.frame["item"]) == ["离岗/串岗"]


def test_identical_rows_of_a_file_are_ranked_in_file_order():
    parsed = parse(ENGLISH + "T-1,2024-03,LG,离岗,-1,,,,\nT-1,2024-03,LG,离岗,-1,,,2024-03-31,\n"
                   + "T-1,2024-03,LG,离岗,-1.0,,,,\nT-1,2024-03,LG,离岗,-1,S1,,,\n")
    # an empty date is the month's last day and -1.0 is -1: the first three rows are the same deduction
    assert list(parsed.frame["rank"]) == [1, 2, 3, 1]
    keys = list(parsed.frame["row_key"])
    assert len(set(keys)) == 4


def test_the_row_key_ignores_the_item_name_and_spelling_of_points_but_not_the_note():
    first = parse(ENGLISH + "T-1,2024-03,LG,离岗,-1,,,,迟到\n").frame["row_key"][0]
    same = parse(ENGLISH + "T-1,2024-3,LG,离开岗位,-1.00,,,2024-03-31,迟到\n").frame["row_key"][0]
    other = parse(ENGLISH + "T-1,2024-03,LG,离岗,-1,,,,早退\n").frame["row_key"][0]
    assert first == same
    assert first != other


def test_a_rank_is_counted_among_the_good_rows_only():
    parsed = parse(ENGLISH + "T-1,2024-03,LG,离岗,-1,S9,,,\nT-1,2024-03,LG,离岗,-1,,,,\n"
                   + "T-1,2024-03,LG,离岗,-1,,,,\n")
    assert list(parsed.frame["rank"]) == [1, 2]


def test_month_spellings():
    import pandas as pd

    values, bad = parse_months(pd.Series(["2024-03", "2024/3", "2024-3", "2024-00", "24-03", "", "2024-03-01"]))
    assert list(values) == ["2024-03", "2024-03", "2024-03", None, None, None, None]
    assert list(bad) == [False, False, False, True, True, False, True]


def test_notices_with_chinese_headers():
    parsed = parse_notices("合同编号,月份,通报日期\nT-1,2024-01,2024-03-26\nT-1,2024/2,2024/6/25\n")
    assert errors(parsed) == []
    assert [(r["contract"], r["month"], r["notified_on"]) for r in parsed.frame.to_dict("records")] == [
        ("T-1", "2024-01", D(2024, 3, 26)), ("T-1", "2024-02", D(2024, 6, 25))]


def test_a_repeated_month_in_one_notices_file_is_a_bad_row():
    parsed = parse_notices("contract,month,notified_on\nT-1,2024-01,2024-02-01\nT-1,2024-1,2024-02-05\n"
                           + "T-9,2024-01,2024-02-05\n")
    assert errors(parsed) == [
        "n.csv:3: month: 同一合同同一月份的通报重复：与第 2 行相同",
        "n.csv:4: contract: 合同未导入：“T-9”（先运行 hallmon contract load）",
    ]


def test_a_notice_needs_a_readable_date():
    parsed = parse_notices("contract,month,notified_on\nT-1,2024-01,\nT-1,2024-02,3月5日\n")
    assert errors(parsed) == [
        "n.csv:2: notified_on: 必填，不能为空",
        "n.csv:3: notified_on: 无法识别的日期 “3月5日”（应为 YYYY-MM-DD）",
    ]
