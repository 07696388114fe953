"""Attendance pages: the month's summaries, one person's month of sessions, replacement demands and waivers."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from hallmon.app import writes
from hallmon.attendance import services
from hallmon.attendance.rules import SUMMARY_FIELDS
from hallmon.core.errors import Refused
from hallmon.extensions import db
from hallmon.notify.notice import notices_of
from hallmon.uow import unit_of_work
from hallmon.web.context import pick_contract, pick_month
from hallmon.web.security import roles_required

bp = Blueprint("attendance", __name__, url_prefix="/attendance")
VIEWERS = ("manager", "finance", "contractor")


@bp.route("/<code>/<month>")
@roles_required(*VIEWERS)
def month(code: str, month: str):
    contract = pick_contract(db.session, code)
    month = pick_month(contract, month)
    summary = services.monthly_summary(db.session, contract, month)
    return render_template("attendance/month.html", contract=contract, month=month, summary=summary,
                           fields=SUMMARY_FIELDS, months=contract.terms().months())


@bp.route("/<code>/<month>/<staff_id>")
@roles_required(*VIEWERS)
def person(code: str, month: str, staff_id: str):
    contract = pick_contract(db.session, code)
    detail = services.person_month(db.session, contract, pick_month(contract, month), staff_id)
    return render_template("attendance/person.html", contract=contract, d=detail, fields=SUMMARY_FIELDS)


@bp.route("/<code>/demands")
@roles_required(*VIEWERS)
def demands(code: str):
    contract = pick_contract(db.session, code)
    return render_template("attendance/demands.html", contract=contract,
                           demands=services.demands(db.session, contract),
                           notices=notices_of(db.session, contract),
                           warnings=services.demand_warnings(contract))


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
        with unit_of_work(db.session) as session:
            writes.waive_demand(session, contract, form.get("staff_id", ""), form.get("reason", ""), raised_on,
                                form.get("why", ""), current_user.username)
    except Refused as exc:
        flash(exc.message, "error")
    else:
        flash(f"已豁免 {form.get('staff_id')} 的更换要求", "info")
    return redirect(url_for("attendance.demands", code=contract.code))
