"""Complaint pages: the statistics of a range and the complaints behind any of its figures (C1–C3)."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template, request

from hallmon.complaints import rules, services
from hallmon.core import labels
from hallmon.core.clock import today
from hallmon.extensions import db
from hallmon.web.context import pick_contract, pick_date
from hallmon.web.security import roles_required

bp = Blueprint("complaints", __name__, url_prefix="/complaints")


def figure_name(figure: str | None) -> str:
    if not figure:
        return "全部"
    kind, _, value = figure.partition(":")
    if kind == "ageing":
        return f"积压账龄 {value} 天"
    if kind == "channel":
        return f"渠道：{labels.name(labels.CHANNELS, value)}"
    if kind == "category":
        return f"类别：{labels.name(labels.CATEGORIES, value)}"
    return labels.name(labels.COMPLAINT_FIGURES, figure)


@bp.route("/<code>")
@roles_required("manager")
def index(code: str):
    contract = pick_contract(db.session, code)
    end = pick_date("end", min(today(), contract.end))
    start = pick_date("start", max(dt.date(end.year, 1, 1), contract.start))
    figure = request.args.get("figure") or None
    stats = services.statistics_document(db.session, contract, start, end)
    lines, _ = services.complaint_list(db.session, contract, start, end, figure)
    return render_template("complaints/index.html", contract=contract, start=start, end=end, figure=figure,
                           stats=stats, lines=lines[:1000], total=len(lines), figure_name=figure_name,
                           figures=rules.figure_names())
