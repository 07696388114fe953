"""The two-key payment gate, 考核+核验 (rules §9, G1–G3): a pure state machine whose refusals name the rule."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    APPROVED = "approved"
    PAID = "paid"
    SUSPENDED = "suspended"


STATE_NAMES = {
    State.DRAFT: "草稿", State.SUBMITTED: "已提交待核验", State.VERIFIED: "已核验待审批",
    State.APPROVED: "已审批待支付", State.PAID: "已支付", State.SUSPENDED: "暂缓支付",
}

ACTION_NAMES = {
    "submit": "提交", "verify": "核验", "suspend": "暂缓支付", "object": "提出异议",
    "answer": "答复异议", "approve": "审批", "pay": "支付",
}

# Who may take each action (G1). The admin role runs the system but holds neither key.
ROLE_OF = {
    "submit": "manager", "answer": "manager",
    "verify": "finance", "suspend": "finance", "approve": "finance", "pay": "finance",
    "object": "contractor",
}
FROM_STATES = {
    "submit": {State.DRAFT, State.SUSPENDED},
    "verify": {State.SUBMITTED},
    "suspend": {State.SUBMITTED, State.VERIFIED},
    "object": {State.SUBMITTED, State.VERIFIED},
    "answer": {State.SUBMITTED, State.VERIFIED},
    "approve": {State.VERIFIED},
    "pay": {State.APPROVED},
}


class GateError(Exception):
    """A gate action refused; `rule` names what was broken (e.g. "G1.role")."""

    def __init__(self, rule: str, message: str):
        super().__init__(f"{rule}: {message}")
        self.rule = rule
        self.message = message


@dataclass(frozen=True)
class Actor:
    name: str
    role: str
    contractor: str | None = None


@dataclass(frozen=True)
class OpenObjection:
    id: int
    month: str
    line: str


@dataclass(frozen=True)
class GateState:
    """What the gate needs to know about one settlement."""

    state: State = State.DRAFT
    contractor: str = ""
    submitted_by: str | None = None
    verified_by: str | None = None
    approved_net: Decimal | None = None
    open_objections: tuple[OpenObjection, ...] = ()
    snapshot_lines: frozenset[tuple[str, str]] = field(default_factory=frozenset)  # (month, kind)


@dataclass(frozen=True)
class Transition:
    """G3: what happened — the action, the states, who, when and why."""

    action: str
    before: State
    after: State
    actor: str
    role: str
    at: dt.datetime
    why: str | None = None


def _check(gate: GateState, action: str, actor: Actor) -> None:
    role = ROLE_OF[action]
    if actor.role != role:
        raise GateError("G1.role", f"{ACTION_NAMES[action]}须由{_role_name(role)}进行，{actor.name} 是{_role_name(actor.role)}")
    if gate.state not in FROM_STATES[action]:
        allowed = "、".join(STATE_NAMES[s] for s in sorted(FROM_STATES[action]))
        raise GateError("G1.state", f"当前状态为“{STATE_NAMES[gate.state]}”，不能{ACTION_NAMES[action]}（须为：{allowed}）")


def _role_name(role: str) -> str:
    return {"manager": "中心业务科室", "finance": "财务科室", "contractor": "服务单位", "admin": "系统管理员"}.get(role, role)


def _move(gate: GateState, action: str, after: State, actor: Actor, at: dt.datetime, why: str | None = None
          ) -> tuple[GateState, Transition]:
    return replace(gate, state=after), Transition(action, gate.state, after, actor.name, actor.role, at, why)


def submit(gate: GateState, actor: Actor, at: dt.datetime, unassessed_months: list[str],
           report_attached: bool) -> tuple[GateState, Transition]:
    """G1 submit (manager): every month of the period assessed (S4) and an assessment report attached."""
    _check(gate, "submit", actor)
    if unassessed_months:
        raise GateError("G1.assessed", f"以下月份尚未考核，不能提交：{'、'.join(unassessed_months)}")
    if not report_attached:
        raise GateError("G1.report", "未附考核报告，不能提交")
    new, transition = _move(gate, "submit", State.SUBMITTED, actor, at)
    return replace(new, submitted_by=actor.name, verified_by=None), transition


def verify(gate: GateState, actor: Actor, at: dt.datetime, differences: list) -> tuple[GateState, Transition]:
    """G1 verify (finance, not the submitter): the recomputation must equal the snapshot."""
    _check(gate, "verify", actor)
    if actor.name == gate.submitted_by:
        raise GateError("G1.two_keys", "核验人不能是提交人")
    if differences:
        raise VerificationFailed(differences)
    new, transition = _move(gate, "verify", State.VERIFIED, actor, at)
    return replace(new, verified_by=actor.name), transition


class VerificationFailed(GateError):
    """G1 verify: the data now stored gives other figures than the snapshot; finance suspends."""

    def __init__(self, differences: list):
        super().__init__("G1.verify", f"核验未通过：重新计算与提交时的快照有 {len(differences)} 处不同")
        self.differences = differences


def suspend(gate: GateState, actor: Actor, at: dt.datetime, why: str) -> tuple[GateState, Transition]:
    """G1 suspend (finance, with a reason) from submitted or verified: 暂缓支付."""
    _check(gate, "suspend", actor)
    if not (why or "").strip():
        raise GateError("G1.reason", "暂缓支付必须写明原因")
    return _move(gate, "suspend", State.SUSPENDED, actor, at, why.strip())


def object_to(gate: GateState, actor: Actor, at: dt.datetime, month: str, line: str, text: str
              ) -> tuple[GateState, Transition]:
    """G1 objection (the contractor) against a line while submitted or verified."""
    _check(gate, "object", actor)
    if actor.contractor != gate.contractor:
        raise GateError("G1.contractor", "只能对本单位合同的结算提出异议")
    if (month, line) not in gate.snapshot_lines:
        raise GateError("G1.line", f"结算单中没有 {month} 的“{line}”扣减行")
    if not (text or "").strip():
        raise GateError("G1.reason", "异议必须写明理由")
    return _move(gate, "object", gate.state, actor, at, text.strip())


def answer(gate: GateState, actor: Actor, at: dt.datetime, objection_id: int, accept: bool,
           why: str, adjustment: Decimal | None, line_amount: Decimal | None) -> tuple[GateState, Transition]:
    """G1 answer (manager): accept with an adjustment, or reject with a reason.

    An adjustment changes the settlement, so a verified settlement goes back to submitted and is
    verified again.
    """
    _check(gate, "answer", actor)
    if objection_id not in {o.id for o in gate.open_objections}:
        raise GateError("G1.objection", f"没有待答复的异议 #{objection_id}")
    if not (why or "").strip():
        raise GateError("G1.reason", "答复异议必须写明理由")
    after = gate.state
    if accept:
        if adjustment is None or adjustment <= 0:
            raise GateError("G1.adjustment", "接受异议须给出大于 0 的调整金额")
        if line_amount is not None and adjustment > line_amount:
            raise GateError("G1.adjustment", f"调整金额 {adjustment} 超过该行扣减额 {line_amount}")
        after = State.SUBMITTED
    elif adjustment is not None:
        raise GateError("G1.adjustment", "驳回异议不能附调整金额")
    remaining = tuple(o for o in gate.open_objections if o.id != objection_id)
    new, transition = _move(gate, "answer", after, actor, at, why.strip())
    if accept:
        new = replace(new, verified_by=None)
    return replace(new, open_objections=remaining), transition


def approve(gate: GateState, actor: Actor, at: dt.datetime) -> tuple[GateState, Transition]:
    """G1 approve (finance) from verified, once every objection is answered."""
    _check(gate, "approve", actor)
    if gate.open_objections:
        ids = "、".join(f"#{o.id}" for o in gate.open_objections)
        raise GateError("G1.objections", f"还有未答复的异议（{ids}），不能审批")
    if actor.name == gate.submitted_by:
        raise GateError("G1.two_keys", "审批人不能是提交人")
    return _move(gate, "approve", State.APPROVED, actor, at)


def pay(gate: GateState, actor: Actor, at: dt.datetime, voucher: str, paid_on: dt.date | None,
        amount: Decimal) -> tuple[GateState, Transition]:
    """G1 pay (finance): a voucher number, a date and an amount equal to the approved net."""
    _check(gate, "pay", actor)
    if not (voucher or "").strip():
        raise GateError("G1.voucher", "支付须填写凭证号")
    if paid_on is None:
        raise GateError("G1.voucher", "支付须填写支付日期")
    if gate.approved_net is None or amount != gate.approved_net:
        raise GateError("G1.amount", f"支付金额 {amount} 与审批的应付净额 {gate.approved_net} 不符")
    return _move(gate, "pay", State.PAID, actor, at, f"凭证 {voucher.strip()}")


def allowed_actions(gate: GateState, actor: Actor) -> list[str]:
    """The actions this user may try now (for showing the right buttons; the checks above still decide)."""
    out = []
    for action, role in ROLE_OF.items():
        if actor.role == role and gate.state in FROM_STATES[action]:
            if action == "object" and actor.contractor != gate.contractor:
                continue
            if action == "answer" and not gate.open_objections:
                continue
            if action == "verify" and actor.name == gate.submitted_by:
                continue
            out.append(action)
    return out
