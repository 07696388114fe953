"""A small hall for billing scenarios: two staff, a month of punches, an assessment, users for each key."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from hallmon.core.calendar import WorkCalendar
from tests.factories import merged, terms_toml

# the hall's contract: the base contract (tests/factories.py) with these terms
TERMS = {"code": "B-1", "name": "结算场景", "total_fee": "240000.00", "headcount": 2,
         "billing": {"unenforced_fine": "1000.00"}}

STAFF = """\
工号,姓名,合同编号,科室,窗口,入职日期
A,张伟,B-1,受理科,A01,2020-01-01
B,李娜,B-1,受理科,A02,2024-03-11
"""

ON_TIME = ("08:25:00", "12:02:00", "14:25:00", "17:35:00")


def punch_rows(staff_id: str, first: dt.date, last: dt.date, exceptions: dict | None = None) -> list[str]:
    """Four on-time punches on every working day; `exceptions[(day)] = [times]` replaces a day's punches."""
    exceptions = exceptions or {}
    rows = []
    for day in WorkCalendar().working_days(first, last):
        times = exceptions.get(day, ON_TIME)
        rows += [f"{staff_id},{day.isoformat()} {t}" for t in times]
    return rows


def write_hall(tmp_path: Path, **overrides) -> dict[str, Path]:
    """The files of the scenario in tests/integration/test_billing_settle.py (worked out there); `overrides`
    change the contract's terms as in `terms_toml`."""
    d = dt.date
    terms = tmp_path / "b1.toml"
    terms.write_text(terms_toml(**merged(TERMS, overrides)), encoding="utf-8")
    staff = tmp_path / "staff.csv"
    staff.write_text(STAFF, encoding="utf-8")
    late = ("08:40:00", "12:02:00", "14:25:00", "17:35:00")
    rows = ["staff_id,time"]
    # February: A alone, late on three mornings → a monthly_late_early demand raised 1 March, deadline 16 March
    rows += punch_rows("A", d(2024, 2, 1), d(2024, 2, 29), {d(2024, 2, 5): late, d(2024, 2, 6): late, d(2024, 2, 7): late})
    # March: A late once (10 minutes, 5 March) and keeps working after the deadline; B absent one morning (12 March)
    rows += punch_rows("A", d(2024, 3, 1), d(2024, 3, 31), {d(2024, 3, 5): late})
    rows += punch_rows("B", d(2024, 3, 11), d(2024, 3, 31), {d(2024, 3, 12): ("14:25:00", "17:35:00")})
    punches = tmp_path / "punches.csv"
    punches.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assessment = tmp_path / "assessment.csv"
    assessment.write_text(
        "合同编号,月份,项目代码,考核项目,分值,工号,日期\n"
        "B-1,2024-03,LATE,迟到早退,-2.5,A,2024-03-05\n"
        "B-1,2024-03,DRESS,着装仪容,-5,B,2024-03-12\n"
        "B-1,2024-03,DRESS,着装仪容,-5,B,2024-03-20\n", encoding="utf-8")
    notices = tmp_path / "notices.csv"
    notices.write_text("合同编号,月份,通报日期\nB-1,2024-03,2024-04-08\n", encoding="utf-8")
    report = tmp_path / "考核报告-2024-03.pdf"
    report.write_bytes(b"%PDF-1.4 assessment report 2024-03\n")
    return {"terms": terms, "staff": staff, "punches": punches, "assessment": assessment, "notices": notices,
            "report": report}


def load_hall(cli, tmp_path: Path) -> dict[str, Path]:
    return load_files(cli, write_hall(tmp_path))


def load_files(cli, files: dict[str, Path]) -> dict[str, Path]:
    """The hall's files loaded the way a user loads them, and one user for each key."""
    steps = [("contract", "load", files["terms"]), ("ingest", "staff", files["staff"]),
             ("ingest", "punches", files["punches"]), ("ingest", "assessment", files["assessment"]),
             ("ingest", "notices", files["notices"])]
    for step in steps:
        result = cli(*step)
        assert result.exit_code == 0, (step, result.stderr)
    for name, role, extra in (("wang", "manager", ()), ("li", "finance", ()), ("zhao", "finance", ()),
                              ("co", "contractor", ("--contractor", "测试人力资源有限公司"))):
        assert cli("user", "add", name, "--role", role, *extra, "--password", f"{name}-password").exit_code == 0
    return files
