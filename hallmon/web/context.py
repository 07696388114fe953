"""What every page needs: the contract and month in view, the user's scope, and the alert count in the header."""
from __future__ import annotations

import datetime as dt

from flask import Flask, request
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from hallmon.alerts.services import count_alerts
from hallmon.core.clock import today
from hallmon.core.errors import Refused
from hallmon.core.exports import install_template_words
from hallmon.core.periods import Month, month_key, month_of
from hallmon.extensions import db
from hallmon.roster import services as roster
from hallmon.web.security import contractor_scope, ensure_contract_visible


def visible_contracts(session):
    return roster.list_contracts(session, contractor=contractor_scope(current_user))


def pick_contract(session, code: str | None = None):
    """The contract named (and visible to this user), else the user's first; None when there is none."""
    code = code or request.args.get("contract")
    if code:
        contract = roster.get_contract(session, code)
        ensure_contract_visible(current_user, contract)
        return contract
    contracts = visible_contracts(session)
    return contracts[0] if contracts else None


def default_month(contract, day: dt.date | None = None) -> Month:
    """The month a page opens on: the current month inside the contract, else its nearest end."""
    months = contract.terms().months()
    current = month_key(day or today())
    if current < months[0]:
        return Month(months[0])
    if current > months[-1]:
        return Month(months[-1])
    return Month(current)


def pick_month(contract, value: str | None = None) -> Month:
    value = value or request.args.get("month")
    if not value:
        return default_month(contract)
    return month_of(value)


def pick_date(name: str, default: dt.date) -> dt.date:
    value = request.args.get(name)
    if not value:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Refused(f"{name} 应为日期 YYYY-MM-DD：{value!r}") from None


def init_app(app: Flask) -> None:
    install_template_words(app.jinja_env)

    @app.context_processor
    def header():
        if not current_user.is_authenticated or current_user.role == "contractor":
            return {"alert_count": None, "contract_code": None}
        try:
            contracts = visible_contracts(db.session)
            latest = contracts[-1] if contracts else None
            return {"alert_count": count_alerts(db.session),
                    "contract_code": latest.code if latest else None,
                    "evaluation_year": min(latest.end.year, today().year) if latest else None}
        except SQLAlchemyError:
            # the page being drawn may be the "database unavailable" page itself: it must still render
            db.session.rollback()
            return {"alert_count": None, "contract_code": None}
