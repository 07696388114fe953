"""The punches, leave and make-up sources (rules §2), with the ZKTeco, DingTalk and WeCom device exports.

Pure: a file's bytes become a typed frame or row errors; nothing here touches the database.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from hallmon.ingest.context import RosterView
from hallmon.ingest.errors import IngestRefused, RowError
from hallmon.ingest.reading import PADDING_MESSAGE, Records, decode, physical_lines, read_records
from hallmon.ingest.source import Parsed, Source
from hallmon.ingest.table import LINE, Column, Table, build_table, normalise_label
from hallmon.ingest.values import (
    Checker,
    as_datetimes,
    none_if_empty,
    parse_dates,
    parse_datetimes,
    parse_times,
)

PUNCH_COLUMNS = (
    Column("staff_id", ("工号",)),
    Column("time", ("打卡时间",)),
    Column("device", ("设备",), required=False),
)
LEAVE_COLUMNS = (
    Column("staff_id", ("工号",)),
    Column("start", ("开始时间",)),
    Column("end", ("结束时间",)),
    Column("kind", ("类型",)),
    Column("approved", ("是否批准",)),
)
MAKEUP_COLUMNS = (
    Column("staff_id", ("工号",)),
    Column("time", ("补卡时间",)),
    Column("reason", ("原因",)),
    Column("approved", ("是否批准",)),
)

PUNCH_FORMATS = ("csv", "xlsx", "zkteco", "dingtalk", "wecom")
EARLIEST_PUNCH = pd.Timestamp("2000-01-01")
CHINA_OFFSET = pd.Timedelta(hours=8)

# Each device format's columns: canonical name → labels in order of preference (the first found is used).
_DINGTALK = {"staff_id": ("工号", "staff_id"), "time": ("打卡时间", "time"), "date": ("考勤日期",),
             "device": ("设备", "打卡设备", "device")}
_WECOM = {"staff_id": ("userid", "账号"), "time": ("checkin_time", "打卡时间"), "date": ("打卡日期", "日期"),
          "device": ("设备", "device")}
_OPTIONAL = {"date", "device"}
_STAFF_LABELS = {normalise_label(x) for x in ("staff_id", "工号", "userid", "账号")}
_TIME_LABELS = {normalise_label(x) for x in ("time", "打卡时间", "checkin_time")}
_HEADER_SEARCH_ROWS = 50

_ATTLOG_LINE = re.compile(r"^\s*([^\t\s]+)\s+(\d{4}[-/]\d{1,2}[-/]\d{1,2}[ T]+\S+)")
_PADDING = re.compile(r"^[\s\x00]+$")
_WEEKDAY = re.compile(r"\s*[（(]?\s*(?:星期|周|礼拜)[一二三四五六日天]\s*[)）]?\s*$")
_SHORT_YEAR = re.compile(r"^(\d{2}[-/]\d{1,2}[-/]\d{1,2})$")
_HOUR_24 = re.compile(r"^(\d{4}[-/]\d{1,2}[-/]\d{1,2})[ T]+24:00(?::00)?$")


# ---------------------------------------------------------------- reading device files


def looks_like_attlog(data: bytes, file: str) -> bool:
    """A ZKTeco attlog: no header, `PIN<TAB>YYYY-MM-DD HH:MM:SS…` (file name often *attlog*.dat)."""
    name = file.lower().rsplit("/", 1)[-1]
    if "attlog" in name or name.endswith(".dat"):
        return True
    if data[:4] == b"PK\x03\x04":
        return False
    try:
        text, _ = decode(data[:4096], file)
    except IngestRefused:
        return False
    for line in physical_lines(text):
        if not line or _PADDING.match(line):
            continue
        return "\t" in line and bool(_ATTLOG_LINE.match(line.replace("\x00", "")))
    return False


def read_attlog(data: bytes, file: str) -> Table:
    """ZKTeco attlog.dat: PIN (leading blanks stripped), date-time, extra columns ignored; padding lines are bad rows."""
    text, encoding = decode(data, file)
    lines = physical_lines(text)
    problems: list[RowError] = []
    numbers: list[int] = []
    pins: list[str] = []
    times: list[str] = []
    for number, line in enumerate(lines, start=1):
        if line == "":
            continue
        if _PADDING.match(line):
            problems.append(RowError(file, number, "-", PADDING_MESSAGE))
            continue
        clean = line.replace("\x00", "")
        cells = clean.split("\t")
        if len(cells) >= 2 and cells[0].strip() and cells[1].strip():
            pin, when = cells[0].strip(), cells[1].strip()
        else:
            match = _ATTLOG_LINE.match(clean)
            if not match:
                problems.append(RowError(file, number, "-", "不是考勤记录：应为 工号<TAB>YYYY-MM-DD HH:MM:SS"))
                continue
            pin, when = match.group(1), match.group(2)
        numbers.append(number)
        pins.append(pin)
        times.append(when)
    frame = pd.DataFrame({
        "staff_id": pd.Series(pins, dtype=object),
        "time": pd.Series(times, dtype=object),
        "device": pd.Series(["zkteco"] * len(pins), dtype=object),
        "date": pd.Series([""] * len(pins), dtype=object),
    })
    frame[LINE] = np.asarray(numbers, dtype=np.int64)
    records = Records(file, [], problems, raw_lines=lines, encoding=encoding)
    return Table(file, frame, {"staff_id": "工号", "time": "打卡时间"}, problems, [], records)


def _find_header(records: Records, candidates: set[str]) -> int:
    """The first row naming a staff column and a punch-time column (exports put title rows above it)."""
    for index, (_, cells) in enumerate(records.rows[:_HEADER_SEARCH_ROWS]):
        labels = {normalise_label(c) for c in cells}
        if labels & _STAFF_LABELS & candidates and labels & _TIME_LABELS:
            return index
    raise IngestRefused([RowError(records.file, 1, "-",
                                  "找不到表头行：需要一行同时含有 工号（或 userid、账号）与 打卡时间（或 checkin_time）")])


def _device_columns(header: list[str], spec: dict[str, tuple[str, ...]]) -> tuple[Column, ...]:
    present = {normalise_label(c) for c in header}
    columns = []
    for name, labels in spec.items():
        chosen = next((label for label in labels if normalise_label(label) in present), labels[0])
        columns.append(Column(name, (chosen,) if chosen != name else (), required=name not in _OPTIONAL))
    return tuple(columns)


def _unix_seconds(series: pd.Series) -> pd.Series:
    """WeCom checkin_time given as Unix seconds → China local time (UTC+8, naive) as text."""
    digits = series.str.fullmatch(r"\d{9,11}(?:\.0+)?").fillna(False).to_numpy(dtype=bool)
    if not digits.any():
        return series
    seconds = pd.to_numeric(series[digits].str.replace(r"\.0+$", "", regex=True))
    local = pd.to_datetime(seconds, unit="s") + CHINA_OFFSET
    out = series.copy()
    out[digits] = local.dt.strftime("%Y-%m-%d %H:%M:%S").to_numpy(dtype=object)
    return out


def read_punches(data: bytes, file: str, fmt: str = "auto") -> Table:
    """Punches in any of the five formats; `auto` recognises the attlog, a WeCom or DingTalk export, or the canonical file."""
    if fmt == "zkteco" or (fmt == "auto" and looks_like_attlog(data, file)):
        return read_attlog(data, file)
    records = read_records(data, file, fmt if fmt in ("csv", "xlsx") else "auto")
    if fmt in ("csv", "xlsx"):
        return _finish(build_table(records, PUNCH_COLUMNS), None)
    every = _STAFF_LABELS if fmt == "auto" else {normalise_label(x) for x in (_WECOM if fmt == "wecom" else _DINGTALK)["staff_id"]}
    index = _find_header(records, every)
    header = records.rows[index][1]
    labels = {normalise_label(c) for c in header}
    kind = fmt
    if fmt == "auto":
        own_id = labels & {normalise_label("staff_id"), normalise_label("工号")}
        if normalise_label("checkin_time") in labels or not own_id:
            kind = "wecom"
        elif index > 0 or normalise_label("考勤日期") in labels:
            kind = "dingtalk"
        else:
            kind = "csv"
    if kind == "csv":
        return _finish(build_table(records, PUNCH_COLUMNS, index), None)
    spec = _WECOM if kind == "wecom" else _DINGTALK
    table = build_table(records, _device_columns(header, spec), index)
    if kind == "wecom":
        table.frame["time"] = _unix_seconds(table.frame["time"])
    return _finish(table, kind)


def _finish(table: Table, device: str | None) -> Table:
    """Every punch table has a `date` column (empty unless the export splits date and time) and a device."""
    if "date" not in table.frame:
        table.frame["date"] = pd.Series([""] * len(table.frame), dtype=object, index=table.frame.index)
    if device is not None:
        empty = (table.frame["device"] == "").to_numpy()
        table.frame.loc[empty, "device"] = device
    return table


# ---------------------------------------------------------------- parsing


def _datetimes(check: Checker, name: str) -> pd.Series:
    """Checker.datetimes, with `YYYY-MM-DD HH:MM:SS` — what devices write — parsed in one vectorised pass.

    Anything else goes through the shared parser, with the shared message; device files are large.
    """
    text = check.col(name)
    check.required(name)
    values = pd.to_datetime(text, format="%Y-%m-%d %H:%M:%S", errors="coerce").astype("datetime64[ns]")
    # strptime admits a leap second and rolls `23:59:60` into the next day; leave anything but 00–59 to the
    # shared parser, which refuses it
    exact = text.str.fullmatch(r"\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{2}:[0-5]\d").fillna(False).to_numpy(dtype=bool)
    values = values.where(exact)
    rest = values.isna().to_numpy() & (text != "").to_numpy()
    if rest.any():
        slow, bad = parse_datetimes(text[rest])
        values = values.copy()
        values[rest] = slow.astype("datetime64[ns]").to_numpy()
        flagged = np.zeros(len(text), dtype=bool)
        flagged[np.flatnonzero(rest)[bad]] = True
        check.flag(flagged, name, ("无法识别的日期时间 “" + text[flagged].astype(str) + "”（应为 YYYY-MM-DD HH:MM[:SS]）")
                   .reindex(text.index))
    return values


def _punch_times(check: Checker) -> pd.Series:
    """打卡时间 as a date-time, or (DingTalk/WeCom) a time of day on the row's 考勤日期."""
    frame = check.frame
    if "date" not in check.table.labels:
        return _datetimes(check, "time")
    text = frame["time"]
    check.required("time")
    full, _ = parse_datetimes(text)
    clock, _ = parse_times(text)
    full = full.astype("datetime64[ns]")
    time_only = (full.isna() & clock.notna()).to_numpy()
    neither = (text != "").to_numpy() & full.isna().to_numpy() & clock.isna().to_numpy()
    check.flag(neither, "time", "无法识别的打卡时间 “" + text.astype(str) + "”（应为 HH:MM[:SS] 或 YYYY-MM-DD HH:MM[:SS]）")
    day_text = frame["date"].str.replace(_WEEKDAY, "", regex=True).str.strip()
    day_text = day_text.str.replace(_SHORT_YEAR, r"20\1", regex=True)  # DingTalk writes `24-03-05 星期二`
    days, bad_day = parse_dates(day_text)
    days = days.astype("datetime64[ns]")
    check.flag(time_only & (day_text == "").to_numpy(), "date", "打卡时间只有时刻，缺少日期")
    check.flag(time_only & bad_day, "date", "无法识别的日期 “" + frame["date"].astype(str) + "”（应为 YYYY-MM-DD）")
    combined = days + clock.astype("timedelta64[ns]")
    return full.where(full.notna(), combined)


def _objects(values) -> pd.Series:
    """An object column as is: pandas would otherwise infer a string dtype and turn None into NaN."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object)


def parse_punches(table: Table, roster: RosterView) -> Parsed:
    """Punches: staff on the roster, a date-time with seconds, not before 2000 (a device clock reset)."""
    check = Checker(table)
    check.on_roster("staff_id", roster.staff_ids)
    check.max_length("device", 100)
    times = _punch_times(check)
    early = (times < EARLIEST_PUNCH).to_numpy()
    if early.any():
        text = check.frame["time"]
        check.flag(early, "time", ("打卡日期早于 2000-01-01（设备时钟复位产生的记录）：“" + text[early].astype(str) + "”")
                   .reindex(text.index))
    good = check.good()
    out = pd.DataFrame({
        "staff_id": _objects(good["staff_id"]),
        # datetime64, whose values are pd.Timestamp (a datetime): millions of rows need no Python objects here
        "time": pd.Series(times.to_numpy(dtype="datetime64[ns]")[~check.bad], dtype="datetime64[ns]"),
        "device": _objects(none_if_empty(good["device"])),
        LINE: good[LINE].to_numpy(dtype=np.int64),
    })
    return Parsed(out, check.errors)


def _hour_24(series: pd.Series) -> pd.Series:
    """`YYYY-MM-DD 24:00` → the next day's 00:00, the end of a leave written the way people say it."""
    match = series.str.extract(_HOUR_24)[0]
    has = match.notna().to_numpy()
    if not has.any():
        return series
    days, bad = parse_dates(match[has].astype(str))
    fixed = (days + pd.Timedelta(days=1)).dt.strftime("%Y-%m-%d 00:00:00")
    out = series.copy()
    keep = ~bad
    out.loc[match.index[has][keep]] = fixed[keep].to_numpy(dtype=object)
    return out


def _instant_key(values: pd.Series) -> np.ndarray:
    """A parsed date-time as an integer key, so that `2024-03-01` and `2024-03-01 00:00` are one key."""
    return values.to_numpy(dtype="datetime64[ns]").view("int64")


def parse_leave(table: Table, roster: RosterView) -> Parsed:
    """Leave: a bare-date start is 00:00 and a bare-date end 24:00; end after start; approved required."""
    table.frame["end"] = _hour_24(table.frame["end"])
    check = Checker(table)
    check.on_roster("staff_id", roster.staff_ids)
    start = check.datetimes("start", bare_date_as="start").astype("datetime64[ns]")
    end = check.datetimes("end", bare_date_as="end").astype("datetime64[ns]")
    check.max_length("kind", 50)
    approved = check.yes_no("approved", required=True)
    check.flag((end <= start).to_numpy(), "end", "结束时间不晚于开始时间")
    table.frame["_key"] = _instant_key(start)
    check.duplicates(["staff_id", "_key"], "start", "同一工号、同一开始时间的请假")
    good = check.good()
    out = pd.DataFrame({
        "staff_id": _objects(good["staff_id"]),
        "start": _objects(as_datetimes(start[good.index])),
        "end": _objects(as_datetimes(end[good.index])),
        "kind": _objects(good["kind"]),
        "approved": approved[good.index].astype(bool).to_numpy(),
        LINE: good[LINE].to_numpy(dtype=np.int64),
    })
    return Parsed(out, check.errors)


def parse_makeup(table: Table, roster: RosterView) -> Parsed:
    """Make-ups: staff on the roster, a date-time, approved required; the reason may be empty."""
    check = Checker(table)
    check.on_roster("staff_id", roster.staff_ids)
    times = check.datetimes("time").astype("datetime64[ns]")
    approved = check.yes_no("approved", required=True)
    table.frame["_key"] = _instant_key(times)
    check.duplicates(["staff_id", "_key"], "time", "同一工号、同一补卡时间的补卡")
    good = check.good()
    out = pd.DataFrame({
        "staff_id": _objects(good["staff_id"]),
        "time": _objects(as_datetimes(times[good.index])),
        "reason": _objects(good["reason"]),
        "approved": approved[good.index].astype(bool).to_numpy(),
        LINE: good[LINE].to_numpy(dtype=np.int64),
    })
    return Parsed(out, check.errors)


SOURCES = {
    "punches": Source("punches", "打卡记录", PUNCH_COLUMNS, parse_punches, formats=PUNCH_FORMATS, read=read_punches),
    "leave": Source("leave", "请假记录", LEAVE_COLUMNS, parse_leave),
    "makeup": Source("makeup", "补卡记录", MAKEUP_COLUMNS, parse_makeup),
}
