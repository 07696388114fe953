"""Complaint services: storing complaints (upsert on complaint_id), C3 statistics and their drill-down."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from hallmon.complaints import rules
from hallmon.complaints.models import Complaint
from hallmon.complaints.rules import ComplaintFacts, ComplaintStats, Judge, Judged
from hallmon.core.calendar import WorkCalendar
from hallmon.core.errors import Refused
from hallmon.db import keyed_upsert
from hallmon.ingest.service import IngestMeta, Persisted, Touched
from hallmon.ingest.source import Parsed
from hallmon.roster.models import Contract

# Every field a later file replaces (rules §2: a complaint's status moves).
FIELDS = ("contract_id", "channel", "kind", "category", "received_on", "accepted_on", "extended",
          "substantiated", "staff_id", "resolved_on", "summary")


def persist_complaints(session: Session, parsed: Parsed, meta: IngestMeta) -> Persisted:
    """Upsert on complaint_id: a later file replaces every field of the row; unchanged rows are left alone. The
    demands (A8 complaints) and alerts of every contract a changed complaint belongs to, or belonged to, follow."""
    frame = parsed.frame
    if frame.empty:
        return Persisted()
    contract_ids = dict(session.execute(select(Contract.code, Contract.id)).all())
    rows = [{"complaint_id": row["complaint_id"], "contract_id": contract_ids[row["contract"]],
             **{name: row[name] for name in FIELDS if name != "contract_id"}, "updated_at": meta.at}
            for row in frame.to_dict("records")]
    done = keyed_upsert(session, Complaint.__table__, rows, ["complaint_id"], list(FIELDS), also=["updated_at"])
    contracts: set[int] = set()
    if done.inserted or done.updated:
        contracts = {r["contract_id"] for r in rows} | {old[1] for old in done.replaced}
    return Persisted(done.inserted, done.updated, done.unchanged, Touched(demands=contracts, alerts=contracts))


# ---------------------------------------------------------------- reading


def load_complaints(session: Session, contract: Contract | None, received_until: dt.date | None = None,
                    received_from: dt.date | None = None) -> list[ComplaintFacts]:
    """The complaints of a contract (or of every contract when None), as rule facts, by received_on and id."""
    stmt = (select(Complaint.complaint_id, Contract.code, Complaint.channel, Complaint.kind, Complaint.category,
                   Complaint.received_on, Complaint.accepted_on, Complaint.extended, Complaint.resolved_on,
                   Complaint.substantiated, Complaint.staff_id)
            .join(Contract, Complaint.contract_id == Contract.id)
            .order_by(Complaint.received_on, Complaint.complaint_id))
    if contract is not None:
        stmt = stmt.where(Complaint.contract_id == contract.id)
    if received_until is not None:
        stmt = stmt.where(Complaint.received_on <= received_until)
    if received_from is not None:
        stmt = stmt.where(Complaint.received_on >= received_from)
    return [ComplaintFacts(*row) for row in session.execute(stmt)]


def judges_for(session: Session, codes: Iterable[str]) -> dict[str, Judge]:
    """C1: each contract's complaint terms and working calendar (W1), by contract code."""
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    judges = {}
    for contract in session.scalars(select(Contract).where(Contract.code.in_(wanted))):
        terms = contract.terms()
        judges[contract.code] = Judge(terms.complaints, WorkCalendar.for_terms(terms))
    return judges


def calendar_warnings(judges: dict[str, Judge]) -> list[str]:
    """W1: the warnings of every calendar consulted, once each."""
    out: list[str] = []
    for code in sorted(judges):
        out += [w for w in judges[code].calendar.warnings() if w not in out]
    return out


def check_range(start: dt.date, end: dt.date) -> None:
    if start > end:
        raise Refused(f"起始日期 {start.isoformat()} 晚于结束日期 {end.isoformat()}")


def complaint_statistics(session: Session, contract: Contract | None, start: dt.date, end: dt.date
                         ) -> tuple[ComplaintStats, list[str]]:
    """C3 for [start, end] as of `end`, over one contract's complaints or (None) every contract's; with W1 warnings."""
    check_range(start, end)
    complaints = load_complaints(session, contract, received_until=end)
    judges = judges_for(session, (c.contract for c in complaints))
    stats = rules.complaint_statistics(complaints, judges, start, end)
    return stats, calendar_warnings(judges)


def statistics_document(session: Session, contract: Contract | None, start: dt.date, end: dt.date) -> dict:
    """The JSON document of `hallmon complaints stats` (rules §12)."""
    stats, warnings = complaint_statistics(session, contract, start, end)
    return stats.document(warnings)


@dataclass(frozen=True)
class ComplaintLine:
    """A complaint in a drill-down list: the stored facts and how C1/C2 judge it as of the range's end."""

    judged: Judged
    figures: tuple[str, ...]

    @property
    def complaint(self) -> ComplaintFacts:
        return self.judged.complaint


def complaint_list(session: Session, contract: Contract | None, start: dt.date, end: dt.date,
                   figure: str | None = None) -> tuple[list[ComplaintLine], list[str]]:
    """The complaints behind one C3 figure (e.g. `backlog`, `ageing:>90`, `channel:hotline`), judged as of `end`.

    With no figure, every complaint that counts in any figure of the statistics. The selection is
    the very one the statistics count, so that a figure can drill down to its records.
    """
    check_range(start, end)
    if figure is not None and figure not in rules.figure_names():
        raise Refused(f"未知的统计项 {figure!r}（可用：{'、'.join(rules.figure_names())}）")
    complaints = load_complaints(session, contract, received_until=end)
    judges = judges_for(session, (c.contract for c in complaints))
    out = []
    for complaint in complaints:
        judge = judges[complaint.contract]
        figures = rules.figures_of(complaint, judge, start, end)
        if (figure is None and figures) or (figure is not None and figure in figures):
            out.append(ComplaintLine(rules.judge_complaint(complaint, judge, end), tuple(figures)))
    return out, calendar_warnings(judges)


def complaints_as_of(session: Session, contract: Contract | None, as_of: dt.date
                     ) -> tuple[list[Judged], list[str]]:
    """C2 for every complaint received by T (for alerts: overdue, or due soon while still open)."""
    complaints = load_complaints(session, contract, received_until=as_of)
    judges = judges_for(session, (c.contract for c in complaints))
    judged = [rules.judge_complaint(c, judges[c.contract], as_of) for c in complaints]
    return judged, calendar_warnings(judges)


PERSIST = {"complaints": persist_complaints}
