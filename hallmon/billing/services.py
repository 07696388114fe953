"""Billing services: settling a period from the stored records, walking it through the gate, archiving it."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from hallmon.auth.models import User
from hallmon.billing import gate as g
from hallmon.billing.archive import (
    GENESIS,
    EntryView,
    canonical,
    entry_hash,
    sha256_hex,
    verify_chain,
)
from hallmon.billing.models import ArchiveEntry, Objection, Settlement, SettlementEvent
from hallmon.billing.settlement import (
    CAP,
    LINE_KINDS,
    Adjustment,
    MonthInputs,
    differences,
    period_for,
    settle_period,
    settlement_document,
)
from hallmon.core.calendar import WorkCalendar
from hallmon.core.errors import Forbidden, Refused
from hallmon.core.periods import Period, month_bounds, parse_month
from hallmon.db import transaction
from hallmon.roster.models import Contract
from hallmon.roster.services import get_contract

FROZEN = {g.State.SUBMITTED, g.State.VERIFIED, g.State.APPROVED, g.State.PAID}


def _period(contract: Contract, month: str) -> Period:
    try:
        parse_month(month)
    except ValueError as exc:
        raise Refused(str(exc)) from exc
    period = period_for(contract.terms(), month)
    if period is None:
        raise Refused(f"{month} 不在合同 {contract.code} 的服务期内（{contract.start} 至 {contract.end}）")
    return period


def month_inputs(session: Session, contract: Contract, months: tuple[str, ...]) -> tuple[dict[str, MonthInputs], list[str]]:
    """Gather what B3 needs from attendance (A1, A6, A9), assessment (S2, S4) and the calendar (W1)."""
    from hallmon.assessment.services import month_scores
    from hallmon.attendance.services import monthly_summary, unenforced_person_months

    terms = contract.terms()
    calendar = WorkCalendar.for_terms(terms)
    scores = month_scores(session, contract.code, list(months))
    unenforced = unenforced_person_months(session, contract.code)
    warnings: list[str] = []
    out: dict[str, MonthInputs] = {}
    for month in months:
        summary = monthly_summary(session, contract.code, month)
        warnings += [w for w in summary.get("warnings", []) if w not in warnings]
        totals = summary["totals"]
        first, last = month_bounds(month)
        score = scores[month]
        out[month] = MonthInputs(
            month=month,
            working_days=calendar.count_working_days(first, last),
            staffed_person_days=int(totals["scheduled_days"]),
            chargeable_minutes=int(totals["chargeable_minutes"]),
            scheduled_minutes=int(totals["scheduled_minutes"]),
            assessed=score.assessed,
            score=score.score,
            unenforced_staff=tuple(unenforced.get(month, ())),
        )
    warnings += [w for w in calendar.warnings() if w not in warnings]
    return out, warnings


def _row(session: Session, contract: Contract, period: Period, lock: bool = False) -> Settlement | None:
    stmt = select(Settlement).where(Settlement.contract_id == contract.id, Settlement.period == period.name)
    if lock and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def _adjustments(row: Settlement | None) -> list[Adjustment]:
    if row is None:
        return []
    return [Adjustment(o.id, o.month, o.line_kind, o.adjustment, o.answer or "")
            for o in row.objections if o.status == "accepted" and o.adjustment is not None]


def compute(session: Session, contract: Contract, period: Period, row: Settlement | None = None) -> dict[str, Any]:
    """B1–B5 from the data stored now (plus answered objections' adjustments), as the B5 document."""
    inputs, warnings = month_inputs(session, contract, period.months)
    settlement = settle_period(contract.terms(), period, inputs, _adjustments(row), warnings)
    return settlement_document(settlement, "draft")


def settle(session: Session, contract_code: str, month: str) -> dict[str, Any]:
    """B5: the period containing the month. Frozen states show their snapshot: approved and paid never change (G2)."""
    contract = get_contract(session, contract_code)
    period = _period(contract, month)
    row = _row(session, contract, period)
    state = g.State(row.state) if row is not None else g.State.DRAFT
    if row is not None and state in FROZEN and row.snapshot is not None:
        document = dict(row.snapshot)
    else:
        document = compute(session, contract, period, row)
    document["status"] = state.value
    return document


# ------------------------------------------------------------------ the gate


@dataclass
class GateResult:
    contract: str
    period: str
    action: str
    status: str
    net_fee: str | None = None
    differences: list[dict] = field(default_factory=list)
    objection: int | None = None
    archive_seq: int | None = None
    warnings: list[str] = field(default_factory=list)

    def document(self) -> dict[str, Any]:
        return {
            "contract": self.contract, "period": self.period, "action": self.action, "status": self.status,
            "net_fee": self.net_fee, "differences": self.differences, "objection": self.objection,
            "archive_seq": self.archive_seq, "warnings": self.warnings,
        }


class VerificationFailed(Refused):
    def __init__(self, differences: list[dict]):
        lines = [f"  {d['path']}：快照 {d['snapshot']!r} → 现在 {d['now']!r}" for d in differences]
        super().__init__(f"核验未通过：重新计算与提交时的快照有 {len(differences)} 处不同（请暂缓支付并待重新提交）", lines)
        self.differences = differences


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


def gate_action(session: Session, contract_code: str, month: str, action: str, username: str,
                at: dt.datetime | None = None, **options: Any) -> GateResult:
    """G1: one action on the settlement of the period containing `month`, in one transaction."""
    if action not in g.ROLE_OF:
        raise Refused(f"未知的操作 {action!r}（可用：{'、'.join(g.ROLE_OF)}）")
    at = (at or dt.datetime.now()).replace(microsecond=0)
    options["month"] = month
    contract = get_contract(session, contract_code)
    period = _period(contract, month)
    try:
        with transaction(session):
            actor = _actor(session, username)
            if actor.role == "contractor" and actor.contractor != contract.contractor:
                raise Forbidden("无权操作其他服务单位的合同")
            row = _row(session, contract, period, lock=True)
            result = _ACTIONS[action](session, contract, period, row, actor, at, options)
        return result
    except g.VerificationFailed as exc:
        raise VerificationFailed(exc.differences) from exc
    except g.GateError as exc:
        raise _refuse(exc) from exc
    except StaleDataError as exc:
        raise Refused("该结算单刚被他人处理过，请刷新后重试") from exc


def _new_row(session: Session, contract: Contract, period: Period) -> Settlement:
    row = Settlement(contract_id=contract.id, period=period.name, state=g.State.DRAFT.value)
    session.add(row)
    session.flush()
    return row


def _do_submit(session, contract, period, row, actor, at, options) -> GateResult:
    report: bytes | None = options.get("report")
    report_name: str | None = options.get("report_name")
    document = compute(session, contract, period, row)
    unassessed = [m["month"] for m in document["months"] if not m["assessed"]]
    gate, transition = g.submit(_gate_state(contract, row), actor, at, unassessed, bool(report))
    if row is None:
        row = _new_row(session, contract, period)
    document["status"] = g.State.SUBMITTED.value
    row.snapshot = document
    row.report, row.report_name, row.report_sha256 = report, report_name, sha256_hex(report)
    row.submitted_by, row.submitted_at = actor.name, at
    row.verified_by = row.verified_at = None
    row.suspended_reason = None
    _record(session, row, transition, {"net_fee": document["net_fee"], "report_sha256": row.report_sha256})
    return GateResult(contract.code, period.name, "submit", gate.state.value, document["net_fee"],
                      warnings=document["warnings"])


def _require(row: Settlement | None, contract: Contract, period: Period) -> Settlement:
    if row is None:
        raise Refused(f"{contract.code} {period.name} 结算期尚未提交（状态：草稿）")
    return row


def _do_verify(session, contract, period, row, actor, at, options) -> GateResult:
    row = _require(row, contract, period)
    current = compute(session, contract, period, row)
    diff = differences(row.snapshot, current)
    state = _gate_state(contract, row)
    try:
        gate, transition = g.verify(state, actor, at, diff)
    except g.VerificationFailed:
        # the failure itself is part of the record (G3): who looked, when, and what differed
        session.add(SettlementEvent(
            settlement_id=row.id, action="verify_failed", from_state=row.state, to_state=row.state,
            actor=actor.name, role=actor.role, at=at, why="重新计算与快照不符", details={"differences": diff},
        ))
        session.commit()
        raise
    row.verified_by, row.verified_at = actor.name, at
    _record(session, row, transition)
    return GateResult(contract.code, period.name, "verify", gate.state.value, row.snapshot["net_fee"],
                      warnings=current["warnings"])


def _do_suspend(session, contract, period, row, actor, at, options) -> GateResult:
    row = _require(row, contract, period)
    gate, transition = g.suspend(_gate_state(contract, row), actor, at, options.get("why") or "")
    row.suspended_reason = transition.why
    _record(session, row, transition)
    return GateResult(contract.code, period.name, "suspend", gate.state.value, row.snapshot["net_fee"])


def _do_object(session, contract, period, row, actor, at, options) -> GateResult:
    row = _require(row, contract, period)
    month = options.get("line_month") or options["month"]
    line = options.get("line") or ""
    gate, transition = g.object_to(_gate_state(contract, row), actor, at, month, line, options.get("text") or "")
    objection = Objection(settlement_id=row.id, month=month, line_kind=line, text=transition.why,
                          raised_by=actor.name, raised_at=at, status="open")
    session.add(objection)
    session.flush()
    _record(session, row, transition, {"objection": objection.id, "month": month, "line": line})
    return GateResult(contract.code, period.name, "object", gate.state.value, row.snapshot["net_fee"],
                      objection=objection.id)


def _line_amount(snapshot: dict, month: str, kind: str) -> Decimal | None:
    for m in snapshot["months"]:
        if m["month"] == month:
            for line in m["lines"]:
                if line["kind"] == kind:
                    return Decimal(line["amount"])
    return None


def _do_answer(session, contract, period, row, actor, at, options) -> GateResult:
    row = _require(row, contract, period)
    open_ones = [o for o in row.objections if o.status == "open"]
    objection_id = options.get("objection")
    if objection_id is None:
        if not open_ones:
            raise Refused("本结算期没有待答复的异议")
        if len(open_ones) != 1:
            raise Refused(f"有 {len(open_ones)} 条待答复的异议，请用 --objection 指明答复哪一条")
        objection_id = open_ones[0].id
    objection = next((o for o in row.objections if o.id == objection_id), None)
    accept = bool(options.get("accept"))
    adjustment = options.get("adjustment")
    line_amount = None
    if objection is not None:
        line_amount = _line_amount(row.snapshot, objection.month, objection.line_kind)
        given_back = sum((o.adjustment for o in row.objections if o.status == "accepted" and o.adjustment
                          and (o.month, o.line_kind) == (objection.month, objection.line_kind)), Decimal(0))
        line_amount = None if line_amount is None else line_amount - given_back
    gate, transition = g.answer(_gate_state(contract, row), actor, at, objection_id, accept,
                                options.get("why") or "", adjustment, line_amount)
    objection.status = "accepted" if accept else "rejected"
    objection.answer, objection.answered_by, objection.answered_at = transition.why, actor.name, at
    objection.adjustment = adjustment if accept else None
    details: dict[str, Any] = {"objection": objection.id, "accepted": accept}
    if accept:
        session.flush()
        before = row.snapshot["net_fee"]
        document = compute(session, contract, period, row)
        document["status"] = gate.state.value
        row.snapshot = document
        row.verified_by = row.verified_at = None
        details.update({"adjustment": str(adjustment), "net_fee_before": before, "net_fee_after": document["net_fee"]})
    _record(session, row, transition, details)
    return GateResult(contract.code, period.name, "answer", gate.state.value, row.snapshot["net_fee"],
                      objection=objection.id)


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


def _do_approve(session, contract, period, row, actor, at, options) -> GateResult:
    row = _require(row, contract, period)
    gate, transition = g.approve(_gate_state(contract, row), actor, at)
    row.approved_by, row.approved_at = actor.name, at
    snapshot = dict(row.snapshot)
    snapshot["status"] = g.State.APPROVED.value
    row.snapshot = snapshot
    _record(session, row, transition)
    session.flush()
    entry = _append(session, row, contract, "approval", {
        "settlement": snapshot, "report_name": row.report_name, "report_sha256": row.report_sha256,
        "submitted_by": row.submitted_by, "submitted_at": row.submitted_at.isoformat(),
        "verified_by": row.verified_by, "verified_at": row.verified_at.isoformat() if row.verified_at else None,
        "approved_by": actor.name, "approved_at": at.isoformat(),
        "objections": [_objection_doc(o) for o in row.objections],
    }, at, row.report)
    return GateResult(contract.code, period.name, "approve", gate.state.value, snapshot["net_fee"],
                      archive_seq=entry.seq)


def _objection_doc(o: Objection) -> dict[str, Any]:
    return {"id": o.id, "month": o.month, "line": o.line_kind, "text": o.text, "raised_by": o.raised_by,
            "status": o.status, "answer": o.answer, "adjustment": str(o.adjustment) if o.adjustment is not None else None,
            "answered_by": o.answered_by}


def _money(value: Any, what: str) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", ""))
    except (InvalidOperation, ValueError):
        raise Refused(f"{what}不是金额：{value!r}") from None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:
        raise Refused(f"{what}最多两位小数：{value!r}")
    return amount


def _do_pay(session, contract, period, row, actor, at, options) -> GateResult:
    row = _require(row, contract, period)
    amount = _money(options.get("amount"), "支付金额")
    paid_on = options.get("paid_on")
    gate, transition = g.pay(_gate_state(contract, row), actor, at, options.get("voucher") or "", paid_on, amount)
    row.voucher, row.paid_on, row.paid_amount = options["voucher"].strip(), paid_on, amount
    snapshot = dict(row.snapshot)
    snapshot["status"] = g.State.PAID.value
    row.snapshot = snapshot
    _record(session, row, transition, {"voucher": row.voucher, "paid_on": paid_on.isoformat(), "amount": str(amount)})
    session.flush()
    entry = _append(session, row, contract, "payment", {
        "contract": contract.code, "period": row.period, "voucher": row.voucher, "paid_on": paid_on.isoformat(),
        "amount": str(amount), "paid_by": actor.name, "paid_at": at.isoformat(),
        "approved_net": row.snapshot["net_fee"],
    }, at, None)
    return GateResult(contract.code, period.name, "pay", gate.state.value, snapshot["net_fee"], archive_seq=entry.seq)


_ACTIONS = {
    "submit": _do_submit, "verify": _do_verify, "suspend": _do_suspend, "object": _do_object,
    "answer": _do_answer, "approve": _do_approve, "pay": _do_pay,
}


# ------------------------------------------------------------------ audit and reading


def audit_verify(session: Session):
    """G2: check the whole chain, that every approved or paid settlement still equals its archived snapshot, and
    that its stored report is the archived one."""
    entries = session.scalars(select(ArchiveEntry).order_by(ArchiveEntry.seq)).all()
    check = verify_chain(EntryView(e.seq, e.kind, e.contract, e.period, e.created_at, e.payload, e.report_sha256,
                                   e.report, e.prev_hash, e.hash) for e in entries)
    if not check.ok:
        return check
    import json

    from hallmon.billing.archive import ChainCheck

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


def period_overview(session: Session, contracts: list[Contract]) -> list[dict[str, Any]]:
    """Every billing period of these contracts with its gate state (draft periods are not computed here)."""
    from hallmon.billing.settlement import periods

    rows = {(r.contract_id, r.period): r for r in session.scalars(
        select(Settlement).where(Settlement.contract_id.in_([c.id for c in contracts])))}
    out = []
    for contract in contracts:
        for period in periods(contract.terms()):
            row = rows.get((contract.id, period.name))
            out.append({
                "contract": contract.code, "contractor": contract.contractor, "period": period.name,
                "start": period.start, "end": period.end,
                "state": row.state if row else g.State.DRAFT.value,
                "net_fee": row.snapshot["net_fee"] if row and row.snapshot else None,
                "deduction": row.snapshot["deduction"] if row and row.snapshot else None,
                "open_objections": sum(1 for o in row.objections if o.status == "open") if row else 0,
                "submitted_at": row.submitted_at if row else None,
            })
    return out


def gate_view(session: Session, contract_code: str, month: str, username: str) -> dict[str, Any]:
    """What a settlement page shows this user: state, actions allowed, objections, log, last failed check."""
    contract = get_contract(session, contract_code)
    period = _period(contract, month)
    row = _row(session, contract, period)
    actor = _actor(session, username)
    gate_state = _gate_state(contract, row)
    failed = None
    if row is not None:
        last = [e for e in row.events if e.action in ("verify", "verify_failed", "submit", "answer")]
        if last and last[-1].action == "verify_failed":
            failed = {"at": last[-1].at, "actor": last[-1].actor, "differences": last[-1].details["differences"]}
    return {
        "state": gate_state.state.value,
        "state_name": g.STATE_NAMES[gate_state.state],
        "allowed": g.allowed_actions(gate_state, actor),
        "objections": [_objection_doc(o) | {"raised_at": o.raised_at, "answered_at": o.answered_at}
                       for o in (row.objections if row else [])],
        "events": settlement_events(session, contract_code, month),
        "report_name": row.report_name if row else None,
        "report_sha256": row.report_sha256 if row else None,
        "suspended_reason": row.suspended_reason if row else None,
        "verification_failed": failed,
        "paid": {"voucher": row.voucher, "paid_on": row.paid_on, "amount": row.paid_amount} if row and row.voucher else None,
        "carry": carried_difference(session, contract_code, month) if row and row.state in ("approved", "paid") else None,
    }


def report_file(session: Session, contract_code: str, month: str) -> tuple[bytes, str] | None:
    contract = get_contract(session, contract_code)
    row = _row(session, contract, _period(contract, month))
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


def carried_difference(session: Session, contract_code: str, month: str) -> dict[str, Any] | None:
    """G2: for an approved or paid period, what the data stored now would change — to carry into a later period."""
    contract = get_contract(session, contract_code)
    period = _period(contract, month)
    row = _row(session, contract, period)
    if row is None or row.state not in (g.State.APPROVED.value, g.State.PAID.value):
        return None
    current = compute(session, contract, period, row)
    diff = differences(row.snapshot, current)
    delta = Decimal(row.snapshot["net_fee"]) - Decimal(current["net_fee"])
    return {"differences": diff, "net_fee_archived": row.snapshot["net_fee"], "net_fee_now": current["net_fee"],
            "carry": str(-delta)}


def report_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


__all__ = ["settle", "gate_action", "audit_verify", "compute", "month_inputs", "carried_difference",
           "settlement_rows", "paid_total", "LINE_KINDS", "CAP"]


def settlement_events(session: Session, contract_code: str, month: str) -> list[dict[str, Any]]:
    """G3: the transitions of a period's settlement, oldest first."""
    contract = get_contract(session, contract_code)
    row = _row(session, contract, _period(contract, month))
    if row is None:
        return []
    names = {s.value: n for s, n in g.STATE_NAMES.items()}
    actions = {**g.ACTION_NAMES, "verify_failed": "核验未通过"}
    return [{"at": e.at.isoformat(sep=" "), "action": actions.get(e.action, e.action), "actor": e.actor,
             "role": e.role, "from_state": names.get(e.from_state, e.from_state),
             "to_state": names.get(e.to_state, e.to_state), "why": e.why, "details": e.details}
            for e in row.events]


def statement_export(session: Session, contract_code: str, month: str, fmt: str) -> tuple[bytes, str]:
    """The settlement statement as XLSX or printable HTML (issue 6: what finance files with the voucher)."""
    from hallmon.billing.statement import statement_html, statement_xlsx

    contract = get_contract(session, contract_code)
    document = settle(session, contract_code, month)
    name = f"结算单-{contract.code}-{_period(contract, month).name}"
    if fmt == "xlsx":
        return statement_xlsx(document, contract.name, contract.contractor), f"{name}.xlsx"
    if fmt == "html":
        html = statement_html(document, contract.name, contract.contractor,
                              settlement_events(session, contract_code, month))
        return html.encode("utf-8"), f"{name}.html"
    raise Refused(f"不支持的导出格式 {fmt!r}（xlsx 或 html）")


def assessment_report_export(session: Session, contract_code: str, month: str, fmt: str,
                             as_of: dt.date | None = None) -> tuple[bytes, str]:
    """The assessment report of the period containing `month` (S1–S6 per month, with notice status as of a date)."""
    from hallmon.assessment.services import month_detail, notice_statuses
    from hallmon.billing.report import report_html, report_xlsx

    contract = get_contract(session, contract_code)
    period = _period(contract, month)
    statuses, _ = notice_statuses(session, contract.code, as_of or dt.date.today())
    by_month = {s.month: s for s in statuses}
    months = []
    for m in period.months:
        s = by_month.get(m)
        notice = {"notified_on": s.notified_on.isoformat() if s and s.notified_on else None,
                  "deadline": s.deadline.isoformat() if s else None, "status": s.status if s else None}
        months.append({"month": m, "detail": month_detail(session, contract.code, m), "notice": notice})
    name = f"考核报告-{contract.code}-{period.name}"
    if fmt == "xlsx":
        return report_xlsx(contract.code, period.name, months), f"{name}.xlsx"
    if fmt == "html":
        return report_html(contract.code, contract.name, period.name, months).encode("utf-8"), f"{name}.html"
    raise Refused(f"不支持的导出格式 {fmt!r}（xlsx 或 html）")


def draft_ended_periods(session: Session, contract_code: str, today: dt.date) -> list[str]:
    """J2: a draft settlement, computed and kept, for every period that has ended and has none yet."""
    from hallmon.billing.settlement import periods

    contract = get_contract(session, contract_code)
    made = []
    for period in periods(contract.terms()):
        if period.end >= today or _row(session, contract, period) is not None:
            continue
        document = compute(session, contract, period)
        with transaction(session):
            session.add(Settlement(contract_id=contract.id, period=period.name, state=g.State.DRAFT.value,
                                   snapshot=document))
        made.append(period.name)
    return made
