"""rules §12 number conventions."""
from decimal import Decimal
from fractions import Fraction

from hallmon.core.jsonout import money, number, rate, round_half_up


def test_rates_round_half_up_to_four_decimals_and_are_null_on_zero():
    assert rate(1, 3) == 0.3333
    assert rate(2, 3) == 0.6667
    assert rate(1, 40000) == 0.0  # 0.000025 → 0.0000
    assert rate(5, 100000) == 0.0001  # exactly half rounds up
    assert rate(3, 0) is None


def test_exact_halves_round_away_from_zero():
    assert round_half_up(Fraction(1, 8), Decimal("0.01")) == Decimal("0.13")
    assert round_half_up(Decimal("2.675"), Decimal("0.01")) == Decimal("2.68")
    assert round_half_up(Decimal("-2.675"), Decimal("0.01")) == Decimal("-2.68")


def test_money_is_a_two_decimal_string_and_scores_are_numbers():
    assert money(Decimal("1122916.666")) == "1122916.67"
    assert number(Decimal("92.50")) == 92.5 and number(Decimal("100.0")) == 100
    assert isinstance(number(Decimal("100.0")), int)
