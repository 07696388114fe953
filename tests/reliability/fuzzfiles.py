"""Source files for the ingest fuzzer: valid rows that know their typed values, laid out the ways real
exports are (aliases, column order, encodings, CRLF, XLSX, device formats), then damaged on purpose.

Each damage says what the ingest must answer: refused, naming these (line, column) pairs; or loaded;
or either (truncated bytes), as long as nothing is half-written and nothing raises.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

CONTRACT = "T-1"
ROSTER = ("A1", "A2", "A3", "A4", "A5", "A6")
FORMULAS = ('=HYPERLINK("http://evil.example/x","点我")', "=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "＝HYPERLINK(\"http://x\")")

# ---------------------------------------------------------------- values


@dataclass(frozen=True)
class Cell:
    """One value: what the database should hold, how a file writes it, and (XLSX) a typed cell."""

    value: Any
    text: str
    xlsx: Any = None


@dataclass(frozen=True)
class Col:
    name: str
    alias: str
    required: bool = True
    limit: int | None = None   # the source refuses longer values
    free: bool = False         # free text: may hold anything, also a formula or a very long value
    kind: str = "text"         # date, datetime, staff, text, …: how to spoil it
    needs_value: bool | None = None   # the value may not be empty (default: as `required`)

    @property
    def must_have_value(self) -> bool:
        return self.required if self.needs_value is None else self.needs_value


_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
_OTHER = st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters="\x00\r\n\x85")


_CHARS = st.one_of(_CJK, _OTHER)


@functools.cache
def text(min_size: int = 1, max_size: int = 12) -> st.SearchStrategy[Cell]:
    """Text as people type it: Chinese, Latin, digits, punctuation (commas and quotes too)."""
    raw = st.text(_CHARS, min_size=min_size, max_size=max_size)
    return raw.map(lambda s: s.strip()).filter(lambda s: len(s) >= min_size).map(lambda s: Cell(s, s))


def maybe(strategy: st.SearchStrategy[Cell], empty: Any = None) -> st.SearchStrategy[Cell]:
    return st.one_of(st.just(Cell(empty, "")), strategy)


@st.composite
def date_cell(draw, lo=dt.date(2024, 1, 1), hi=dt.date(2024, 12, 31)) -> Cell:
    d = draw(st.dates(lo, hi))
    spelled = draw(st.sampled_from([d.isoformat(), f"{d.year}/{d.month}/{d.day}", d.strftime("%Y/%m/%d")]))
    return Cell(d, spelled, draw(st.sampled_from([None, d])))


@st.composite
def datetime_cell(draw, lo=dt.datetime(2024, 1, 1), hi=dt.datetime(2024, 12, 31, 23, 59, 59)) -> Cell:
    t = draw(st.datetimes(lo, hi)).replace(microsecond=0)
    spellings = [t.strftime("%Y-%m-%d %H:%M:%S"), f"{t.year}/{t.month}/{t.day} {t:%H:%M:%S}", t.strftime("%Y-%m-%dT%H:%M:%S")]
    if t.second == 0:
        spellings.append(t.strftime("%Y-%m-%d %H:%M"))
    return Cell(t, draw(st.sampled_from(spellings)), draw(st.sampled_from([None, t])))


@functools.cache
def yes_no(required: bool = True) -> st.SearchStrategy[Cell]:
    yes = st.sampled_from(["yes", "Y", "TRUE", "1", "是"]).map(lambda s: Cell(True, s))
    no = st.sampled_from(["no", "n", "False", "0", "否"]).map(lambda s: Cell(False, s))
    both = st.one_of(yes, no)
    return both if required else st.one_of(st.just(Cell(False, "")), both)


def choice(spellings: dict[str, list[str]]) -> st.SearchStrategy[Cell]:
    return st.sampled_from([(v, s) for v, ss in spellings.items() for s in ss]).map(lambda p: Cell(p[0], p[1]))


@functools.cache
def staff(pool=ROSTER) -> st.SearchStrategy[Cell]:
    return st.sampled_from(pool).map(lambda s: Cell(s, s))


def fixed(value: str) -> st.SearchStrategy[Cell]:
    return st.just(Cell(value, value))


# ---------------------------------------------------------------- sources


@dataclass(frozen=True)
class Spec:
    """One source: its columns, how to draw a clean file's rows, its key, and whether a repeated key is refused."""

    kind: str
    cols: tuple[Col, ...]
    rows: Callable[[], st.SearchStrategy[list[dict[str, Cell]]]]
    key: Callable[[dict[str, Cell]], tuple]
    repeat_refused: bool = True

    def col(self, name: str) -> Col:
        return next(c for c in self.cols if c.name == name)


def unique_rows(row: st.SearchStrategy[dict[str, Cell]], key, max_size: int = 8):
    return st.lists(row, min_size=1, max_size=max_size, unique_by=key)


STAFF_COLS = (
    Col("staff_id", "工号", limit=64, kind="id"), Col("name", "姓名", limit=100, free=True),
    Col("contract", "合同编号", kind="contract"), Col("post", "岗位", required=False, limit=100, free=True),
    Col("department", "科室", limit=100, free=True), Col("window", "窗口", required=False, limit=100),
    Col("hired_on", "入职日期", kind="date"), Col("left_on", "离职日期", required=False, kind="date"),
)


@st.composite
def _staff_row(draw):
    hired = draw(date_cell(dt.date(2015, 1, 1), dt.date(2024, 12, 31)))
    left = draw(maybe(date_cell(hired.value, dt.date(2025, 12, 31))))
    return {
        "staff_id": draw(staff(tuple(f"S{n:02d}" for n in range(1, 41)) + ROSTER)),
        "name": draw(text(1, 10)), "contract": Cell(CONTRACT, CONTRACT),
        "post": draw(maybe(text(1, 8))),
        "department": draw(st.one_of(st.sampled_from(["受理科", "审核科", "发证科", "档案科"]).map(lambda s: Cell(s, s)),
                                     text(1, 10))),
        "window": draw(maybe(st.sampled_from([f"A{n:02d}" for n in range(1, 10)]).map(lambda s: Cell(s, s)))),
        "hired_on": hired, "left_on": left,
    }


PUNCH_COLS = (Col("staff_id", "工号", kind="staff"), Col("time", "打卡时间", kind="datetime"),
              Col("device", "设备", required=False, limit=100, free=True))


@st.composite
def _punch_row(draw):
    return {"staff_id": draw(staff()), "time": draw(datetime_cell()), "device": draw(maybe(text(1, 12)))}


LEAVE_COLS = (Col("staff_id", "工号", kind="staff"), Col("start", "开始时间", kind="datetime"),
              Col("end", "结束时间", kind="datetime"), Col("kind", "类型", limit=50, free=True, needs_value=False),
              Col("approved", "是否批准", kind="bool"))


@st.composite
def _leave_row(draw):
    bare = draw(st.booleans())
    if bare:
        start = draw(date_cell())
        start = Cell(dt.datetime.combine(start.value, dt.time()), start.text, start.xlsx)
    else:
        start = draw(datetime_cell())
    form = draw(st.sampled_from(["date", "datetime", "24:00"]))
    if form == "datetime":
        minutes = draw(st.integers(1, 60 * 24 * 20))
        end_at = start.value + dt.timedelta(minutes=minutes)
        end = Cell(end_at, end_at.strftime("%Y-%m-%d %H:%M:%S"), draw(st.sampled_from([None, end_at])))
    else:
        day = start.value.date() + dt.timedelta(days=draw(st.integers(0, 20)))
        end_at = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
        end = Cell(end_at, day.isoformat() if form == "date" else f"{day.isoformat()} 24:00",
                   day if form == "date" and draw(st.booleans()) else None)
    return {"staff_id": draw(staff()), "start": start, "end": end,
            "kind": draw(st.one_of(st.sampled_from(["事假", "病假", "年休假", ""]).map(lambda s: Cell(s, s)), text(1, 10))),
            "approved": draw(yes_no())}


MAKEUP_COLS = (Col("staff_id", "工号", kind="staff"), Col("time", "补卡时间", kind="datetime"),
               Col("reason", "原因", free=True, needs_value=False), Col("approved", "是否批准", kind="bool"))


@st.composite
def _makeup_row(draw):
    return {"staff_id": draw(staff()), "time": draw(datetime_cell()),
            "reason": draw(maybe(text(1, 20), empty="")), "approved": draw(yes_no())}


ASSESSMENT_COLS = (
    Col("contract", "合同编号", kind="contract"), Col("month", "月份", kind="month"),
    Col("item_code", "项目代码", limit=50),
    # the column may be left out when every code is in a stored catalogue; without one each row needs a name
    Col("item", "考核项目", required=False, limit=200, free=True, needs_value=True),
    Col("points", "分值", kind="points"), Col("staff_id", "工号", required=False, kind="staff"),
    Col("window", "窗口", required=False, limit=100, free=True), Col("date", "日期", required=False, kind="date"),
    Col("note", "说明", required=False, free=True),
)


@st.composite
def _assessment_row(draw):
    month = draw(st.integers(1, 12))
    first = dt.date(2024, month, 1)
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    points = Decimal(draw(st.integers(-2000, 1000))) / draw(st.sampled_from([1, 2, 4, 10, 100]))
    return {
        "contract": Cell(CONTRACT, CONTRACT),
        "month": Cell(f"2024-{month:02d}", draw(st.sampled_from([f"2024-{month:02d}", f"2024/{month}", f"2024-{month}"]))),
        "item_code": draw(st.sampled_from(["LATE", "DRESS", "ABS", "SVC-1", "b2"]).map(lambda s: Cell(s, s))),
        "item": draw(text(1, 15)),
        "points": Cell(points, draw(st.sampled_from([str(points), format(points, "f")]))),
        "staff_id": draw(maybe(staff())),
        "window": draw(maybe(text(1, 6))),
        "date": draw(maybe(date_cell(first, last))),
        "note": draw(maybe(text(1, 30))),
    }


NOTICE_COLS = (Col("contract", "合同编号", kind="contract"), Col("month", "月份", kind="month"),
               Col("notified_on", "通报日期", kind="date"))


@st.composite
def _notice_row(draw):
    month = draw(st.integers(1, 12))
    return {"contract": Cell(CONTRACT, CONTRACT),
            "month": Cell(f"2024-{month:02d}", draw(st.sampled_from([f"2024-{month:02d}", f"2024/{month}"]))),
            "notified_on": draw(date_cell(dt.date(2024, 1, 1), dt.date(2025, 3, 31)))}


COMPLAINT_COLS = (
    Col("complaint_id", "编号", limit=100, kind="id"), Col("contract", "合同编号", kind="contract"),
    Col("channel", "渠道", kind="choice"), Col("kind", "类型", required=False, kind="choice"),
    Col("category", "类别", kind="choice"), Col("received_on", "收件日期", kind="date"),
    Col("accepted_on", "受理日期", required=False, kind="date"), Col("extended", "是否延期", required=False, kind="bool"),
    Col("substantiated", "是否属实", required=False, kind="bool"), Col("staff_id", "工号", required=False, kind="staff"),
    Col("resolved_on", "办结日期", required=False, kind="date"), Col("summary", "摘要", required=False, free=True),
)
CHANNELS = {"petition": ["petition", "信访", "PETITION"], "hotline": ["hotline", "12345", "12345热线"],
            "review": ["review", "好差评"], "onsite": ["onsite", "on-site", "现场", "现场投诉"]}
KINDS = {"consult": ["consult", "咨询"], "help": ["help", "求助"], "complaint": ["complaint", "投诉", "Complaint"]}
CATEGORIES = {"personnel": ["personnel", "人员"], "business": ["business", "业务"], "other": ["other", "其他", "其它"]}


@st.composite
def _complaint_row(draw):
    channel = draw(choice(CHANNELS))
    if channel.value == "hotline":
        kind = draw(choice(KINDS))
    else:  # ignored on other channels, whatever it says
        kind = Cell(None, draw(st.sampled_from(["", "咨询", "随便什么"])))
    received = draw(date_cell(dt.date(2023, 6, 1), dt.date(2024, 12, 31)))
    later = date_cell(received.value, dt.date(2025, 3, 31))
    return {
        "complaint_id": draw(st.one_of(st.sampled_from([f"C{n:03d}" for n in range(60)]).map(lambda s: Cell(s, s)),
                                       text(1, 20))),
        "contract": Cell(CONTRACT, CONTRACT), "channel": channel, "kind": kind,
        "category": draw(choice(CATEGORIES)), "received_on": received,
        "accepted_on": draw(maybe(later)), "extended": draw(yes_no(required=False)),
        "substantiated": draw(yes_no(required=False)), "staff_id": draw(maybe(staff())),
        "resolved_on": draw(maybe(later)), "summary": draw(maybe(text(1, 40))),
    }


CASELOAD_COLS = (
    Col("contract", "合同编号", kind="contract"), Col("date", "日期", kind="date"),
    Col("department", "科室", limit=100, free=True), Col("window", "窗口", required=False, limit=100, free=True),
    Col("staff_id", "工号", required=False, kind="staff"), Col("business", "业务类型", limit=100, free=True),
    Col("count", "件数", kind="count"),
)


@st.composite
def _caseload_row(draw):
    n = draw(st.integers(0, 2_000_000))
    return {
        "contract": Cell(CONTRACT, CONTRACT), "date": draw(date_cell()),
        "department": draw(st.one_of(st.sampled_from(["受理科", "审核科"]).map(lambda s: Cell(s, s)), text(1, 8))),
        "window": draw(maybe(st.sampled_from(["A01", "A02", "B01"]).map(lambda s: Cell(s, s)))),
        "staff_id": draw(maybe(staff())),
        "business": draw(st.one_of(st.sampled_from(["转移登记", "抵押登记", "查询"]).map(lambda s: Cell(s, s)), text(1, 8))),
        "count": Cell(n, draw(st.sampled_from([str(n), f"{n}.0", f"{n:,}"]))),
    }


def _v(row, name):
    return row[name].value


SPECS = {
    "staff": Spec("staff", STAFF_COLS, lambda: unique_rows(_staff_row(), lambda r: _v(r, "staff_id")),
                  lambda r: (_v(r, "staff_id"),)),
    "punches": Spec("punches", PUNCH_COLS, lambda: st.lists(_punch_row(), min_size=1, max_size=10),
                    lambda r: (_v(r, "staff_id"), _v(r, "time")), repeat_refused=False),
    "leave": Spec("leave", LEAVE_COLS, lambda: unique_rows(_leave_row(), lambda r: (_v(r, "staff_id"), _v(r, "start"))),
                  lambda r: (_v(r, "staff_id"), _v(r, "start"))),
    "makeup": Spec("makeup", MAKEUP_COLS, lambda: unique_rows(_makeup_row(), lambda r: (_v(r, "staff_id"), _v(r, "time"))),
                   lambda r: (_v(r, "staff_id"), _v(r, "time"))),
    "assessment": Spec("assessment", ASSESSMENT_COLS, lambda: st.lists(_assessment_row(), min_size=1, max_size=8),
                       lambda r: tuple(_v(r, c.name) for c in ASSESSMENT_COLS), repeat_refused=False),
    "notices": Spec("notices", NOTICE_COLS, lambda: unique_rows(_notice_row(), lambda r: _v(r, "month"), 6),
                    lambda r: (_v(r, "month"),)),
    "complaints": Spec("complaints", COMPLAINT_COLS,
                       lambda: unique_rows(_complaint_row(), lambda r: _v(r, "complaint_id")),
                       lambda r: (_v(r, "complaint_id"),)),
    "caseload": Spec("caseload", CASELOAD_COLS,
                     lambda: unique_rows(_caseload_row(), lambda r: tuple(
                         _v(r, c) for c in ("date", "department", "window", "staff_id", "business"))),
                     lambda r: tuple(_v(r, c) for c in ("date", "department", "window", "staff_id", "business"))),
}

# ---------------------------------------------------------------- the file before it is written


@dataclass
class Record:
    """A line of the file: a data row (its index among the drawn rows) or raw text (padding, junk)."""

    cells: list[Any]
    index: int | None = None
    raw: str | None = None


@dataclass
class Sheet:
    spec: Spec
    rows: list[dict[str, Cell]]
    fmt: str                                  # csv, xlsx, zkteco, dingtalk, wecom
    header: list[str]                         # labels as written
    names: list[str | None]                   # canonical column at each position (None: ignored column)
    records: list[Record]
    title_rows: list[list[str]] = field(default_factory=list)
    encoding: str = "utf-8"
    newline: str = "\n"
    delimiter: str = ","
    typed_xlsx: bool = False
    display: str = "file.csv"
    ingest_fmt: str = "auto"

    def label(self, name: str) -> str:
        return self.header[self.names.index(name)].strip() if name in self.names else name

    def position(self, name: str) -> int:
        return self.names.index(name)


@dataclass
class Expect:
    """What the ingest must answer for the file as damaged."""

    refused: bool | None = False          # True: must refuse; None: either (random bytes)
    fatal: bool = False                   # refused even with --skip-bad-rows (header, encoding)
    errors: set[tuple[int, str]] = field(default_factory=set)   # (line, column label) that must be named
    bad_rows: set[int] = field(default_factory=set)             # drawn rows that are bad
    exact: bool = True                    # the stored values can be predicted
    notes: list[str] = field(default_factory=list)
    marks: list[tuple[Record, str, int | None, str | None]] = field(default_factory=list)

    def bad(self, record: Record, label: str, note: str, row: int | None = None, unless_bad: int | None = None,
            cell: str | None = None):
        """`record` must be refused naming `label`; `unless_bad`: only while that drawn row is good itself;
        `cell`: the column spoiled (a later spoiling of the same cell replaces this one)."""
        self.refused = True
        self.notes.append(note)
        if row is not None:
            self.bad_rows.add(row)
        if cell is not None:
            self.marks = [m for m in self.marks if not (m[0] is record and m[3] == cell)]
        self.marks.append((record, label, unless_bad, cell))

    def finish(self, sheet: Sheet, header_errors: list[str]) -> None:
        if header_errors:
            self.fatal = True
            self.errors = {(len(sheet.title_rows) + 1, label) for label in header_errors}
            return
        position = {id(r): p for p, r in enumerate(sheet.records)}
        # a record refused as a whole ("-": wrong number of fields, not a record at all) is not read further
        whole = {id(record) for record, label, _, _ in self.marks if label == "-"}
        self.errors = {(data_line(sheet, position[id(record)]), label) for record, label, unless, _ in self.marks
                       if (unless is None or unless not in self.bad_rows)
                       and (label == "-" or id(record) not in whole)}


@st.composite
def canonical_sheet(draw, spec: Spec, fmt: str) -> Sheet:
    """The source's own layout: English or Chinese headers, any order, optional columns left out, an extra column."""
    rows = draw(spec.rows())
    present = [c for c in spec.cols if c.required or any(r[c.name].text for r in rows) or draw(st.booleans())]
    order = draw(st.permutations(present))
    header = [draw(st.sampled_from([c.name, c.alias, c.name.upper(), f" {c.alias} "])) for c in order]
    if fmt == "xlsx":
        header = [h.strip() for h in header]
    names: list[str | None] = [c.name for c in order]
    if draw(st.booleans()):
        at = draw(st.integers(0, len(header)))
        header.insert(at, draw(st.sampled_from(["备注", "序号", "remark"])))
        names.insert(at, None)
    records = [Record([rows[i][n] if n else Cell(None, draw(st.sampled_from(["", "1", "x"]))) for n in names], i)
               for i in range(len(rows))]
    return Sheet(spec, rows, fmt, header, names, records,
                 encoding=draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"])),
                 newline=draw(st.sampled_from(["\n", "\r\n"])),
                 delimiter=draw(st.sampled_from([",", ",", "\t"])),
                 typed_xlsx=draw(st.booleans()),
                 display=f"fuzz-{spec.kind}.{'xlsx' if fmt == 'xlsx' else 'csv'}",
                 ingest_fmt=draw(st.sampled_from(["auto", fmt])))


def _seconds(t: dt.datetime) -> int:
    return int((t - dt.timedelta(hours=8)).replace(tzinfo=dt.UTC).timestamp())


@st.composite
def device_sheet(draw, fmt: str) -> Sheet:
    """Punches as a ZKTeco attlog, a DingTalk 原始记录 export or a WeCom export (CSV or XLSX)."""
    spec = SPECS["punches"]
    rows = draw(spec.rows())
    if fmt == "zkteco":
        names: list[str | None] = ["staff_id", "time", None, None]
        records = []
        for i, r in enumerate(rows):
            t = r["time"].value
            records.append(Record([Cell(r["staff_id"].value, f"{r['staff_id'].value:>9}"),
                                   Cell(t, t.strftime("%Y-%m-%d %H:%M:%S")), Cell(None, "1"), Cell(None, "0")], i))
            r["device"] = Cell("zkteco", "")
        return Sheet(spec, rows, fmt, ["工号", "打卡时间", "", ""], names, records, encoding="ascii",
                     newline=draw(st.sampled_from(["\n", "\r\n"])), delimiter="\t",
                     display=draw(st.sampled_from(["attlog.dat", "1_attlog.dat", "export.txt"])),
                     ingest_fmt="zkteco")
    if fmt == "zkteco-auto":   # recognised by its name
        sheet = draw(device_sheet("zkteco"))
        sheet.display, sheet.ingest_fmt = draw(st.sampled_from(["attlog.dat", "2_attlog.dat", "ATTLOG.DAT"])), "auto"
        return sheet
    xlsx = draw(st.booleans())
    if fmt == "dingtalk":
        header = ["姓名", "考勤组", "工号", "考勤日期", "考勤时间", "打卡时间", "打卡设备"]
        names = [None, None, "staff_id", "date", None, "time", "device"]
        records = []
        for i, r in enumerate(rows):
            t = r["time"].value
            weekday = "一二三四五六日"[t.weekday()]
            day = draw(st.sampled_from([f"{t:%Y-%m-%d} 星期{weekday}", f"{t:%y-%m-%d} 星期{weekday}",
                                        f"{t:%Y-%m-%d}（周{weekday}）", f"{t:%Y-%m-%d}"]))
            clock = draw(st.sampled_from([t.strftime("%H:%M:%S"), t.strftime("%Y-%m-%d %H:%M:%S")]))
            device = r["device"]
            r["device"] = Cell(device.value or "dingtalk", device.text)
            records.append(Record([Cell(None, "张伟"), Cell(None, "窗口组"), r["staff_id"], Cell(t, day),
                                   Cell(None, "上班 08:30"), Cell(t, clock), device], i))
        title = [["原始记录"], ["统计日期：2024-01-01 至 2024-12-31"]][: draw(st.integers(0, 2))]
        return Sheet(spec, rows, "xlsx-dingtalk" if xlsx else "dingtalk", header, names, records, title_rows=title,
                     encoding=draw(st.sampled_from(["utf-8-sig", "gb18030"])), newline="\r\n",
                     display=f"钉钉原始记录.{'xlsx' if xlsx else 'csv'}",
                     ingest_fmt=draw(st.sampled_from(["auto", "dingtalk"])))
    staff_label = draw(st.sampled_from(["userid", "账号"]))
    header = [staff_label, "groupname", "checkin_type", "checkin_time", "location_title"]
    names = ["staff_id", None, None, "time", None]
    records = []
    for i, r in enumerate(rows):
        t = r["time"].value
        when = draw(st.sampled_from([str(_seconds(t)), t.strftime("%Y-%m-%d %H:%M:%S")]))
        r["device"] = Cell("wecom", "")
        records.append(Record([r["staff_id"], Cell(None, "窗口考勤组"), Cell(None, "上班打卡"), Cell(t, when),
                               Cell(None, "不动产登记中心")], i))
    return Sheet(spec, rows, "xlsx-wecom" if xlsx else "wecom", header, names, records,
                 encoding=draw(st.sampled_from(["utf-8", "gb18030"])), newline="\n",
                 display=f"wecom.{'xlsx' if xlsx else 'csv'}", ingest_fmt=draw(st.sampled_from(["auto", "wecom"])))


# ---------------------------------------------------------------- damage


def is_text_file(sheet: Sheet) -> bool:
    return not sheet.fmt.startswith("xlsx")


def data_line(sheet: Sheet, position: int) -> int:
    """The line a person counts for the record at `position` (the header is the line after the title rows)."""
    return len(sheet.title_rows) + (0 if sheet.fmt == "zkteco" else 1) + position + 1


BAD_DATES = ["2023-02-29", "2024-13-01", "2024-00-10", "2024-06-31", "0999-01-01", "2024-1-1-1", "明天"]
BAD_DATETIMES = ["2024-03-05 24:01:00", "2024-03-05 25:00", "2024-03-05 12:60", "2024-03-05 12:30:60",
                 "2023-02-29 08:00:00", "2024-03-05", "08:30", "2024-03-05 8点"]


def _record(sheet: Sheet, index: int) -> Record:
    return next(r for r in sheet.records if r.index == index)


def _spoil(draw, sheet: Sheet, col) -> tuple[str, str] | None:
    """A value the column must refuse: (text, why); None when the column has no such value here."""
    dingtalk = sheet.fmt in ("dingtalk", "xlsx-dingtalk")
    if col.kind == "date":
        return draw(st.sampled_from(BAD_DATES)), "impossible date"
    if col.kind == "datetime":
        if sheet.fmt == "zkteco":
            return draw(st.sampled_from(["1971-01-01 08:00:00", "2024-02-30 08:00:00", "2024-03-05 25:00:00"])), "bad clock"
        bad = [b for b in BAD_DATETIMES
               if not (dingtalk and b == "08:30") and not (sheet.spec.kind == "leave" and b == "2024-03-05")]
        return draw(st.sampled_from(bad)), "impossible time"
    if col.kind == "staff":
        return draw(st.sampled_from(["ZZ999", "a1", "9" * 70])), "unknown staff"
    if col.kind == "contract":
        return draw(st.sampled_from(["T-2", "t-1", "未知合同"])), "unknown contract"
    if col.kind == "bool":
        return draw(st.sampled_from(["maybe", "是的", "2"])), "not yes/no"
    if col.kind == "count":
        return draw(st.sampled_from(["-1", "1.5", "十", "1e400", "NaN"])), "not a count"
    if col.kind == "points":
        return draw(st.sampled_from(["abc", "1e999999999", "-1e-999999999", "0.00001", "100000000", "NaN",
                                     "Infinity"])), "bad points"
    if col.kind == "month":
        return draw(st.sampled_from(["2024-13", "2024", "24-03", "0999-01"])), "bad month"
    if col.kind == "choice" and col.name in ("channel", "category"):
        return draw(st.sampled_from(["邮件", "other-channel"])), "unknown choice"
    if col.limit is not None:
        return "长" * (col.limit + 1 + draw(st.integers(0, 3000))), "too long"
    return None


REPEAT_COLUMN = {"staff": "staff_id", "leave": "start", "makeup": "time", "notices": "month",
                 "complaints": "complaint_id", "caseload": "date"}
ORDER = {"repeat": 0}


@st.composite
def damage(draw, sheet: Sheet, allow_bytes: bool = True):
    """Spoil a sheet 0–3 times; returns the sheet, what the ingest must answer, and a spoiling of its bytes."""
    expect = Expect()
    spec = sheet.spec
    device = sheet.fmt != "csv" and sheet.fmt != "xlsx"
    zkteco = sheet.fmt == "zkteco"
    kinds = ["value", "value", "empty", "huge", "formula"]
    if spec.repeat_refused:
        kinds.append("repeat")
    if not device:
        kinds += ["drop_column", "double_column"]
    if is_text_file(sheet):
        kinds.append("padding")
        if not zkteco:
            kinds.append("extra_field")
    header_errors: list[str] = []
    repeated: set[int] = set()
    chosen = sorted(draw(st.lists(st.sampled_from(kinds), max_size=3)), key=lambda k: ORDER.get(k, 1))
    for what in chosen:
        index = draw(st.sampled_from([r.index for r in sheet.records if r.index is not None]))
        record = _record(sheet, index)
        if what in ("formula", "huge") and (index in expect.bad_rows or index in repeated):
            continue  # a good value written over a spoiled one would unspoil it, or change a repeated key
        named = [c for c in spec.cols if c.name in sheet.names]
        if what == "value":
            col = draw(st.sampled_from(named))
            spoiled = _spoil(draw, sheet, col)
            if spoiled is None:
                continue
            record.cells[sheet.position(col.name)] = Cell(None, spoiled[0])
            expect.bad(record, sheet.label(col.name), f"{spoiled[1]} {spoiled[0][:20]!r} in {col.name} of row {index}",
                       index, cell=col.name)
        elif what == "empty":
            required = [c for c in named if c.must_have_value]
            col = draw(st.sampled_from(required))
            blank = draw(st.sampled_from(["", "   "]))
            record.cells[sheet.position(col.name)] = Cell(None, blank)
            expect.bad(record, "-" if zkteco else sheet.label(col.name), f"empty {col.name} in row {index}", index,
                       cell=col.name)
        elif what == "huge":
            free = [c for c in named if c.free or c.limit]
            if not free:
                continue
            col = draw(st.sampled_from(free))
            if col.limit is None:
                value = "长文本，" * draw(st.integers(500, 5000))
                record.cells[sheet.position(col.name)] = Cell(value, value)
                sheet.rows[index][col.name] = Cell(value.strip(), value)   # stored whole
            else:
                value = "超长" * (col.limit // 2 + 1 + draw(st.integers(0, 2000)))
                record.cells[sheet.position(col.name)] = Cell(None, value)
                expect.bad(record, sheet.label(col.name), f"huge {col.name} in row {index}", index, cell=col.name)
        elif what == "formula":
            free = [c for c in named if c.free and (c.limit is None or c.limit >= 40)]
            if not free:
                continue
            col = draw(st.sampled_from(free))
            value = draw(st.sampled_from(FORMULAS))
            record.cells[sheet.position(col.name)] = Cell(value, value)
            sheet.rows[index][col.name] = Cell(value, value)
            expect.notes.append(f"formula in {col.name} of row {index}")
        elif what == "repeat":
            copy = Record(list(record.cells), None)
            repeated.add(index)
            sheet.records.append(copy)
            expect.bad(copy, sheet.label(REPEAT_COLUMN[spec.kind]), f"row {index} repeated", unless_bad=index)
        elif what in ("drop_column", "double_column") and header_errors:
            continue  # one broken header at a time: a doubled column then dropped is a good header again
        elif what == "drop_column":
            col = draw(st.sampled_from([c for c in named if c.required]))
            position = sheet.position(col.name)
            del sheet.header[position]
            del sheet.names[position]
            for r in sheet.records:
                if r.raw is None:
                    del r.cells[position]
            # punches read with `auto` look for the header row first: without both columns there is none
            auto_punches = spec.kind == "punches" and sheet.ingest_fmt == "auto" and col.name in ("staff_id", "time")
            header_errors.append("-" if auto_punches else col.name)
            expect.refused = True
            expect.notes.append(f"column {col.name} left out")
        elif what == "double_column":
            col = draw(st.sampled_from(named))
            sheet.header.append(col.alias if sheet.label(col.name) != col.alias else col.name)
            sheet.names.append(None)
            for r in sheet.records:
                if r.raw is None:
                    r.cells.append(Cell(None, "x"))
            header_errors.append(sheet.header[-1])
            expect.refused = True
            expect.notes.append(f"column {col.name} twice")
        elif what == "padding":
            position = draw(st.integers(0, len(sheet.records)))
            pad = Record([], None, raw=draw(st.sampled_from(["\x00" * 40, "   ", "\x00 \x00\t"])))
            sheet.records.insert(position, pad)
            expect.bad(pad, "-", "padding line")
        elif what == "extra_field":
            record.cells.append(Cell(None, "多余"))
            expect.bad(record, "-", f"extra field in row {index}", index)
    expect.finish(sheet, header_errors)
    spoil_bytes = None
    if allow_bytes and draw(st.integers(0, 9)) == 0:
        how = draw(st.sampled_from(["truncate", "invalid", "utf16", "flip"] if is_text_file(sheet)
                                   else ["truncate", "flip", "junk"]))
        spoil_bytes = _byte_damage(draw, how)
        expect.notes.append(f"bytes: {how}")
        expect.exact = False
        expect.errors = set()
        if how in ("invalid", "utf16"):
            expect.refused, expect.fatal = True, True
            expect.errors = {(1, "-")}
        else:
            expect.refused = None
    return sheet, expect, spoil_bytes


def _byte_damage(draw, how: str) -> Callable[[bytes], bytes]:
    cut = draw(st.floats(0.05, 0.95))
    where = draw(st.floats(0, 1))
    junk = bytes(draw(st.lists(st.integers(0, 255), min_size=1, max_size=16)))

    def spoil(data: bytes) -> bytes:
        if how == "truncate":
            return data[: max(1, int(len(data) * cut))]
        if how == "invalid":
            at = int(len(data) * where)
            return data[:at] + b"\xff" + data[at:]
        if how == "utf16":
            return data.decode("utf-8", "replace").encode("utf-16")
        if how == "flip":
            at = min(len(data) - 1, int(len(data) * where))
            return data[:at] + bytes([data[at] ^ 0x5A]) + data[at + 1:]
        at = int(len(data) * where)
        return data[:at] + junk + data[at + len(junk):]

    return spoil


# ---------------------------------------------------------------- writing the file


def render(sheet: Sheet) -> bytes:
    if sheet.fmt.startswith("xlsx"):
        return _render_xlsx(sheet)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sheet.delimiter, lineterminator=sheet.newline)
    if sheet.fmt == "zkteco":
        for record in sheet.records:
            if record.raw is not None:
                buffer.write(record.raw + sheet.newline)
            else:
                buffer.write("\t".join(c.text for c in record.cells) + sheet.newline)
        return buffer.getvalue().encode("ascii", "replace")
    for title in sheet.title_rows:
        writer.writerow(title)
    writer.writerow(sheet.header)
    for record in sheet.records:
        if record.raw is not None:
            buffer.write(record.raw + sheet.newline)
        else:
            writer.writerow([c.text for c in record.cells])
    return buffer.getvalue().encode(sheet.encoding)


def _render_xlsx(sheet: Sheet) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    row = 1
    for title in sheet.title_rows:
        for c, value in enumerate(title, start=1):
            ws.cell(row=row, column=c, value=value)
        row += 1
    for c, value in enumerate(sheet.header, start=1):
        ws.cell(row=row, column=c, value=value)
    row += 1
    for record in sheet.records:
        for c, cell in enumerate(record.cells, start=1):
            if sheet.typed_xlsx and cell.xlsx is not None:
                ws.cell(row=row, column=c, value=cell.xlsx)
            elif cell.text != "":
                target = ws.cell(row=row, column=c)
                target.value = cell.text
                target.data_type = "s"   # a text cell, even when it starts with "=" (no formula is written)
        row += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


__all__ = ["SPECS", "Sheet", "Expect", "canonical_sheet", "device_sheet", "damage", "render"]
