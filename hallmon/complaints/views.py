"""Complaint pages: the statistics of a range and the complaints behind any of its figures (C1–C3)."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template, request

from hallmon.complaints import rules, services
from hallmon.extensions import db
from hallmon.web.context import pick_contract, pick_date
from hallmon.web.security import roles_required

bp = Blueprint("complaints", __name__, url_prefix="/complaints")
CHANNELS = {"petition": "信访", "hotline": "12345", "review": "好差评", "onsite": "现场"}
CATEGORIES = {"personnel": "人员", "business": "业务", "other": "其他"}
STATUS = {"on_time": "按时办结", "resolved_late": "逾期办结", "overdue": "逾期未办结", "open": "办理中"}
FIGURES = {"received": "收件", "resolved": "办结", "on_time": "按时办结", "accept_overdue": "受理逾期",
           "backlog": "积压", "received_prev": "上年同期收件"}


def figure_name(figure: str | None) -> str:
    if not figure:
        return "全部"
    kind, _, value = figure.partition(":")
    if kind == "ageing":
        return f"积压账龄 {value} 天"
    if kind == "channel":
        return f"渠道：{CHANNELS.get(value, value)}"
    if kind == "category":
        return f"类别：{CATEGORIES.get(value, value)}"
    return FIGURES.get(figure, figure)


@bp.route("/<code>")
@roles_required("manager")
def index(code: str):
    contract = pick_contract(db.session, code)
    today = dt.date.today()
    end = pick_date("end", min(today, contract.end))
    start = pick_date("start", max(dt.date(end.year, 1, 1), contract.start))
    figure = request.args.get("figure") or None
    stats = services.statistics_document(db.session, contract.code, start, end)
    lines, _ = services.complaint_list(db.session, contract.code, start, end, figure)
    return render_template("complaints/index.html", contract=contract, start=start, end=end, figure=figure,
                           stats=stats, lines=lines[:1000], total=len(lines), figure_name=figure_name,
                           channels=CHANNELS, categories=CATEGORIES, status=STATUS, figures=rules.figure_names())
