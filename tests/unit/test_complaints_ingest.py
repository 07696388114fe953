"""The complaints source, parsed without a database: Chinese headers and values, bad rows named."""
import datetime as dt

from hallmon.complaints.ingest import COMPLAINTS
from hallmon.ingest.context import ContractInfo, RosterView, StaffInfo

D = dt.date
ROSTER = RosterView(
    staff={"S1": StaffInfo("S1", "T-1", D(2020, 1, 1), None)},
    contracts={"T-1": ContractInfo("T-1", D(2024, 1, 1), D(2024, 12, 31))},
)
CHINESE = "编号,合同编号,渠道,类型,类别,收件日期,受理日期,是否延期,是否属实,工号,办结日期,摘要\n"


def parse(text: str, encoding: str = "utf-8"):
    table = COMPLAINTS.table(text.encode(encoding), "c.csv")
    return COMPLAINTS.parse(table, ROSTER)


def errors(parsed) -> list[str]:
    return [str(e) for e in sorted(parsed.errors)]


def test_chinese_headers_and_values_become_canonical_values():
    parsed = parse(CHINESE
                   + "X1,T-1,信访,投诉,业务,2024-03-01,2024/3/5,是,,,2024-04-01,房屋产权诉求\n"
                   + "X2,T-1,12345,咨询,人员,2024-06-07,,,是,S1,,\n"
                   + "X3,T-1,好差评,,其他,2024-06-07,,否,否,,,\n"
                   + "X4,T-1,现场投诉,,业务,2024-06-07,,,,,,\n"
                   + "X5,T-1,12345热线,求助,业务,2024-06-07,,,,,,\n", "gb18030")
    assert errors(parsed) == []
    frame = parsed.frame
    assert list(frame["channel"]) == ["petition", "hotline", "review", "onsite", "hotline"]
    assert list(frame["kind"]) == [None, "consult", None, None, "help"]  # kind is ignored off the hotline
    assert list(frame["category"]) == ["business", "personnel", "other", "business", "business"]
    first = frame.iloc[0]
    assert (first["received_on"], first["accepted_on"], first["resolved_on"]) == (D(2024, 3, 1), D(2024, 3, 5),
                                                                                 D(2024, 4, 1))
    assert list(frame["extended"]) == [True, False, False, False, False]  # empty means no
    assert list(frame["substantiated"]) == [False, True, False, False, False]
    assert list(frame["staff_id"]) == [None, "S1", None, None, None]
    assert frame.iloc[0]["summary"] == "房屋产权诉求" and frame.iloc[1]["summary"] is None


def test_english_headers_and_values_are_accepted_too():
    parsed = parse("complaint_id,contract,channel,kind,category,received_on\n"
                   "H1,T-1,HOTLINE,Complaint,Business,2024-06-07\n")
    assert errors(parsed) == []
    assert (parsed.frame.iloc[0]["channel"], parsed.frame.iloc[0]["kind"]) == ("hotline", "complaint")


def test_a_hotline_row_without_a_valid_kind_is_a_bad_row():
    parsed = parse(CHINESE + "H1,T-1,12345,,业务,2024-06-07,,,,,,\n" + "H2,T-1,12345,表扬,业务,2024-06-07,,,,,,\n"
                   + "P1,T-1,信访,表扬,业务,2024-06-07,,,,,,\n")
    assert errors(parsed) == [
        "c.csv:2: 类型: 12345 热线必须填写类型（咨询/consult、求助/help、投诉/complaint）",
        "c.csv:3: 类型: 无法识别的类型 “表扬”（应为 咨询/consult、求助/help、投诉/complaint）",
    ]
    assert list(parsed.frame["complaint_id"]) == ["P1"]


def test_a_file_without_the_kind_column_refuses_only_its_hotline_rows():
    parsed = parse("编号,合同编号,渠道,类别,收件日期\nP1,T-1,信访,业务,2024-06-07\nH1,T-1,12345,业务,2024-06-07\n")
    assert [e.line for e in parsed.errors] == [3]


def test_acceptance_or_resolution_before_receipt_is_a_bad_row():
    parsed = parse(CHINESE + "X1,T-1,信访,,业务,2024-03-01,2024-02-29,,,,,\n"
                   + "X2,T-1,信访,,业务,2024-03-01,,,,,2024-02-01,\n"
                   + "X3,T-1,信访,,业务,2024-03-01,2024-03-01,,,,2024-03-01,\n")
    assert errors(parsed) == ["c.csv:2: 受理日期: 受理日期早于收件日期", "c.csv:3: 办结日期: 办结日期早于收件日期"]


def test_a_complaint_id_repeated_within_a_file_is_a_bad_row_naming_the_first_line():
    parsed = parse(CHINESE + "X1,T-1,信访,,业务,2024-03-01,,,,,,\n" + "X2,T-1,信访,,业务,2024-03-01,,,,,,\n"
                   + "X1,T-1,信访,,业务,2024-03-02,,,,,,\n")
    assert errors(parsed) == ["c.csv:4: 编号: 编号重复：与第 2 行相同"]


def test_unknown_contract_channel_category_staff_and_bad_values_are_each_named():
    parsed = parse(CHINESE
                   + "X1,NOPE,信访,,业务,2024-03-01,,,,,,\n"
                   + "X2,T-1,微博,,业务,2024-03-01,,,,,,\n"
                   + "X3,T-1,信访,,房屋,2024-03-01,,,,,,\n"
                   + "X4,T-1,信访,,业务,2024-03-01,,,,S9,,\n"
                   + "X5,T-1,信访,,业务,2024-02-30,,,,,,\n"
                   + "X6,T-1,信访,,业务,2024-03-01,,也许,,,,\n"
                   + ",T-1,信访,,业务,,,,,,,\n")
    assert errors(parsed) == [
        "c.csv:2: 合同编号: 合同未导入：“NOPE”（先运行 hallmon contract load）",
        "c.csv:3: 渠道: 无法识别的取值 “微博”（应为 信访/petition、12345/hotline、好差评/review、现场/onsite）",
        "c.csv:4: 类别: 无法识别的取值 “房屋”（应为 人员/personnel、业务/business、其他/other）",
        "c.csv:5: 工号: 工号不在花名册中：“S9”",
        "c.csv:6: 收件日期: 无法识别的日期 “2024-02-30”（应为 YYYY-MM-DD）",
        "c.csv:7: 是否延期: 应为 是/否（yes/no、true/false、1/0）：“也许”",
        "c.csv:8: 收件日期: 必填，不能为空",
        "c.csv:8: 编号: 必填，不能为空",
    ]
    assert parsed.frame.empty


def test_a_complaint_dated_before_the_contract_is_kept():
    parsed = parse(CHINESE + "OLD,T-1,信访,,业务,2023-05-01,,,,,,\n")
    assert errors(parsed) == [] and parsed.frame.iloc[0]["received_on"] == D(2023, 5, 1)
