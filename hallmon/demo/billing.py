"""The demo hall's settlements for 2024, walked through the 考核+核验 gate by the demo's users."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from hallmon.app.writes import gate_action
from hallmon.billing.commands import (
    Answer,
    Approve,
    GateCommand,
    Object,
    Pay,
    Submit,
    Suspend,
    Verify,
)
from hallmon.billing.services import assessment_report_export, settle
from hallmon.billing.settlement import Line
from hallmon.core.periods import add_months, month_bounds
from hallmon.demo.hall import CONTRACT_CODE, YEAR
from hallmon.roster.models import Contract
from hallmon.roster.services import get_contract

MANAGER, FINANCE, APPROVER, CONTRACTOR = "manager", "finance", "finance2", "contractor"
OBJECTION_MONTH = "2024-05"
SUSPENDED_MONTH = "2024-08"
APPROVED_UNPAID = "2024-11"
AWAITING = "2024-12"


def _at(month: str, day: int, hour: int = 10) -> dt.datetime:
    """A working moment in the month after `month` (when its settlement is handled)."""
    first, _ = month_bounds(add_months(month, 1))
    return dt.datetime(first.year, first.month, day, hour, 0)


def _report(session: Session, contract: Contract, month: str, as_of: dt.date, workdir) -> tuple[bytes, str]:
    data, name = assessment_report_export(session, contract, month, "xlsx", as_of)
    (workdir / name).write_bytes(data)
    return data, name


def build(session: Session, workdir, seed: int, result) -> None:
    """结算与支付（考核+核验）"""
    contract = get_contract(session, CONTRACT_CODE)

    def act(month: str, command: GateCommand, user: str, at: dt.datetime):
        return gate_action(session, contract, month, command, user, at=at)

    for number in range(1, 13):
        month = f"{YEAR}-{number:02d}"
        report, name = _report(session, contract, month, _at(month, 10).date(), workdir)
        act(month, Submit(report, name), MANAGER, _at(month, 10))
        if month == AWAITING:
            break  # the current period: submitted, awaiting finance's verification
        if month == SUSPENDED_MONTH:
            act(month, Suspend("8 月考核得分低于 90 分，考核报告未附整改说明，暂缓支付"), FINANCE, _at(month, 12, 15))
            report, name = _report(session, contract, month, _at(month, 19).date(), workdir)
            act(month, Submit(report, name), MANAGER, _at(month, 19))
        if month == OBJECTION_MONTH:
            line = next(line for line in submitted_lines(session, contract, month) if line.kind == "attendance")
            objection = act(month, Object(month, "attendance", "5 月 13 日东楼考勤机断电，当日上午缺卡系设备原因，请核减考勤扣款"),
                            CONTRACTOR, _at(month, 11, 9)).objection
            give_back = min(Decimal("800.00"), line.amount)
            act(month, Answer(objection, True, "经核实 5 月 13 日上午考勤机断电属实，核减相应考勤扣款", give_back),
                MANAGER, _at(month, 13, 11))
        act(month, Verify(), FINANCE, _at(month, 20, 9))
        approved = act(month, Approve(), APPROVER, _at(month, 21, 16))
        if month == APPROVED_UNPAID:
            continue
        act(month, Pay(f"记-{YEAR}-{number:04d}", _at(month, 25).date(), Decimal(approved.net_fee)), FINANCE,
            _at(month, 25, 14))
    result.notes.append("结算：1–10 月已支付；5 月有一条异议已接受并核减；8 月曾暂缓支付后重新提交；"
                        "11 月已审批待支付；12 月已提交待财务核验（用 finance 登录核验）")


def submitted_lines(session: Session, contract: Contract, month: str) -> tuple[Line, ...]:
    settled = settle(session, contract, month)
    return next(m for m in settled.settlement.months if m.month == month).lines
