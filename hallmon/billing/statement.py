"""The settlement statement a finance office files: every line in Chinese with the figures it came from."""
from __future__ import annotations

from typing import Any

from hallmon.billing.gate import STATE_NAMES, State

LINE_NAMES = {
    "staffing": "人员配置不足", "attendance": "考勤扣减", "assessment": "考核扣减",
    "unenforced": "未按约定更换人员", "cap": "扣减封顶", "adjustment": "异议调整",
}


def describe_basis(kind: str, basis: dict[str, Any]) -> str:
    """One sentence per line saying where its amount came from (B3)."""
    if kind == "staffing":
        share = basis.get("shortfall_share")
        return (f"在岗人日 {basis['staffed_person_days']} ÷（约定人数 {basis['headcount']} × 工作日 "
                f"{basis['working_days']}）；缺员比例 {share if share is not None else '—'}")
    if kind == "attendance":
        share = basis.get("share")
        return (f"应扣分钟 {basis['chargeable_minutes']} ÷ 应出勤分钟 {basis['scheduled_minutes']}"
                f" = {share if share is not None else '—'}")
    if kind == "assessment":
        if not basis.get("assessed"):
            return "本月未考核，不扣减（结算单不能提交）"
        if "points_below" in basis:
            return f"考核得分 {basis['score']}，低于合格分 {basis['points_below']} 分"
        return f"考核得分 {basis['score']}，支付比例 {basis['payout_share']}"
    if kind == "unenforced":
        ids = "、".join(basis.get("staff_ids") or []) or "无"
        return f"{basis['person_months']} 人月 × {basis['fine']} 元（{ids}）"
    if kind == "cap":
        return f"扣减合计 {basis['uncapped']} 超过上限 {basis['cap']}，按上限扣减"
    if kind == "adjustment":
        return f"异议 #{basis.get('objection')}（{LINE_NAMES.get(basis.get('line'), basis.get('line'))}）接受：{basis.get('reason')}"
    return str(basis)


def statement_rows(document: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = [["月份", "项目", "金额（元）", "依据", "明细"]]
    for month in document["months"]:
        rows.append([month["month"], "月基数", month["base"],
                     f"考核得分 {month['score'] if month['score'] is not None else '未考核'}", ""])
        for line in month["lines"]:
            rows.append([month["month"], LINE_NAMES.get(line["kind"], line["kind"]), line["amount"],
                         describe_basis(line["kind"], line["basis"]),
                         "；".join(f"{k}={v}" for k, v in line["basis"].items())])
        rows.append([month["month"], "本月扣减合计", month["deduction"], "已封顶" if month["capped"] else "", ""])
    return rows


def header_rows(document: dict[str, Any], contract_name: str, contractor: str) -> list[list[Any]]:
    status = STATE_NAMES.get(State(document["status"]), document["status"])
    return [
        ["项目", "内容"],
        ["合同编号", document["contract"]],
        ["合同名称", contract_name],
        ["服务单位", contractor],
        ["结算期", f"{document['period']['start']} 至 {document['period']['end']}"],
        ["状态", status],
        ["基数（元）", document["base_fee"]],
        ["扣减（元）", document["deduction"]],
        ["应付净额（元）", document["net_fee"]],
        ["提示", "；".join(document.get("warnings") or []) or "无"],
    ]


def statement_xlsx(document: dict[str, Any], contract_name: str, contractor: str) -> bytes:
    from hallmon.core.exports import workbook

    return workbook(
        [("结算单", header_rows(document, contract_name, contractor)), ("扣减明细", statement_rows(document))],
        widths={"结算单": (18, 60), "扣减明细": (10, 18, 14, 70, 80)},
    )


def statement_html(document: dict[str, Any], contract_name: str, contractor: str, events: list[dict] | None = None) -> str:
    from hallmon.core.exports import render_html

    return render_html("billing/statement_print.html", doc=document, contract_name=contract_name,
                       contractor=contractor, header=header_rows(document, contract_name, contractor)[1:],
                       rows=statement_rows(document)[1:], events=events or [])
