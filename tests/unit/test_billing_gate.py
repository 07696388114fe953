"""G1: every transition of the 考核+核验 gate and every refusal, naming the rule broken."""
import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from hallmon.billing import gate as g
from hallmon.billing.gate import Actor, GateError, GateState, OpenObjection, State

AT = dt.datetime(2024, 4, 3, 10, 0)
MANAGER = Actor("wang", "manager")
MANAGER2 = Actor("zhou", "manager")
FINANCE = Actor("li", "finance")
FINANCE2 = Actor("zhao", "finance")
CONTRACTOR = Actor("co", "contractor", "某公司")
STRANGER = Actor("other", "contractor", "别家公司")
ADMIN = Actor("root", "admin")
LINES = frozenset({("2024-03", "staffing"), ("2024-03", "attendance")})


def state(s: State, **kw) -> GateState:
    base = GateState(state=s, contractor="某公司", submitted_by="wang", approved_net=Decimal("1000.00"),
                     snapshot_lines=LINES)
    return replace(base, **kw)


def refused(rule: str, call, *args):
    with pytest.raises(GateError) as info:
        call(*args)
    assert info.value.rule == rule
    return info.value


# ---- the happy path, each step


def test_a_manager_submits_a_draft_with_every_month_assessed_and_a_report():
    new, t = g.submit(GateState(contractor="某公司"), MANAGER, AT, [], True)
    assert new.state == State.SUBMITTED and new.submitted_by == "wang"
    assert (t.action, t.before, t.after, t.actor, t.role, t.at) == ("submit", State.DRAFT, State.SUBMITTED, "wang", "manager", AT)


def test_finance_verifies_when_nothing_differs():
    new, t = g.verify(state(State.SUBMITTED), FINANCE, AT, [])
    assert new.state == State.VERIFIED and new.verified_by == "li" and t.after == State.VERIFIED


def test_finance_approves_a_verified_settlement_without_open_objections():
    new, _ = g.approve(state(State.VERIFIED), FINANCE, AT)
    assert new.state == State.APPROVED


def test_finance_pays_the_approved_net_with_a_voucher():
    new, t = g.pay(state(State.APPROVED), FINANCE, AT, "记-2024-0418", dt.date(2024, 4, 18), Decimal("1000.00"))
    assert new.state == State.PAID and t.why == "凭证 记-2024-0418"


@pytest.mark.parametrize("from_state", [State.SUBMITTED, State.VERIFIED])
def test_finance_suspends_with_a_reason(from_state):
    new, t = g.suspend(state(from_state), FINANCE, AT, "考核报告缺页")
    assert new.state == State.SUSPENDED and t.why == "考核报告缺页"


def test_a_suspended_settlement_is_resubmitted_by_a_manager():
    new, t = g.submit(state(State.SUSPENDED), MANAGER2, AT, [], True)
    assert new.state == State.SUBMITTED and new.submitted_by == "zhou" and t.before == State.SUSPENDED


@pytest.mark.parametrize("from_state", [State.SUBMITTED, State.VERIFIED])
def test_the_contractor_objects_to_a_line_while_submitted_or_verified(from_state):
    new, t = g.object_to(state(from_state), CONTRACTOR, AT, "2024-03", "attendance", "考勤机故障")
    assert new.state == from_state and t.why == "考勤机故障"


def test_a_manager_rejects_an_objection_with_a_reason():
    s = state(State.VERIFIED, open_objections=(OpenObjection(5, "2024-03", "attendance"),))
    new, t = g.answer(s, MANAGER, AT, 5, False, "打卡记录完整", None, Decimal("300"))
    assert new.open_objections == () and new.state == State.VERIFIED and t.why == "打卡记录完整"


def test_accepting_an_objection_with_an_adjustment_sends_it_back_for_verification():
    s = state(State.VERIFIED, verified_by="li", open_objections=(OpenObjection(5, "2024-03", "attendance"),))
    new, _ = g.answer(s, MANAGER, AT, 5, True, "故障属实", Decimal("120.00"), Decimal("300"))
    assert new.state == State.SUBMITTED and new.verified_by is None and new.open_objections == ()


# ---- refusals


@pytest.mark.parametrize("action, actor, current, args", [
    (g.submit, FINANCE, State.DRAFT, ([], True)),
    (g.submit, ADMIN, State.DRAFT, ([], True)),
    (g.submit, CONTRACTOR, State.DRAFT, ([], True)),
    (g.verify, MANAGER, State.SUBMITTED, ([],)),
    (g.verify, ADMIN, State.SUBMITTED, ([],)),
    (g.suspend, MANAGER, State.SUBMITTED, ("原因",)),
    (g.approve, MANAGER, State.VERIFIED, ()),
    (g.approve, ADMIN, State.VERIFIED, ()),
    (g.pay, MANAGER, State.APPROVED, ("V1", dt.date(2024, 4, 1), Decimal("1000.00"))),
    (g.object_to, FINANCE, State.SUBMITTED, ("2024-03", "attendance", "x")),
])
def test_the_wrong_role_is_refused(action, actor, current, args):
    refused("G1.role", action, state(current), actor, AT, *args)


@pytest.mark.parametrize("action, actor, current, args", [
    (g.submit, MANAGER, State.SUBMITTED, ([], True)),
    (g.submit, MANAGER, State.APPROVED, ([], True)),
    (g.verify, FINANCE, State.DRAFT, ([],)),
    (g.verify, FINANCE, State.SUSPENDED, ([],)),
    (g.suspend, FINANCE, State.APPROVED, ("原因",)),
    (g.suspend, FINANCE, State.PAID, ("原因",)),
    (g.approve, FINANCE, State.SUBMITTED, ()),
    (g.pay, FINANCE, State.VERIFIED, ("V1", dt.date(2024, 4, 1), Decimal("1000.00"))),
    (g.pay, FINANCE, State.PAID, ("V1", dt.date(2024, 4, 1), Decimal("1000.00"))),
    (g.object_to, CONTRACTOR, State.APPROVED, ("2024-03", "attendance", "x")),
    (g.object_to, CONTRACTOR, State.DRAFT, ("2024-03", "attendance", "x")),
])
def test_an_action_from_the_wrong_state_is_refused(action, actor, current, args):
    refused("G1.state", action, state(current), actor, AT, *args)


def test_submitting_with_a_month_not_assessed_is_refused_naming_it():
    e = refused("G1.assessed", g.submit, GateState(contractor="某公司"), MANAGER, AT, ["2024-02"], True)
    assert "2024-02" in e.message


def test_submitting_without_a_report_is_refused():
    refused("G1.report", g.submit, GateState(contractor="某公司"), MANAGER, AT, [], False)


def test_the_submitter_cannot_verify():
    refused("G1.two_keys", g.verify, state(State.SUBMITTED, submitted_by="li"), FINANCE, AT, [])


def test_a_difference_fails_verification_and_carries_it():
    with pytest.raises(g.VerificationFailed) as info:
        g.verify(state(State.SUBMITTED), FINANCE, AT, [{"path": "net_fee", "snapshot": "1", "now": "2"}])
    assert info.value.rule == "G1.verify" and info.value.differences[0]["path"] == "net_fee"


def test_suspending_without_a_reason_is_refused():
    refused("G1.reason", g.suspend, state(State.SUBMITTED), FINANCE, AT, "  ")


def test_approval_waits_for_every_objection_to_be_answered():
    s = state(State.VERIFIED, open_objections=(OpenObjection(3, "2024-03", "staffing"),))
    assert "#3" in refused("G1.objections", g.approve, s, FINANCE, AT).message


def test_paying_an_amount_other_than_the_approved_net_is_refused():
    refused("G1.amount", g.pay, state(State.APPROVED), FINANCE, AT, "V1", dt.date(2024, 4, 1), Decimal("999.99"))


def test_paying_without_a_voucher_or_a_date_is_refused():
    refused("G1.voucher", g.pay, state(State.APPROVED), FINANCE, AT, " ", dt.date(2024, 4, 1), Decimal("1000.00"))
    refused("G1.voucher", g.pay, state(State.APPROVED), FINANCE, AT, "V1", None, Decimal("1000.00"))


def test_another_contractor_cannot_object():
    refused("G1.contractor", g.object_to, state(State.SUBMITTED), STRANGER, AT, "2024-03", "attendance", "x")


def test_an_objection_must_name_a_line_of_the_snapshot_and_give_a_reason():
    refused("G1.line", g.object_to, state(State.SUBMITTED), CONTRACTOR, AT, "2024-03", "cap", "x")
    refused("G1.reason", g.object_to, state(State.SUBMITTED), CONTRACTOR, AT, "2024-03", "staffing", "")


def test_answers_need_an_open_objection_a_reason_and_a_fitting_adjustment():
    s = state(State.SUBMITTED, open_objections=(OpenObjection(5, "2024-03", "attendance"),))
    refused("G1.objection", g.answer, s, MANAGER, AT, 6, False, "x", None, None)
    refused("G1.reason", g.answer, s, MANAGER, AT, 5, False, "", None, None)
    refused("G1.adjustment", g.answer, s, MANAGER, AT, 5, True, "x", None, Decimal("300"))
    refused("G1.adjustment", g.answer, s, MANAGER, AT, 5, True, "x", Decimal("0"), Decimal("300"))
    refused("G1.adjustment", g.answer, s, MANAGER, AT, 5, True, "x", Decimal("300.01"), Decimal("300"))
    refused("G1.adjustment", g.answer, s, MANAGER, AT, 5, False, "x", Decimal("1"), Decimal("300"))
    refused("G1.role", g.answer, s, FINANCE, AT, 5, False, "x", None, None)


def test_each_user_is_offered_only_the_actions_it_may_take():
    assert g.allowed_actions(state(State.SUBMITTED), FINANCE) == ["verify", "suspend"]
    assert g.allowed_actions(state(State.SUBMITTED, submitted_by="li"), FINANCE) == ["suspend"]
    assert g.allowed_actions(state(State.VERIFIED), CONTRACTOR) == ["object"]
    assert g.allowed_actions(state(State.VERIFIED), STRANGER) == []
    assert g.allowed_actions(state(State.DRAFT), MANAGER) == ["submit"]
    assert g.allowed_actions(state(State.APPROVED), ADMIN) == []
