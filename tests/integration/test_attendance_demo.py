"""The demo hall's attendance year tells its story: who crossed a limit, who left in time, who did not."""
from sqlalchemy import func, select

from hallmon.attendance.models import Leave, Makeup, Punch


def test_the_demo_year_raises_the_planned_demands_and_leaves_one_unenforced(demo, demo_cli, demo_session):
    cli, session = demo_cli, demo_session
    assert "S0151" in demo.output and "S0122" in demo.output and "2024-05 整月未签到" in demo.output

    listed = cli("demands", "DT-2024", "--as-of", "2025-06-30", "--json")
    assert listed.exit_code == 0, listed.stderr
    ours = [(d["staff_id"], d["reason"], d["raised_on"], d["waived"], d["unenforced"], d["unenforced_months"])
            for d in listed.json() if d["reason"] != "complaints"]   # the complaints demo adds its own
    assert ours == [
        ("S0018", "monthly_late_early", "2024-03-01", False, False, []),   # left 8 March
        ("S0065", "monthly_late_early", "2024-05-01", False, False, []),   # left 10 May
        ("S0122", "no_signin", "2024-06-01", False, False, []),            # back 3–14 June, then left
        ("S0189", "monthly_late_early", "2024-08-01", False, False, []),   # last punch on the deadline
        ("S0101", "monthly_late_early", "2024-10-01", True, False, []),    # waived by the manager
        ("S0151", "monthly_late_early", "2024-11-01", False, True, ["2024-11", "2024-12"]),
        ("S0231", "annual_late_early", "2024-11-01", False, False, []),    # 2 a month, 20 by October
    ]

    may = cli("attendance", "summary", "DT-2024", "--month", "2024-05", "--json").json()
    silent = [s for s in may["staff"] if s["no_signin_month"]]
    assert [(s["staff_id"], s["punch_count"], s["scheduled_days"]) for s in silent] == [("S0122", 0, 21)]
    assert may["totals"]["no_signin_month"] == 1 and may["warnings"] == []
    assert may["totals"]["makeup_used"] > 0 and may["totals"]["excused_minutes"] > 0

    june = session.scalar(select(func.count()).select_from(Punch).where(Punch.device.in_(["考勤机", "手机"])))
    assert june > 10_000   # the DingTalk month
    assert session.scalar(select(func.count()).select_from(Punch)) > 240_000
    assert session.scalar(select(func.count()).select_from(Leave).where(Leave.approved.is_(False))) > 0
    assert session.scalar(select(func.count()).select_from(Makeup)) > 100
    demo_dir = demo.workdir
    rejected = sorted(p.name for p in demo_dir.glob("*_attlog.dat.rejected.csv"))
    assert len(rejected) == 11
    assert "1971-01-01" in (demo_dir / "2024-03_attlog.dat.rejected.csv").read_text(encoding="utf-8-sig")
