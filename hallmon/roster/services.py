"""Roster services: loading contract terms and staff files, looking contracts up."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from hallmon.contract import ContractTerms, load_terms_text
from hallmon.core.errors import NotFound
from hallmon.db import transaction
from hallmon.ingest.service import IngestMeta, PersistCounts
from hallmon.ingest.source import Parsed
from hallmon.roster.models import Contract, ContractVersion, Department, Staff, Window


@dataclass(frozen=True)
class ContractLoad:
    code: str
    version: int
    created: bool
    changed: bool

    def sentence(self) -> str:
        if self.created:
            return f"合同 {self.code} 已导入（版本 {self.version}）"
        if self.changed:
            return f"合同 {self.code} 条款已更新为版本 {self.version}（旧版本保留）"
        return f"合同 {self.code} 条款未变（版本 {self.version}）"


def load_contract_text(session: Session, text: str, source_name: str | None = None,
                       actor: str | None = None) -> ContractLoad:
    """SPEC §1: load or update a contract; a changed file makes a new version and keeps the old."""
    terms = load_terms_text(text)
    fingerprint = terms.fingerprint()
    now = dt.datetime.now().replace(microsecond=0)
    with transaction(session):
        contract = session.scalar(select(Contract).where(Contract.code == terms.code))
        created = contract is None
        if created:
            contract = Contract(code=terms.code, current_version=0)
            session.add(contract)
        elif contract.current().fingerprint == fingerprint:
            return ContractLoad(terms.code, contract.current_version, False, False)
        version = (max((v.version for v in contract.versions), default=0)) + 1
        contract.versions.append(ContractVersion(
            version=version, terms_document=terms.to_document(), fingerprint=fingerprint,
            source_text=text, source_name=source_name, loaded_at=now, loaded_by=actor,
        ))
        contract.current_version = version
        _copy_headline(contract, terms)
        session.flush()
        if not created:
            from hallmon.attendance.services import invalidate_summaries

            invalidate_summaries(session, [contract.id])
    return ContractLoad(terms.code, version, created, not created)


def load_contract_file(session: Session, path: str | Path, actor: str | None = None) -> ContractLoad:
    raw = Path(path).read_bytes()
    text = raw.decode("utf-8-sig")
    return load_contract_text(session, text, source_name=str(path), actor=actor)


def _copy_headline(contract: Contract, terms: ContractTerms) -> None:
    contract.name = terms.name
    contract.contractor = terms.contractor
    contract.start = terms.start
    contract.end = terms.end
    contract.total_fee = terms.total_fee


def get_contract(session: Session, code: str) -> Contract:
    contract = session.scalar(select(Contract).where(Contract.code == code))
    if contract is None:
        raise NotFound(f"合同 {code} 不存在（先运行 hallmon contract load）")
    return contract


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


_STAFF_FIELDS = ("name", "contract_id", "post", "department_id", "window_id", "hired_on", "left_on")


def persist_staff(session: Session, parsed: Parsed, meta: IngestMeta) -> PersistCounts:
    """Upsert staff by staff_id; summaries of every contract whose roster changed are recomputed."""
    frame = parsed.frame
    counts = PersistCounts()
    if frame.empty:
        return counts
    contract_ids = {c.code: c.id for c in session.scalars(select(Contract))}
    departments = _department_ids(session, set(frame["department"]))
    window_depts = {}
    for window, dept in zip(frame["window"], frame["department"], strict=True):
        if window is not None:
            window_depts.setdefault(window, departments[dept])
    windows = _window_ids(session, window_depts)
    existing = {s.staff_id: s for s in session.scalars(select(Staff).where(Staff.staff_id.in_(list(frame["staff_id"]))))}
    touched_contracts: set[int] = set()
    for row in frame.itertuples(index=False):
        values = {
            "name": row.name,
            "contract_id": contract_ids[row.contract],
            "post": row.post,
            "department_id": departments[row.department],
            "window_id": windows[row.window] if row.window is not None else None,
            "hired_on": row.hired_on,
            "left_on": row.left_on,
        }
        current = existing.get(row.staff_id)
        if current is None:
            session.add(Staff(staff_id=row.staff_id, **values))
            counts.inserted += 1
            touched_contracts.add(values["contract_id"])
        elif any(getattr(current, f) != values[f] for f in _STAFF_FIELDS):
            touched_contracts.update({current.contract_id, values["contract_id"]})
            for f in _STAFF_FIELDS:
                setattr(current, f, values[f])
            counts.updated += 1
        else:
            counts.unchanged += 1
    session.flush()
    if touched_contracts:
        from hallmon.attendance.services import invalidate_summaries

        invalidate_summaries(session, sorted(touched_contracts))
    return counts


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
    from sqlalchemy import func

    counts = dict(session.execute(
        select(Staff.contract_id, func.count()).group_by(Staff.contract_id)
    ).all())
    out = []
    for c in contracts:
        terms = c.terms()
        out.append(ContractOverview(c.code, c.name, c.contractor, c.start, c.end, c.total_fee,
                                    terms.headcount, counts.get(c.id, 0), c.current_version))
    return out
