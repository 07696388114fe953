"""Attendance pages: the month's summaries, one person's month of sessions, replacement demands and waivers."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from hallmon.attendance import services
from hallmon.attendance.rules import SUMMARY_FIELDS
from hallmon.core.errors import Refused
from hallmon.extensions import db
from hallmon.web.context import pick_contract, pick_month
from hallmon.web.security import roles_required

bp = Blueprint("attendance", __name__, url_prefix="/attendance")
VIEWERS = ("manager", "finance", "contractor")
FIELD_NAMES = {
    "scheduled_days": "排班天数", "scheduled_minutes": "应出勤分钟", "excused_minutes": "请假分钟",
    "late_count": "迟到", "serious_late_count": "严重迟到", "late_minutes": "迟到分钟", "early_count": "早退",
    "early_minutes": "早退分钟", "missing_punch_count": "缺卡", "absent_sessions": "旷工场次",
    "absent_minutes": "旷工分钟", "chargeable_minutes": "应扣分钟", "makeup_used": "补卡",
    "makeup_rejected": "超额补卡", "punch_count": "打卡次数", "no_signin_month": "整月未签到",
    "late_early_events": "迟到早退次数",
}
REASON_NAMES = {"monthly_late_early": "月累计迟到早退", "annual_late_early": "年累计迟到早退",
                "no_signin": "整月未签到", "complaints": "属实人员投诉"}


@bp.route("/<code>/<month>")
@roles_required(*VIEWERS)
def month(code: str, month: str):
    contract = pick_contract(db.session, code)
    month = pick_month(contract, month)
    summary = services.monthly_summary(db.session, contract.code, month)
    return render_template("attendance/month.html", contract=contract, month=month, doc=summary,
                           fields=SUMMARY_FIELDS, names=FIELD_NAMES, months=contract.terms().months())


@bp.route("/<code>/<month>/<staff_id>")
@roles_required(*VIEWERS)
def person(code: str, month: str, staff_id: str):
    contract = pick_contract(db.session, code)
    detail = services.person_month(db.session, contract.code, pick_month(contract, month), staff_id)
    return render_template("attendance/person.html", contract=contract, d=detail, names=FIELD_NAMES,
                           fields=SUMMARY_FIELDS)


@bp.route("/<code>/demands")
@roles_required(*VIEWERS)
def demands(code: str):
    contract = pick_contract(db.session, code)
    listed, warnings = services.demands(db.session, contract.code, None)
    return render_template("attendance/demands.html", contract=contract, demands=listed, warnings=warnings,
                           reasons=REASON_NAMES)


@bp.route("/<code>/demands/waive", methods=["POST"])
@roles_required("manager")
def waive(code: str):
    contract = pick_contract(db.session, code)
    form = request.form
    try:
        raised_on = dt.date.fromisoformat(form.get("raised_on", ""))
    except ValueError:
        flash("提出日期无效", "error")
        return redirect(url_for("attendance.demands", code=contract.code))
    try:
        services.waive_demand(db.session, contract.code, form.get("staff_id", ""), form.get("reason", ""), raised_on,
                              form.get("why", ""), current_user.username)
    except Refused as exc:
        flash(exc.message, "error")
    else:
        flash(f"已豁免 {form.get('staff_id')} 的更换要求", "info")
    return redirect(url_for("attendance.demands", code=contract.code))
