"""Settlement of a billing period (rules §8, B1–B5): pure, Decimal end to end, every line with its basis."""
from __future__ import annotations

import dataclasses
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
class StaffingBasis:
    """B3 staffing: the figures its amount came from."""

    staffed_person_days: int
    headcount: int
    working_days: int
    shortfall_share: float | None


@dataclass(frozen=True)
class AttendanceBasis:
    """B3 attendance: Σ chargeable minutes over Σ scheduled minutes (A6)."""

    chargeable_minutes: int
    scheduled_minutes: int
    share: float | None


@dataclass(frozen=True)
class AssessmentBasis:
    """B3 assessment: the month's score (S2) and, by mode, the points below pass_score or the band's payout."""

    assessed: bool
    score: int | float | None
    points_below: int | float | None = None
    payout_share: float | None = None
    mode: str = "per_point"

    def document(self) -> dict[str, Any]:
        out: dict[str, Any] = {"assessed": self.assessed, "score": self.score}
        if self.mode == "per_point":
            out["points_below"] = self.points_below
        else:
            out["payout_share"] = self.payout_share
        return out


@dataclass(frozen=True)
class UnenforcedBasis:
    """B3 unenforced: A9 person-months of the month, times the fine."""

    person_months: int
    fine: str
    staff_ids: tuple[str, ...]

    def document(self) -> dict[str, Any]:
        return {"person_months": self.person_months, "fine": self.fine, "staff_ids": list(self.staff_ids)}


@dataclass(frozen=True)
class CapBasis:
    """B3 cap: the month's cap and the four lines' sum it replaced."""

    cap: str
    uncapped: str


@dataclass(frozen=True)
class AdjustmentBasis:
    """G1: the objection accepted, the line it was about, the answer's reason."""

    objection: int
    line: str
    reason: str


Basis = StaffingBasis | AttendanceBasis | AssessmentBasis | UnenforcedBasis | CapBasis | AdjustmentBasis


def basis_document(basis: Basis) -> dict[str, Any]:
    """A basis as the B5 JSON writes it (key for key as stored in snapshots)."""
    if isinstance(basis, AssessmentBasis | UnenforcedBasis):
        return basis.document()
    return dataclasses.asdict(basis)


def basis_from_document(kind: str, document: dict[str, Any]) -> Basis:
    """The typed basis of a line read back from a snapshot."""
    if kind == "staffing":
        return StaffingBasis(**document)
    if kind == "attendance":
        return AttendanceBasis(**document)
    if kind == "assessment":
        mode = "per_point" if "points_below" in document else "bands"
        return AssessmentBasis(document["assessed"], document["score"], document.get("points_below"),
                               document.get("payout_share"), mode)
    if kind == "unenforced":
        return UnenforcedBasis(document["person_months"], document["fine"], tuple(document["staff_ids"]))
    if kind == CAP:
        return CapBasis(**document)
    if kind == ADJUSTMENT:
        return AdjustmentBasis(**document)
    raise ValueError(f"unknown line kind {kind!r}")


@dataclass(frozen=True)
class Line:
    kind: str
    amount: Decimal
    basis: Basis


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
    return Line("staffing", amount, StaffingBasis(inputs.staffed_person_days, terms.headcount, inputs.working_days,
                                                  rate_of(shortfall)))


def attendance_line(base: Decimal, inputs: MonthInputs) -> Line:
    """B3 attendance: M × Σ chargeable_minutes / Σ scheduled_minutes (A5, A6); 0 on a zero denominator."""
    share = _ratio(inputs.chargeable_minutes, inputs.scheduled_minutes)
    amount = ZERO if share is None else round_half_up(Fraction(base) * share, CENT)
    return Line("attendance", amount, AttendanceBasis(inputs.chargeable_minutes, inputs.scheduled_minutes,
                                                      rate_of(share)))


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
    if a.mode == "per_point":
        below = None if score is None else max(Decimal(0), a.pass_score - score)
        amount = ZERO if below is None else round_half_up(base * a.per_point_rate * below, CENT)
        return Line("assessment", amount, AssessmentBasis(inputs.assessed, number(score), points_below=number(below)))
    share = None if score is None else payout_share(terms, score)
    amount = ZERO if share is None else round_half_up(base * (1 - share), CENT)
    return Line("assessment", amount, AssessmentBasis(inputs.assessed, number(score), payout_share=rate_of(share),
                                                      mode="bands"))


def unenforced_line(terms: ContractTerms, inputs: MonthInputs) -> Line:
    """B3 unenforced: unenforced_fine × unenforced person-months of the month (A9)."""
    staff = sorted(inputs.unenforced_staff)
    amount = round_half_up(terms.billing.unenforced_fine * len(staff), CENT)
    return Line("unenforced", amount, UnenforcedBasis(len(staff), money(terms.billing.unenforced_fine), tuple(staff)))


def cap_line(base: Decimal, terms: ContractTerms, lines: list[Line]) -> Line | None:
    """B3 cap: when Σ of the four rounded lines exceeds the rounded cap, a negative line bringing the month to the cap."""
    cap = round_half_up(base * terms.billing.deduction_cap, CENT)
    uncapped = sum((line.amount for line in lines), ZERO)
    if uncapped <= cap:
        return None
    return Line(CAP, -(uncapped - cap), CapBasis(money(cap), money(uncapped)))


def adjustment_lines(adjustments: list[Adjustment]) -> list[Line]:
    """G1: an objection accepted with an adjustment gives money back on its month, after the B3 lines."""
    return [
        Line(ADJUSTMENT, -round_half_up(adj.amount, CENT), AdjustmentBasis(adj.objection_id, adj.line, adj.reason))
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
    return {"kind": line.kind, "amount": money(line.amount), "basis": basis_document(line.basis)}


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


def settlement_from_document(document: dict[str, Any]) -> Settlement:
    """A B5 document (a frozen snapshot) read back as the settlement it describes."""
    months = tuple(MonthSettlement(
        m["month"], Decimal(m["base"]), m["assessed"], None if m["score"] is None else Decimal(str(m["score"])),
        tuple(Line(line["kind"], Decimal(line["amount"]), basis_from_document(line["kind"], line["basis"]))
              for line in m["lines"]))
        for m in document["months"])
    return Settlement(document["contract"], Period(tuple(m.month for m in months)), months,
                      tuple(document.get("warnings") or ()))


@dataclass(frozen=True)
class Difference:
    """G1 verify: one figure of the snapshot that the data now stored no longer gives; `path` names it as the
    B5 document does (e.g. `months[2024-03].lines[attendance].basis.chargeable_minutes`)."""

    path: str
    snapshot: Any
    now: Any
    month: str | None = None
    line: str | None = None
    figure: str = ""

    def document(self) -> dict[str, Any]:
        return {"path": self.path, "snapshot": self.snapshot, "now": self.now}


def differences(snapshot: Settlement, current: Settlement) -> list[Difference]:
    """G1 verify: every figure of the frozen snapshot that the data now stored no longer gives."""
    out: list[Difference] = []

    def walk(path: str, old: Any, new: Any, month: str | None, line: str | None, figure: str) -> None:
        if isinstance(old, dict) and isinstance(new, dict):
            for key in sorted(set(old) | set(new), key=str):
                walk(f"{path}.{key}" if path else str(key), old.get(key), new.get(key), month, line,
                     f"{figure}.{key}" if figure else str(key))
        elif isinstance(old, list) and isinstance(new, list) and _keyed(old) and _keyed(new):
            old_by, new_by = _index(old), _index(new)
            for key in list(dict.fromkeys([*old_by, *new_by])):
                is_month = path == "months"
                walk(f"{path}[{key}]", old_by.get(key), new_by.get(key), key if is_month else month,
                     line if is_month else key, "")
        elif old != new:
            out.append(Difference(path, old, new, month, line, figure))

    ignore = {"status", "warnings"}
    before = {k: v for k, v in settlement_document(snapshot, "").items() if k not in ignore}
    after = {k: v for k, v in settlement_document(current, "").items() if k not in ignore}
    walk("", before, after, None, None, "")
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
