"""The payment gate's actions as typed commands (G1), and what an action reports back."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from hallmon.billing.settlement import Difference


class GateAction(StrEnum):
    SUBMIT = "submit"
    VERIFY = "verify"
    SUSPEND = "suspend"
    OBJECT = "object"
    ANSWER = "answer"
    APPROVE = "approve"
    PAY = "pay"


@dataclass(frozen=True)
class Submit:
    """The manager submits, with the assessment report attached."""

    report: bytes | None
    report_name: str | None
    action = GateAction.SUBMIT


@dataclass(frozen=True)
class Verify:
    """Finance recomputes from the data stored now and compares with the snapshot."""

    action = GateAction.VERIFY


@dataclass(frozen=True)
class Suspend:
    why: str
    action = GateAction.SUSPEND


@dataclass(frozen=True)
class Object:
    """The contractor objects to one line of one month."""

    month: str
    line: str
    text: str
    action = GateAction.OBJECT


@dataclass(frozen=True)
class Answer:
    """The manager accepts an objection with an adjustment, or rejects it, with a reason."""

    objection: int | None
    accept: bool
    why: str
    adjustment: Decimal | None = None
    action = GateAction.ANSWER


@dataclass(frozen=True)
class Approve:
    action = GateAction.APPROVE


@dataclass(frozen=True)
class Pay:
    voucher: str
    paid_on: dt.date | None
    amount: Decimal
    action = GateAction.PAY


GateCommand = Submit | Verify | Suspend | Object | Answer | Approve | Pay


@dataclass
class GateResult:
    """What one action did; a verification that found differences is recorded (G3) and reported as `failed`."""

    contract: str
    period: str
    action: GateAction
    status: str
    net_fee: str | None = None
    differences: list[Difference] = field(default_factory=list)
    objection: int | None = None
    archive_seq: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.differences)

    def document(self) -> dict[str, Any]:
        return {
            "contract": self.contract, "period": self.period, "action": self.action.value, "status": self.status,
            "net_fee": self.net_fee, "differences": [d.document() for d in self.differences],
            "objection": self.objection, "archive_seq": self.archive_seq, "warnings": self.warnings,
        }
