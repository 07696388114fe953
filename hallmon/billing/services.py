"""Billing services: settling a period from the stored records, walking it through the gate, archiving it."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from hallmon.assessment.services import month_detail, month_scores, notice_statuses
from hallmon.attendance.services import month_totals, unenforced_person_months
from hallmon.auth.models import User
from hallmon.billing import gate as g
from hallmon.billing.archive import (
    GENESIS,
    ChainCheck,
    EntryView,
    canonical,
    entry_hash,
    sha256_hex,
    verify_chain,
)
from hallmon.billing.commands import (
    Answer,
    Approve,
    GateAction,
    GateCommand,
    GateResult,
    Object,
    Pay,
    Submit,
    Suspend,
    Verify,
)
from hallmon.billing.models import ArchiveEntry, Objection, Settlement, SettlementEvent
from hallmon.billing.report import report_html, report_xlsx
from hallmon.billing.settlement import (
    CAP,
    LINE_KINDS,
    Adjustment,
    Difference,
    MonthInputs,
    differences,
    period_for,
    periods,
    settle_period,
    settlement_document,
    settlement_from_document,
)
from hallmon.billing.settlement import Settlement as Settled
from hallmon.billing.statement import statement_html, statement_xlsx
from hallmon.core import labels
from hallmon.core.calendar import WorkCalendar
from hallmon.core.clock import now, today
from hallmon.core.errors import Forbidden, Refused
from hallmon.core.periods import Period, month_bounds, month_of
from hallmon.roster.models import Contract

FROZEN = {g.State.SUBMITTED, g.State.VERIFIED, g.State.APPROVED, g.State.PAID}


def period_of(contract: Contract, month: str) -> Period:
    """B1: the billing period containing a month; a month outside the contract is refused."""
    month = month_of(month)
    period = period_for(contract.terms(), month)
    if period is None:
        raise Refused(f"{month} 不在合同 {contract.code} 的服务期内（{contract.start} 至 {contract.end}）")
    return period


def month_inputs(session: Session, contract: Contract, months: tuple[str, ...]
                 ) -> tuple[dict[str, MonthInputs], list[str]]:
    """Gather what B3 needs from attendance (A1, A6, A9), assessment (S2, S4) and the calendar (W1)."""
    terms = contract.terms()
    calendar = WorkCalendar.for_terms(terms)
    scores = month_scores(session, contract, list(months))
    unenforced = unenforced_person_months(session, contract, list(months))
    totals = month_totals(session, contract, list(months))
    out: dict[str, MonthInputs] = {}
    for month in months:
        first, last = month_bounds(month)
        score = scores[month]
        out[month] = MonthInputs(
            month=month,
            working_days=calendar.count_working_days(first, last),
            staffed_person_days=totals[month].scheduled_days,
            chargeable_minutes=totals[month].chargeable_minutes,
            scheduled_minutes=totals[month].scheduled_minutes,
            assessed=score.assessed,
            score=score.score,
            unenforced_staff=tuple(unenforced.get(month, ())),
        )
    return out, calendar.warnings()


def _row(session: Session, contract: Contract, period: Period, lock: bool = False) -> Settlement | None:
    """The period's settlement row; `lock` (a gate action) reads it afresh, held FOR UPDATE on PostgreSQL."""
    stmt = select(Settlement).where(Settlement.contract_id == contract.id, Settlement.period == period.name)
    if lock:
        stmt = stmt.execution_options(populate_existing=True)
        if session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update()
    return session.scalar(stmt)


def _adjustments(row: Settlement | None) -> list[Adjustment]:
    if row is None:
        return []
    return [Adjustment(o.id, o.month, o.line_kind, o.adjustment, o.answer or "")
            for o in row.objections if o.status == "accepted" and o.adjustment is not None]


def compute(session: Session, contract: Contract, period: Period, row: Settlement | None = None) -> Settled:
    """B1–B5 from the data stored now (plus answered objections' adjustments)."""
    inputs, warnings = month_inputs(session, contract, period.months)
    return settle_period(contract.terms(), period, inputs, _adjustments(row), warnings)


@dataclass(frozen=True)
class SettledPeriod:
    """A period as it stands: its settlement (the frozen snapshot once submitted) and its gate state."""

    settlement: Settled
    status: g.State

    def document(self) -> dict[str, Any]:
        """B5: the JSON of `hallmon settle`."""
        return settlement_document(self.settlement, self.status.value)


def settle(session: Session, contract: Contract, month: str) -> SettledPeriod:
    """B5: the period containing the month. Frozen states show their snapshot: approved and paid never change (G2)."""
    period = period_of(contract, month)
    row = _row(session, contract, period)
    state = g.State(row.state) if row is not None else g.State.DRAFT
    if row is not None and state in FROZEN and row.snapshot is not None:
        return SettledPeriod(settlement_from_document(row.snapshot), state)
    return SettledPeriod(compute(session, contract, period, row), state)


# ------------------------------------------------------------------ the gate


class VerificationFailed(Refused):
    """G1 verify found differences; raised by entry points once the failed verification is recorded."""

    def __init__(self, result: GateResult):
        lines = [f"  {d.path}：快照 {d.snapshot!r} → 现在 {d.now!r}" for d in result.differences]
        super().__init__(f"核验未通过：重新计算与提交时的快照有 {len(result.differences)} 处不同"
                         f"（请暂缓支付并待重新提交）", lines)
        self.result = result


def _actor(session: Session, username: str) -> g.Actor:
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        raise Forbidden(f"用户 {username} 不存在或已停用")
    return g.Actor(user.username, user.role, user.contractor)


def _gate_state(contract: Contract, row: Settlement | None) -> g.GateState:
    if row is None:
        return g.GateState(contractor=contract.contractor)
    lines = frozenset()
    approved_net = None
    if row.snapshot:
        lines = frozenset((m["month"], line["kind"]) for m in row.snapshot["months"] for line in m["lines"])
        approved_net = Decimal(row.snapshot["net_fee"])
    return g.GateState(
        state=g.State(row.state), contractor=contract.contractor, submitted_by=row.submitted_by,
        verified_by=row.verified_by, approved_net=approved_net,
        open_objections=tuple(g.OpenObjection(o.id, o.month, o.line_kind) for o in row.objections if o.status == "open"),
        snapshot_lines=lines,
    )


def _record(session: Session, row: Settlement, transition: g.Transition, details: dict | None = None) -> None:
    """G3: who, when and why of every transition."""
    row.state = transition.after.value
    session.add(SettlementEvent(
        settlement_id=row.id, action=transition.action, from_state=transition.before.value,
        to_state=transition.after.value, actor=transition.actor, role=transition.role, at=transition.at,
        why=transition.why, details=details,
    ))


def _refuse(exc: g.GateError) -> Refused:
    """Not the user's key (G1 roles, another contractor) is 403 on the web; the rest is refused input."""
    kind = Forbidden if exc.rule in ("G1.role", "G1.contractor") else Refused
    return kind(f"{exc.message}（{exc.rule}）")


@dataclass(frozen=True)
class _Step:
    """One gate action's context: the contract, the period, its locked row, who, when."""

    session: Session
    contract: Contract
    period: Period
    row: Settlement | None
    actor: g.Actor
    at: dt.datetime

    def result(self, status: g.State, net_fee: str | None, **kwargs: Any) -> GateResult:
        return GateResult(self.contract.code, self.period.name, kwargs.pop("action"), status.value, net_fee,
                          **kwargs)

    def require(self) -> Settlement:
        if self.row is None:
            raise Refused(f"{self.contract.code} {self.period.name} 结算期尚未提交（状态：草稿）")
        return self.row


def gate_action(session: Session, contract: Contract, month: str, command: GateCommand, username: str,
                at: dt.datetime | None = None) -> GateResult:
    """G1: one action on the settlement of the period containing `month`, in the caller's transaction: the row is
    locked, checked, written and archived before anything commits. A verification that finds differences is
    recorded (G3) and returned with them (`failed`); the caller commits the record and reports the failure."""
    at = (at or now()).replace(microsecond=0)
    period = period_of(contract, month)
    actor = _actor(session, username)
    if actor.role == "contractor" and actor.contractor != contract.contractor:
        raise Forbidden("无权操作其他服务单位的合同")
    step = _Step(session, contract, period, _row(session, contract, period, lock=True), actor, at)
    try:
        result = _ACTIONS[command.action](step, command)
        session.flush()  # the version column checks here that no other writer changed the row meanwhile
        return result
    except g.GateError as exc:
        raise _refuse(exc) from exc
    except StaleDataError as exc:
        raise Refused("该结算单刚被他人处理过，请刷新后重试") from exc


def _new_row(step: _Step) -> Settlement:
    row = Settlement(contract_id=step.contract.id, period=step.period.name, state=g.State.DRAFT.value)
    step.session.add(row)
    step.session.flush()
    return row


def _do_submit(step: _Step, command: Submit) -> GateResult:
    current = compute(step.session, step.contract, step.period, step.row)
    unassessed = [m.month for m in current.months if not m.assessed]
    gate, transition = g.submit(_gate_state(step.contract, step.row), step.actor, step.at, unassessed,
                                bool(command.report))
    row = step.row if step.row is not None else _new_row(step)
    document = settlement_document(current, g.State.SUBMITTED.value)
    row.snapshot = document
    row.report, row.report_name, row.report_sha256 = command.report, command.report_name, sha256_hex(command.report)
    row.submitted_by, row.submitted_at = step.actor.name, step.at
    row.verified_by = row.verified_at = None
    row.suspended_reason = None
    _record(step.session, row, transition, {"net_fee": document["net_fee"], "report_sha256": row.report_sha256})
    return step.result(gate.state, document["net_fee"], action=GateAction.SUBMIT, warnings=document["warnings"])


def _do_verify(step: _Step, command: Verify) -> GateResult:
    row = step.require()
    current = compute(step.session, step.contract, step.period, row)
    diff = differences(settlement_from_document(row.snapshot), current)
    try:
        gate, transition = g.verify(_gate_state(step.contract, row), step.actor, step.at, diff)
    except g.VerificationFailed:
        # the failure itself is part of the record (G3): who looked, when, and what differed
        step.session.add(SettlementEvent(
            settlement_id=row.id, action="verify_failed", from_state=row.state, to_state=row.state,
            actor=step.actor.name, role=step.actor.role, at=step.at, why="重新计算与快照不符",
            details={"differences": [d.document() for d in diff]}))
        return step.result(g.State(row.state), None, action=GateAction.VERIFY, differences=diff)
    row.verified_by, row.verified_at = step.actor.name, step.at
    _record(step.session, row, transition)
    return step.result(gate.state, row.snapshot["net_fee"], action=GateAction.VERIFY, warnings=list(current.warnings))


def _do_suspend(step: _Step, command: Suspend) -> GateResult:
    row = step.require()
    gate, transition = g.suspend(_gate_state(step.contract, row), step.actor, step.at, command.why or "")
    row.suspended_reason = transition.why
    _record(step.session, row, transition)
    return step.result(gate.state, row.snapshot["net_fee"], action=GateAction.SUSPEND)


def _do_object(step: _Step, command: Object) -> GateResult:
    row = step.require()
    gate, transition = g.object_to(_gate_state(step.contract, row), step.actor, step.at, command.month,
                                   command.line, command.text or "")
    objection = Objection(settlement_id=row.id, month=command.month, line_kind=command.line, text=transition.why,
                          raised_by=step.actor.name, raised_at=step.at, status="open")
    step.session.add(objection)
    step.session.flush()
    _record(step.session, row, transition, {"objection": objection.id, "month": command.month,
                                            "line": command.line})
    return step.result(gate.state, row.snapshot["net_fee"], action=GateAction.OBJECT, objection=objection.id)


def _line_amount(snapshot: dict, month: str, kind: str) -> Decimal | None:
    for m in snapshot["months"]:
        if m["month"] == month:
            for line in m["lines"]:
                if line["kind"] == kind:
                    return Decimal(line["amount"])
    return None


def _do_answer(step: _Step, command: Answer) -> GateResult:
    row = step.require()
    open_ones = [o for o in row.objections if o.status == "open"]
    objection_id = command.objection
    if objection_id is None:
        if not open_ones:
            raise Refused("本结算期没有待答复的异议")
        if len(open_ones) != 1:
            raise Refused(f"有 {len(open_ones)} 条待答复的异议，请指明答复哪一条")
        objection_id = open_ones[0].id
    objection = next((o for o in row.objections if o.id == objection_id), None)
    line_amount = None
    if objection is not None:
        line_amount = _line_amount(row.snapshot, objection.month, objection.line_kind)
        given_back = sum((o.adjustment for o in row.objections if o.status == "accepted" and o.adjustment
                          and (o.month, o.line_kind) == (objection.month, objection.line_kind)), Decimal(0))
        line_amount = None if line_amount is None else line_amount - given_back
    gate, transition = g.answer(_gate_state(step.contract, row), step.actor, step.at, objection_id, command.accept,
                                command.why or "", command.adjustment, line_amount)
    objection.status = "accepted" if command.accept else "rejected"
    objection.answer, objection.answered_by, objection.answered_at = transition.why, step.actor.name, step.at
    objection.adjustment = command.adjustment if command.accept else None
    details: dict[str, Any] = {"objection": objection.id, "accepted": command.accept}
    if command.accept:
        step.session.flush()
        before = row.snapshot["net_fee"]
        document = settlement_document(compute(step.session, step.contract, step.period, row), gate.state.value)
        row.snapshot = document
        row.verified_by = row.verified_at = None
        details.update({"adjustment": str(command.adjustment), "net_fee_before": before,
                        "net_fee_after": document["net_fee"]})
    _record(step.session, row, transition, details)
    return step.result(gate.state, row.snapshot["net_fee"], action=GateAction.ANSWER, objection=objection.id)


def _lock_archive(session: Session) -> None:
    """One writer at a time appends to the chain (PostgreSQL); SQLite serialises writers itself."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(7355608)"))


def _append(session: Session, row: Settlement, contract: Contract, kind: str, payload: dict, at: dt.datetime,
            report: bytes | None) -> ArchiveEntry:
    """G2: the new entry's hash chains the previous entry's hash with everything it holds."""
    _lock_archive(session)
    last = session.scalar(select(ArchiveEntry).order_by(ArchiveEntry.seq.desc()).limit(1))
    seq = (last.seq + 1) if last else 1
    prev = last.hash if last else GENESIS
    text_payload = canonical(payload)
    report_sha = sha256_hex(report) if report is not None else None
    entry = ArchiveEntry(
        seq=seq, settlement_id=row.id, kind=kind, contract=contract.code, period=row.period, created_at=at,
        payload=text_payload, report_sha256=report_sha, report=report, prev_hash=prev,
        hash=entry_hash(seq, kind, contract.code, row.period, at, text_payload, report_sha, prev),
    )
    session.add(entry)
    return entry


def _do_approve(step: _Step, command: Approve) -> GateResult:
    row = step.require()
    gate, transition = g.approve(_gate_state(step.contract, row), step.actor, step.at)
    row.approved_by, row.approved_at = step.actor.name, step.at
    snapshot = dict(row.snapshot)
    snapshot["status"] = g.State.APPROVED.value
    row.snapshot = snapshot
    _record(step.session, row, transition)
    step.session.flush()
    entry = _append(step.session, row, step.contract, "approval", {
        "settlement": snapshot, "report_name": row.report_name, "report_sha256": row.report_sha256,
        "submitted_by": row.submitted_by, "submitted_at": row.submitted_at.isoformat(),
        "verified_by": row.verified_by, "verified_at": row.verified_at.isoformat() if row.verified_at else None,
        "approved_by": step.actor.name, "approved_at": step.at.isoformat(),
        "objections": [_objection_doc(o) for o in row.objections],
    }, step.at, row.report)
    return step.result(gate.state, snapshot["net_fee"], action=GateAction.APPROVE, archive_seq=entry.seq)


def _objection_doc(o: Objection) -> dict[str, Any]:
    return {"id": o.id, "month": o.month, "line": o.line_kind, "text": o.text, "raised_by": o.raised_by,
            "status": o.status, "answer": o.answer, "adjustment": str(o.adjustment) if o.adjustment is not None else None,
            "answered_by": o.answered_by}


def _do_pay(step: _Step, command: Pay) -> GateResult:
    row = step.require()
    gate, transition = g.pay(_gate_state(step.contract, row), step.actor, step.at, command.voucher or "",
                             command.paid_on, command.amount)
    row.voucher, row.paid_on, row.paid_amount = command.voucher.strip(), command.paid_on, command.amount
    snapshot = dict(row.snapshot)
    snapshot["status"] = g.State.PAID.value
    row.snapshot = snapshot
    _record(step.session, row, transition, {"voucher": row.voucher, "paid_on": command.paid_on.isoformat(),
                                            "amount": str(command.amount)})
    step.session.flush()
    entry = _append(step.session, row, step.contract, "payment", {
        "contract": step.contract.code, "period": row.period, "voucher": row.voucher,
        "paid_on": command.paid_on.isoformat(), "amount": str(command.amount), "paid_by": step.actor.name,
        "paid_at": step.at.isoformat(), "approved_net": row.snapshot["net_fee"],
    }, step.at, None)
    return step.result(gate.state, snapshot["net_fee"], action=GateAction.PAY, archive_seq=entry.seq)


_ACTIONS = {
    GateAction.SUBMIT: _do_submit, GateAction.VERIFY: _do_verify, GateAction.SUSPEND: _do_suspend,
    GateAction.OBJECT: _do_object, GateAction.ANSWER: _do_answer, GateAction.APPROVE: _do_approve,
    GateAction.PAY: _do_pay,
}


# ------------------------------------------------------------------ audit and reading


def audit_verify(session: Session) -> ChainCheck:
    """G2: check the whole chain, that every approved or paid settlement still equals its archived snapshot, and
    that its stored report is the archived one."""
    entries = session.scalars(select(ArchiveEntry).order_by(ArchiveEntry.seq)).all()
    check = verify_chain(EntryView(e.seq, e.kind, e.contract, e.period, e.created_at, e.payload, e.report_sha256,
                                   e.report, e.prev_hash, e.hash) for e in entries)
    if not check.ok:
        return check
    for entry in entries:
        if entry.kind != "approval":
            continue
        row = session.get(Settlement, entry.settlement_id)
        archived = json.loads(entry.payload)["settlement"]
        stored = dict(row.snapshot or {})
        stored["status"] = archived["status"]
        if row.state not in (g.State.APPROVED.value, g.State.PAID.value) or canonical(stored) != canonical(archived):
            return ChainCheck(False, check.entries, entry.seq,
                              f"结算单 {entry.contract} {entry.period} 与其归档快照不符（审批后被改动）")
        # the report the settlement page serves is the one archived (SHA-256 of the stored file and its recorded sum)
        if entry.report_sha256 is not None and (row.report is None or row.report_sha256 != entry.report_sha256
                                                 or sha256_hex(row.report) != entry.report_sha256):
            return ChainCheck(False, check.entries, entry.seq,
                              f"结算单 {entry.contract} {entry.period} 所附考核报告与归档的不符（审批后被改动）")
    return check


@dataclass(frozen=True)
class PeriodRow:
    """One billing period in a list: its gate state and, once frozen, its figures."""

    contract: str
    contractor: str
    period: str
    start: dt.date
    end: dt.date
    state: str
    net_fee: str | None
    deduction: str | None
    open_objections: int
    submitted_at: dt.datetime | None

    @property
    def state_name(self) -> str:
        return labels.name(labels.STATES, self.state)


def period_overview(session: Session, contracts: list[Contract]) -> list[PeriodRow]:
    """Every billing period of these contracts with its gate state (draft periods are not computed here)."""
    rows = {(r.contract_id, r.period): r for r in session.scalars(
        select(Settlement).where(Settlement.contract_id.in_([c.id for c in contracts])))}
    out = []
    for contract in contracts:
        for period in periods(contract.terms()):
            row = rows.get((contract.id, period.name))
            out.append(PeriodRow(
                contract.code, contract.contractor, period.name, period.start, period.end,
                row.state if row else g.State.DRAFT.value,
                row.snapshot["net_fee"] if row and row.snapshot else None,
                row.snapshot["deduction"] if row and row.snapshot else None,
                sum(1 for o in row.objections if o.status == "open") if row else 0,
                row.submitted_at if row else None))
    return out


@dataclass(frozen=True)
class FailedVerification:
    at: dt.datetime
    actor: str
    differences: list[dict[str, Any]]


@dataclass(frozen=True)
class CarriedDifference:
    """G2: what the data stored now would change in an approved or paid period, to carry into a later one."""

    differences: list[Difference]
    net_fee_archived: str
    net_fee_now: str
    carry: str


@dataclass(frozen=True)
class GateView:
    """What a settlement page shows this user: state, actions allowed, objections, log, last failed check."""

    state: str
    state_name: str
    allowed: list[str]
    objections: list[dict[str, Any]]
    events: list[dict[str, Any]]
    report_name: str | None
    report_sha256: str | None
    suspended_reason: str | None
    verification_failed: FailedVerification | None
    paid: dict[str, Any] | None
    carry: CarriedDifference | None


def gate_view(session: Session, contract: Contract, month: str, username: str) -> GateView:
    period = period_of(contract, month)
    row = _row(session, contract, period)
    actor = _actor(session, username)
    gate_state = _gate_state(contract, row)
    failed = None
    if row is not None:
        last = [e for e in row.events if e.action in ("verify", "verify_failed", "submit", "answer")]
        if last and last[-1].action == "verify_failed":
            failed = FailedVerification(last[-1].at, last[-1].actor, last[-1].details["differences"])
    return GateView(
        state=gate_state.state.value,
        state_name=g.STATE_NAMES[gate_state.state],
        allowed=g.allowed_actions(gate_state, actor),
        objections=[_objection_doc(o) | {"raised_at": o.raised_at, "answered_at": o.answered_at}
                    for o in (row.objections if row else [])],
        events=settlement_events(session, contract, month),
        report_name=row.report_name if row else None,
        report_sha256=row.report_sha256 if row else None,
        suspended_reason=row.suspended_reason if row else None,
        verification_failed=failed,
        paid={"voucher": row.voucher, "paid_on": row.paid_on, "amount": row.paid_amount} if row and row.voucher else None,
        carry=carried_difference(session, contract, month) if row and row.state in ("approved", "paid") else None,
    )


def report_file(session: Session, contract: Contract, month: str) -> tuple[bytes, str] | None:
    row = _row(session, contract, period_of(contract, month))
    if row is None or row.report is None:
        return None
    return row.report, row.report_name or "考核报告"


def settlement_rows(session: Session, contractor: str | None = None) -> list[tuple[Settlement, Contract]]:
    stmt = select(Settlement, Contract).join(Contract, Settlement.contract_id == Contract.id)
    if contractor is not None:
        stmt = stmt.where(Contract.contractor == contractor)
    return [tuple(r) for r in session.execute(stmt.order_by(Contract.code, Settlement.period))]


def paid_total(session: Session, contract: Contract, until: dt.date | None = None,
               periods: list[str] | None = None) -> Decimal:
    """Money paid on a contract (by a date, for some periods), summed as Decimal — never by SQL SUM, which
    turns SQLite's exact text decimals into floats."""
    stmt = select(Settlement.paid_amount).where(
        Settlement.contract_id == contract.id, Settlement.state == g.State.PAID.value)
    if until is not None:
        stmt = stmt.where(Settlement.paid_on <= until)
    if periods is not None:
        stmt = stmt.where(Settlement.period.in_(periods))
    return sum((amount for amount in session.scalars(stmt) if amount is not None), Decimal("0.00"))


def carried_difference(session: Session, contract: Contract, month: str) -> CarriedDifference | None:
    """G2: for an approved or paid period, what the data stored now would change — to carry into a later period."""
    period = period_of(contract, month)
    row = _row(session, contract, period)
    if row is None or row.state not in (g.State.APPROVED.value, g.State.PAID.value):
        return None
    archived = settlement_from_document(row.snapshot)
    current = compute(session, contract, period, row)
    return CarriedDifference(differences(archived, current), row.snapshot["net_fee"],
                             settlement_document(current, "")["net_fee"],
                             str(current.net_fee - Decimal(row.snapshot["net_fee"])))


def settlement_events(session: Session, contract: Contract, month: str) -> list[dict[str, Any]]:
    """G3: the transitions of a period's settlement, oldest first, in words."""
    row = _row(session, contract, period_of(contract, month))
    if row is None:
        return []
    return [{"at": e.at.isoformat(sep=" "), "action": labels.name(labels.ACTIONS, e.action), "actor": e.actor,
             "role": e.role, "from_state": labels.name(labels.STATES, e.from_state),
             "to_state": labels.name(labels.STATES, e.to_state), "why": e.why, "details": e.details}
            for e in row.events]


def statement_export(session: Session, contract: Contract, month: str, fmt: str) -> tuple[bytes, str]:
    """The settlement statement as XLSX or printable HTML: what finance files with the voucher."""
    settled = settle(session, contract, month)
    name = f"结算单-{contract.code}-{period_of(contract, month).name}"
    if fmt == "xlsx":
        return statement_xlsx(settled.settlement, settled.status, contract.name, contract.contractor), f"{name}.xlsx"
    if fmt == "html":
        html = statement_html(settled.settlement, settled.status, contract.name, contract.contractor,
                              settlement_events(session, contract, month))
        return html.encode("utf-8"), f"{name}.html"
    raise Refused(f"不支持的导出格式 {fmt!r}（xlsx 或 html）")


def assessment_report_export(session: Session, contract: Contract, month: str, fmt: str,
                             as_of: dt.date | None = None) -> tuple[bytes, str]:
    """The assessment report of the period containing `month` (S1–S6 per month, with notice status as of a date)."""
    period = period_of(contract, month)
    statuses, _ = notice_statuses(session, contract, as_of or today())
    by_month = {s.month: s for s in statuses}
    months = []
    for m in period.months:
        s = by_month.get(m)
        notice = {"notified_on": s.notified_on.isoformat() if s and s.notified_on else None,
                  "deadline": s.deadline.isoformat() if s else None, "status": s.status if s else None}
        months.append({"month": m, "detail": month_detail(session, contract, month_of(m)), "notice": notice})
    name = f"考核报告-{contract.code}-{period.name}"
    if fmt == "xlsx":
        return report_xlsx(contract.code, period.name, months), f"{name}.xlsx"
    if fmt == "html":
        return report_html(contract.code, contract.name, period.name, months).encode("utf-8"), f"{name}.html"
    raise Refused(f"不支持的导出格式 {fmt!r}（xlsx 或 html）")


def draft_ended_periods(session: Session, contract: Contract, day: dt.date) -> list[str]:
    """J2: a draft settlement, computed and kept, for every period that has ended and has none yet."""
    made = []
    for period in periods(contract.terms()):
        if period.end >= day or _row(session, contract, period) is not None:
            continue
        document = settlement_document(compute(session, contract, period), g.State.DRAFT.value)
        session.add(Settlement(contract_id=contract.id, period=period.name, state=g.State.DRAFT.value,
                               snapshot=document))
        made.append(period.name)
    return made


__all__ = ["settle", "gate_action", "audit_verify", "compute", "month_inputs", "carried_difference",
           "settlement_rows", "paid_total", "LINE_KINDS", "CAP"]
