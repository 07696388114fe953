"""The assessment catalogue: the items a centre scores, read from and written to an editable TOML file; pure."""
from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from hallmon.assessment.rules import COMPLAINT_CODE
from hallmon.core import jsonout

DEFAULT_FILE = Path(__file__).with_name("catalogue.toml")

DEDUCTION, BONUS = "deduction", "bonus"
KIND_VALUES = {"deduction": DEDUCTION, "扣分": DEDUCTION, "bonus": BONUS, "加分": BONUS}

CODE_LIMIT, NAME_LIMIT = 50, 200
POINTS_LIMIT = Decimal(10) ** 8  # the database keeps 8 integer digits and 4 decimals
ITEM_KEYS = ("code", "name", "kind", "points", "description")


class CatalogueError(ValueError):
    """A catalogue file that is refused; every message names its key."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("；".join(messages))


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    name: str
    kind: str
    points: Decimal
    description: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "kind": self.kind, "points": jsonout.number(self.points),
                "description": self.description}


def points_text(value: Decimal) -> str:
    """A Decimal written plainly (no exponent, no trailing zeros): `-1`, `-0.5`, `10`."""
    if value == 0:
        return "0"
    text = format(value.normalize(), "f")
    return text


def has_at_most_four_places(value: Decimal) -> bool:
    """Exactly, from the digits: no context rounding, so `1e999999999` cannot overflow and `1e-999999999`
    is not rounded to 0."""
    _sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):  # NaN, infinity
        return False
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return value == 0 or exponent + trailing_zeros >= -4


def _points(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("应为数字，而不是布尔值")
    if isinstance(value, (int, float)):
        d = Decimal(str(value))
    elif isinstance(value, str):
        try:
            d = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"不是数字：{value!r}") from None
    else:
        raise ValueError("应为数字")
    if not d.is_finite():
        raise ValueError(f"应为有限的数字：{value}")
    if not has_at_most_four_places(d):
        raise ValueError(f"最多 4 位小数：{value}")
    if d.copy_abs() >= POINTS_LIMIT:  # copy_abs: no context, no overflow
        raise ValueError(f"超出范围：{value}")
    return d


def _text(value: Any, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("应为非空字符串")
    value = value.strip()
    if len(value) > limit:
        raise ValueError(f"过长（超过 {limit} 个字符）")
    return value


def parse_catalogue(text: str) -> list[CatalogueEntry]:
    """A catalogue file → its items in file order; CatalogueError naming every bad key.

    Each `[[item]]` has code, name, kind (deduction 扣分 / bonus 加分), points (the default points: negative for a
    deduction, positive for a bonus) and an optional description. Codes are unique; `COMPLAINT` is reserved for S3.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError([f"不是有效的 TOML：{exc}"]) from None
    errors: list[str] = []
    for key in data:
        if key != "item":
            errors.append(f"{key}: 未知的键（目录只含 [[item]] 项目）")
    raw_items = data.get("item")
    if raw_items is None:
        raise CatalogueError(errors + ["item: 缺少考核项目（至少一个 [[item]]）"])
    if not isinstance(raw_items, list) or not all(isinstance(i, dict) for i in raw_items):
        raise CatalogueError(errors + ["item: 应写成 [[item]] 表数组"])
    if not raw_items:
        raise CatalogueError(errors + ["item: 缺少考核项目（至少一个 [[item]]）"])
    entries: list[CatalogueEntry] = []
    first_line: dict[str, int] = {}
    for number, raw in enumerate(raw_items, start=1):
        label = f"item[{number}]"
        if isinstance(raw.get("code"), str) and raw["code"].strip():
            label += f"（{raw['code'].strip()}）"
        found: dict[str, Any] = {}
        for key in raw:
            if key not in ITEM_KEYS:
                errors.append(f"{label}.{key}: 未知的键（可用：{'、'.join(ITEM_KEYS)}）")
        for key in ("code", "name", "kind", "points"):
            if key not in raw:
                errors.append(f"{label}.{key}: 缺少必填项")
        try:
            if "code" in raw:
                code = _text(raw["code"], CODE_LIMIT)
                if any(ch.isspace() for ch in code):
                    raise ValueError(f"不能含空白：{code!r}")
                if code.casefold() == COMPLAINT_CODE.casefold():
                    raise ValueError(f"{COMPLAINT_CODE} 保留给属实的人员类投诉（S3 自动计入），不能用作目录项目")
                if code in first_line:
                    raise ValueError(f"项目代码 {code} 重复：与 item[{first_line[code]}] 相同")
                first_line[code] = number
                found["code"] = code
        except ValueError as exc:
            errors.append(f"{label}.code: {exc}")
        try:
            if "name" in raw:
                found["name"] = _text(raw["name"], NAME_LIMIT)
        except ValueError as exc:
            errors.append(f"{label}.name: {exc}")
        if "kind" in raw:
            kind = KIND_VALUES.get(raw["kind"].strip().casefold()) if isinstance(raw["kind"], str) else None
            if kind is None:
                errors.append(f"{label}.kind: 应为 \"deduction\"（扣分）或 \"bonus\"（加分），而不是 {raw['kind']!r}")
            else:
                found["kind"] = kind
        try:
            if "points" in raw:
                found["points"] = _points(raw["points"])
        except ValueError as exc:
            errors.append(f"{label}.points: {exc}")
        if "kind" in found and "points" in found:
            if found["kind"] == DEDUCTION and found["points"] >= 0:
                errors.append(f"{label}.points: 扣分项目的分值应为负数，而不是 {raw['points']}")
            if found["kind"] == BONUS and found["points"] <= 0:
                errors.append(f"{label}.points: 加分项目的分值应为正数，而不是 {raw['points']}")
        description = raw.get("description")
        if description is not None and not isinstance(description, str):
            errors.append(f"{label}.description: 应为字符串")
            description = None
        if len(found) == 4:
            entries.append(CatalogueEntry(found["code"], found["name"], found["kind"], found["points"],
                                          (description or "").strip() or None))
    if errors:
        raise CatalogueError(errors)
    return entries


def default_text() -> str:
    """The catalogue shipped with hallmon (an editable starting point)."""
    return DEFAULT_FILE.read_text(encoding="utf-8")


def default_catalogue() -> list[CatalogueEntry]:
    return parse_catalogue(default_text())


def _string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


HEADER = """\
# 考核项目目录（hallmon catalogue load 本文件 载入数据库；hallmon catalogue export 导出编辑）
#
# 每个 [[item]] 是一个考核项目：
#   code        项目代码：考核明细文件的“项目代码”列必须是目录中的代码（载入目录后才检查）
#   name        项目名称：明细中“考核项目”留空时取此名称
#   kind        "deduction"（扣分）或 "bonus"（加分）
#   points      默认分值：扣分为负数，加分为正数（明细文件中每行仍按自己的“分值”计分）
#   description 说明（可选）
# 代码 COMPLAINT 保留给属实的人员类投诉（规则 S3 自动计入），不能出现在目录或明细中。
"""


def render_catalogue(entries: list[CatalogueEntry]) -> str:
    """Items → the TOML text `parse_catalogue` reads back to the same items."""
    parts = [HEADER]
    for e in entries:
        lines = ["", "[[item]]", f"code = {_string(e.code)}", f"name = {_string(e.name)}",
                 f"kind = {_string(e.kind)}", f"points = {points_text(e.points)}"]
        if e.description:
            lines.append(f"description = {_string(e.description)}")
        parts.append("\n".join(lines) + "\n")
    return "".join(parts)
