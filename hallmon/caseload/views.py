"""Caseload pages: K1–K4 for a contract year, by department, window, business and staff."""
from __future__ import annotations

from flask import Blueprint, render_template

from hallmon.caseload import services
from hallmon.extensions import db
from hallmon.web.context import pick_contract
from hallmon.web.security import roles_required

bp = Blueprint("caseload", __name__, url_prefix="/caseload")


@bp.route("/<code>/<int:year>")
@roles_required("manager")
def index(code: str, year: int):
    contract = pick_contract(db.session, code)
    stats = services.statistics_document(db.session, contract, year)
    staff = services.staff_totals(db.session, contract, year)
    top = sorted(staff.items(), key=lambda kv: (-kv[1], kv[0]))[:20]
    years = sorted({int(m[:4]) for m in contract.terms().months()})
    return render_template("caseload/index.html", contract=contract, s=stats, top=top, years=years,
                           target=contract.terms().caseload.daily_target)
