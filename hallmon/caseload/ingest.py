"""The caseload source (rules §2): cases counted by date, department, window, staff and business type."""
from __future__ import annotations

from hallmon.ingest.context import RosterView
from hallmon.ingest.source import Parsed, Source
from hallmon.ingest.table import LINE, Column, Table
from hallmon.ingest.values import Checker, as_dates, none_if_empty

COLUMNS = (
    Column("contract", ("合同编号",)),
    Column("date", ("日期",)),
    Column("department", ("科室",)),
    Column("window", ("窗口",), required=False),
    Column("staff_id", ("工号",), required=False),
    Column("business", ("业务类型",)),
    Column("count", ("件数",)),
)

KEY = ["contract", "date", "department", "window", "staff_id", "business"]
_DAY = "_day"


def parse_caseload(table: Table, roster: RosterView) -> Parsed:
    """Caseload rows: a loaded contract, a date, a non-negative whole count; a key repeated within the file
    is a bad row naming the first line."""
    check = Checker(table)
    frame = check.frame
    check.required("contract")
    unknown = (frame["contract"] != "").to_numpy() & ~frame["contract"].isin(roster.contract_codes).to_numpy()
    check.flag(unknown, "contract", "合同未导入：“" + frame["contract"] + "”（先运行 hallmon contract load）")
    day = check.dates("date")
    check.required("department")
    check.required("business")
    for column in ("department", "window", "business"):
        check.max_length(column, 100)
    check.on_roster("staff_id", roster.staff_ids, required=False)
    count = check.counts("count")
    # the key compares dates, not their spelling (2024/3/5 is 2024-03-05)
    frame[_DAY] = day.dt.strftime("%Y-%m-%d").fillna("")
    check.duplicates(["contract", _DAY, "department", "window", "staff_id", "business"], "date",
                     "同一合同、日期、科室、窗口、工号与业务类型的记录")
    good = check.good()
    index = good.index
    out = good[["contract", "department", "business", LINE]].copy()
    out["date"] = as_dates(day[index])
    out["window"] = none_if_empty(good["window"])
    out["staff_id"] = none_if_empty(good["staff_id"])
    out["count"] = count[index].astype("int64")
    return Parsed(out[[*KEY, "count", LINE]].reset_index(drop=True), check.errors)


CASELOAD = Source("caseload", "业务量", COLUMNS, parse_caseload)
SOURCES = {"caseload": CASELOAD}
