"""Roster services: loading contract terms and staff files, looking contracts up, holding them while writing."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from hallmon.contract import ContractTerms, load_terms_text
from hallmon.core.clock import now
from hallmon.core.errors import NotFound, Refused
from hallmon.core.periods import months_between
from hallmon.db import keyed_upsert
from hallmon.ingest.service import IngestMeta, Persisted, Touched
from hallmon.ingest.source import Parsed
from hallmon.roster.models import Contract, ContractVersion, Department, Staff, Window


@dataclass(frozen=True)
class ContractLoad:
    contract: Contract
    version: int
    created: bool
    changed: bool

    @property
    def code(self) -> str:
        return self.contract.code

    def sentence(self) -> str:
        if self.created:
            return f"合同 {self.code} 已导入（版本 {self.version}）"
        if self.changed:
            return f"合同 {self.code} 条款已更新为版本 {self.version}（旧版本保留）"
        return f"合同 {self.code} 条款未变（版本 {self.version}）"


def load_contract_text(session: Session, text: str, source_name: str | None = None,
                       actor: str | None = None) -> ContractLoad:
    """rules §1: load or update a contract in the caller's transaction; a changed file makes a new version and
    keeps the old."""
    terms = load_terms_text(text)
    fingerprint = terms.fingerprint()
    contract = session.scalar(select(Contract).where(Contract.code == terms.code))
    created = contract is None
    if created:
        contract = Contract(code=terms.code, current_version=0)
        session.add(contract)
    else:
        hold_contracts(session, [contract.id])
        if contract.current().fingerprint == fingerprint:
            return ContractLoad(contract, contract.current_version, False, False)
    version = (max((v.version for v in contract.versions), default=0)) + 1
    contract.versions.append(ContractVersion(
        version=version, terms_document=terms.to_document(), fingerprint=fingerprint,
        source_text=text, source_name=source_name, loaded_at=now(), loaded_by=actor,
    ))
    contract.current_version = version
    _copy_headline(contract, terms)
    session.flush()
    return ContractLoad(contract, version, created, not created)


def read_contract_file(path: str | Path) -> str:
    try:
        return Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise Refused(f"无法读取 {path}：{exc.strerror or exc}") from exc
    except UnicodeDecodeError:
        raise Refused(f"{path} 不是 UTF-8 编码的文本文件") from None


def _copy_headline(contract: Contract, terms: ContractTerms) -> None:
    contract.name = terms.name
    contract.contractor = terms.contractor
    contract.start = terms.start
    contract.end = terms.end
    contract.total_fee = terms.total_fee


def hold_contracts(session: Session, contract_ids: Iterable[int]) -> None:
    """Every write to a contract's data holds the contract until its transaction ends, so that two writes to one
    contract take turns and the later one recomputes from what the earlier one stored. PostgreSQL: the rows
    locked FOR UPDATE, in id order (two writers never deadlock); SQLite: the database's one write lock, taken now."""
    ids = sorted(set(contract_ids))
    if not ids:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(Contract.id).where(Contract.id.in_(ids)).order_by(Contract.id).with_for_update())
    else:
        session.execute(update(Contract).where(Contract.id.in_(ids)).values(current_version=Contract.current_version)
                        .execution_options(synchronize_session=False))


def get_contract(session: Session, code: str) -> Contract:
    contract = session.scalar(select(Contract).where(Contract.code == code))
    if contract is None:
        raise NotFound(f"合同 {code} 不存在（先导入该合同的条款文件）")
    return contract


def contracts_by_id(session: Session, ids: Iterable[int]) -> list[Contract]:
    return list(session.scalars(select(Contract).where(Contract.id.in_(sorted(set(ids)))).order_by(Contract.id)))


def list_contracts(session: Session, contractor: str | None = None) -> list[Contract]:
    stmt = select(Contract).order_by(Contract.code)
    if contractor is not None:
        stmt = stmt.where(Contract.contractor == contractor)
    return list(session.scalars(stmt))


def _department_ids(session: Session, names: set[str]) -> dict[str, int]:
    existing = {d.name: d.id for d in session.scalars(select(Department))}
    for name in sorted(names - existing.keys()):
        dept = Department(name=name)
        session.add(dept)
        session.flush()
        existing[name] = dept.id
    return existing


def _window_ids(session: Session, pairs: dict[str, int]) -> dict[str, int]:
    existing = {w.code: w.id for w in session.scalars(select(Window))}
    for code in sorted(pairs.keys() - existing.keys()):
        window = Window(code=code, department_id=pairs[code])
        session.add(window)
        session.flush()
        existing[code] = window.id
    return existing


_STAFF_VALUES = ["name", "contract_id", "post", "department_id", "window_id", "hired_on", "left_on"]


def _employment_months(contract: Contract, hired_on: dt.date, left_on: dt.date | None) -> list[str]:
    """A1: the contract months a person is on the roster (what their summaries depend on)."""
    first, last = max(hired_on, contract.start), min(left_on or contract.end, contract.end)
    return months_between(first, last) if first <= last else []


def persist_staff(session: Session, parsed: Parsed, meta: IngestMeta) -> Persisted:
    """Staff keyed by staff_id; the months of every contract a changed employment touches (old and new) are
    recomputed. A name, post, department or window changes no summary."""
    frame = parsed.frame
    if frame.empty:
        return Persisted()
    contracts = {c.code: c for c in session.scalars(select(Contract))}
    departments = _department_ids(session, set(frame["department"]))
    window_depts = {}
    for window, dept in zip(frame["window"], frame["department"], strict=True):
        if window is not None:
            window_depts.setdefault(window, departments[dept])
    windows = _window_ids(session, window_depts)
    rows = [{"staff_id": r.staff_id, "name": r.name, "contract_id": contracts[r.contract].id, "post": r.post,
             "department_id": departments[r.department],
             "window_id": windows[r.window] if r.window is not None else None,
             "hired_on": r.hired_on, "left_on": r.left_on} for r in frame.itertuples(index=False)]
    done = keyed_upsert(session, Staff.__table__, rows, ["staff_id"], _STAFF_VALUES, report_new=True)
    by_id = {c.id: c for c in contracts.values()}
    employment = {r["staff_id"]: (r["contract_id"], r["hired_on"], r["left_on"]) for r in rows}
    changed = {key[0] for key in done.new}
    months: set[tuple[int, str]] = set()
    for old in done.replaced:
        before = dict(zip(["staff_id", *_STAFF_VALUES], old, strict=True))
        was = (before["contract_id"], before["hired_on"], before["left_on"])
        if was != employment[before["staff_id"]]:
            changed.add(before["staff_id"])
            months |= {(was[0], m) for m in _employment_months(by_id[was[0]], was[1], was[2])}
    for staff_id in changed:
        contract_id, hired_on, left_on = employment[staff_id]
        months |= {(contract_id, m) for m in _employment_months(by_id[contract_id], hired_on, left_on)}
    return Persisted(done.inserted, done.updated, done.unchanged, Touched(months=months))


@dataclass(frozen=True)
class ContractOverview:
    code: str
    name: str
    contractor: str
    start: dt.date
    end: dt.date
    total_fee: object
    headcount: int
    staff_on_roster: int
    version: int


def contract_overview(session: Session, contracts: list[Contract]) -> list[ContractOverview]:
    counts = dict(session.execute(
        select(Staff.contract_id, func.count()).group_by(Staff.contract_id)
    ).all())
    out = []
    for c in contracts:
        terms = c.terms()
        out.append(ContractOverview(c.code, c.name, c.contractor, c.start, c.end, c.total_fee,
                                    terms.headcount, counts.get(c.id, 0), c.current_version))
    return out
