"""Dashboards (one per role), the alerts page, and the dashboard charts — over the same services as the CLI."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from hallmon.alerts.services import acknowledge_alert, alert_summary, stored_alerts
from hallmon.app.overview import manager_overview, spending
from hallmon.assessment.services import year_scores
from hallmon.attendance.services import demands, outcomes_by_week
from hallmon.billing.services import period_overview
from hallmon.caseload.services import daily_totals
from hallmon.core.clock import today
from hallmon.core.errors import Refused
from hallmon.extensions import db
from hallmon.notify.notice import notices_of
from hallmon.roster import services as roster
from hallmon.uow import unit_of_work
from hallmon.web import charts
from hallmon.web.context import pick_contract, pick_month, visible_contracts
from hallmon.web.security import contractor_scope, roles_required

bp = Blueprint("web", __name__)


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("web.dashboard"))
    return redirect(url_for("auth.login"))


@bp.route("/dashboard")
@login_required
def dashboard():
    contracts = visible_contracts(db.session)
    context = {"contracts": contracts, "overview": roster.contract_overview(db.session, contracts)}
    role = current_user.role
    # a contract named in the URL is checked even when the user sees none (rules §10: 403, never a quiet default)
    contract = pick_contract(db.session) if contracts or request.args.get("contract") else None
    if contract is not None and role in ("manager", "admin"):
        context["view"] = manager_overview(db.session, contract, pick_month(contract))
        context["months"] = contract.terms().months()
        context["notices"] = notices_of(db.session, contract)
    if role in ("finance", "contractor", "admin"):
        context["periods"] = period_overview(db.session, contracts)
        context["spending"] = {c.code: spending(db.session, c, today()) for c in contracts}
    if role in ("manager", "finance", "admin"):
        context["alert_groups"] = alert_summary(stored_alerts(db.session))
    if role == "contractor" and contract is not None:
        context["contract"] = contract
        context["demands"] = demands(db.session, contract)
        context["notices"] = notices_of(db.session, contract)
    return render_template(f"dashboard/{role}.html", **context)


@bp.route("/alerts")
@roles_required("manager", "finance")
def alerts():
    kind = request.args.get("kind") or None
    found = stored_alerts(db.session, contractor_scope(current_user), kind=kind)
    return render_template("web/alerts.html", alerts=found, kind=kind)


@bp.route("/alerts/acknowledge", methods=["POST"])
@roles_required("manager", "finance")
def acknowledge():
    """Someone has seen an alert and acts on it: it leaves the header's count and stays listed until it clears."""
    kind = request.form.get("kind") or None
    try:
        alert_id = int(request.form.get("alert", ""))
        with unit_of_work(db.session) as session:
            alert = acknowledge_alert(session, alert_id, current_user.username, request.form.get("note", ""),
                                      contractor=contractor_scope(current_user))
    except ValueError:
        flash("提醒编号无效", "error")
    except Refused as exc:
        flash(exc.message, "error")
    else:
        flash(f"已确认提醒：{alert.message}", "info")
    return redirect(url_for("web.alerts", kind=kind))


def png(data: bytes) -> Response:
    response = Response(data, mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.route("/charts/scores/<code>/<int:year>.png")
@login_required
def scores_chart(code: str, year: int):
    contract = pick_contract(db.session, code)
    scores = year_scores(db.session, contract, year)
    pass_score = float(contract.terms().assessment.pass_score)
    spec = charts.line_spec(f"{year} 年月度考核得分", [m["month"][5:] + "月" for m in scores["months"]],
                            {"考核得分": [m["score"] for m in scores["months"]]},
                            hline=pass_score, hline_label=f"合格线 {pass_score:g} 分", ylim=(50, 106), ylabel="分")
    return png(charts.render(spec))


@bp.route("/charts/attendance/<code>/<month>.png")
@login_required
def attendance_chart(code: str, month: str):
    contract = pick_contract(db.session, code)
    month = pick_month(contract, month)
    weeks, counts = outcomes_by_week(db.session, contract, month)
    spec = charts.bar_spec(f"{month} 考勤异常（按周，场次）", weeks, counts, ylabel="场次")
    return png(charts.render(spec))


@bp.route("/charts/caseload/<code>/<month>.png")
@roles_required("manager")
def caseload_chart(code: str, month: str):
    contract = pick_contract(db.session, code)
    month = pick_month(contract, month)
    days = {d: n for d, n in daily_totals(db.session, contract, month.year).items()
            if d.strftime("%Y-%m") == month}
    target = float(contract.terms().caseload.daily_target) or None
    spec = charts.bar_spec(f"{month} 每日业务量", [f"{d.day}" for d in sorted(days)],
                           {"件数": [days[d] for d in sorted(days)]}, hline=target,
                           hline_label=f"日目标 {target:g} 件" if target else None, ylabel="件")
    return png(charts.render(spec))
