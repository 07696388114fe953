"""Demo caseload for 2024: daily counts by department, window, staff and business matching the Datong report's totals."""
from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from hallmon.app.writes import load_file
from hallmon.core.calendar import WorkCalendar
from hallmon.demo import hall
from hallmon.roster.models import Staff, Window
from hallmon.roster.services import get_contract

YEAR = hall.YEAR

# Seed 000's 2024 totals per department (1 032 065 in all).
DEPARTMENT_TOTALS = {
    "受理科": 231_272, "审核科": 88_498, "登簿发证科": 169_080, "交易资金事务科": 55_091,
    "地籍房屋测绘科": 29_161, "政策法规科": 71_171, "数据信息科": 33_726, "档案查询": 354_066,
}
# Business types of each department's windows, by share of its windows; and the work done without a
# window (back office, online), by business type and share of the department's cases.
WINDOW_BUSINESS = {
    "受理科": (("转移登记", 0.4), ("抵押登记", 0.3), ("首次登记", 0.1), ("变更登记", 0.1), ("注销登记", 0.1)),
    "审核科": (("登记审核", 1.0),),
    "登簿发证科": (("登簿", 0.5), ("缮证发证", 0.5)),
    "交易资金事务科": (("资金监管", 1.0),),
    "地籍房屋测绘科": (("地籍测绘", 0.6), ("房屋测绘", 0.4)),
    "政策法规科": (("督导质检", 1.0),),
    "数据信息科": (("网签备案", 1.0),),
    "档案查询": (("档案查询", 0.75), ("归档", 0.25)),
}
BACK_OFFICE = {
    "审核科": ("登记审核", 0.15), "政策法规科": ("督导质检", 0.3), "数据信息科": ("网签备案", 0.5),
    "档案查询": ("网上查询", 0.35),
}
MONTH_FACTOR = (1.04, 0.88, 1.04, 1.0, 0.97, 1.03, 1.0, 0.97, 1.0, 0.97, 1.03, 1.08)
WEEKDAY_FACTOR = (1.08, 1.02, 1.0, 0.99, 0.95, 0.88, 0.88)  # Monday … Sunday (make-up working days are quiet)
HEADER = ["合同编号", "日期", "科室", "窗口", "工号", "业务类型", "件数"]


def _window_staff(session: Session) -> dict[str, list[tuple[str, dt.date, dt.date | None]]]:
    """Window code → its staff (staff_id, hired_on, left_on), by staff_id."""
    out: dict[str, list] = {}
    for staff_id, window, hired, left in session.execute(
            select(Staff.staff_id, Window.code, Staff.hired_on, Staff.left_on)
            .join(Window, Staff.window_id == Window.id).order_by(Staff.staff_id)):
        out.setdefault(window, []).append((staff_id, hired, left))
    return out


def _day_weights(rng: random.Random, days: list[dt.date], calendar: WorkCalendar) -> list[float]:
    """Busier on Mondays, after long holidays and at the year's end; quieter before holidays and at Spring Festival."""
    weights = []
    for day in days:
        w = MONTH_FACTOR[day.month - 1] * WEEKDAY_FACTOR[day.weekday()] * rng.gauss(1.0, 0.045)
        if not calendar.is_working_day(day + dt.timedelta(days=1)) and not calendar.is_working_day(
                day + dt.timedelta(days=3)):
            w *= 0.85  # the eve of a long holiday
        if not calendar.is_working_day(day - dt.timedelta(days=3)) and not calendar.is_working_day(
                day - dt.timedelta(days=1)):
            w *= 1.12  # back from a long holiday
        weights.append(w)
    return weights


def _split(total: int, weights: list[float]) -> list[int]:
    """Whole counts proportional to the weights that add up to `total` exactly (largest remainders)."""
    scale = sum(weights)
    raw = [total * w / scale for w in weights]
    counts = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)[:total - sum(counts)]:
        counts[i] += 1
    return counts


def caseload_rows(rng: random.Random, calendar: WorkCalendar, staff: dict[str, list]) -> list[list]:
    days = calendar.working_days(dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    day_weights = _day_weights(rng, days, calendar)
    rows: list[list] = []
    for department, prefix, windows, _, _ in hall.DEPARTMENTS:
        codes = [f"{prefix}{i:02d}" for i in range(1, windows + 1)]
        names = [business for business, _ in WINDOW_BUSINESS[department]]
        per_business = _split(windows, [share for _, share in WINDOW_BUSINESS[department]])
        assigned = [business for business, k in zip(names, per_business, strict=True) for _ in range(k)]
        business_of = dict(zip(codes, assigned, strict=True))
        window_weight = {code: rng.uniform(0.7, 1.3) for code in codes}
        back = BACK_OFFICE.get(department)
        daily = _split(DEPARTMENT_TOTALS[department], [w * rng.gauss(1.0, 0.03) for w in day_weights])
        for n, (day, total) in enumerate(zip(days, daily, strict=True)):
            at_windows = total
            if back is not None:
                behind = round(total * back[1])
                at_windows -= behind
                rows.append([hall.CONTRACT_CODE, day.isoformat(), department, "", "", back[0], behind])
            shares = _split(at_windows, [window_weight[c] * rng.uniform(0.85, 1.15) for c in codes])
            for code, count in zip(codes, shares, strict=True):
                on_duty = [s for s, hired, left in staff.get(code, ()) if hired <= day and (left is None or day <= left)]
                person = on_duty[n % len(on_duty)] if on_duty else ""
                rows.append([hall.CONTRACT_CODE, day.isoformat(), department, code, person, business_of[code], count])
    return rows


def build(session: Session, workdir: Path, seed: int, result) -> None:
    """业务量：2024 年逐日按科室、窗口、人员、业务类型"""
    rng = random.Random(seed * 1013 + 7)
    terms = get_contract(session, hall.CONTRACT_CODE).terms()
    calendar = WorkCalendar.for_terms(terms)
    rows = caseload_rows(rng, calendar, _window_staff(session))
    path = workdir / "业务量-2024.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    load_file(session, "caseload", path, actor="demo")
    result.files.append(path)
    result.notes.append(f"业务量：2024 年 {sum(DEPARTMENT_TOTALS.values())} 件（按登记中心各科室全年业务量），日目标 {terms.caseload.daily_target} 件")
