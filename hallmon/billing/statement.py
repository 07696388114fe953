"""The settlement statement a finance office files: every line in Chinese with the figures it came from."""
from __future__ import annotations

from typing import Any

from hallmon.billing.gate import State
from hallmon.billing.settlement import (
    AdjustmentBasis,
    AssessmentBasis,
    AttendanceBasis,
    CapBasis,
    Line,
    Settlement,
    StaffingBasis,
    UnenforcedBasis,
    basis_document,
)
from hallmon.core import labels
from hallmon.core.exports import render_html, workbook
from hallmon.core.jsonout import money, number


def _or_dash(value: Any) -> Any:
    return "—" if value is None else value


def describe_basis(line: Line) -> str:
    """One sentence per line saying where its amount came from (B3)."""
    basis = line.basis
    if isinstance(basis, StaffingBasis):
        return (f"在岗人日 {basis.staffed_person_days} ÷（约定人数 {basis.headcount} × 工作日 "
                f"{basis.working_days}）；缺员比例 {_or_dash(basis.shortfall_share)}")
    if isinstance(basis, AttendanceBasis):
        return (f"应扣分钟 {basis.chargeable_minutes} ÷ 应出勤分钟 {basis.scheduled_minutes}"
                f" = {_or_dash(basis.share)}")
    if isinstance(basis, AssessmentBasis):
        if not basis.assessed:
            return "本月未考核，不扣减（结算单不能提交）"
        if basis.mode == "per_point":
            return f"考核得分 {basis.score}，低于合格分 {basis.points_below} 分"
        return f"考核得分 {basis.score}，支付比例 {basis.payout_share}"
    if isinstance(basis, UnenforcedBasis):
        ids = "、".join(basis.staff_ids) or "无"
        return f"{basis.person_months} 人月 × {basis.fine} 元（{ids}）"
    if isinstance(basis, CapBasis):
        return f"扣减合计 {basis.uncapped} 超过上限 {basis.cap}，按上限扣减"
    if isinstance(basis, AdjustmentBasis):
        return f"异议 #{basis.objection}（{labels.name(labels.LINES, basis.line)}）接受：{basis.reason}"
    return str(basis)


def statement_rows(settlement: Settlement) -> list[list[Any]]:
    rows: list[list[Any]] = [["月份", "项目", "金额（元）", "依据", "明细"]]
    for month in settlement.months:
        score = number(month.score) if month.score is not None else "未考核"
        rows.append([month.month, "月基数", money(month.base), f"考核得分 {score}", ""])
        for line in month.lines:
            rows.append([month.month, labels.name(labels.LINES, line.kind), money(line.amount), describe_basis(line),
                         "；".join(f"{k}={v}" for k, v in basis_document(line.basis).items())])
        rows.append([month.month, "本月扣减合计", money(month.deduction), "已封顶" if month.capped else "", ""])
    return rows


def header_rows(settlement: Settlement, status: State, contract_name: str, contractor: str) -> list[list[Any]]:
    return [
        ["项目", "内容"],
        ["合同编号", settlement.contract],
        ["合同名称", contract_name],
        ["服务单位", contractor],
        ["结算期", f"{settlement.period.start.isoformat()} 至 {settlement.period.end.isoformat()}"],
        ["状态", labels.name(labels.STATES, status.value)],
        ["基数（元）", money(settlement.base_fee)],
        ["扣减（元）", money(settlement.deduction)],
        ["应付净额（元）", money(settlement.net_fee)],
        ["提示", "；".join(settlement.warnings) or "无"],
    ]


def statement_xlsx(settlement: Settlement, status: State, contract_name: str, contractor: str) -> bytes:
    return workbook(
        [("结算单", header_rows(settlement, status, contract_name, contractor)),
         ("扣减明细", statement_rows(settlement))],
        widths={"结算单": (18, 60), "扣减明细": (10, 18, 14, 70, 80)},
    )


def statement_html(settlement: Settlement, status: State, contract_name: str, contractor: str,
                   events: list[dict] | None = None) -> str:
    return render_html("billing/statement_print.html", settlement=settlement, status=status,
                       contract_name=contract_name, contractor=contractor,
                       header=header_rows(settlement, status, contract_name, contractor)[1:],
                       rows=statement_rows(settlement)[1:], events=events or [])
