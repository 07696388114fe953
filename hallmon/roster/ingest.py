"""The staff source (rules §2): parsing a roster file into typed rows or row errors."""
from __future__ import annotations

from hallmon.ingest.context import RosterView
from hallmon.ingest.source import Parsed, Source
from hallmon.ingest.table import LINE, Column, Table
from hallmon.ingest.values import Checker, as_dates, none_if_empty

COLUMNS = (
    Column("staff_id", ("工号",)),
    Column("name", ("姓名",)),
    Column("contract", ("合同编号",)),
    Column("post", ("岗位",), required=False),
    Column("department", ("科室",)),
    Column("window", ("窗口",), required=False),
    Column("hired_on", ("入职日期",)),
    Column("left_on", ("离职日期",), required=False),
)


def parse_staff(table: Table, roster: RosterView) -> Parsed:
    """Staff rows: contract must be loaded; left_on (last working day) not before hired_on."""
    check = Checker(table)
    frame = check.frame
    check.required("staff_id")
    check.required("name")
    check.required("department")
    for column, limit in (("staff_id", 64), ("name", 100), ("department", 100), ("window", 100), ("post", 100)):
        check.max_length(column, limit)
    check.required("contract")
    unknown = (frame["contract"] != "").to_numpy() & ~frame["contract"].isin(roster.contract_codes).to_numpy()
    check.flag(unknown, "contract", "合同未导入：“" + frame["contract"] + "”（先运行 hallmon contract load）")
    hired = check.dates("hired_on")
    left = check.dates("left_on", required=False)
    check.flag((left < hired).to_numpy(), "left_on", "离职日期早于入职日期")
    check.duplicates(["staff_id"], "staff_id", "工号")
    good = check.good()
    out = good[["staff_id", "name", "contract", "post", "department", "window", LINE]].copy()
    out["hired_on"] = as_dates(hired[good.index])
    out["left_on"] = as_dates(left[good.index])
    out["post"] = none_if_empty(out["post"])
    out["window"] = none_if_empty(out["window"])
    return Parsed(out.reset_index(drop=True), check.errors)


STAFF = Source("staff", "人员花名册", COLUMNS, parse_staff)
