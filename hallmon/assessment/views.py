"""Assessment over the web (minimal until the web issue): the S1–S7 year document as JSON, scoped per SPEC §10.

Not registered yet: `app.register_blueprint(hallmon.assessment.views.bp)` in `create_app` switches it on.
"""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, jsonify, request
from flask_login import current_user

from hallmon.assessment import services
from hallmon.core.errors import Refused
from hallmon.extensions import db
from hallmon.roster import services as roster
from hallmon.web.security import ensure_contract_visible, roles_required

bp = Blueprint("assessment", __name__, url_prefix="/assessment")


@bp.route("/<code>/<int:year>.json")
@roles_required("manager", "finance", "contractor")
def year_json(code: str, year: int):
    """S1–S7: the same document as `hallmon assessment scores CODE --year YEAR --json`; ?as_of=YYYY-MM-DD."""
    contract = roster.get_contract(db.session, code)
    ensure_contract_visible(current_user, contract)
    as_of = None
    if request.args.get("as_of"):
        try:
            as_of = dt.date.fromisoformat(request.args["as_of"])
        except ValueError:
            raise Refused("as_of 应为日期 YYYY-MM-DD") from None
    return jsonify(services.year_scores(db.session, contract.code, year, as_of))


def _contract(code: str):
    from hallmon.web.context import pick_contract

    return pick_contract(db.session, code)


@bp.route("/<code>/<int:year>")
@roles_required("manager", "finance", "contractor")
def year(code: str, year: int):
    from flask import render_template

    contract = _contract(code)
    scores = services.year_scores(db.session, contract.code, year)
    years = sorted({int(m[:4]) for m in contract.terms().months()})
    return render_template("assessment/year.html", contract=contract, scores=scores, years=years,
                           pass_score=contract.terms().assessment.pass_score)


@bp.route("/<code>/month/<month>", methods=["GET", "POST"])
@roles_required("manager", "finance", "contractor")
def month(code: str, month: str):
    from flask import abort, flash, redirect, render_template, url_for

    from hallmon.web.context import pick_month

    contract = _contract(code)
    month = pick_month(contract, month)
    problems = None
    if request.method == "POST":
        if current_user.role not in ("manager", "admin"):
            abort(403)
        problems = _add_item(contract.code, month)
        if problems is None:
            flash("已记入考核项目", "info")
            return redirect(url_for("assessment.month", code=contract.code, month=month))
    detail = services.month_detail(db.session, contract.code, month)
    catalogue = services.stored_catalogue(db.session)
    return render_template("assessment/month.html", contract=contract, d=detail, catalogue=catalogue,
                           problems=problems, form=request.form if problems else {}), (422 if problems else 200)


def _add_item(code: str, month: str) -> list[str] | None:
    """Assessment entry by form: one row through the very ingest path a file takes (same checks, same key)."""
    import csv
    import io

    from hallmon.ingest.errors import IngestRefused
    from hallmon.ingest.service import ingest_file

    form = request.form
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["contract", "month", "item_code", "item", "points", "staff_id", "window", "date", "note"])
    writer.writerow([code, month, form.get("item_code", "").strip(), form.get("item", "").strip(),
                     form.get("points", "").strip(), form.get("staff_id", "").strip(), form.get("window", "").strip(),
                     form.get("date", "").strip(), form.get("note", "").strip()])
    try:
        ingest_file(db.session, "assessment", "考核录入.csv", data=buffer.getvalue().encode("utf-8"),
                    display="考核录入", actor=current_user.username)
    except IngestRefused as exc:
        return [f"{e.column}：{e.message}" for e in exc.errors]
    return None
