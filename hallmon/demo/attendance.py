"""The demo hall's year of attendance: device exports as a hall really has them, leave, make-ups, demands.

Most months come from the ZKTeco terminal (`attlog.dat`, with a visitor's card, clock-reset rows
and padding, loaded with --skip-bad-rows so that the rejected side files show); June, when the
terminal was being repaired, is a DingTalk 原始记录 XLSX export. Leave and make-up requests are the
office's CSV files. Who crosses the limits is planned (see PLAN), the rest is seeded noise that
never reaches a limit, so that the demands are the story the demo tells:
- S0018, S0065, S0189 cross the monthly limit and S0231 the annual one; each leaves in time (hall.LEAVERS);
- S0122 does not sign in during May (still on the roster, still paid for) and leaves in June;
- S0101's September demand is waived by the manager;
- S0151 crosses the monthly limit in October and keeps punching: the demand is unenforced.
"""
from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import openpyxl
from sqlalchemy.orm import Session

from hallmon.app.writes import load_file, waive_demand
from hallmon.core.calendar import WorkCalendar
from hallmon.demo import hall
from hallmon.roster.services import get_contract

YEAR = hall.YEAR
DINGTALK_MONTH = 6

# staff index → {month: late/early events}; every other person-month has at most 2.
PLAN: dict[int, dict[int, int]] = {
    17: {2: 4},
    64: {4: 3},
    188: {7: 5},
    230: dict.fromkeys(range(1, 11), 2),   # 20 by October: the annual limit, never 3 in a month
    100: {9: 3},
    150: {10: 4},
}
NO_SIGNIN = (121, 5)
RETURNS = dt.date(YEAR, 6, 3)              # S0122 comes back for two weeks, then leaves
WAIVED = (100, "monthly_late_early", dt.date(YEAR, 10, 1),
          "9 月 12 日考勤机时钟快了 7 分钟，当天迟到记录经信息科核实属设备原因，不予追究")
UNENFORCED = 150

IN1, OUT1, IN2, OUT2 = range(4)
NORMAL = {IN1: (8 * 3600 + 10 * 60, 8 * 3600 + 29 * 60 + 59), OUT1: (12 * 3600 + 60, 12 * 3600 + 10 * 60),
          IN2: (14 * 3600 + 15 * 60, 14 * 3600 + 29 * 60 + 59), OUT2: (17 * 3600 + 31 * 60, 17 * 3600 + 55 * 60)}
MAKEUP_TIME = {IN1: "08:30:00", OUT1: "12:00:00", IN2: "14:30:00", OUT2: "17:30:00"}
# (punch, earliest, latest, weight): late, serious late, afternoon late, early, lunch early
EVENTS = [(IN1, 8 * 3600 + 36 * 60, 8 * 3600 + 58 * 60, 45), (IN1, 9 * 3600 + 60, 10 * 3600 + 5 * 60, 10),
          (IN2, 14 * 3600 + 36 * 60, 14 * 3600 + 55 * 60, 15), (OUT2, 17 * 3600, 17 * 3600 + 24 * 60, 25),
          (OUT1, 11 * 3600 + 35 * 60, 11 * 3600 + 54 * 60, 5)]
LEAVE_KINDS = ("年假", "年假", "病假", "事假", "调休", "婚假", "丧假")
MAKEUP_REASONS = ("忘记打卡", "忘记打卡", "指纹识别失败", "外出送达文书", "考勤机无响应")


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Year:
    """Punches, leave and make-ups of the demo year, generated from one seeded random stream."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed * 7919 + 3)
        self.staff = hall.staff_rows(seed)
        calendar = WorkCalendar()
        self.workdays = {m: calendar.working_days(dt.date(YEAR, m, 1), _month_end(m)) for m in range(1, 13)}
        self.punches: dict[int, list[tuple[str, str, int]]] = {m: [] for m in range(1, 13)}  # (staff, time, state)
        self.leave: list[dict] = []
        self.makeups: list[dict] = []
        for index, row in enumerate(self.staff):
            self._person(index, row)

    def _person(self, index: int, row: dict) -> None:
        rng = self.rng
        sid = row["工号"]
        hired = dt.date.fromisoformat(row["入职日期"])
        left = dt.date.fromisoformat(row["离职日期"]) if row["离职日期"] else None
        plan = PLAN.get(index, {})
        for month in range(1, 13):
            days = [d for d in self.workdays[month] if d >= hired and (left is None or d <= left)]
            if not days:
                continue
            if (index, month) == NO_SIGNIN:
                self.leave.append({"工号": sid, "开始时间": days[0].isoformat(), "结束时间": days[-1].isoformat(),
                                   "类型": "事假", "是否批准": "否"})
                continue
            if index == NO_SIGNIN[0] and month == NO_SIGNIN[1] + 1:
                days = [d for d in days if d >= RETURNS]
            off = self._leave(sid, days)
            working = [d for d in days if d not in off]
            if not working:
                continue
            events = plan.get(month, rng.choices((0, 1, 2), (60, 28, 12))[0])
            forgot = rng.choices((0, 1, 2, 3, 4), (74, 15, 6, 3, 2))[0]
            chosen = rng.sample(working, min(len(working), events + forgot))
            event_days = set(chosen[:events])
            forgot_days = set(chosen[events:])
            for day in working:
                self._day(sid, day, day in event_days, day in forgot_days)
            if rng.random() < 0.03:  # a Saturday of overtime
                saturday = next((d for d in _month_days(month) if d.weekday() == 5 and d not in days
                                 and d >= hired and (left is None or d <= left)), None)
                if saturday is not None:
                    for part, clock in ((IN1, "09:02:13"), (OUT1, "11:48:40")):
                        self.punches[month].append((sid, f"{saturday} {clock}", int(part in (OUT1, OUT2))))

    def _leave(self, sid: str, days: list[dt.date]) -> set[dt.date]:
        """Whole-day leave (some unapproved: the person stays away all the same), and half days."""
        rng = self.rng
        off: set[dt.date] = set()
        if rng.random() < 0.07:
            length = rng.choice((1, 1, 2, 3, 5))
            start = rng.randrange(len(days))
            span = days[start:start + length]
            approved = rng.random() > 0.06
            self.leave.append({"工号": sid, "开始时间": span[0].isoformat(), "结束时间": span[-1].isoformat(),
                               "类型": rng.choice(LEAVE_KINDS), "是否批准": "是" if approved else "否"})
            off.update(span)
        if rng.random() < 0.02:
            day = rng.choice(days)
            if day not in off:
                morning = rng.random() < 0.5
                start, end = ("08:30", "12:00") if morning else ("14:30", "17:30")
                self.leave.append({"工号": sid, "开始时间": f"{day} {start}", "结束时间": f"{day} {end}",
                                   "类型": "事假", "是否批准": "是"})
                self._half_day(sid, day, morning)
                off.add(day)
        if rng.random() < 0.004:  # 旷工: away without asking
            off.add(rng.choice(days))
        return off

    def _half_day(self, sid: str, day: dt.date, morning_off: bool) -> None:
        parts = (IN2, OUT2) if morning_off else (IN1, OUT1)
        for part in parts:
            low, high = NORMAL[part]
            self.punches[day.month].append((sid, f"{day} {_clock(self.rng.randint(low, high))}",
                                            int(part in (OUT1, OUT2))))

    def _day(self, sid: str, day: dt.date, event: bool, forgot: bool) -> None:
        rng = self.rng
        times = {part: rng.randint(low, high) for part, (low, high) in NORMAL.items()}
        if event:
            part, low, high, _ = rng.choices(EVENTS, [e[3] for e in EVENTS])[0]
            times[part] = rng.randint(low, high)
        elif rng.random() < 0.04:  # a few minutes late, within the grace
            times[IN1] = rng.randint(8 * 3600 + 30 * 60 + 1, 8 * 3600 + 35 * 60 + 59)
        if forgot:
            part = rng.choice((IN1, OUT1, OUT1, IN2, OUT2))
            del times[part]
            if rng.random() < 0.85:
                self.makeups.append({"工号": sid, "补卡时间": f"{day} {MAKEUP_TIME[part]}",
                                     "原因": rng.choice(MAKEUP_REASONS),
                                     "是否批准": "是" if rng.random() < 0.92 else "否"})
        for part, seconds in times.items():
            self.punches[day.month].append((sid, f"{day} {_clock(seconds)}", int(part in (OUT1, OUT2))))
            if rng.random() < 0.015:  # pressed twice
                self.punches[day.month].append((sid, f"{day} {_clock(seconds + rng.randint(2, 9))}",
                                                int(part in (OUT1, OUT2))))


def _month_end(month: int) -> dt.date:
    return (dt.date(YEAR + (month == 12), month % 12 + 1, 1)) - dt.timedelta(days=1)


def _month_days(month: int) -> list[dt.date]:
    first = dt.date(YEAR, month, 1)
    return [first + dt.timedelta(days=i) for i in range((_month_end(month) - first).days + 1)]


def write_attlog(path: Path, punches: list[tuple[str, str, int]], month: int, rng: random.Random) -> Path:
    """ZKTeco attlog.dat: right-aligned PINs, chronological, CRLF; a visitor's card, clock resets, padding."""
    lines = [f"{sid:>9}\t{time}\t1\t{state}\t1\t0" for sid, time, state in sorted(punches, key=lambda p: p[1])]
    for _ in range(rng.randint(1, 3)):  # visitors' and test cards
        day = rng.choice(sorted({t[:10] for _, t, _ in punches}))
        lines.insert(rng.randrange(len(lines)), f"{rng.choice(('99001', '99002', '88888')):>9}\t{day} "
                                                f"{_clock(rng.randint(9 * 3600, 16 * 3600))}\t1\t0\t15\t0")
    if month in (3, 8, 11):  # the terminal lost its clock after a power cut
        at = rng.randrange(len(lines))
        lines[at:at] = [f"{sid:>9}\t1971-01-01 0{h}:{m:02d}:00\t-1\t-1\t-1\t-1" for sid, h, m in
                        (("S0003", 8, 4), ("S0047", 8, 9))]
    data = ("\r\n".join(lines) + "\r\n").encode("ascii")
    if month in (4, 9, 12):  # memory padding after the last record
        data += b"\x00" * 64 + b"\r\n" + b" " * 16 + b"\r\n"
    path.write_bytes(data)
    return path


def write_dingtalk(path: Path, punches: list[tuple[str, str, int]], staff: list[dict]) -> Path:
    """DingTalk 原始记录 XLSX: two title rows, then 考勤日期 (with the weekday) and 打卡时间 (time of day)."""
    people = {r["工号"]: r for r in staff}
    weekdays = "一二三四五六日"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("原始记录")
    sheet.append([f"原始记录  统计日期：{YEAR}-{DINGTALK_MONTH:02d}-01 至 {_month_end(DINGTALK_MONTH)}"])
    sheet.append([f"报表生成时间：{YEAR}-07-01 09:14  {hall.CONTRACTOR}"])
    sheet.append(["姓名", "部门", "工号", "考勤日期", "打卡时间", "打卡设备"])
    for sid, time, state in sorted(punches, key=lambda p: (p[0], p[1])):
        person = people[sid]
        day = dt.date.fromisoformat(time[:10])
        clock = dt.time.fromisoformat(time[11:])
        sheet.append([person["姓名"], person["科室"], sid, f"{day} 星期{weekdays[day.weekday()]}", clock,
                      "手机" if state else "考勤机"])
    book.save(path)
    return path


def _write_rows(path: Path, rows: list[dict], encoding: str) -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def build(session: Session, workdir: Path, seed: int, result) -> None:
    """考勤：打卡（中控 attlog、钉钉导出）、请假、补卡与替换要求"""
    year = Year(seed)
    rng = random.Random(seed * 7919 + 11)
    files: list[Path] = []
    for month in range(1, 13):
        if month == DINGTALK_MONTH:
            path = write_dingtalk(workdir / f"钉钉原始记录-{YEAR}-{month:02d}.xlsx", year.punches[month], year.staff)
        else:
            path = write_attlog(workdir / f"{YEAR}-{month:02d}_attlog.dat", year.punches[month], month, rng)
        load_file(session, "punches", path, skip_bad_rows=True, actor="demo")
        files.append(path)
    leave = _write_rows(workdir / f"请假记录-{YEAR}.csv", year.leave, "gb18030")
    makeups = _write_rows(workdir / f"补卡申请-{YEAR}.csv", year.makeups, "utf-8-sig")
    load_file(session, "leave", leave, actor="demo")
    load_file(session, "makeup", makeups, actor="demo")
    files += [leave, makeups]
    index, reason, raised_on, why = WAIVED
    waive_demand(session, get_contract(session, hall.CONTRACT_CODE), year.staff[index]["工号"], reason, raised_on, why,
                 "manager")
    result.files += files

    def who(i: int) -> str:
        return f"{year.staff[i]['姓名']}（{year.staff[i]['工号']}）"

    result.notes.append(
        f"考勤：{who(UNENFORCED)} 10 月迟到早退 {PLAN[UNENFORCED][10]} 次，替换要求 {YEAR}-11-01 提出、11-16 到期，"
        f"此后仍在打卡——未执行；{who(NO_SIGNIN[0])} {YEAR}-{NO_SIGNIN[1]:02d} 整月未签到（仍在册、照常计费）；"
        f"{who(WAIVED[0])} 的替换要求已豁免（hallmon demands {hall.CONTRACT_CODE}）")
