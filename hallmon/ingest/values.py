"""Vectorised value parsing with row errors: dates, times, yes/no, numbers, enumerations (rules §2)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd

from hallmon.ingest.errors import RowError
from hallmon.ingest.table import LINE, Table

_DATE = r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T]00:00(?::00)?)?$"
_TIME = r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$"
_DATETIME = r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T]+|T)(\d{1,2}):(\d{2})(?::(\d{2}))?$"

YES = {"yes", "y", "true", "1", "是"}
NO = {"no", "n", "false", "0", "否"}


def _quote(series: pd.Series) -> pd.Series:
    return "“" + series.astype(str) + "”"


def _parts(series: pd.Series, pattern: str) -> pd.DataFrame:
    return series.str.extract(pattern).apply(pd.to_numeric, errors="coerce")


def _valid_clock(h, m, s) -> np.ndarray:
    return ((h >= 0) & (h < 24) & (m >= 0) & (m < 60) & (s >= 0) & (s < 60)).to_numpy(dtype=bool)


def parse_dates(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """YYYY-MM-DD or YYYY/MM/DD → datetime64 (midnight); second value marks non-empty unparsable cells."""
    parts = _parts(series, _DATE)
    values = pd.to_datetime(
        pd.DataFrame({"year": parts[0], "month": parts[1], "day": parts[2]}), errors="coerce"
    ) if len(series) else pd.Series([], dtype="datetime64[us]")
    values = values.where(parts[0] >= 1000)
    bad = (series != "").to_numpy() & values.isna().to_numpy()
    return values, bad


def parse_datetimes(series: pd.Series, bare_date_as: str | None = None) -> tuple[pd.Series, np.ndarray]:
    """`date time` → datetime64 with seconds; `bare_date_as` ('start' 00:00 or 'end' 24:00) admits a bare date."""
    if not len(series):
        return pd.Series([], dtype="datetime64[us]"), np.zeros(0, bool)
    parts = _parts(series, _DATETIME)
    parts[5] = parts[5].fillna(0).where(parts[4].notna())
    clock_ok = _valid_clock(parts[3], parts[4], parts[5])
    frame = pd.DataFrame({"year": parts[0], "month": parts[1], "day": parts[2],
                          "hour": parts[3], "minute": parts[4], "second": parts[5]})
    ok = clock_ok & (parts[0] >= 1000).to_numpy()
    frame.loc[~ok, :] = np.nan
    values = pd.to_datetime(frame, errors="coerce")
    if bare_date_as is not None:
        dates, _ = parse_dates(series)
        if bare_date_as == "end":
            dates = dates + pd.Timedelta(days=1)
        values = values.where(values.notna(), dates)
    bad = (series != "").to_numpy() & values.isna().to_numpy()
    return values, bad


def parse_times(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """HH:MM or HH:MM:SS → timedelta since midnight."""
    parts = _parts(series, _TIME)
    parts[2] = parts[2].fillna(0).where(parts[1].notna())
    ok = _valid_clock(parts[0], parts[1], parts[2])
    seconds = (parts[0] * 3600 + parts[1] * 60 + parts[2]).where(ok)
    values = pd.to_timedelta(seconds, unit="s")
    bad = (series != "").to_numpy() & values.isna().to_numpy()
    return values, bad


def parse_yes_no(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """yes/no, y/n, true/false, 1/0, 是/否 in any case → True/False/None (empty)."""
    folded = series.str.strip().str.casefold()
    values = pd.Series(np.where(folded.isin(YES), True, np.where(folded.isin(NO), False, None)),
                       index=series.index, dtype=object)
    bad = (series != "").to_numpy() & values.isna().to_numpy()
    return values, bad


def parse_decimals(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    out: list[Decimal | None] = []
    bad = np.zeros(len(series), bool)
    for i, text in enumerate(series.tolist()):
        if text == "":
            out.append(None)
            continue
        try:
            value = Decimal(text.replace(",", ""))
            if not value.is_finite():
                raise InvalidOperation
            out.append(value)
        except InvalidOperation:
            out.append(None)
            bad[i] = True
    return pd.Series(out, index=series.index, dtype=object), bad


def parse_counts(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Non-negative whole numbers (`12`, `12.0`)."""
    numbers = pd.to_numeric(series.str.replace(",", "", regex=False), errors="coerce")
    ok = numbers.notna() & (numbers >= 0) & (numbers == numbers.round()) & (numbers < 2**53)
    values = numbers.where(ok)
    bad = (series != "").to_numpy() & ~ok.to_numpy()
    return values, bad


def parse_choice(series: pd.Series, choices: Mapping[str, str]) -> tuple[pd.Series, np.ndarray]:
    """Map accepted spellings (any case) onto canonical values."""
    folded = series.str.strip().str.casefold()
    mapping = {k.casefold(): v for k, v in choices.items()}
    values = folded.map(mapping)
    bad = (series != "").to_numpy() & values.isna().to_numpy()
    return values.astype(object).where(values.notna(), None), bad


@dataclass
class Checker:
    """Collects row errors for a table, vectorised: each check flags a mask with a message."""

    table: Table
    errors: list[RowError] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.errors = list(self.table.problems)
        self.bad = np.zeros(len(self.table.frame), dtype=bool)

    @property
    def frame(self) -> pd.DataFrame:
        return self.table.frame

    def col(self, name: str) -> pd.Series:
        return self.table.frame[name]

    def flag(self, mask, column: str, message: str | pd.Series | Iterable[str]) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        idx = np.flatnonzero(mask)
        lines = self.table.lines[idx]
        label = self.table.label(column)
        if isinstance(message, str):
            messages = [message] * len(idx)
        else:
            messages = list(np.asarray(list(message) if not isinstance(message, pd.Series) else message.to_numpy(), dtype=object)[idx])
        file = self.table.file
        self.errors.extend(RowError(file, int(line), label, str(msg)) for line, msg in zip(lines, messages, strict=True))
        self.bad |= mask

    def required(self, name: str) -> np.ndarray:
        empty = (self.col(name) == "").to_numpy()
        self.flag(empty, name, "必填，不能为空")
        return ~empty

    def dates(self, name: str, required: bool = True) -> pd.Series:
        if required:
            self.required(name)
        values, bad = parse_dates(self.col(name))
        self.flag(bad, name, "无法识别的日期 " + _quote(self.col(name)) + "（应为 YYYY-MM-DD）")
        return values

    def datetimes(self, name: str, required: bool = True, bare_date_as: str | None = None) -> pd.Series:
        if required:
            self.required(name)
        values, bad = parse_datetimes(self.col(name), bare_date_as)
        hint = "（应为 YYYY-MM-DD HH:MM[:SS]" + ("，或日期" if bare_date_as else "") + "）"
        self.flag(bad, name, "无法识别的日期时间 " + _quote(self.col(name)) + hint)
        return values

    def times(self, name: str, required: bool = True) -> pd.Series:
        if required:
            self.required(name)
        values, bad = parse_times(self.col(name))
        self.flag(bad, name, "无法识别的时刻 " + _quote(self.col(name)) + "（应为 HH:MM 或 HH:MM:SS）")
        return values

    def yes_no(self, name: str, required: bool = False, default: bool | None = None) -> pd.Series:
        if required:
            self.required(name)
        values, bad = parse_yes_no(self.col(name))
        self.flag(bad, name, "应为 是/否（yes/no、true/false、1/0）：" + _quote(self.col(name)))
        if default is not None:
            values = values.where(values.notna(), default)
        return values

    def decimals(self, name: str, required: bool = True) -> pd.Series:
        if required:
            self.required(name)
        values, bad = parse_decimals(self.col(name))
        self.flag(bad, name, "不是数字：" + _quote(self.col(name)))
        return values

    def counts(self, name: str, required: bool = True) -> pd.Series:
        if required:
            self.required(name)
        values, bad = parse_counts(self.col(name))
        self.flag(bad, name, "应为非负整数：" + _quote(self.col(name)))
        return values

    def choice(self, name: str, choices: Mapping[str, str], required: bool = True, hint: str = "") -> pd.Series:
        if required:
            self.required(name)
        values, bad = parse_choice(self.col(name), choices)
        self.flag(bad, name, "无法识别的取值 " + _quote(self.col(name)) + (f"（应为 {hint}）" if hint else ""))
        return values

    def max_length(self, name: str, limit: int) -> None:
        too_long = (self.col(name).str.len() > limit).to_numpy()
        self.flag(too_long, name, f"过长（超过 {limit} 个字符）")

    def on_roster(self, name: str, staff_ids: set[str] | frozenset[str], required: bool = True) -> None:
        """rules §2: a staff_id given in any source must be on the roster."""
        values = self.col(name)
        present = (values != "").to_numpy()
        if required:
            self.required(name)
        unknown = present & ~values.isin(staff_ids).to_numpy()
        if unknown.any():  # messages for the refused rows only: a device file has millions of good ones
            self.flag(unknown, name, ("工号不在花名册中：" + _quote(values[unknown])).reindex(values.index))

    def duplicates(self, keys: list[str], column: str, what: str) -> None:
        """Later rows repeating an earlier row's key are refused, naming the first line."""
        frame = self.frame
        dup = frame.duplicated(subset=keys, keep="first").to_numpy() & ~self.bad
        if not dup.any():
            return
        first_line = frame.groupby(keys, sort=False, dropna=False)[LINE].transform("first")
        self.flag(dup, column, f"{what}重复：与第 " + first_line.astype(str) + " 行相同")

    def good(self) -> pd.DataFrame:
        return self.frame.loc[~self.bad]


def as_dates(values: pd.Series) -> pd.Series:
    """datetime64 → object column of `datetime.date`, None where missing (what the database expects)."""
    out = values.dt.date.astype(object)
    return out.where(values.notna().to_numpy(), None)


def as_datetimes(values: pd.Series) -> pd.Series:
    """datetime64 → object column of `datetime.datetime`, None where missing."""
    out = pd.Series(values.dt.to_pydatetime(), index=values.index, dtype=object)
    return out.where(values.notna().to_numpy(), None)


def none_if_empty(values: pd.Series) -> pd.Series:
    return values.astype(object).where((values != "").to_numpy(), None)
