"""Every write hallmon makes, with what it recomputes: a load, a contract's terms, a waiver, a gate action. Each
runs in its caller's one unit of work, holds the contracts it writes to, and leaves the derived data (month
summaries, demands, alerts, and the outbox announcing what they raised) as the data it wrote now says — so that
every read only reads."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from hallmon.app.sources import contracts_of, registered, roster_view
from hallmon.attendance import services as attendance
from hallmon.billing import services as billing
from hallmon.billing.commands import GateAction, GateCommand, GateResult
from hallmon.core.clock import now
from hallmon.ingest.service import (
    IngestMeta,
    IngestReport,
    Progress,
    Touched,
    parse_file,
    read_file,
    refuse_bad_rows,
    report,
    store,
    write_rejected,
)
from hallmon.notify import outbox
from hallmon.roster import services as roster
from hallmon.roster.models import Contract


def refresh_derived(session: Session, touched: Touched) -> None:
    """Recompute, in the write's transaction, exactly what it touched: the month summaries of the months whose
    inputs changed, then the demands of their contracts (and of those whose complaints changed), then the alerts
    of every contract touched. The caller holds these contracts."""
    by_id = {c.id: c for c in roster.contracts_by_id(session, touched.contracts())}
    months: dict[int, set[str]] = {}
    for contract_id, month in touched.months:
        months.setdefault(contract_id, set()).add(month)
    for contract_id, wanted in sorted(months.items()):
        attendance.recompute_months(session, by_id[contract_id], wanted)
    for contract_id in sorted(set(months) | touched.demands):
        attendance.recompute_demands(session, by_id[contract_id])
    outbox.refresh_contracts(session, [by_id[cid] for cid in sorted(touched.contracts())])


def load_file(session: Session, kind: str, path: str | Path, fmt: str = "auto", skip_bad_rows: bool = False,
              actor: str | None = None, progress: Progress | None = None, data: bytes | None = None,
              display: str | None = None, rejected_dir: Path | None = None) -> IngestReport:
    """rules §2: all-or-nothing by default; with skip_bad_rows the good rows load and the rest go to a side file.
    Parsed completely before anything is written; then stored, logged and followed by what it changes."""
    registry = registered(kind)
    content, file = read_file(path, data, display)
    if progress:
        progress("读取并校验", 0, 1)
    view = roster_view(session)
    loaded = parse_file(registry.source, view, content, file, fmt)
    refuse_bad_rows(loaded, skip_bad_rows)
    if progress:
        progress("读取并校验", 1, 1)
    roster.hold_contracts(session, contracts_of(session, loaded, view))
    persisted = store(session, loaded, registry.persist, IngestMeta(file, actor, now(), progress))
    if progress:
        progress("重新计算月度汇总与提醒", 0, 1)
    refresh_derived(session, persisted.touched)
    if progress:
        progress("重新计算月度汇总与提醒", 1, 1)
    rejected_file = None
    if loaded.parsed.bad_lines:
        named = Path(path) if display is None or rejected_dir is not None else Path(display)
        rejected_file = str(write_rejected(named, loaded.table, loaded.parsed.errors, rejected_dir))
    return report(loaded, persisted, rejected_file)


def load_contract(session: Session, text: str, source_name: str | None = None,
                  actor: str | None = None) -> roster.ContractLoad:
    """rules §1: a contract's terms; changed terms recompute every month, demand and alert of the contract."""
    result = roster.load_contract_text(session, text, source_name, actor)
    if result.created or result.changed:
        recompute(session, [result.contract])
    return result


def recompute(session: Session, contracts: list[Contract]) -> None:
    """Every derived figure of these contracts from the data stored (after a change of terms, a migration, or data
    written outside hallmon)."""
    roster.hold_contracts(session, [c.id for c in contracts])
    for contract in contracts:
        attendance.recompute_months(session, contract, None)
        attendance.recompute_demands(session, contract)
    outbox.refresh_contracts(session, contracts)


def waive_demand(session: Session, contract: Contract, staff_id: str, reason: str, raised_on: dt.date, why: str,
                 actor: str) -> None:
    """A8: a waiver, with the contract's alerts following it."""
    roster.hold_contracts(session, [contract.id])
    attendance.waive_demand(session, contract, staff_id, reason, raised_on, why, actor)
    session.flush()
    outbox.refresh_contracts(session, [contract])


def gate_action(session: Session, contract: Contract, month: str, command: GateCommand, actor: str,
                at: dt.datetime | None = None) -> GateResult:
    """G1: one gate action, with the contract's alerts following it (a verified settlement is no longer
    "not verified" once this transaction commits); an answered objection is announced to the contractor."""
    result = billing.gate_action(session, contract, month, command, actor, at)
    session.flush()
    outbox.refresh_contracts(session, [contract])
    if result.action == GateAction.ANSWER and result.objection is not None:
        outbox.announce_objection_answer(session, contract, result.objection)
    return result
