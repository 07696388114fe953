"""Seeded generators of a provincial hall's files: contract, staff, a year of punches with device noise, leave,
make-ups, assessments, complaints and caseload.

Everything is a function of (seed, size): two calls with the same arguments give the same bytes. Punches are
generated vectorised (numpy) because there are millions of them; the small sources are plain Python.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from hallmon.core.calendar import WorkCalendar
from hallmon.core.periods import month_bounds, months_between

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红娥玲芬燕彩春菊凤洁梅琳素云莲真环雪荣爱香月"
DEPARTMENTS = ("受理科", "审核科", "登簿发证科", "交易资金事务科", "地籍房屋测绘科", "档案查询")
BUSINESS = ("首次登记", "转移登记", "抵押登记", "变更登记", "注销登记", "查询")
SESSIONS = ((8 * 60 + 30, 12 * 60), (14 * 60 + 30, 17 * 60 + 30))

PUNCH_HEADER = ("工号", "打卡时间", "设备")
STAFF_HEADER = ("工号", "姓名", "合同编号", "岗位", "科室", "窗口", "入职日期", "离职日期")


@dataclass(frozen=True)
class Hall:
    """One contract: its code, dates, staff count and the staff_id prefix its roster uses."""

    code: str
    start: dt.date
    end: dt.date
    staff: int
    prefix: str = "P"
    total_fee: str = "12000000.00"

    def months(self) -> list[str]:
        return months_between(self.start, self.end)


def terms_toml(hall: Hall) -> str:
    """The contract's TOML (rules §1): monthly billing, the default schedule, a fine for unenforced demands."""
    return f"""\
code = "{hall.code}"
name = "不动产登记窗口服务（基准测试 {hall.code}）"
contractor = "基准人力资源有限公司"
start = {hall.start.isoformat()}
end = {hall.end.isoformat()}
total_fee = "{hall.total_fee}"
headcount = {hall.staff}
billing_months = 1

[schedule]
sessions = [["08:30", "12:00"], ["14:30", "17:30"]]

[caseload]
daily_target = {hall.staff * 12}

[billing]
unenforced_fine = "3000.00"
"""


def staff_id(hall: Hall, index: int) -> str:
    return f"{hall.prefix}{index + 1:06d}"


def staff_rows(hall: Hall, seed: int) -> list[dict[str, str]]:
    """The roster: most hired before the contract, ~3 % leave during it and ~3 % join during it."""
    rng = random.Random(seed * 1_000_003 + hall.staff)
    days = (hall.end - hall.start).days
    rows = []
    for i in range(hall.staff):
        department = DEPARTMENTS[i % len(DEPARTMENTS)]
        hired = hall.start - dt.timedelta(days=rng.randint(30, 3000))
        left = ""
        draw = rng.random()
        if draw < 0.03:
            hired = hall.start + dt.timedelta(days=rng.randint(1, max(1, days - 30)))
        elif draw < 0.06:
            left = (hall.start + dt.timedelta(days=rng.randint(30, max(31, days - 1)))).isoformat()
        rows.append({
            "工号": staff_id(hall, i),
            "姓名": rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
            "合同编号": hall.code,
            "岗位": "窗口受理员" if i % 5 else "后台辅助",
            "科室": department,
            "窗口": f"{hall.prefix}{department[:1]}{i % 40 + 1:02d}" if i % 5 else "",
            "入职日期": hired.isoformat(),
            "离职日期": left,
        })
    return rows


def employment(rows: list[dict[str, str]], hall: Hall) -> tuple[np.ndarray, np.ndarray]:
    """Each person's first and last day inside the contract (datetime64[D])."""
    hired = np.array([r["入职日期"] for r in rows], dtype="datetime64[D]")
    left = np.array([r["离职日期"] or hall.end.isoformat() for r in rows], dtype="datetime64[D]")
    return np.maximum(hired, np.datetime64(hall.start)), np.minimum(left, np.datetime64(hall.end))


def punch_frame(hall: Hall, rows: list[dict[str, str]], seed: int, first: dt.date | None = None,
                last: dt.date | None = None, dirty: bool = True) -> pd.DataFrame:
    """Device punches (工号, 打卡时间, 设备) in time order, as a terminal exports them.

    Four punches a scheduled day around 08:30, 12:00, 14:30 and 17:30 with a spread of minutes; noise as
    halls see it: ~4 % late and ~2 % early, ~1.5 % forgotten punches, whole days away (~3 %), double taps
    (the same second twice, or a second punch a few seconds later, ~2 %), Saturday overtime. `dirty`
    adds what a device file really holds and ingest sets aside: visitor cards not on the roster and
    rows dated 1971 after a clock reset (about one row in 20 000).
    """
    first = first or hall.start
    last = last or hall.end
    rng = np.random.default_rng(seed)
    calendar = WorkCalendar()
    workdays = np.array(calendar.working_days(first, last), dtype="datetime64[D]")
    every_day = np.arange(np.datetime64(first), np.datetime64(last) + 1, dtype="datetime64[D]")
    saturdays = every_day[(every_day.astype("datetime64[D]").view("int64") - 4) % 7 == 0]
    start, end = employment(rows, hall)
    ids = np.array([r["工号"] for r in rows], dtype=object)

    person, day = np.nonzero((workdays[None, :] >= start[:, None]) & (workdays[None, :] <= end[:, None]))
    away = rng.random(len(person)) < 0.03
    person, day = person[~away], day[~away]
    days = np.repeat(workdays[day], 4)
    who = np.repeat(person, 4)
    slot = np.tile(np.arange(4), len(person))
    # seconds after midnight: in-punches before the session starts, out-punches after it ends
    anchor = np.array([8 * 3600 + 30 * 60, 12 * 3600, 14 * 3600 + 30 * 60, 17 * 3600 + 30 * 60])[slot]
    before = slot % 2 == 0
    spread = rng.integers(30, 25 * 60, len(slot))
    seconds = np.where(before, anchor - spread, anchor + spread)
    late = before & (rng.random(len(slot)) < 0.04)
    seconds = np.where(late, anchor + rng.integers(60, 50 * 60, len(slot)), seconds)
    early = ~before & (rng.random(len(slot)) < 0.02)
    seconds = np.where(early, anchor - rng.integers(60, 40 * 60, len(slot)), seconds)
    keep = rng.random(len(slot)) >= 0.015
    days, who, seconds = days[keep], who[keep], seconds[keep]

    taps = rng.random(len(seconds)) < 0.02
    tap_gap = np.where(rng.random(int(taps.sum())) < 0.5, 0, rng.integers(1, 20, int(taps.sum())))
    days = np.concatenate([days, days[taps]])
    who = np.concatenate([who, who[taps]])
    seconds = np.concatenate([seconds, seconds[taps] + tap_gap])

    if len(saturdays):
        overtime = rng.random((len(rows), len(saturdays))) < 0.01
        op, od = np.nonzero(overtime & (saturdays[None, :] >= start[:, None]) & (saturdays[None, :] <= end[:, None]))
        days = np.concatenate([days, np.repeat(saturdays[od], 2)])
        who = np.concatenate([who, np.repeat(op, 2)])
        seconds = np.concatenate([seconds, np.tile([9 * 3600 + 2 * 60, 11 * 3600 + 48 * 60], len(op))
                                  + rng.integers(0, 600, 2 * len(op))])

    times = days.astype("datetime64[s]") + seconds.astype("timedelta64[s]")
    staff = ids[who]
    device = np.array(["大厅一号机", "大厅二号机", "二楼考勤机", ""], dtype=object)[rng.integers(0, 4, len(times))]
    order = np.argsort(times, kind="stable")
    times, staff = times[order], staff[order]
    if dirty and len(times):
        # the device writes them where they happened: a reset clock in the middle of the file
        n_bad = max(2, len(times) // 20_000)
        pick = rng.integers(0, len(times), n_bad)
        visitors, resets = pick[: n_bad // 2], pick[n_bad // 2:]
        staff[visitors] = [f"V{9000 + k}" for k in range(len(visitors))]
        times[resets] = np.datetime64("1971-01-01T00:00:00") + (times[resets] - times[resets].astype("datetime64[D]"))
    text = np.char.replace(np.datetime_as_string(times, unit="s"), "T", " ")
    return pd.DataFrame({"工号": staff, "打卡时间": text.astype(object), "设备": device})


def write_frame(frame: pd.DataFrame, path: Path) -> Path:
    """UTF-8 CSV without quotes (none of the values needs them), as devices write it."""
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def write_rows(rows: list[dict[str, str]], path: Path, header: tuple[str, ...] | None = None) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(header or rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def leave_rows(hall: Hall, rows: list[dict[str, str]], seed: int, months: list[str]) -> list[dict[str, str]]:
    """Whole-day leave for ~5 % of people a month (a few unapproved), and some half days."""
    rng = random.Random(seed * 31 + 7)
    out = []
    for month in months:
        first, last = month_bounds(month)
        for r in rows:
            if rng.random() < 0.05:
                day = first + dt.timedelta(days=rng.randint(0, (last - first).days))
                length = rng.choice((0, 0, 1, 2, 4))
                out.append({"工号": r["工号"], "开始时间": day.isoformat(),
                            "结束时间": min(last, day + dt.timedelta(days=length)).isoformat(),
                            "类型": rng.choice(("年假", "病假", "事假", "调休")),
                            "是否批准": "否" if rng.random() < 0.05 else "是"})
            elif rng.random() < 0.01:
                day = first + dt.timedelta(days=rng.randint(0, (last - first).days))
                out.append({"工号": r["工号"], "开始时间": f"{day} 08:30", "结束时间": f"{day} 12:00",
                            "类型": "事假", "是否批准": "是"})
    return out


def makeup_rows(hall: Hall, rows: list[dict[str, str]], seed: int, months: list[str]) -> list[dict[str, str]]:
    """Make-up requests (补卡) for ~8 % of people a month, one to five each, so that some pass the quota."""
    rng = random.Random(seed * 37 + 11)
    out = []
    for month in months:
        first, last = month_bounds(month)
        for r in rows:
            if rng.random() < 0.08:
                days = sorted(rng.sample(range((last - first).days + 1), rng.randint(1, 5)))
                for offset in days:
                    day = first + dt.timedelta(days=offset)
                    out.append({"工号": r["工号"], "补卡时间": f"{day} {rng.choice(('08:30:00', '17:30:00'))}",
                                "原因": rng.choice(("忘记打卡", "指纹识别失败", "外出送达文书")),
                                "是否批准": "否" if rng.random() < 0.1 else "是"})
    return out


def assessment_rows(hall: Hall, seed: int, months: list[str]) -> list[dict[str, str]]:
    """Each month's itemised points: a handful of deductions, sometimes a bonus."""
    rng = random.Random(seed * 41 + 13)
    items = (("SVC-01", "服务态度", "-1"), ("SVC-02", "着装仪容", "-0.5"), ("DIS-01", "离岗脱岗", "-2"),
             ("ACC-01", "差错", "-1"), ("BON-01", "表扬信", "1"))
    out = []
    for month in months:
        _, last = month_bounds(month)
        for _ in range(rng.randint(2, 12)):
            code, name, points = rng.choice(items)
            day = last - dt.timedelta(days=rng.randint(0, 20))
            out.append({"合同编号": hall.code, "月份": month, "项目代码": code, "考核项目": name, "分值": points,
                        "工号": staff_id(hall, rng.randrange(hall.staff)), "窗口": "", "日期": day.isoformat(),
                        "说明": "日常巡查"})
    return out


def notice_rows(hall: Hall, seed: int, months: list[str]) -> list[dict[str, str]]:
    rng = random.Random(seed * 43 + 17)
    out = []
    for month in months:
        _, last = month_bounds(month)
        out.append({"合同编号": hall.code, "月份": month,
                    "通报日期": (last + dt.timedelta(days=rng.randint(3, 40))).isoformat()})
    return out


def complaint_rows(hall: Hall, seed: int, per_month: int = 20) -> list[dict[str, str]]:
    """Complaints on the four channels, some resolved, some naming a person and substantiated."""
    rng = random.Random(seed * 47 + 19)
    out = []
    channels = ("petition", "hotline", "review", "onsite")
    for month in hall.months():
        first, last = month_bounds(month)
        for k in range(per_month):
            received = first + dt.timedelta(days=rng.randint(0, (last - first).days))
            channel = rng.choice(channels)
            resolved = received + dt.timedelta(days=rng.randint(1, 70)) if rng.random() < 0.7 else None
            personnel = rng.random() < 0.25
            out.append({
                "编号": f"{hall.code}-{month}-{k:04d}", "合同编号": hall.code, "渠道": channel,
                "类型": rng.choice(("consult", "help", "complaint")) if channel == "hotline" else "",
                "类别": "personnel" if personnel else rng.choice(("business", "other")),
                "收件日期": received.isoformat(), "受理日期": received.isoformat(), "是否延期": "否",
                "是否属实": "是" if personnel and rng.random() < 0.3 else "否",
                "工号": staff_id(hall, rng.randrange(hall.staff)) if personnel else "",
                "办结日期": resolved.isoformat() if resolved else "", "摘要": "群众来电反映办理时限",
            })
    return out


def caseload_rows(hall: Hall, seed: int, months: list[str]) -> list[dict[str, str]]:
    """Daily cases per department and business type on working days."""
    rng = random.Random(seed * 53 + 23)
    calendar = WorkCalendar()
    out = []
    for month in months:
        first, last = month_bounds(month)
        for day in calendar.working_days(first, last):
            for department in DEPARTMENTS:
                for business in BUSINESS[:3]:
                    out.append({"合同编号": hall.code, "日期": day.isoformat(), "科室": department, "窗口": "",
                                "工号": "", "业务类型": business,
                                "件数": str(rng.randint(hall.staff // 4 + 1, hall.staff // 2 + 2))})
    return out


def write_hall_files(hall: Hall, rows: list[dict[str, str]], seed: int, months: list[str], punches: pd.DataFrame,
                     folder: Path, name: str, complaints_per_month: int, caseload: bool = False) -> dict[str, str]:
    """A hall's files as a user would receive them, named `<name>-<source>.csv` (terms `<name>.toml`)."""
    files = {
        "terms": folder / f"{name}.toml",
        "staff": write_rows(rows, folder / f"{name}-staff.csv"),
        "punches": write_frame(punches, folder / f"{name}-punches.csv"),
        "leave": write_rows(leave_rows(hall, rows, seed, months), folder / f"{name}-leave.csv"),
        "makeup": write_rows(makeup_rows(hall, rows, seed, months), folder / f"{name}-makeup.csv"),
        "assessment": write_rows(assessment_rows(hall, seed, months), folder / f"{name}-assessment.csv"),
        "notices": write_rows(notice_rows(hall, seed, months), folder / f"{name}-notices.csv"),
        "complaints": write_rows(complaint_rows(hall, seed, per_month=complaints_per_month),
                                 folder / f"{name}-complaints.csv"),
    }
    if caseload:
        files["caseload"] = write_rows(caseload_rows(hall, seed, months), folder / f"{name}-caseload.csv")
    files["terms"].write_text(terms_toml(hall), encoding="utf-8")
    return {source: str(path) for source, path in files.items()}
