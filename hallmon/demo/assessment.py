"""The demo hall's monthly assessments of 2024, after the Xinyang report: August below 90, 离岗 recurring, notices late."""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from sqlalchemy.orm import Session

from hallmon.app.writes import load_file
from hallmon.assessment.catalogue import default_text
from hallmon.assessment.services import load_catalogue_text
from hallmon.core.calendar import WorkCalendar
from hallmon.core.periods import month_bounds
from hallmon.demo import hall

# Items per month: (code, points, who) — who is "staff" (a person and their window), "window" or "" (the hall).
# The points are fixed so that the file rows score the same for every seed (substantiated personnel complaints
# of the complaints demo add their S3 rows on top); the seed picks people, windows, days and notes.
# 离岗 (LG) recurs: its 3rd occurrence of the year (May) and every later one count double (S1); so do the
# 3rd 延时服务不到位 (YSFW, August) and the 3rd 人员配置不合理 (RYPZ, December), the faults the Xinyang report found
# recurring three times or more, and the 3rd 着装仪容 and 好差评差评. August falls below 90, as in the Xinyang report.
PLAN: dict[int, list[tuple[str, str, str]]] = {
    1: [("LG", "-1", "staff"), ("ZZ", "-0.5", "staff"), ("CDZT", "-0.5", "staff")],
    2: [("WS", "-0.5", "window"), ("HCP", "-1", "staff")],
    3: [("LG", "-1", "staff"), ("YWCC", "-2", "staff"), ("JQ", "1", "staff")],
    4: [("ZZ", "-0.5", "staff"), ("CDZT", "-0.5", "staff"), ("BYX", "0.5", "staff")],
    5: [("LG", "-1", "staff"), ("WS", "-0.5", "window"), ("FWTD", "-2", "staff")],
    6: [("YSFW", "-1", "window"), ("RYPZ", "-2", ""), ("JQ", "1", "staff")],
    7: [("YSFW", "-1", "window"), ("HCP", "-1", "staff"), ("CDZT", "-0.5", "staff")],
    8: [("LG", "-1", "staff"), ("YSFW", "-1", "window"), ("RYPZ", "-2", ""), ("FWTD", "-2", "staff"),
        ("LG", "-1", "staff"), ("YWCC", "-2", "staff"), ("HCP", "-1", "staff"), ("ZZ", "-0.5", "staff")],
    9: [("YWCC", "-2", "staff"), ("WS", "-0.5", "window"), ("JQ", "1", "staff"), ("SMFW", "1", "staff")],
    10: [("LG", "-1", "staff"), ("CDZT", "-0.5", "staff")],
    11: [("HCP", "-1", "staff"), ("ZZ", "-0.5", "staff"), ("BYX", "0.5", "staff")],
    12: [("RYPZ", "-2", ""), ("YSFWJF", "0.5", "staff")],
}

NOTES = {
    "LG": ("午间提前离岗", "上班时间串岗闲聊", "离岗未挂暂停服务牌"),
    "ZZ": ("未佩戴工牌", "未着工装"),
    "CDZT": ("巡查时未到岗", "提前离开窗口"),
    "WS": ("工位杂物未清理", "窗口台面不整洁"),
    "HCP": ("好差评系统差评，经核实属实",),
    "YWCC": ("录入信息有误，已更正", "收件材料不全即受理"),
    "FWTD": ("与群众争执，经调查属实", "答复群众态度生硬"),
    "YSFW": ("午间延时服务未落实", "下班时仍有群众排队未办结"),
    "RYPZ": ("高峰时段窗口开放不足，群众等候超过 1 小时",),
    "JQ": ("群众赠送锦旗",),
    "BYX": ("收到群众表扬信",),
    "SMFW": ("为行动不便老人上门办理登记",),
    "YSFWJF": ("主动延时办结群众业务",),
}

# Notice dates: January notified on 26 March as in the Xinyang report, February on 25 June (both late, S5);
# March to November within a few working days; December not yet notified at the demo year's end.
LATE_NOTICES = {1: dt.date(2024, 3, 26), 2: dt.date(2024, 6, 25)}


def _staff_pool(seed: int) -> list[tuple[str, str]]:
    """(staff_id, window) of the people who sit at a window all year (leavers and their successors left out)."""
    leavers = {index for index, _ in hall.LEAVERS}
    rows = hall.staff_rows(seed)
    return [(r["工号"], r["窗口"]) for i, r in enumerate(rows[:255]) if r["窗口"] and i not in leavers]


def assessment_rows(seed: int) -> dict[int, list[dict]]:
    """month → the rows of that month's assessment file (Chinese headers, as a centre's office writes them)."""
    rng = random.Random(seed * 31 + 4)
    calendar = WorkCalendar()
    pool = _staff_pool(seed)
    windows = sorted({w for _, w in pool})
    out: dict[int, list[dict]] = {}
    for month, items in PLAN.items():
        key = f"{hall.YEAR}-{month:02d}"
        first, last = month_bounds(key)
        days = calendar.working_days(first, last)
        rows = []
        for code, points, who in items:
            staff_id, window = "", ""
            if who == "staff":
                staff_id, window = rng.choice(pool)
            elif who == "window":
                window = rng.choice(windows)
            rows.append({
                "合同编号": hall.CONTRACT_CODE, "月份": key, "项目代码": code, "考核项目": "", "分值": points,
                "工号": staff_id, "窗口": window, "日期": rng.choice(days).isoformat(),
                "说明": rng.choice(NOTES[code]),
            })
        rows.sort(key=lambda r: r["日期"])
        out[month] = rows
    return out


def notice_rows(seed: int) -> list[dict]:
    rng = random.Random(seed * 31 + 5)
    calendar = WorkCalendar()
    rows = []
    for month in range(1, 12):
        key = f"{hall.YEAR}-{month:02d}"
        on = LATE_NOTICES.get(month) or calendar.add_working_days(month_bounds(key)[1], rng.randint(3, 9))
        rows.append({"合同编号": hall.CONTRACT_CODE, "月份": key, "通报日期": on.isoformat()})
    return rows


def build(session: Session, workdir: Path, seed: int, result) -> None:
    """月度考核与通报"""
    catalogue = workdir / "assessment-catalogue.toml"
    catalogue.write_text(default_text(), encoding="utf-8")
    load_catalogue_text(session, catalogue.read_text(encoding="utf-8"), source_name=catalogue.name, actor="demo")
    files: list[Path] = [catalogue]
    for month, rows in assessment_rows(seed).items():
        path = hall.write_csv(workdir / f"assessment-{hall.YEAR}-{month:02d}.csv", rows)
        load_file(session, "assessment", path, actor="demo")
        files.append(path)
    notices = hall.write_csv(workdir / f"notices-{hall.YEAR}.csv", notice_rows(seed))
    load_file(session, "notices", notices, actor="demo")
    files.append(notices)
    result.files += files
    result.notes.append("考核：8 月低于 90 分；离岗同年第 3 次起加倍扣分；1 月、2 月考核通报逾期，12 月尚未通报")
