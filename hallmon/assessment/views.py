"""Assessment over the web (minimal until the web issue): the S1–S7 year document as JSON, scoped per SPEC §10.

Not registered yet: `app.register_blueprint(hallmon.assessment.views.bp)` in `create_app` switches it on.
"""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, jsonify, request
from flask_login import current_user

from hallmon.assessment import services
from hallmon.errors import Refused
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
