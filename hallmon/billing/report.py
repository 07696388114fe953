"""The assessment report of a billing period (考核报告): what the business office attaches to a settlement."""
from __future__ import annotations

from typing import Any

from hallmon.core import labels
from hallmon.core.exports import render_html, workbook


def report_rows(months: list[dict[str, Any]]) -> tuple[list[list[Any]], list[list[Any]]]:
    summary: list[list[Any]] = [["月份", "是否考核", "得分", "等级", "通报日期", "通报期限", "通报情况", "扣分合计", "加分（计入）"]]
    items: list[list[Any]] = [["月份", "日期", "项目代码", "考核项目", "分值", "本年第几次", "计入分值", "工号", "窗口", "说明"]]
    for m in months:
        detail, notice = m["detail"], m["notice"]
        summary.append([m["month"], "是" if detail["assessed"] else "否", detail["score"], detail["grade"],
                        notice.get("notified_on"), notice.get("deadline"),
                        labels.name(labels.NOTICE_STATUSES, notice.get("status")),
                        detail["deductions"], detail["bonus_counted"]])
        for row in detail["rows"]:
            items.append([m["month"], row["date"], row["item_code"], row["item"], row["points"], row["occurrence"],
                          row["counted"], row["staff_id"], row["window"], row["note"]])
        for points in detail["complaint_rows"]:
            items.append([m["month"], None, "COMPLAINT", "属实的人员投诉（自动）", points, None, points, None, None, None])
    return summary, items


def report_xlsx(contract: str, period: str, months: list[dict[str, Any]]) -> bytes:
    summary, items = report_rows(months)
    return workbook([("月度得分", summary), ("考核明细", items)],
                    widths={"月度得分": (10, 9, 8, 6, 12, 12, 12, 10, 12),
                            "考核明细": (10, 12, 12, 22, 8, 10, 9, 10, 8, 40)})


def report_html(contract: str, contract_name: str, period: str, months: list[dict[str, Any]]) -> str:
    summary, items = report_rows(months)
    return render_html("billing/assessment_report.html", contract=contract, contract_name=contract_name,
                       period=period, summary=summary, items=items)
