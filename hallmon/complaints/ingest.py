"""The complaints source (rules §2): petitions, 12345, 好差评 and on-site complaints into typed rows or row errors."""
from __future__ import annotations

from hallmon.complaints.rules import (
    BUSINESS,
    COMPLAINT,
    CONSULT,
    HELP,
    HOTLINE,
    ONSITE,
    OTHER,
    PERSONNEL,
    PETITION,
    REVIEW,
)
from hallmon.ingest.context import RosterView
from hallmon.ingest.source import Parsed, Source
from hallmon.ingest.table import LINE, Column, Table
from hallmon.ingest.values import Checker, as_dates, none_if_empty, parse_choice

COLUMNS = (
    Column("complaint_id", ("编号",)),
    Column("contract", ("合同编号",)),
    Column("channel", ("渠道",)),
    Column("kind", ("类型",), required=False),
    Column("category", ("类别",)),
    Column("received_on", ("收件日期",)),
    Column("accepted_on", ("受理日期",), required=False),
    Column("extended", ("是否延期",), required=False),
    Column("substantiated", ("是否属实",), required=False),
    Column("staff_id", ("工号",), required=False),
    Column("resolved_on", ("办结日期",), required=False),
    Column("summary", ("摘要",), required=False),
)

CHANNEL_VALUES = {
    "petition": PETITION, "信访": PETITION,
    "hotline": HOTLINE, "12345": HOTLINE, "12345热线": HOTLINE,
    "review": REVIEW, "好差评": REVIEW,
    "onsite": ONSITE, "on-site": ONSITE, "现场": ONSITE, "现场投诉": ONSITE,
}
KIND_VALUES = {"consult": CONSULT, "咨询": CONSULT, "help": HELP, "求助": HELP, "complaint": COMPLAINT, "投诉": COMPLAINT}
CATEGORY_VALUES = {"personnel": PERSONNEL, "人员": PERSONNEL, "business": BUSINESS, "业务": BUSINESS,
                   "other": OTHER, "其他": OTHER, "其它": OTHER}

CHANNEL_HINT = "信访/petition、12345/hotline、好差评/review、现场/onsite"
KIND_HINT = "咨询/consult、求助/help、投诉/complaint"
CATEGORY_HINT = "人员/personnel、业务/business、其他/other"

OUT_COLUMNS = ["complaint_id", "contract", "channel", "kind", "category", "received_on", "accepted_on",
               "extended", "substantiated", "staff_id", "resolved_on", "summary", LINE]


def parse_complaints(table: Table, roster: RosterView) -> Parsed:
    """Complaint rows (rules §2): a hotline row needs a valid kind; no acceptance or resolution before receipt."""
    check = Checker(table)
    frame = check.frame
    check.required("complaint_id")
    check.max_length("complaint_id", 100)
    check.required("contract")
    unknown = (frame["contract"] != "").to_numpy() & ~frame["contract"].isin(roster.contract_codes).to_numpy()
    check.flag(unknown, "contract", "合同未导入：“" + frame["contract"] + "”（先运行 hallmon contract load）")
    channel = check.choice("channel", CHANNEL_VALUES, hint=CHANNEL_HINT)
    hotline = (channel == HOTLINE).to_numpy(dtype=bool)
    kind, bad_kind = parse_choice(frame["kind"], KIND_VALUES)
    missing_kind = hotline & (frame["kind"] == "").to_numpy()
    check.flag(missing_kind, "kind", f"12345 热线必须填写类型（{KIND_HINT}）")
    check.flag(hotline & bad_kind, "kind", "无法识别的类型 “" + frame["kind"] + f"”（应为 {KIND_HINT}）")
    category = check.choice("category", CATEGORY_VALUES, hint=CATEGORY_HINT)
    received = check.dates("received_on")
    accepted = check.dates("accepted_on", required=False)
    resolved = check.dates("resolved_on", required=False)
    check.flag((accepted < received).to_numpy(), "accepted_on", "受理日期早于收件日期")
    check.flag((resolved < received).to_numpy(), "resolved_on", "办结日期早于收件日期")
    extended = check.yes_no("extended", default=False)
    substantiated = check.yes_no("substantiated", default=False)
    check.on_roster("staff_id", roster.staff_ids, required=False)
    check.duplicates(["complaint_id"], "complaint_id", "编号")
    good = check.good()
    index = good.index
    out = good[["complaint_id", "contract", LINE]].copy()
    out["channel"] = channel[index]
    # kind means something only on the hotline; elsewhere it is ignored (rules §2)
    out["kind"] = kind[index].where(hotline[index], None)
    out["category"] = category[index]
    out["received_on"] = as_dates(received[index])
    out["accepted_on"] = as_dates(accepted[index])
    out["resolved_on"] = as_dates(resolved[index])
    out["extended"] = extended[index].astype(bool)
    out["substantiated"] = substantiated[index].astype(bool)
    out["staff_id"] = none_if_empty(good["staff_id"])
    out["summary"] = none_if_empty(good["summary"])
    return Parsed(out[OUT_COLUMNS].reset_index(drop=True), check.errors)


COMPLAINTS = Source("complaints", "投诉（信访、12345、好差评、现场）", COLUMNS, parse_complaints)
SOURCES = {"complaints": COMPLAINTS}
