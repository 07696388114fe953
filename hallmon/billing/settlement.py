"""Settlement of a billing period (SPEC §8, B1–B5): pure, Decimal end to end, every line with its basis."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hallmon.contract import ContractTerms
from hallmon.core.jsonout import CENT, money, number, rate_of, round_half_up
from hallmon.core.periods import Period, billing_periods, period_of

LINE_KINDS = ("staffing", "attendance", "assessment", "unenforced")
CAP = "cap"
ADJUSTMENT = "adjustment"
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class MonthInputs:
    """What the records say about one contract month, gathered by the services."""

    month: str
    working_days: int
    staffed_person_days: int          # A1 scheduled days of all the contract's staff
    chargeable_minutes: int           # Σ A6 chargeable_minutes
    scheduled_minutes: int            # Σ A6 scheduled_minutes
    assessed: bool                    # S4
    score: Decimal | None             # S2 (None when not assessed)
    unenforced_staff: tuple[str, ...] = ()   # A9 person-months of this month


@dataclass(frozen=True)
class Adjustment:
    """An objection accepted with an adjustment (G1): money given back on one line of one month."""

    objection_id: int
    month: str
    line: str
    amount: Decimal
    reason: str


@dataclass(frozen=True)
class Line:
    kind: str
    amount: Decimal
    basis: dict[str, Any]


@dataclass(frozen=True)
class MonthSettlement:
    month: str
    base: Decimal
    assessed: bool
    score: Decimal | None
    lines: tuple[Line, ...]

    @property
    def capped(self) -> bool:
        return any(line.kind == CAP for line in self.lines)

    @property
    def deduction(self) -> Decimal:
        """B4: a month's deduction is the sum of its lines."""
        return sum((line.amount for line in self.lines), ZERO)


@dataclass(frozen=True)
class Settlement:
    contract: str
    period: Period
    months: tuple[MonthSettlement, ...]
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def base_fee(self) -> Decimal:
        """B2: the period's base fee is the sum of its month bases."""
        return sum((m.base for m in self.months), ZERO)

    @property
    def deduction(self) -> Decimal:
        """B4: a period's deduction is the sum of its months."""
        return sum((m.deduction for m in self.months), ZERO)

    @property
    def net_fee(self) -> Decimal:
        """B4: net_fee = base_fee − deduction."""
        return self.base_fee - self.deduction


def month_bases(terms: ContractTerms) -> dict[str, Decimal]:
    """B2: total_fee / number of contract months rounded half up to 0.01; the last month takes the remainder."""
    months = terms.months()
    share = round_half_up(Fraction(terms.total_fee) / len(months), CENT)
    bases = {month: share for month in months[:-1]}
    bases[months[-1]] = terms.total_fee - share * (len(months) - 1)
    return bases


def periods(terms: ContractTerms) -> list[Period]:
    """B1: consecutive blocks of billing_months calendar months from the contract's start."""
    return billing_periods(terms.start, terms.end, terms.billing_months)


def period_for(terms: ContractTerms, month: str) -> Period | None:
    """B1: the billing period that contains a month, or None outside the contract."""
    return period_of(terms.start, terms.end, terms.billing_months, month)


def _ratio(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator else None


def staffing_line(base: Decimal, terms: ContractTerms, inputs: MonthInputs) -> Line:
    """B3 staffing: M × max(0, 1 − staffed person-days / (headcount × working days)); 0 on a zero denominator."""
    covered = _ratio(inputs.staffed_person_days, terms.headcount * inputs.working_days)
    shortfall = None if covered is None else max(Fraction(0), 1 - covered)
    amount = ZERO if shortfall is None else round_half_up(Fraction(base) * shortfall, CENT)
    return Line("staffing", amount, {
        "staffed_person_days": inputs.staffed_person_days,
        "headcount": terms.headcount,
        "working_days": inputs.working_days,
        "shortfall_share": rate_of(shortfall),
    })


def attendance_line(base: Decimal, inputs: MonthInputs) -> Line:
    """B3 attendance: M × Σ chargeable_minutes / Σ scheduled_minutes (A5, A6); 0 on a zero denominator."""
    share = _ratio(inputs.chargeable_minutes, inputs.scheduled_minutes)
    amount = ZERO if share is None else round_half_up(Fraction(base) * share, CENT)
    return Line("attendance", amount, {
        "chargeable_minutes": inputs.chargeable_minutes,
        "scheduled_minutes": inputs.scheduled_minutes,
        "share": rate_of(share),
    })


def payout_share(terms: ContractTerms, score: Decimal) -> Decimal:
    """B3 bands mode: the payout share of the highest band whose min score ≤ score."""
    for low, share in terms.assessment.bands:  # sorted by min score, descending
        if score >= low:
            return share
    return terms.assessment.bands[-1][1]  # unreachable: the lowest band starts at 0 and scores are ≥ 0


def assessment_line(base: Decimal, terms: ContractTerms, inputs: MonthInputs) -> Line:
    """B3 assessment: per_point M × rate × max(0, pass − score), or bands M × (1 − payout share); 0 when not assessed."""
    a = terms.assessment
    score = inputs.score if inputs.assessed else None
    basis: dict[str, Any] = {"assessed": inputs.assessed, "score": number(score)}
    if a.mode == "per_point":
        below = None if score is None else max(Decimal(0), a.pass_score - score)
        amount = ZERO if below is None else round_half_up(base * a.per_point_rate * below, CENT)
        basis["points_below"] = number(below)
    else:
        share = None if score is None else payout_share(terms, score)
        amount = ZERO if share is None else round_half_up(base * (1 - share), CENT)
        basis["payout_share"] = rate_of(share)
    return Line("assessment", amount, basis)


def unenforced_line(terms: ContractTerms, inputs: MonthInputs) -> Line:
    """B3 unenforced: unenforced_fine × unenforced person-months of the month (A9)."""
    staff = sorted(inputs.unenforced_staff)
    amount = round_half_up(terms.billing.unenforced_fine * len(staff), CENT)
    return Line("unenforced", amount, {
        "person_months": len(staff),
        "fine": money(terms.billing.unenforced_fine),
        "staff_ids": staff,
    })


def cap_line(base: Decimal, terms: ContractTerms, lines: list[Line]) -> Line | None:
    """B3 cap: when Σ of the four rounded lines exceeds the rounded cap, a negative line bringing the month to the cap."""
    cap = round_half_up(base * terms.billing.deduction_cap, CENT)
    uncapped = sum((line.amount for line in lines), ZERO)
    if uncapped <= cap:
        return None
    return Line(CAP, -(uncapped - cap), {"cap": money(cap), "uncapped": money(uncapped)})


def adjustment_lines(adjustments: list[Adjustment]) -> list[Line]:
    """G1: an objection accepted with an adjustment gives money back on its month, after the B3 lines."""
    return [
        Line(ADJUSTMENT, -round_half_up(adj.amount, CENT), {
            "objection": adj.objection_id, "line": adj.line, "reason": adj.reason,
        })
        for adj in sorted(adjustments, key=lambda a: a.objection_id)
    ]


def settle_month(month: str, base: Decimal, terms: ContractTerms, inputs: MonthInputs,
                 adjustments: list[Adjustment] = ()) -> MonthSettlement:
    """B3: the lines of one month, always in the order staffing, attendance, assessment, unenforced, cap."""
    lines = [
        staffing_line(base, terms, inputs),
        attendance_line(base, inputs),
        assessment_line(base, terms, inputs),
        unenforced_line(terms, inputs),
    ]
    cap = cap_line(base, terms, lines)
    if cap is not None:
        lines.append(cap)
    lines.extend(adjustment_lines([a for a in adjustments if a.month == month]))
    return MonthSettlement(month, base, inputs.assessed, inputs.score if inputs.assessed else None, tuple(lines))


def settle_period(terms: ContractTerms, period: Period, inputs: dict[str, MonthInputs],
                  adjustments: list[Adjustment] = (), warnings: list[str] = ()) -> Settlement:
    """B1–B4: every month of the period, with its base (B2) and lines (B3)."""
    bases = month_bases(terms)
    months = tuple(settle_month(m, bases[m], terms, inputs[m], list(adjustments)) for m in period.months)
    return Settlement(terms.code, period, months, tuple(warnings))


def line_document(line: Line) -> dict[str, Any]:
    return {"kind": line.kind, "amount": money(line.amount), "basis": line.basis}


def settlement_document(settlement: Settlement, status: str) -> dict[str, Any]:
    """B5: the JSON of `hallmon settle`."""
    return {
        "contract": settlement.contract,
        "period": {"start": settlement.period.start.isoformat(), "end": settlement.period.end.isoformat()},
        "base_fee": money(settlement.base_fee),
        "deduction": money(settlement.deduction),
        "net_fee": money(settlement.net_fee),
        "status": status,
        "warnings": list(settlement.warnings),
        "months": [
            {
                "month": m.month,
                "base": money(m.base),
                "score": number(m.score),
                "assessed": m.assessed,
                "capped": m.capped,
                "deduction": money(m.deduction),
                "lines": [line_document(line) for line in m.lines],
            }
            for m in settlement.months
        ],
    }


def differences(snapshot: dict[str, Any], current: dict[str, Any]) -> list[dict[str, Any]]:
    """G1 verify: every figure of the frozen snapshot that the data now stored no longer gives."""
    out: list[dict[str, Any]] = []

    def walk(path: str, old: Any, new: Any) -> None:
        if isinstance(old, dict) and isinstance(new, dict):
            for key in sorted(set(old) | set(new), key=str):
                walk(f"{path}.{key}" if path else str(key), old.get(key), new.get(key))
        elif isinstance(old, list) and isinstance(new, list) and _keyed(old) and _keyed(new):
            old_by, new_by = _index(old), _index(new)
            for key in list(dict.fromkeys([*old_by, *new_by])):
                walk(f"{path}[{key}]", old_by.get(key), new_by.get(key))
        elif old != new:
            out.append({"path": path, "snapshot": old, "now": new})

    ignore = {"status", "warnings"}
    walk("", {k: v for k, v in snapshot.items() if k not in ignore},
         {k: v for k, v in current.items() if k not in ignore})
    return out


def _keyed(items: list) -> bool:
    return bool(items) and all(isinstance(i, dict) and ("month" in i or "kind" in i) for i in items)


def _index(items: list[dict]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for item in items:
        key = item.get("month") or item.get("kind")
        if item.get("kind") == ADJUSTMENT:
            key = f"{ADJUSTMENT}#{item['basis'].get('objection')}"
        out[str(key)] = item
    return out
