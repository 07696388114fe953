"""Settlement pages: the list by state, one settlement with its lines and basis, and the gate actions."""
from __future__ import annotations

import datetime as dt
import io

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from hallmon.billing import services
from hallmon.billing.gate import ACTION_NAMES, STATE_NAMES, State
from hallmon.billing.statement import LINE_NAMES, describe_basis
from hallmon.cache import remember
from hallmon.core.errors import Forbidden, NotFound, Refused
from hallmon.extensions import db
from hallmon.roster import services as roster
from hallmon.web.security import contractor_scope, ensure_contract_visible, roles_required

bp = Blueprint("billing", __name__, url_prefix="/settlements")
VIEWERS = ("manager", "finance", "contractor")


def _contract(code: str):
    contract = roster.get_contract(db.session, code)
    ensure_contract_visible(current_user, contract)
    return contract


@bp.route("/")
@roles_required(*VIEWERS)
def index():
    contracts = roster.list_contracts(db.session, contractor=contractor_scope(current_user))
    rows = services.period_overview(db.session, contracts)
    state = request.args.get("state")
    if state:
        rows = [r for r in rows if r["state"] == state]
    counts = {s.value: 0 for s in State}
    for r in services.period_overview(db.session, contracts):
        counts[r["state"]] += 1
    return render_template("billing/index.html", rows=rows, counts=counts, state_names=STATE_NAMES,
                           selected=state)


@bp.route("/<code>/<period>")
@roles_required(*VIEWERS)
def detail(code: str, period: str):
    contract = _contract(code)
    # a draft is recomputed from years of data; kept per data version (hallmon.cache: every gate step moves it)
    document = remember(db.session, "settle", (contract.id, period),
                        lambda: services.settle(db.session, contract.code, period))
    view = services.gate_view(db.session, contract.code, period, current_user.username)
    return render_template("billing/detail.html", contract=contract, doc=document, view=view, period=period,
                           line_names=LINE_NAMES, describe=describe_basis, action_names=ACTION_NAMES)


@bp.route("/<code>/<period>/<action>", methods=["POST"])
@roles_required(*VIEWERS)
def act(code: str, period: str, action: str):
    contract = _contract(code)
    if action not in ACTION_NAMES:
        raise NotFound("没有这个操作")
    form = request.form
    options: dict = {}
    try:
        if action == "submit":
            upload = request.files.get("report")
            data = upload.read() if upload and upload.filename else b""
            options.update(report=data or None, report_name=upload.filename if upload else None)
        elif action == "suspend":
            options["why"] = form.get("why", "")
        elif action == "object":
            options.update(line=form.get("line", ""), line_month=form.get("line_month") or period,
                           text=form.get("text", ""))
        elif action == "answer":
            options.update(objection=int(form.get("objection", "0") or 0), accept=form.get("decision") == "accept",
                           why=form.get("why", ""))
            if form.get("decision") == "accept":
                options["adjustment"] = services._money(form.get("adjustment", ""), "调整金额")
        elif action == "pay":
            try:
                paid_on = dt.date.fromisoformat(form.get("paid_on", ""))
            except ValueError:
                raise Refused("支付日期应为 YYYY-MM-DD") from None
            options.update(voucher=form.get("voucher", ""), paid_on=paid_on, amount=form.get("amount", ""))
        result = services.gate_action(db.session, contract.code, period, action, current_user.username, **options)
    except services.VerificationFailed as exc:
        flash(exc.message, "error")
        return redirect(url_for("billing.detail", code=code, period=period))
    except Forbidden:
        raise
    except Refused as exc:
        flash(exc.message, "error")
        return redirect(url_for("billing.detail", code=code, period=period))
    flash(f"{ACTION_NAMES[action]}完成：状态为“{STATE_NAMES[State(result.status)]}”", "info")
    return redirect(url_for("billing.detail", code=code, period=period))


@bp.route("/<code>/<period>/statement.<fmt>")
@roles_required(*VIEWERS)
def statement(code: str, period: str, fmt: str):
    contract = _contract(code)
    data, name = services.statement_export(db.session, contract.code, period, fmt)
    mimetype = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx"
                else "text/html; charset=utf-8")
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=fmt == "xlsx", download_name=name)


@bp.route("/<code>/<period>/report")
@roles_required("manager", "finance")
def report(code: str, period: str):
    contract = _contract(code)
    found = services.report_file(db.session, contract.code, period)
    if found is None:
        raise NotFound("该结算期没有附考核报告")
    data, name = found
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name,
                     mimetype="application/octet-stream")
