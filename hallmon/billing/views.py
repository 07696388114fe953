"""Settlement pages: the list by state, one settlement with its lines and basis, and the gate actions."""
from __future__ import annotations

import datetime as dt
import io

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from hallmon.app import writes
from hallmon.billing import services
from hallmon.billing.commands import (
    Answer,
    Approve,
    GateAction,
    GateCommand,
    Object,
    Pay,
    Submit,
    Suspend,
    Verify,
)
from hallmon.billing.gate import State
from hallmon.billing.statement import describe_basis
from hallmon.core import labels
from hallmon.core.errors import Forbidden, NotFound, Refused
from hallmon.core.money import parse_money
from hallmon.extensions import db
from hallmon.uow import unit_of_work
from hallmon.web.context import pick_contract, visible_contracts
from hallmon.web.security import roles_required

bp = Blueprint("billing", __name__, url_prefix="/settlements")
VIEWERS = ("manager", "finance", "contractor")


@bp.route("/")
@roles_required(*VIEWERS)
def index():
    rows = services.period_overview(db.session, visible_contracts(db.session))
    counts = {s.value: 0 for s in State}
    for r in rows:
        counts[r.state] += 1
    state = request.args.get("state")
    shown = [r for r in rows if r.state == state] if state else rows
    return render_template("billing/index.html", rows=shown, counts=counts, selected=state)


@bp.route("/<code>/<period>")
@roles_required(*VIEWERS)
def detail(code: str, period: str):
    contract = pick_contract(db.session, code)
    settled = services.settle(db.session, contract, period)
    view = services.gate_view(db.session, contract, period, current_user.username)
    return render_template("billing/detail.html", contract=contract, settled=settled, view=view, period=period,
                           describe=describe_basis)


def _command(action: GateAction, period: str) -> GateCommand:
    """The form of one gate action as its typed command."""
    form = request.form
    if action is GateAction.SUBMIT:
        upload = request.files.get("report")
        data = upload.read() if upload and upload.filename else b""
        return Submit(data or None, upload.filename if upload else None)
    if action is GateAction.VERIFY:
        return Verify()
    if action is GateAction.SUSPEND:
        return Suspend(form.get("why", ""))
    if action is GateAction.OBJECT:
        return Object(form.get("line_month") or period, form.get("line", ""), form.get("text", ""))
    if action is GateAction.ANSWER:
        accept = form.get("decision") == "accept"
        adjustment = parse_money(form.get("adjustment", ""), "调整金额") if accept else None
        return Answer(int(form.get("objection", "0") or 0), accept, form.get("why", ""), adjustment)
    if action is GateAction.APPROVE:
        return Approve()
    try:
        paid_on = dt.date.fromisoformat(form.get("paid_on", ""))
    except ValueError:
        raise Refused("支付日期应为 YYYY-MM-DD") from None
    return Pay(form.get("voucher", ""), paid_on, parse_money(form.get("amount", ""), "支付金额"))


@bp.route("/<code>/<period>/<action>", methods=["POST"])
@roles_required(*VIEWERS)
def act(code: str, period: str, action: str):
    contract = pick_contract(db.session, code)
    try:
        kind = GateAction(action)
    except ValueError:
        raise NotFound("没有这个操作") from None
    try:
        with unit_of_work(db.session) as session:
            result = writes.gate_action(session, contract, period, _command(kind, period), current_user.username)
    except Forbidden:
        raise
    except Refused as exc:
        flash(exc.message, "error")
        return redirect(url_for("billing.detail", code=code, period=period))
    if result.failed:
        flash(services.VerificationFailed(result).message, "error")
    else:
        flash(f"{labels.ACTIONS[kind]}完成：状态为“{labels.STATES[result.status]}”", "info")
    return redirect(url_for("billing.detail", code=code, period=period))


@bp.route("/<code>/<period>/statement.<fmt>")
@roles_required(*VIEWERS)
def statement(code: str, period: str, fmt: str):
    contract = pick_contract(db.session, code)
    data, name = services.statement_export(db.session, contract, period, fmt)
    mimetype = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx"
                else "text/html; charset=utf-8")
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=fmt == "xlsx", download_name=name)


@bp.route("/<code>/<period>/report")
@roles_required("manager", "finance")
def report(code: str, period: str):
    contract = pick_contract(db.session, code)
    found = services.report_file(db.session, contract, period)
    if found is None:
        raise NotFound("该结算期没有附考核报告")
    data, name = found
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name,
                     mimetype="application/octet-stream")
