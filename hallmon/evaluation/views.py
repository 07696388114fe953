"""The self-evaluation page: the table from the data, reasons written by the manager, XLSX for filing."""
from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from hallmon.core.clock import today
from hallmon.core.errors import Refused
from hallmon.evaluation import services
from hallmon.extensions import db
from hallmon.uow import unit_of_work
from hallmon.web.context import pick_contract, pick_date
from hallmon.web.security import roles_required

bp = Blueprint("evaluation", __name__, url_prefix="/evaluation")


@bp.route("/<code>/<int:year>", methods=["GET", "POST"])
@roles_required("manager", "finance")
def index(code: str, year: int):
    contract = pick_contract(db.session, code)
    if request.method == "POST":
        if current_user.role not in ("manager", "admin"):
            abort(403)
        try:
            with unit_of_work(db.session) as session:
                services.write_note(session, contract, year, request.form.get("indicator", ""),
                                    request.form.get("reason", ""), current_user.username, request.form.get("value"))
        except Refused as exc:
            flash(exc.message, "error")
        else:
            flash("已保存", "info")
        return redirect(url_for("evaluation.index", code=contract.code, year=year))
    document = services.evaluation(db.session, contract, year, pick_date("as_of", today()))
    return render_template("evaluation/index.html", contract=contract, e=document)


@bp.route("/<code>/<int:year>.xlsx")
@roles_required("manager", "finance")
def export(code: str, year: int):
    contract = pick_contract(db.session, code)
    document = services.evaluation(db.session, contract, year, pick_date("as_of", today()))
    return send_file(io.BytesIO(services.evaluation_xlsx(document)), as_attachment=True,
                     download_name=f"绩效自评表-{contract.code}-{year}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
