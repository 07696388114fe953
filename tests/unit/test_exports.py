"""Exports: formula injection is neutralised; a statement lists every line with its basis in Chinese."""
import pytest

from hallmon.billing.gate import State
from hallmon.billing.settlement import Line, basis_from_document, settlement_from_document
from hallmon.billing.statement import describe_basis, statement_html, statement_rows, statement_xlsx
from hallmon.core.exports import read_rows, safe_cell, workbook


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","点我")', "+cmd|' /C calc'!A0", "@SUM(A1:A9)", "-2+3", "=1+1"])
def test_text_a_spreadsheet_would_run_is_kept_as_text(text):
    assert safe_cell(text) == "'" + text
    rows = read_rows(workbook([("s", [["备注"], [text]])]))
    assert rows[1][0] == "'" + text


@pytest.mark.parametrize("value", ["-12.50", "普通文字", 42, None, "2024-03"])
def test_ordinary_values_are_left_alone(value):
    assert safe_cell(value) == value


DOC = {
    "contract": "DT-2024", "period": {"start": "2024-03-01", "end": "2024-03-31"}, "base_fee": "1122916.67",
    "deduction": "5000.00", "net_fee": "1117916.67", "status": "submitted", "warnings": [],
    "months": [{"month": "2024-03", "base": "1122916.67", "score": 88, "assessed": True, "capped": False,
                "deduction": "5000.00", "lines": [
                    {"kind": "staffing", "amount": "0.00", "basis": {"staffed_person_days": 5355, "headcount": 255,
                                                                     "working_days": 21, "shortfall_share": 0.0}},
                    {"kind": "assessment", "amount": "5000.00", "basis": {"assessed": True, "score": 88, "points_below": 2}},
                    {"kind": "unenforced", "amount": "0.00", "basis": {"person_months": 0, "fine": "5000.00",
                                                                       "staff_ids": ['=HYPERLINK("x")']}},
                ]}],
}


SETTLED = settlement_from_document(DOC)


def line(kind: str, basis: dict) -> Line:
    return Line(kind, 0, basis_from_document(kind, basis))


def test_each_line_is_described_in_chinese_with_its_figures():
    assert describe_basis(SETTLED.months[0].lines[0]).startswith("在岗人日 5355 ÷（约定人数 255 × 工作日 21）")
    assert describe_basis(line("assessment", {"assessed": False, "score": None, "points_below": None})
                          ).startswith("本月未考核")
    rows = statement_rows(SETTLED)
    assert rows[0] == ["月份", "项目", "金额（元）", "依据", "明细"]
    assert rows[3][:3] == ["2024-03", "考核扣减", "5000.00"]
    assert rows[-1][:3] == ["2024-03", "本月扣减合计", "5000.00"]


def test_the_statement_workbook_neutralises_injected_staff_ids():
    data = statement_xlsx(SETTLED, State.SUBMITTED, "窗口服务", "某公司")
    sheet = read_rows(data)
    assert sheet[1] == ["合同编号", "DT-2024"] and sheet[-2] == ["应付净额（元）", "1117916.67"]
    from io import BytesIO

    from openpyxl import load_workbook

    detail = [list(r) for r in load_workbook(BytesIO(data)).worksheets[1].iter_rows(values_only=True)]
    assert not any(isinstance(v, str) and v.startswith("=") for row in detail for v in row)


def test_the_printable_statement_escapes_html_and_has_signature_lines():
    html = statement_html(settlement_from_document({**DOC, "contract": "<b>DT</b>"}), State.SUBMITTED, "窗口服务",
                          "某公司")
    assert "&lt;b&gt;DT&lt;/b&gt;" in html and "财务科室（核验）" in html and "考核扣减" in html
