"""Demo complaints shaped like the Datong report's year: petitions rising from 35 (2023) to 1 091 (2024), 42 % resolved."""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from hallmon.app.writes import load_file
from hallmon.core.calendar import WorkCalendar
from hallmon.demo import hall
from hallmon.roster.models import Staff
from hallmon.roster.services import get_contract

YEAR = hall.YEAR
HEADER = ["编号", "合同编号", "渠道", "类型", "类别", "收件日期", "受理日期", "是否延期", "是否属实", "工号", "办结日期", "摘要"]

# Seed 000: 1 091 petitions in 2024 (6 about staff, 1 085 about housing), 460 resolved by the year's end;
# 35 petitions in 2023. Monthly arrivals rise through the year, so that the backlog grows.
PETITIONS_BY_MONTH = (40, 45, 60, 70, 80, 90, 100, 105, 110, 120, 130, 141)
PETITIONS_RESOLVED = 460
PETITIONS_2023 = 35
HOUSING = ("不动产权证书办理进度", "历史遗留项目办证", "开发商延迟办证", "抵押注销办理", "房屋面积争议",
           "继承登记材料", "二手房转移登记", "查封登记咨询", "小区车位确权", "拆迁安置房办证")
STAFF_MATTERS = ("窗口人员态度生硬", "窗口人员推诿", "一次性告知不到位", "工作时间脱岗", "违规代办收费", "办理时限超期")
HOTLINE_SUMMARY = {"consult": ("办证材料咨询", "预约方式咨询", "办理进度查询", "收费标准咨询"),
                   "help": ("老年人上门办理", "证书遗失补办求助", "异地办理求助"),
                   "complaint": ("排队时间过长", "系统故障无法办理", "窗口人员服务态度", "材料反复补正")}
REVIEW_SUMMARY = ("等候时间长", "告知不清楚", "态度不好", "线上预约失败")
ONSITE_SUMMARY = ("插队纠纷", "窗口人员态度", "叫号系统故障", "材料退回不满")


def _workday_on_or_after(calendar: WorkCalendar, day: dt.date) -> dt.date:
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _random_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _row(cid, channel, kind, category, received, accepted=None, extended=False, substantiated=False,
         staff="", resolved=None, summary="") -> dict:
    return dict(zip(HEADER, [cid, hall.CONTRACT_CODE, channel, kind, category, _day(received), _day(accepted),
                             "是" if extended else "", "是" if substantiated else ("否" if staff else ""), staff,
                             _day(resolved), summary], strict=True))


def petitions_2023(rng: random.Random) -> list[dict]:
    """The hall's 35 petitions of 2023, loaded under the current contract so that growth has a baseline (C3)."""
    rows = []
    for n in range(1, PETITIONS_2023 + 1):
        received = _random_day(rng, dt.date(2023, 1, 3), dt.date(2023, 12, 20))
        accepted = received + dt.timedelta(days=rng.randint(1, 10))
        resolved = accepted + dt.timedelta(days=rng.randint(15, 55))
        rows.append(_row(f"XF2023-{n:04d}", "信访", "", "业务", received, accepted, resolved=resolved,
                         summary=rng.choice(HOUSING)))
    return rows


def petitions_2024(rng: random.Random, calendar: WorkCalendar, staff: list[str]) -> list[dict]:
    """1 091 petitions: 6 about staff (three substantiated, two naming one person, so an A8 demand is raised)."""
    end = dt.date(YEAR, 12, 31)
    received_days: list[dt.date] = []
    for month, count in enumerate(PETITIONS_BY_MONTH, start=1):
        first = dt.date(YEAR, month, 1)
        last = (dt.date(YEAR, month + 1, 1) if month < 12 else dt.date(YEAR + 1, 1, 1)) - dt.timedelta(days=1)
        for _ in range(count):
            day = _random_day(rng, first, last)
            received_days.append(day if rng.random() < 0.1 else min(_workday_on_or_after(calendar, day), last))
    received_days.sort()
    accepted_days: list[dt.date | None] = []
    for received in received_days:
        late = rng.random() < 0.03  # a few accepted after the 15 days allowed
        accepted = received + dt.timedelta(days=rng.randint(16, 28) if late else rng.randint(1, 12))
        accepted_days.append(accepted if accepted < end else None)  # late-December ones are not accepted yet
    # six about staff: two substantiated naming one person, one naming another, three not substantiated
    personnel = dict(zip(sorted(rng.sample(range(60, 900), 6)),
                         [(staff[0], True), (staff[0], True), (staff[1], True), (staff[2], False),
                          (staff[3], False), ("", False)], strict=True))
    # 460 resolved by the year's end, the substantiated ones among them; the earlier a petition came in,
    # the likelier it was resolved
    chosen = {i for i, (_, substantiated) in personnel.items() if substantiated}
    candidates = [i for i, a in enumerate(accepted_days) if a is not None and i not in chosen]
    weights = [(end - received_days[i]).days ** 2 for i in candidates]
    while len(chosen) < PETITIONS_RESOLVED:
        chosen.add(rng.choices(candidates, weights=weights)[0])
    rows = []
    for index, (received, accepted) in enumerate(zip(received_days, accepted_days, strict=True)):
        resolved = None
        extended = False
        if index in chosen:
            ceiling = (end - accepted).days
            longest = min(ceiling, 100 if rng.random() < 0.15 else 58)
            span = rng.randint(min(10, longest), longest)
            resolved = accepted + dt.timedelta(days=span)
            extended = span > 60 and rng.random() < 0.7
        elif accepted is not None and (end - received).days > 70:
            extended = rng.random() < 0.12
        cid = f"XF{YEAR}-{index + 1:04d}"
        if index in personnel:
            person, substantiated = personnel[index]
            rows.append(_row(cid, "信访", "", "人员", received, accepted, extended, substantiated, person, resolved,
                             rng.choice(STAFF_MATTERS)))
        else:
            rows.append(_row(cid, "信访", "", "业务", received, accepted, extended, resolved=resolved,
                             summary=rng.choice(HOUSING)))
    return rows


def _resolution(rng: random.Random, calendar: WorkCalendar, received: dt.date, workdays: int,
                late_share: float) -> dt.date | None:
    """A resolution on time mostly, late sometimes; none when it would fall after the year's end."""
    if rng.random() < late_share:
        resolved = calendar.add_working_days(received, workdays + rng.randint(1, 6))
    else:
        resolved = calendar.add_working_days(received, rng.randint(1, workdays))
    return resolved if resolved <= dt.date(YEAR, 12, 31) else None


def other_channels(rng: random.Random, calendar: WorkCalendar, staff: list[str], terms) -> list[dict]:
    """12345 hotline (consult, help, complaint), 好差评 bad reviews and on-site complaints in smaller numbers."""
    rows = []
    first, last = dt.date(YEAR, 1, 2), dt.date(YEAR, 12, 31)
    hotline = [("consult", "咨询", 128), ("help", "求助", 52), ("complaint", "投诉", 44)]
    n = 0
    for kind, label, count in hotline:
        for _ in range(count):
            n += 1
            received = _workday_on_or_after(calendar, _random_day(rng, first, last - dt.timedelta(days=3)))
            resolved = _resolution(rng, calendar, received, terms.hotline_days(kind), 0.08)
            category = "业务" if kind != "complaint" else rng.choice(("业务", "业务", "人员", "其他"))
            person = rng.choice(staff[4:40]) if category == "人员" and rng.random() < 0.5 else ""
            rows.append(_row(f"RX{YEAR}-{n:04d}", "12345", label, category, received, staff=person,
                             resolved=resolved, summary=rng.choice(HOTLINE_SUMMARY[kind])))
    for n in range(1, 73):
        received = _workday_on_or_after(calendar, _random_day(rng, first, last))
        resolved = _resolution(rng, calendar, received, terms.review_workdays, 0.12)
        category = rng.choice(("业务", "业务", "人员", "其他"))
        rows.append(_row(f"HC{YEAR}-{n:04d}", "好差评", "", category, received, resolved=resolved,
                         summary=rng.choice(REVIEW_SUMMARY)))
    for n in range(1, 29):
        received = _workday_on_or_after(calendar, _random_day(rng, first, last))
        resolved = _resolution(rng, calendar, received, terms.other_workdays, 0.15)
        category = rng.choice(("人员", "业务", "其他"))
        person = rng.choice(staff[4:40]) if category == "人员" else ""
        # one on-site complaint about a person is found true
        substantiated = n == 11 and person != "" and resolved is not None
        rows.append(_row(f"XC{YEAR}-{n:04d}", "现场投诉", "", category, received, substantiated=substantiated,
                         staff=person, resolved=resolved, summary=rng.choice(ONSITE_SUMMARY)))
    return rows


def _front_line_staff(session: Session, rng: random.Random) -> list[str]:
    """Window staff employed the whole year, shuffled; the first few are the people complaints name."""
    ids = sorted(session.scalars(select(Staff.staff_id).where(Staff.window_id.is_not(None), Staff.left_on.is_(None),
                                                              Staff.hired_on < dt.date(YEAR, 1, 1))))
    rng.shuffle(ids)
    return ids


def build(session: Session, workdir: Path, seed: int, result) -> None:
    """投诉：信访、12345、好差评、现场投诉"""
    rng = random.Random(seed * 1009 + 6)
    terms = get_contract(session, hall.CONTRACT_CODE).terms()
    calendar = WorkCalendar.for_terms(terms)
    staff = _front_line_staff(session, rng)
    files = [
        (hall.write_csv(workdir / "信访台账-2023.csv", petitions_2023(rng)), "complaints"),
        (hall.write_csv(workdir / "信访台账-2024.csv", petitions_2024(rng, calendar, staff), encoding="gb18030"),
         "complaints"),
        (hall.write_csv(workdir / "12345-好差评-现场投诉-2024.csv", other_channels(rng, calendar, staff, terms.complaints)),
         "complaints"),
    ]
    for path, kind in files:
        load_file(session, kind, path, actor="demo")
        result.files.append(path)
    result.notes.append(f"投诉：信访 2023 年 {PETITIONS_2023} 件、2024 年 {sum(PETITIONS_BY_MONTH)} 件，年底办结 "
                        f"{PETITIONS_RESOLVED} 件；{staff[0]} 两次属实人员投诉，触发更换要求")
