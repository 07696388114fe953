"""JSON number conventions of rules §12: rates to four decimals, money as two-decimal strings."""
from __future__ import annotations

import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Any

FOUR = Decimal("0.0001")
CENT = Decimal("0.01")


def to_decimal(value: Decimal | Fraction | int | float | str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Fraction):
        with localcontext() as ctx:
            ctx.prec = 60
            return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(str(value))


def round_half_up(value, places: Decimal) -> Decimal:
    """Round half up (away from zero at .5) to the exponent of `places`, from an exact value."""
    if isinstance(value, Fraction):
        with localcontext() as ctx:
            ctx.prec = 60
            value = Decimal(value.numerator) / Decimal(value.denominator)
    return to_decimal(value).quantize(places, rounding=ROUND_HALF_UP)


def rate(numerator, denominator) -> float | None:
    """A rate rounded half up to four decimals; null when the denominator is 0."""
    if not denominator:
        return None
    return float(round_half_up(Fraction(numerator) / Fraction(denominator), FOUR))


def rate_of(value) -> float | None:
    if value is None:
        return None
    return float(round_half_up(value if isinstance(value, Fraction) else to_decimal(value), FOUR))


def money(value: Decimal) -> str:
    return str(to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def number(value) -> int | float | None:
    """A score or points as a JSON number: whole values as integers."""
    if value is None:
        return None
    d = to_decimal(value)
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _default(obj: Any):
    if isinstance(obj, Decimal):
        return money(obj)
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def dumps(document: Any, **kwargs: Any) -> str:
    return json.dumps(document, ensure_ascii=False, default=_default, **kwargs)
