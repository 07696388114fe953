"""What a loaded file must have left in the database, source by source, from the values the fuzzer drew."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from hallmon.assessment.models import AssessmentRow, Notice
from hallmon.attendance.models import Leave, Makeup, Punch
from hallmon.caseload.models import CaseloadRow
from hallmon.complaints.models import Complaint
from hallmon.roster.models import Contract, Department, Staff, Window


def _values(row: dict, *names: str) -> tuple:
    return tuple(row[n].value for n in names)


def check_stored(session: Session, kind: str, rows: list[dict]) -> None:
    """Every drawn row is stored with exactly the values it was drawn with (later files replace, §2)."""
    session.expire_all()
    check = CHECKS[kind]
    for row in rows:
        check(session, row)
    if kind == "assessment":
        _assessment_multiplicity(session, rows)


def _staff(session, row):
    found = session.execute(
        select(Staff.name, Contract.code, Staff.post, Department.name, Window.code, Staff.hired_on, Staff.left_on)
        .join(Contract, Staff.contract_id == Contract.id).join(Department, Staff.department_id == Department.id)
        .outerjoin(Window, Staff.window_id == Window.id).where(Staff.staff_id == row["staff_id"].value)).one()
    assert tuple(found) == _values(row, "name", "contract", "post", "department", "window", "hired_on", "left_on")


def _punch(session, row):
    found = session.scalar(select(Punch.id).where(Punch.staff_id == row["staff_id"].value,
                                                  Punch.time == row["time"].value))
    assert found is not None, (row["staff_id"].value, row["time"].value)


def _leave(session, row):
    found = session.execute(select(Leave.end, Leave.kind, Leave.approved).where(
        Leave.staff_id == row["staff_id"].value, Leave.start == row["start"].value)).one()
    assert tuple(found) == _values(row, "end", "kind", "approved")


def _makeup(session, row):
    found = session.execute(select(Makeup.reason, Makeup.approved).where(
        Makeup.staff_id == row["staff_id"].value, Makeup.time == row["time"].value)).one()
    assert tuple(found) == _values(row, "reason", "approved")


def _assessment_key(row) -> tuple:
    from hallmon.core.periods import month_bounds

    date = row["date"].value or month_bounds(row["month"].value)[1]
    # the item's name is not part of the §2 key: the first file to load a deduction names it
    return (row["month"].value, row["item_code"].value, row["points"].value,
            row["staff_id"].value, row["window"].value, date, row["note"].value)


def _assessment(session, row):
    pass  # counted together: identical rows of one file are that many deductions


def _assessment_multiplicity(session, rows):
    wanted = Counter(_assessment_key(r) for r in rows)
    stored = Counter()
    for r in session.execute(select(AssessmentRow.month, AssessmentRow.item_code, AssessmentRow.points, AssessmentRow.staff_id, AssessmentRow.window,
                                    AssessmentRow.date, AssessmentRow.note)):
        stored[tuple(r)] += 1
    for key, n in wanted.items():
        assert stored[key] >= n, (key, n, stored[key])


def _notice(session, row):
    found = session.scalar(select(Notice.notified_on).join(Contract, Notice.contract_id == Contract.id).where(
        Contract.code == row["contract"].value, Notice.month == row["month"].value))
    assert found == row["notified_on"].value


def _complaint(session, row):
    found = session.execute(
        select(Contract.code, Complaint.channel, Complaint.kind, Complaint.category, Complaint.received_on,
               Complaint.accepted_on, Complaint.extended, Complaint.substantiated, Complaint.staff_id,
               Complaint.resolved_on, Complaint.summary)
        .join(Contract, Complaint.contract_id == Contract.id)
        .where(Complaint.complaint_id == row["complaint_id"].value)).one()
    assert tuple(found) == _values(row, "contract", "channel", "kind", "category", "received_on", "accepted_on",
                                   "extended", "substantiated", "staff_id", "resolved_on", "summary")


def _caseload(session, row):
    stmt = select(CaseloadRow.count).join(Contract, CaseloadRow.contract_id == Contract.id).where(
        Contract.code == row["contract"].value, CaseloadRow.date == row["date"].value,
        CaseloadRow.department == row["department"].value, CaseloadRow.business == row["business"].value)
    for name, column in (("window", CaseloadRow.window), ("staff_id", CaseloadRow.staff_id)):
        value = row[name].value
        stmt = stmt.where(column.is_(None) if value is None else column == value)
    assert session.execute(stmt).scalar_one() == row["count"].value


CHECKS = {"staff": _staff, "punches": _punch, "leave": _leave, "makeup": _makeup, "assessment": _assessment,
          "notices": _notice, "complaints": _complaint, "caseload": _caseload}
