"""Every source hallmon reads, registered explicitly: kind → pure parser and the write that stores it. The ingest
framework knows no domain; this table is where the domains meet it."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from hallmon.assessment import ingest as assessment_ingest
from hallmon.assessment import services as assessment
from hallmon.attendance import ingest as attendance_ingest
from hallmon.attendance import store as attendance_store
from hallmon.caseload import ingest as caseload_ingest
from hallmon.caseload import services as caseload
from hallmon.complaints import ingest as complaints_ingest
from hallmon.complaints import services as complaints
from hallmon.core import labels
from hallmon.ingest.context import ContractInfo, RosterView, StaffInfo
from hallmon.ingest.errors import IngestRefused, RowError
from hallmon.ingest.service import Loaded, Persist
from hallmon.ingest.source import Source
from hallmon.roster import ingest as roster_ingest
from hallmon.roster import services as roster
from hallmon.roster.models import Contract, Staff


@dataclass(frozen=True)
class Registered:
    source: Source
    persist: Persist

    @property
    def title(self) -> str:
        return labels.SOURCES[self.source.kind]


SOURCES: dict[str, Registered] = {
    "staff": Registered(roster_ingest.STAFF, roster.persist_staff),
    "punches": Registered(attendance_ingest.SOURCES["punches"], attendance_store.persist_punches),
    "leave": Registered(attendance_ingest.SOURCES["leave"], attendance_store.persist_leave),
    "makeup": Registered(attendance_ingest.SOURCES["makeup"], attendance_store.persist_makeup),
    "assessment": Registered(assessment_ingest.ASSESSMENT, assessment.persist_assessment),
    "notices": Registered(assessment_ingest.NOTICES, assessment.persist_notices),
    "complaints": Registered(complaints_ingest.COMPLAINTS, complaints.persist_complaints),
    "caseload": Registered(caseload_ingest.CASELOAD, caseload.persist_caseload),
}
KINDS = tuple(SOURCES)


def registered(kind: str) -> Registered:
    if kind not in SOURCES:
        raise IngestRefused([RowError("-", 0, "KIND", f"未知的数据类型 {kind!r}（可用：{'、'.join(KINDS)}）")])
    return SOURCES[kind]


def roster_view(session: Session) -> RosterView:
    """What parsing may know of the database: the contracts, the roster and the assessment catalogue."""
    rows = session.execute(select(Contract.id, Contract.code, Contract.start, Contract.end)).all()
    contracts = {code: ContractInfo(code, start, end) for _, code, start, end in rows}
    codes = {cid: code for cid, code, _, _ in rows}
    staff = {sid: StaffInfo(sid, codes[cid], hired, left) for sid, cid, hired, left in session.execute(
        select(Staff.staff_id, Staff.contract_id, Staff.hired_on, Staff.left_on))}
    return RosterView(staff, contracts, assessment.catalogue_names(session))


def contracts_of(session: Session, loaded: Loaded, view: RosterView) -> list[int]:
    """The contracts a parsed file writes to: those it names, and those of the staff it names (for the roster,
    also the contract a person moves away from)."""
    frame = loaded.parsed.frame
    codes: set[str] = set()
    if "contract" in frame:
        codes |= {c for c in frame["contract"].tolist() if c is not None}
    if "staff_id" in frame:
        codes |= {view.staff[s].contract for s in set(frame["staff_id"].tolist()) if s in view.staff}
    if not codes:
        return []
    return sorted(session.scalars(select(Contract.id).where(Contract.code.in_(sorted(codes)))))
