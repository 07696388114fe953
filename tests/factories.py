"""Builders for the files tests feed to hallmon: contract terms as TOML text, text written in an encoding."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# The base contract: T-1, a year of 2024, two sessions a day; every other term at its default.
BASE_TERMS: Mapping[str, Any] = {
    "code": "T-1",
    "name": "测试合同",
    "contractor": "测试人力资源有限公司",
    "start": dt.date(2024, 1, 1),
    "end": dt.date(2024, 12, 31),
    "total_fee": "1200000.00",
    "headcount": 10,
    "schedule": {"sessions": [["08:30", "12:00"], ["14:30", "17:30"]]},
}


def merged(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """`base` with `overrides` laid over it: a dict given for a table of `base` replaces or adds keys of that table
    (recursively); None removes a key; any other value replaces the key's value."""
    out = dict(base)
    for key, value in overrides.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def terms_toml(**overrides: Any) -> str:
    """The base contract's TOML with `overrides` laid over it (see `merged`), e.g.
    `terms_toml(code="B-1", schedule={"grace_minutes": 10}, billing={"unenforced_fine": "500.00"})`.
    Money and shares are given as strings, as the contract writes them; dates as `datetime.date`."""
    return toml_text(merged(BASE_TERMS, overrides))


def toml_text(document: Mapping[str, Any]) -> str:
    """A document as TOML: top-level values first, then one `[table]` per dict value (dicts inside a table are
    written as inline tables)."""
    lines = [f"{_key(k)} = {_value(v)}" for k, v in document.items() if not isinstance(v, Mapping)]
    for name, table in document.items():
        if isinstance(table, Mapping):
            lines += ["", f"[{_key(name)}]", *(f"{_key(k)} = {_value(v)}" for k, v in table.items())]
    return "\n".join(lines) + "\n"


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _key(name: str) -> str:
    return name if _BARE_KEY.fullmatch(name) else _string(name)


def _string(text: str) -> str:
    def char(c: str) -> str:
        if c in _ESCAPES:
            return _ESCAPES[c]
        return f"\\u{ord(c):04X}" if ord(c) < 0x20 or ord(c) == 0x7F else c

    return '"' + "".join(char(c) for c in text) + '"'


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (dt.date, dt.time)):          # dates, local date-times and times are TOML values as such
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML form for {type(value).__name__}: {value!r}")


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path
