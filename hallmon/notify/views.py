"""Notification pages: a user's own address and subscriptions (and the admin's view of anyone's), the admin's
outbox and group robots, and the replacement notice — printed, marked served, acknowledged by the contractor."""
from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from hallmon.auth.models import User
from hallmon.auth.services import (
    EVERY_CONTRACT,
    notify_kinds,
    reset_subscriptions,
    robot_subscriptions,
    set_email,
    set_robot_subscriptions,
    set_subscriptions,
    subscriptions_of,
)
from hallmon.core.clock import today
from hallmon.core.errors import Refused
from hallmon.extensions import db
from hallmon.notify import notice as N
from hallmon.notify.outbox import decide, outbox_view
from hallmon.roster import services as roster
from hallmon.uow import unit_of_work
from hallmon.web.context import pick_contract
from hallmon.web.security import contractor_scope, roles_required

bp = Blueprint("notify", __name__)


def _pairs(values: list[str], allowed: set[str]) -> list[tuple[str, str]]:
    """Checkbox values "kind|contract"; a contract outside what the subscriber may see is refused."""
    out = []
    for value in values:
        kind, _, contract = value.partition("|")
        if contract != EVERY_CONTRACT and contract not in allowed:
            raise Refused(f"不能订阅合同 {contract}")
        out.append((kind, contract))
    return out


def _target() -> User:
    """The user whose subscriptions are shown: oneself, or (for the administrator) the one named by ?user=."""
    wanted = request.values.get("user")
    if not wanted or wanted == str(current_user.id):
        return current_user
    if current_user.role != "admin":
        abort(403)
    try:
        user = db.session.get(User, int(wanted))
    except ValueError:
        user = None
    if user is None:
        abort(404)
    return user


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def subscriptions():
    user = _target()
    contracts = roster.list_contracts(db.session, contractor=contractor_scope(user))
    codes = {c.code for c in contracts}
    back = url_for("notify.subscriptions", user=user.id if user.id != current_user.id else None)
    if request.method == "POST":
        try:
            with unit_of_work(db.session) as session:
                target = session.get(User, user.id)
                if request.form.get("action") == "reset":
                    reset_subscriptions(session, target)
                    flash("已恢复为角色的默认订阅", "info")
                else:
                    set_email(target, request.form.get("email"))
                    set_subscriptions(session, target, _pairs(request.form.getlist("sub"), codes))
                    flash("通知设置已保存", "info")
        except Refused as exc:
            flash(exc.message, "error")
        return redirect(back)
    return render_template("notify/subscriptions.html", target=user, contracts=contracts, kinds=notify_kinds(),
                           chosen=subscriptions_of(db.session, user), every=EVERY_CONTRACT)


@bp.route("/admin/notifications")
@roles_required("admin")
def admin():
    config = current_app.config.get("NOTIFY_CONFIG")
    robots = robot_subscriptions(db.session)
    names = sorted(set(config.robots) | set(robots)) if config else sorted(robots)
    users = db.session.scalars(select(User).order_by(User.username)).all()
    return render_template("notify/admin.html", config=config, view=outbox_view(db.session), robots=robots,
                           robot_names=names, users=users, kinds=notify_kinds(),
                           contracts=roster.list_contracts(db.session), every=EVERY_CONTRACT,
                           subscriptions_of=lambda u: subscriptions_of(db.session, u))


@bp.route("/admin/notifications/message", methods=["POST"])
@roles_required("admin")
def message():
    try:
        message_id = int(request.form.get("message", ""))
        with unit_of_work(db.session) as session:
            decide(session, message_id, request.form.get("action", ""), current_user.username)
    except ValueError:
        flash("通知编号无效", "error")
    except Refused as exc:
        flash(exc.message, "error")
    else:
        flash(f"通知 #{message_id} 已处理", "info")
    return redirect(url_for("notify.admin"))


@bp.route("/admin/notifications/robots", methods=["POST"])
@roles_required("admin")
def robots():
    codes = {c.code for c in roster.list_contracts(db.session)}
    robot = request.form.get("robot", "")
    try:
        with unit_of_work(db.session) as session:
            set_robot_subscriptions(session, robot, _pairs(request.form.getlist("sub"), codes))
    except Refused as exc:
        flash(exc.message, "error")
    else:
        flash(f"群机器人 {robot} 的订阅已保存", "info")
    return redirect(url_for("notify.admin"))


# ---------------------------------------------------------------- the replacement notice


def _key(values) -> N.NoticeKey:
    return N.NoticeKey.parse(values.get("staff_id"), values.get("reason"), values.get("raised_on"))


def _notice_url(code: str, key: N.NoticeKey) -> str:
    return url_for("notify.notice", code=code, staff_id=key.staff_id, reason=key.reason,
                   raised_on=key.raised_on.isoformat())


@bp.route("/attendance/<code>/demands/notice")
@roles_required("manager", "finance", "contractor")
def notice(code: str):
    contract = pick_contract(db.session, code)
    document = N.notice_document(db.session, contract, _key(request.args))
    toolbar = render_template("notify/_notice_toolbar.html", doc=document, contract=contract, today=today())
    return Response(N.notice_html(document, Markup(toolbar)), mimetype="text/html")


@bp.route("/attendance/<code>/demands/notice/served", methods=["POST"])
@roles_required("manager")
def notice_served(code: str):
    contract = pick_contract(db.session, code)
    key = _key(request.form)
    try:
        served_on = dt.date.fromisoformat(request.form.get("served_on", ""))
    except ValueError:
        flash("送达日期无效", "error")
        return redirect(_notice_url(contract.code, key))
    try:
        with unit_of_work(db.session) as session:
            N.serve_notice(session, contract, key, served_on, request.form.get("how", ""), request.form.get("note", ""),
                           current_user.username)
    except Refused as exc:
        flash(exc.message, "error")
    else:
        flash("已登记送达，服务单位将收到通知并在系统中确认收到", "info")
    return redirect(_notice_url(contract.code, key))


@bp.route("/attendance/<code>/demands/notice/acknowledge", methods=["POST"])
@roles_required("contractor")
def notice_acknowledge(code: str):
    contract = pick_contract(db.session, code)
    key = _key(request.form)
    N.demand_of(db.session, contract, key)   # a demand of another contract's person is nobody's here
    try:
        with unit_of_work(db.session) as session:
            N.acknowledge_notice(session, contract, key, current_user.username)
    except Refused as exc:
        flash(exc.message, "error")
    else:
        flash("已确认收到更换人员通知书", "info")
    return redirect(url_for("attendance.demands", code=contract.code))
