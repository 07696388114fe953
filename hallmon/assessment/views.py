"""Assessment pages: the year's scores (and its S1–S7 JSON), one month's rows, and entry by form."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from hallmon.app import writes
from hallmon.assessment import services
from hallmon.core.clock import today
from hallmon.extensions import db
from hallmon.ingest.errors import IngestRefused
from hallmon.uow import unit_of_work
from hallmon.web.context import pick_contract, pick_date, pick_month
from hallmon.web.security import roles_required

bp = Blueprint("assessment", __name__, url_prefix="/assessment")


@bp.route("/<code>/<int:year>.json")
@roles_required("manager", "finance", "contractor")
def year_json(code: str, year: int):
    """S1–S7: the same document as `hallmon assessment scores CODE --year YEAR --json`; ?as_of=YYYY-MM-DD."""
    contract = pick_contract(db.session, code)
    return jsonify(services.year_scores(db.session, contract, year, pick_date("as_of", today())))


@bp.route("/<code>/<int:year>")
@roles_required("manager", "finance", "contractor")
def year(code: str, year: int):
    contract = pick_contract(db.session, code)
    scores = services.year_scores(db.session, contract, year)
    years = sorted({int(m[:4]) for m in contract.terms().months()})
    return render_template("assessment/year.html", contract=contract, scores=scores, years=years,
                           pass_score=contract.terms().assessment.pass_score)


@bp.route("/<code>/month/<month>", methods=["GET", "POST"])
@roles_required("manager", "finance", "contractor")
def month(code: str, month: str):
    contract = pick_contract(db.session, code)
    month = pick_month(contract, month)
    problems = None
    if request.method == "POST":
        if current_user.role not in ("manager", "admin"):
            abort(403)
        problems = _add_item(contract.code, month)
        if problems is None:
            flash("已记入考核项目", "info")
            return redirect(url_for("assessment.month", code=contract.code, month=month))
    detail = services.month_detail(db.session, contract, month)
    catalogue = services.stored_catalogue(db.session)
    return render_template("assessment/month.html", contract=contract, d=detail, catalogue=catalogue,
                           problems=problems, form=request.form if problems else {}), (422 if problems else 200)


def _add_item(code: str, month: str) -> list[str] | None:
    """Assessment entry by form: one row through the very ingest path a file takes (same checks, same key)."""
    form = request.form
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["contract", "month", "item_code", "item", "points", "staff_id", "window", "date", "note"])
    writer.writerow([code, month, form.get("item_code", "").strip(), form.get("item", "").strip(),
                     form.get("points", "").strip(), form.get("staff_id", "").strip(), form.get("window", "").strip(),
                     form.get("date", "").strip(), form.get("note", "").strip()])
    try:
        with unit_of_work(db.session) as session:
            writes.load_file(session, "assessment", "考核录入.csv", data=buffer.getvalue().encode("utf-8"),
                             display="考核录入", actor=current_user.username)
    except IngestRefused as exc:
        return [f"{e.column}：{e.message}" for e in exc.errors]
    return None
