"""Dashboards: one per role, over the same services as the command line."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from hallmon.extensions import db
from hallmon.roster import services as roster
from hallmon.web.security import contractor_scope

bp = Blueprint("web", __name__)


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("web.dashboard"))
    return redirect(url_for("auth.login"))


@bp.route("/dashboard")
@login_required
def dashboard():
    contracts = roster.list_contracts(db.session, contractor=contractor_scope(current_user))
    overview = roster.contract_overview(db.session, contracts)
    return render_template(f"dashboard/{current_user.role}.html", overview=overview)
