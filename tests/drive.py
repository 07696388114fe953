"""The services driven the way an entry point drives them: each write in a unit of work of its own."""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from hallmon.app import writes
from hallmon.billing.commands import GateCommand, GateResult
from hallmon.notify.outbox import refresh_alerts
from hallmon.roster.models import Contract
from hallmon.roster.services import get_contract
from hallmon.uow import unit_of_work


def contract(session: Session, code: str) -> Contract:
    return get_contract(session, code)


def load(session: Session, kind: str, path, **options):
    with unit_of_work(session):
        return writes.load_file(session, kind, path, **options)


def gate(session: Session, code: str, month: str, command: GateCommand, user: str,
         at: dt.datetime | None = None) -> GateResult:
    with unit_of_work(session):
        return writes.gate_action(session, get_contract(session, code), month, command, user, at)


def waive(session: Session, code: str, staff_id: str, reason: str, raised_on: dt.date, why: str, actor: str) -> None:
    with unit_of_work(session):
        writes.waive_demand(session, get_contract(session, code), staff_id, reason, raised_on, why, actor)


def refresh(session: Session, as_of: dt.date):
    with unit_of_work(session):
        return refresh_alerts(session, as_of)
