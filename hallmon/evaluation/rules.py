"""The annual self-evaluation (绩效自评表), pure: indicators scored from the year's facts.

An indicator earns its full weight when its target is met and a proportional share otherwise;
the total is graded as rule S6 grades scores (优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hallmon.core.jsonout import round_half_up

HUNDRED = Decimal(100)
TWO = Decimal("0.01")


@dataclass(frozen=True)
class YearFacts:
    """What the records say about one contract year (gathered by the services)."""

    year: int
    months: int                          # contract months in the year
    headcount: int
    staffed_person_days: int             # A1
    working_days: int                    # W1, over the contract months of the year
    assessed_months: int                 # S4
    passing_months: int                  # assessed months scoring ≥ pass_score
    notices_on_time: int                 # S5 on_time, as of the evaluation date
    demands_due: int                     # A8 demands raised in the year, not waived
    demands_enforced: int                # of those, not unenforced (A9)
    complaints_resolved: int             # C3 over the year
    complaints_on_time: int
    petitions_received: int
    petitions_resolved: int
    complaints_received: int
    complaints_received_prev: int
    fee: Decimal                         # Σ month bases of the year (B2)
    paid: Decimal                        # paid for the year's periods by the evaluation date
    satisfaction: Decimal | None = None  # a survey result in percent, when the centre gives one


@dataclass(frozen=True)
class Indicator:
    code: str
    level1: str      # 产出 / 效益 / 满意度
    level2: str      # 数量 / 质量 / 时效 / 成本 / 社会效益 / 服务对象满意度
    name: str
    target: str
    actual: str
    weight: Decimal
    score: Decimal
    met: bool
    basis: str       # the records behind the actual value


def _score(weight: Decimal, achieved: Fraction | None, met: bool) -> Decimal:
    """Full weight when met, proportional otherwise (0 … weight); an indicator with nothing to measure is met."""
    if met or achieved is None:
        return weight
    share = min(max(achieved, Fraction(0)), Fraction(1))
    return round_half_up(Fraction(weight) * share, TWO)


def _pct(value: Fraction | None) -> str:
    if value is None:
        return "—"
    return f"{round_half_up(value * 100, TWO)}%"


def _ratio(numerator: int | Decimal, denominator: int | Decimal) -> Fraction | None:
    return Fraction(numerator) / Fraction(denominator) if denominator else None


def indicators(f: YearFacts, pass_score: Decimal) -> list[Indicator]:
    """The default indicators, after the seeds' tables: output (quantity, quality, timeliness, cost), benefit, satisfaction."""
    out: list[Indicator] = []

    def add(code, level1, level2, name, target, actual, weight, achieved, met, basis):
        weight = Decimal(weight)
        out.append(Indicator(code, level1, level2, name, target, actual, weight, _score(weight, achieved, met), met, basis))

    average = _ratio(f.staffed_person_days, f.working_days)
    add("staff_supplied", "产出", "数量", "购买劳务人员数量（日均在岗）", f"{f.headcount} 人",
        f"{round_half_up(average, Decimal('0.1'))} 人" if average is not None else "—", 10,
        None if average is None else average / f.headcount, average is not None and average >= f.headcount,
        f"在岗人日 {f.staffed_person_days} ÷ 工作日 {f.working_days}（A1，{f.months} 个合同月）")
    add("months_assessed", "产出", "数量", "按月开展服务考核", f"{f.months} 个月", f"{f.assessed_months} 个月", 5,
        _ratio(f.assessed_months, f.months), f.assessed_months >= f.months,
        "有考核记录或考核通报的月份（S4）")
    add("months_passed", "产出", "质量", f"月度考核达到 {pass_score} 分", f"{f.assessed_months} 个月",
        f"{f.passing_months} 个月", 10, _ratio(f.passing_months, f.assessed_months),
        f.passing_months >= f.assessed_months, "已考核月份中得分不低于合格线的月数（S2）")
    add("demands_enforced", "产出", "质量", "迟到早退等更换人员要求执行到位", "100%",
        _pct(_ratio(f.demands_enforced, f.demands_due)), 5, _ratio(f.demands_enforced, f.demands_due),
        f.demands_enforced >= f.demands_due,
        f"本年提出且未豁免的更换要求 {f.demands_due} 条，按期执行 {f.demands_enforced} 条（A8、A9）")
    add("notices_on_time", "产出", "时效", "考核结果按时通报", "100%", _pct(_ratio(f.notices_on_time, f.assessed_months)), 8,
        _ratio(f.notices_on_time, f.assessed_months), f.notices_on_time >= f.assessed_months,
        f"已考核 {f.assessed_months} 个月中按时通报 {f.notices_on_time} 个月（S5）")
    on_time = _ratio(f.complaints_on_time, f.complaints_resolved)
    add("complaints_on_time", "产出", "时效", "投诉按时办结率", "≥ 90%", _pct(on_time), 7,
        None if on_time is None else on_time / Fraction(9, 10), on_time is None or on_time >= Fraction(9, 10),
        f"本年收件中已办结 {f.complaints_resolved} 件，按时 {f.complaints_on_time} 件（C1–C3）")
    paid = _ratio(f.paid, f.fee)
    add("payments_on_plan", "产出", "成本", "服务费按计划支付", "100%", _pct(paid), 15, paid,
        paid is not None and paid >= 1, f"已支付 {f.paid} 元 ÷ 本年服务费 {f.fee} 元（B2，扣减后按实支付）")
    resolution = _ratio(f.petitions_resolved, f.petitions_received)
    add("petitions_resolved", "效益", "社会效益", "信访办结率", "≥ 90%", _pct(resolution), 10,
        None if resolution is None else resolution / Fraction(9, 10), resolution is None or resolution >= Fraction(9, 10),
        f"本年信访 {f.petitions_received} 件，年底前办结 {f.petitions_resolved} 件（C3）")
    fewer = f.complaints_received <= f.complaints_received_prev
    add("complaints_fewer", "效益", "社会效益", "投诉情况", "较上年减少", f"{f.complaints_received} 件（上年 {f.complaints_received_prev} 件）",
        10, _ratio(f.complaints_received_prev, f.complaints_received), fewer, "本年与上年同期收件数（C3）")
    if f.satisfaction is not None:
        achieved = Fraction(f.satisfaction) / 90
        add("satisfaction", "满意度", "服务对象满意度", "服务对象满意度", "≥ 90%", f"{f.satisfaction}%", 20, achieved,
            f.satisfaction >= 90, "业务科室录入的满意度调查结果")
    return out


def total(items: list[Indicator]) -> Decimal:
    """Σ scores, rescaled to 100 when an indicator (satisfaction without a survey) is left out."""
    weights = sum((i.weight for i in items), Decimal(0))
    scores = sum((i.score for i in items), Decimal(0))
    if not weights:
        return Decimal(0)
    return (scores * HUNDRED / weights).quantize(TWO, rounding=ROUND_HALF_UP)


def grade(score: Decimal) -> str:
    """S6 applied to the total: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差."""
    if score >= 90:
        return "优"
    if score >= 80:
        return "良"
    if score >= 60:
        return "中"
    return "差"
