"""A month's summaries (A1–A7) and settlement (B1–B5) for a contract of 10 000 staff.

Three figures, each in its own process: the pure rules on inputs already in memory (what the 1 s target is
about), and the services from the database — cold (no summaries stored yet: the first settlement after the
data arrived) and warm (the same request again, summaries stored).
"""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from bench import generate
from bench.memory import baseline
from bench.profiling import profiled

CODE = "BENCH-MON"
YEAR = 2024
MONTH = f"{YEAR}-01"


def hall_for(staff: int) -> generate.Hall:
    return generate.Hall(CODE, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31), staff, prefix="M",
                         total_fee=f"{staff * 60_000}.00")


def write_files(workdir: str, staff: int, seed: int) -> dict:
    """The contract, roster, punches, leave and make-ups up to the end of MONTH, assessments and complaints."""
    folder = Path(workdir)
    folder.mkdir(parents=True, exist_ok=True)
    hall = hall_for(staff)
    rows = generate.staff_rows(hall, seed)
    months = [m for m in hall.months() if m <= MONTH]
    first = hall.start
    last = dt.date(YEAR, int(MONTH[5:]), 1).replace(day=28) + dt.timedelta(days=4)
    last = last - dt.timedelta(days=last.day)
    punches = generate.punch_frame(hall, rows, seed, first, last, dirty=False)
    return generate.write_hall_files(hall, rows, seed, months, punches, folder, f"month-{staff}-{seed}",
                                     complaints_per_month=max(1, staff // 100))


def prepare(url: str, files: dict) -> dict:
    """Every file loaded the way a user loads it (not timed); no summary is computed yet."""
    from hallmon.app.writes import load_contract, load_file
    from hallmon.db import make_engine, session_factory
    from hallmon.roster.services import read_contract_file
    from hallmon.uow import unit_of_work

    engine = make_engine(url)
    session = session_factory(engine)()
    with unit_of_work(session):
        load_contract(session, read_contract_file(files["terms"]), files["terms"], actor="bench")
    loaded = {}
    for kind in ("staff", "punches", "leave", "makeup", "assessment", "notices", "complaints"):
        with unit_of_work(session):
            loaded[kind] = load_file(session, kind, files[kind], actor="bench", skip_bad_rows=True).loaded
    session.close()
    engine.dispose()
    return loaded


def rules(url: str, profile: str | None = None) -> dict:
    """The pure part: A1–A7 for the month's staff from frames in memory, then B1–B5 for its period."""
    from hallmon.attendance import rules as R
    from hallmon.attendance.store import month_inputs, roster_frame
    from hallmon.billing.settlement import MonthInputs, period_for, settle_period
    from hallmon.core.calendar import WorkCalendar
    from hallmon.core.periods import month_bounds
    from hallmon.db import make_engine, session_factory
    from hallmon.roster.services import get_contract

    engine = make_engine(url)
    session = session_factory(engine)()
    contract = get_contract(session, CODE)
    terms = contract.terms()
    roster = roster_frame(session, contract.id)[[R.STAFF_ID, R.HIRED_ON, R.LEFT_ON]]
    punches, makeups, leave = month_inputs(session, contract.id, MONTH)
    session.close()
    engine.dispose()
    period = period_for(terms, MONTH)
    first, last = month_bounds(MONTH)
    baseline()
    with profiled(profile):
        started = time.perf_counter()
        calendar = WorkCalendar.for_terms(terms)
        summary = R.summarise_month(roster, terms.start, terms.end, MONTH, calendar, R.AttendanceRules.from_terms(terms),
                                    punches, makeups, leave)
        totals = R.summary_totals(summary)
        summarised = time.perf_counter() - started
        inputs = {MONTH: MonthInputs(MONTH, calendar.count_working_days(first, last), totals["scheduled_days"],
                                     totals["chargeable_minutes"], totals["scheduled_minutes"], True, None)}
        settlement = settle_period(terms, period, inputs)
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "summary_seconds": summarised, "staff": len(summary), "punches": len(punches),
            "net_fee": str(settlement.net_fee)}


def service(url: str, repeat: int = 1, profile: str | None = None) -> dict:
    """`hallmon settle CODE --month MONTH` through the services, `repeat` times; each call's seconds."""
    from hallmon.billing.services import settle
    from hallmon.db import make_engine, session_factory
    from hallmon.roster.services import get_contract

    engine = make_engine(url)
    session = session_factory(engine)()
    session.connection()
    session.rollback()
    baseline()
    times = []
    document = {}
    with profiled(profile):
        for _ in range(repeat):
            started = time.perf_counter()
            document = settle(session, get_contract(session, CODE), MONTH).document()
            times.append(time.perf_counter() - started)
    session.close()
    engine.dispose()
    return {"seconds": times[0], "all_seconds": times, "net_fee": document.get("net_fee"),
            "lines": sum(len(m["lines"]) for m in document.get("months", []))}
