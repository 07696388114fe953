"""The assessment and notices sources (rules §2): itemised monthly points and notice dates into typed rows."""
from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal

import numpy as np
import pandas as pd

from hallmon.assessment.catalogue import POINTS_LIMIT, has_at_most_four_places, points_text
from hallmon.assessment.rules import COMPLAINT_CODE
from hallmon.ingest.context import RosterView
from hallmon.ingest.source import Parsed, Source
from hallmon.ingest.table import LINE, Column, Table
from hallmon.ingest.values import Checker, as_dates, none_if_empty

ASSESSMENT_COLUMNS = (
    Column("contract", ("合同编号",)),
    Column("month", ("月份",)),
    Column("item_code", ("项目代码",)),
    # the item's name may be left out when its code is in the stored catalogue, so the column may be too
    Column("item", ("考核项目",), required=False),
    Column("points", ("分值",)),
    Column("staff_id", ("工号",), required=False),
    Column("window", ("窗口",), required=False),
    Column("date", ("日期",), required=False),
    Column("note", ("说明",), required=False),
)

NOTICE_COLUMNS = (
    Column("contract", ("合同编号",)),
    Column("month", ("月份",)),
    Column("notified_on", ("通报日期",)),
)

ASSESSMENT_OUT = ["contract", "month", "item_code", "item", "points", "staff_id", "window", "date", "note",
                  "rank", "row_key", LINE]
NOTICE_OUT = ["contract", "month", "notified_on", LINE]

_MONTH = re.compile(r"^(\d{4})[-/](\d{1,2})$")
CATALOGUE_HINT = "hallmon catalogue show 查看"


def parse_months(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """`YYYY-MM` (also `YYYY/MM`, `YYYY-M`) → canonical `YYYY-MM`; the mask marks non-empty unreadable cells."""
    out: list[str | None] = []
    for text in series.tolist():
        match = _MONTH.match(text)
        if match and int(match[1]) >= 1000 and 1 <= int(match[2]) <= 12:
            out.append(f"{int(match[1]):04d}-{int(match[2]):02d}")
        else:
            out.append(None)
    values = pd.Series(out, index=series.index, dtype=object)
    bad = (series != "").to_numpy() & values.isna().to_numpy()
    return values, bad


def _contract(check: Checker, roster: RosterView) -> None:
    frame = check.frame
    check.required("contract")
    unknown = (frame["contract"] != "").to_numpy() & ~frame["contract"].isin(roster.contract_codes).to_numpy()
    check.flag(unknown, "contract", "合同未导入：“" + frame["contract"] + "”（先运行 hallmon contract load）")


def _month(check: Checker) -> pd.Series:
    check.required("month")
    months, bad = parse_months(check.col("month"))
    check.flag(bad, "month", "无法识别的月份 “" + check.col("month") + "”（应为 YYYY-MM）")
    return months


def month_end(months: pd.Series) -> pd.Series:
    """Each `YYYY-MM` → the month's last day (datetime64), NaT where missing."""
    first = pd.to_datetime(months.where(months.notna(), None), format="%Y-%m", errors="coerce")
    return first + pd.offsets.MonthEnd(0)


def row_key(contract: str, month: str, item_code: str, staff_id: str | None, window: str | None, date: str,
            points: Decimal, note: str | None, rank: int) -> str:
    """rules §2 assessment key, normalised (points as written without trailing zeros, empty as ""), hashed."""
    parts = [contract, month, item_code, staff_id or "", window or "", date, points_text(points), note or "",
             rank]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


def parse_assessment(table: Table, roster: RosterView) -> Parsed:
    """Assessment rows: contract loaded; date (default the month's last day) inside the month; staff on the roster;
    codes in the stored catalogue when the database has one; each row keyed with its rank among identical rows."""
    check = Checker(table)
    frame = check.frame
    _contract(check, roster)
    months = _month(check)
    check.required("item_code")
    codes = frame["item_code"]
    for column, limit in (("item_code", 50), ("item", 200), ("staff_id", 64), ("window", 100)):
        check.max_length(column, limit)
    reserved = (codes.str.casefold() == COMPLAINT_CODE.casefold()).to_numpy()
    check.flag(reserved, "item_code",
               f"项目代码 {COMPLAINT_CODE} 保留给属实的人员类投诉（S3 由系统自动计入），不能在考核文件中使用")
    catalogue = roster.assessment_items
    present = (codes != "").to_numpy()
    listed = codes.isin(set(catalogue or ())).to_numpy()
    if catalogue is not None:
        check.flag(present & ~reserved & ~listed, "item_code",
                   "项目代码 " + codes + f" 不在考核项目目录中（{CATALOGUE_HINT}）")
    no_name = (frame["item"] == "").to_numpy()
    check.flag(no_name & ~listed, "item",
               "必填，不能为空" if catalogue is None else "必填：项目代码不在考核项目目录中时须写明考核项目")
    points = check.decimals("points")
    has_points = points.notna().to_numpy()
    too_fine = np.array([p is not None and not has_at_most_four_places(p) for p in points], dtype=bool)
    check.flag(too_fine, "points", "分值最多 4 位小数：“" + frame["points"] + "”")
    too_big = np.array([p is not None and p.copy_abs() >= POINTS_LIMIT for p in points], dtype=bool)
    check.flag(too_big & has_points, "points", "分值超出范围：“" + frame["points"] + "”")
    check.on_roster("staff_id", roster.staff_ids, required=False)
    dates = check.dates("date", required=False)
    last = month_end(months)
    first = last - pd.offsets.MonthBegin(1)
    outside = (dates.notna() & last.notna() & ((dates < first) | (dates > last))).to_numpy()
    check.flag(outside, "date", "日期 “" + frame["date"] + "” 不在月份 " + frame["month"] + " 内")
    good = check.good()
    index = good.index
    out = good[["contract", "item_code", LINE]].copy()
    out["month"] = months[index]
    names = good["item"]
    if catalogue is not None:
        names = names.where(names != "", good["item_code"].map(catalogue))
    out["item"] = names
    out["points"] = points[index]
    out["staff_id"] = none_if_empty(good["staff_id"])
    out["window"] = none_if_empty(good["window"])
    out["note"] = none_if_empty(good["note"])
    out["date"] = as_dates(dates[index].where(dates[index].notna(), last[index]))
    out["rank"] = _ranks(out)
    out["row_key"] = [
        row_key(r.contract, r.month, r.item_code, r.staff_id, r.window, r.date.isoformat(), r.points, r.note, r.rank)
        for r in out.itertuples(index=False)
    ]
    return Parsed(out[ASSESSMENT_OUT].reset_index(drop=True), check.errors)


def _ranks(out: pd.DataFrame) -> pd.Series:
    """rules §2: a row's rank among the identical rows of its file (1 for the first), in file order."""
    if out.empty:
        return pd.Series([], dtype=np.int64, index=out.index)
    identity = pd.DataFrame({
        "contract": out["contract"], "month": out["month"], "item_code": out["item_code"],
        "staff_id": out["staff_id"].fillna(""), "window": out["window"].fillna(""),
        "date": out["date"].map(lambda d: d.isoformat()), "points": out["points"].map(points_text),
        "note": out["note"].fillna(""),
    })
    return identity.groupby(list(identity.columns), sort=False).cumcount() + 1


def parse_notices(table: Table, roster: RosterView) -> Parsed:
    """Notice rows: one per (contract, month) in a file; a later file replaces the stored date (rules §2)."""
    check = Checker(table)
    _contract(check, roster)
    months = _month(check)
    notified = check.dates("notified_on")
    frame = check.frame
    keyed = pd.DataFrame({"contract": frame["contract"], "month": months.fillna(frame["month"]), LINE: frame[LINE]})
    duplicate = keyed.duplicated(subset=["contract", "month"], keep="first").to_numpy() & ~check.bad
    if duplicate.any():
        first_line = keyed.groupby(["contract", "month"], sort=False)[LINE].transform("first")
        check.flag(duplicate, "month", "同一合同同一月份的通报重复：与第 " + first_line.astype(str) + " 行相同")
    good = check.good()
    out = good[["contract", LINE]].copy()
    out["month"] = months[good.index]
    out["notified_on"] = as_dates(notified[good.index])
    return Parsed(out[NOTICE_OUT].reset_index(drop=True), check.errors)


ASSESSMENT = Source("assessment", "月度考核明细", ASSESSMENT_COLUMNS, parse_assessment)
NOTICES = Source("notices", "考核通报日期", NOTICE_COLUMNS, parse_notices)
SOURCES = {"assessment": ASSESSMENT, "notices": NOTICES}
