"""B1–B5: month bases, the four lines and the cap, Decimal rounding that always adds up."""
import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from hallmon.billing.settlement import (
    Adjustment,
    MonthInputs,
    basis_document,
    differences,
    month_bases,
    period_for,
    periods,
    settle_month,
    settle_period,
    settlement_document,
)
from hallmon.contract import load_terms_text
from tests.factories import merged, terms_toml

# the base contract (tests/factories.py) with these terms
TERMS = {"code": "B-1", "name": "结算测试", "contractor": "某公司", "total_fee": "1000000.00", "billing_months": 3,
         "billing": {"unenforced_fine": "5000.00"}}


def terms(**overrides):
    return load_terms_text(terms_toml(**merged(TERMS, overrides)))


def inputs(month="2024-03", working_days=21, staffed=200, chargeable=1234, scheduled=84000,
           assessed=True, score="85.5", unenforced=("S1", "S2")):
    return MonthInputs(month, working_days, staffed, chargeable, scheduled, assessed,
                       Decimal(score) if score is not None else None, tuple(unenforced))


def amounts(month):
    return {line.kind: str(line.amount) for line in month.lines}


def test_month_bases_round_half_up_and_the_last_month_takes_the_remainder():
    bases = month_bases(terms())
    assert bases["2024-01"] == Decimal("83333.33")      # 1 000 000 / 12 = 83 333.333…
    assert bases["2024-12"] == Decimal("83333.37")      # 1 000 000 − 11 × 83 333.33
    assert sum(bases.values()) == Decimal("1000000.00")


def test_quarterly_periods_are_named_by_their_first_month():
    t = terms()
    assert [p.name for p in periods(t)] == ["2024-01", "2024-04", "2024-07", "2024-10"]
    assert period_for(t, "2024-05").months == ("2024-04", "2024-05", "2024-06")


def test_a_month_computed_by_hand():
    m = settle_month("2024-03", Decimal("83333.33"), terms(), inputs())
    assert amounts(m) == {
        "staffing": "3968.25",     # 83 333.33 × (1 − 200 / (10 × 21)) = 3 968.2538…
        "attendance": "1224.21",   # 83 333.33 × 1 234 / 84 000 = 1 224.2063…
        "assessment": "3750.00",   # 83 333.33 × 0.01 × (90 − 85.5) = 3 749.99985
        "unenforced": "10000.00",  # 5 000 × 2 person-months
    }
    assert m.deduction == Decimal("18942.46") and not m.capped
    basis = {line.kind: basis_document(line.basis) for line in m.lines}
    assert basis["staffing"] == {"staffed_person_days": 200, "headcount": 10, "working_days": 21, "shortfall_share": 0.0476}
    assert basis["attendance"] == {"chargeable_minutes": 1234, "scheduled_minutes": 84000, "share": 0.0147}
    assert basis["assessment"] == {"assessed": True, "score": 85.5, "points_below": 4.5}
    assert basis["unenforced"] == {"person_months": 2, "fine": "5000.00", "staff_ids": ["S1", "S2"]}


def test_the_cap_line_brings_the_month_down_to_the_cap():
    m = settle_month("2024-03", Decimal("83333.33"), terms(), inputs(unenforced=("S1", "S2", "S3", "S4")))
    # lines 3 968.25 + 1 224.21 + 3 750.00 + 20 000.00 = 28 942.46 > cap 0.30 × 83 333.33 = 25 000.00
    assert [line.kind for line in m.lines] == ["staffing", "attendance", "assessment", "unenforced", "cap"]
    assert amounts(m)["cap"] == "-3942.46"
    assert basis_document(m.lines[-1].basis) == {"cap": "25000.00", "uncapped": "28942.46"}
    assert m.deduction == Decimal("25000.00") and m.capped


def test_a_month_not_assessed_deducts_nothing_for_assessment():
    m = settle_month("2024-03", Decimal("83333.33"), terms(), inputs(assessed=False, score=None))
    line = next(line for line in m.lines if line.kind == "assessment")
    assert line.amount == 0 and basis_document(line.basis) == {"assessed": False, "score": None, "points_below": None}


def test_bands_mode_pays_the_share_of_the_highest_band_reached():
    t = terms(assessment={"mode": "bands"})
    line = next(x for x in settle_month("2024-03", Decimal("83333.33"), t, inputs(score="85.5")).lines
                if x.kind == "assessment")
    assert str(line.amount) == "4166.67"  # 83 333.33 × (1 − 0.95) = 4 166.6665
    assert basis_document(line.basis) == {"assessed": True, "score": 85.5, "payout_share": 0.95}
    exact = next(x for x in settle_month("2024-03", Decimal("83333.33"), t, inputs(score="80")).lines
                 if x.kind == "assessment")
    assert exact.basis.payout_share == 0.95   # a score equal to a band's min is in that band


def test_a_score_at_or_above_pass_deducts_nothing():
    line = next(x for x in settle_month("2024-03", Decimal("100"), terms(), inputs(score="92")).lines
                if x.kind == "assessment")
    assert line.amount == 0 and line.basis.points_below == 0


def test_over_staffing_never_pays_a_bonus_and_zero_denominators_make_zero_lines():
    m = settle_month("2024-03", Decimal("83333.33"), terms(), inputs(staffed=260, scheduled=0, chargeable=0))
    assert amounts(m)["staffing"] == "0.00" and amounts(m)["attendance"] == "0.00"
    assert m.lines[1].basis.share is None
    none = settle_month("2024-03", Decimal("83333.33"), terms(), inputs(working_days=0))
    assert amounts(none)["staffing"] == "0.00" and none.lines[0].basis.shortfall_share is None


def test_the_period_document_adds_up_exactly():
    t = terms()
    period = period_for(t, "2024-01")
    doc = settlement_document(settle_period(t, period, {
        m: inputs(month=m) for m in period.months}), "draft")
    assert doc["period"] == {"start": "2024-01-01", "end": "2024-03-31"}
    assert doc["base_fee"] == "249999.99"
    assert doc["deduction"] == "56827.38"  # 3 × 18 942.46
    assert doc["net_fee"] == "193172.61"
    assert [m["month"] for m in doc["months"]] == ["2024-01", "2024-02", "2024-03"]
    assert doc["months"][0]["score"] == 85.5 and doc["months"][0]["capped"] is False


def test_an_accepted_adjustment_gives_money_back_after_the_b3_lines():
    m = settle_month("2024-03", Decimal("83333.33"), terms(), inputs(),
                     [Adjustment(7, "2024-03", "attendance", Decimal("200.00"), "考勤机故障")])
    assert m.lines[-1].kind == "adjustment" and str(m.lines[-1].amount) == "-200.00"
    assert m.deduction == Decimal("18742.46")


def test_differences_name_every_changed_figure_by_month_and_line():
    t = terms()
    period = period_for(t, "2024-01")
    before = settle_period(t, period, {m: inputs(month=m) for m in period.months})
    changed = {m: inputs(month=m) for m in period.months}
    changed["2024-02"] = inputs(month="2024-02", chargeable=2000)
    after = settle_period(t, period, changed)
    paths = [d.path for d in differences(before, after)]
    assert "months[2024-02].lines[attendance].amount" in paths
    assert "months[2024-02].lines[attendance].basis.chargeable_minutes" in paths
    assert "net_fee" in paths and not any("2024-01" in p for p in paths)
    assert differences(before, before) == []


money = st.decimals(min_value=Decimal("1000.00"), max_value=Decimal("99999999.99"), places=2)


@settings(max_examples=200, deadline=None)
@given(total=money, months=st.integers(1, 36), billing=st.integers(1, 12), headcount=st.integers(1, 500),
       staffed=st.integers(0, 20000), working=st.integers(0, 23), chargeable=st.integers(0, 50000),
       scheduled=st.integers(0, 50000), score=st.one_of(st.none(), st.decimals("0", "105", places=2)),
       people=st.integers(0, 30), fine=st.decimals("0", "20000", places=2), cap=st.decimals("0", "1", places=2),
       mode=st.sampled_from(["per_point", "bands"]))
def test_lines_always_add_up_the_net_is_never_negative_and_the_cap_holds(
        total, months, billing, headcount, staffed, working, chargeable, scheduled, score, people, fine, cap, mode):
    end_year, end_month = divmod(months - 1, 12)
    import calendar as pycal
    last = pycal.monthrange(2024 + end_year, end_month + 1)[1]
    t = terms(total_fee=str(total), headcount=headcount, billing_months=billing,
              end=dt.date(2024 + end_year, end_month + 1, last), assessment={"mode": mode},
              billing={"deduction_cap": str(cap), "unenforced_fine": str(fine)})
    assert sum(month_bases(t).values()) == t.total_fee
    for period in periods(t):
        chargeable_ok = min(chargeable, scheduled)
        data = {m: inputs(month=m, working_days=working, staffed=staffed, chargeable=chargeable_ok,
                          scheduled=scheduled, assessed=score is not None, score=score,
                          unenforced=tuple(f"S{i}" for i in range(people))) for m in period.months}
        s = settle_period(t, period, data)
        for m in s.months:
            assert m.deduction == sum(line.amount for line in m.lines)
            assert all(line.amount == line.amount.quantize(Decimal("0.01")) for line in m.lines)
            assert m.deduction <= (m.base * cap).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
            assert m.deduction >= 0
        assert s.deduction == sum(m.deduction for m in s.months)
        assert s.net_fee == s.base_fee - s.deduction and s.net_fee >= 0
