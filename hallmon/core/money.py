"""Money typed in by a person: yuan with at most two decimals, as Decimal."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from hallmon.core.errors import Refused


def parse_money(value: Any, what: str) -> Decimal:
    """An amount a person entered (thousands separators allowed); refused input naming `what` otherwise."""
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise Refused(f"{what}不是金额：{value!r}") from None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:
        raise Refused(f"{what}最多两位小数：{value!r}")
    return amount
