"""Ingest + classify + store of a year of punches, against the floor: pandas reading the same CSV plus one
bulk insert of its raw rows into the same database (executemany on SQLite, COPY on PostgreSQL).

Each step runs in its own process (bench.child) so that its peak memory is its own.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import time
from pathlib import Path

from bench import generate
from bench.memory import baseline
from bench.profiling import profiled

CODE = "BENCH-ING"
YEAR = 2024
PUNCHES_PER_STAFF_YEAR = 950   # what generate.punch_frame yields on average, so that n staff-years ≈ n × 950
FLOOR_TABLE = "bench_floor_punch"


def hall_for(punches: int) -> generate.Hall:
    staff = max(2, math.ceil(punches / PUNCHES_PER_STAFF_YEAR))
    return generate.Hall(CODE, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31), staff, prefix="P")


def write_files(workdir: str, punches: int, seed: int) -> dict:
    """The contract, its roster and a punches CSV of exactly `punches` data rows (the export cut at that row)."""
    workdir_path = Path(workdir)
    workdir_path.mkdir(parents=True, exist_ok=True)
    hall = hall_for(punches)
    rows = generate.staff_rows(hall, seed)
    frame = generate.punch_frame(hall, rows, seed).iloc[:punches]
    tag = f"{punches}-{seed}"
    terms = workdir_path / f"ingest-{tag}.toml"
    terms.write_text(generate.terms_toml(hall), encoding="utf-8")
    staff = generate.write_rows(rows, workdir_path / f"ingest-staff-{tag}.csv")
    csv_path = generate.write_frame(frame, workdir_path / f"ingest-punches-{tag}.csv")
    last = frame["打卡时间"].iloc[-1][:7] if len(frame) else f"{YEAR}-01"
    return {"terms": str(terms), "staff": str(staff), "punches": str(csv_path), "rows": len(frame),
            "staff_count": hall.staff, "months": [m for m in hall.months() if m <= last]}


def prepare(url: str, terms: str, staff: str) -> dict:
    """The contract and its roster, loaded the way a user loads them (not timed)."""
    from hallmon.app.writes import load_contract, load_file
    from hallmon.db import make_engine, session_factory
    from hallmon.roster.services import read_contract_file
    from hallmon.uow import unit_of_work

    engine = make_engine(url)
    session = session_factory(engine)()
    with unit_of_work(session):
        load_contract(session, read_contract_file(terms), terms, actor="bench")
        report = load_file(session, "staff", staff, actor="bench")
    session.close()
    engine.dispose()
    return {"staff": report.loaded}


def _floor_sqlite(url: str, csv_path: str, keyed: bool = False) -> tuple[float, float, int]:
    import sqlite3

    import pandas as pd
    from sqlalchemy.engine import make_url

    connection = sqlite3.connect(make_url(url).database)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
    connection.execute(f"CREATE TABLE {FLOOR_TABLE} (staff_id TEXT, time TEXT, device TEXT)")
    if keyed:
        connection.execute(f"CREATE UNIQUE INDEX {FLOOR_TABLE}_key ON {FLOOR_TABLE} (staff_id, time)")
        connection.execute(f"CREATE INDEX {FLOOR_TABLE}_time ON {FLOOR_TABLE} (time)")
    connection.commit()
    baseline()
    started = time.perf_counter()
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False, encoding="utf-8")
    read = time.perf_counter() - started
    verb = "INSERT OR IGNORE" if keyed else "INSERT"  # the export holds double taps: the key keeps one
    connection.executemany(f"{verb} INTO {FLOOR_TABLE} VALUES (?, ?, ?)", frame.itertuples(index=False, name=None))
    connection.commit()
    total = time.perf_counter() - started
    connection.execute(f"DROP TABLE {FLOOR_TABLE}")
    connection.commit()
    connection.close()
    return total, read, len(frame)


def _floor_postgresql(url: str, csv_path: str, keyed: bool = False) -> tuple[float, float, int]:
    import pandas as pd
    import psycopg
    from sqlalchemy.engine import make_url

    from bench.databases import schema_of

    parsed = make_url(url)
    schema = schema_of(url)
    conninfo = parsed.set(drivername="postgresql", query={}).render_as_string(hide_password=False)
    with psycopg.connect(conninfo, options=f"-csearch_path={schema}" if schema else None) as connection:
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
            if keyed:
                # the punch table's own columns, key and indexes (not its foreign key)
                cur.execute(f"CREATE TABLE {FLOOR_TABLE} (LIKE punch INCLUDING DEFAULTS INCLUDING INDEXES)")
            else:
                cur.execute(f"CREATE TABLE {FLOOR_TABLE} (staff_id text, time text, device text)")
        connection.commit()
        baseline()
        started = time.perf_counter()
        frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False, encoding="utf-8")
        read = time.perf_counter() - started
        if keyed:  # the export holds double taps: the key keeps one (a COPY into a keyed table would fail)
            frame = frame.drop_duplicates(["工号", "打卡时间"])
        buffer = io.StringIO()
        # the rows as COPY's text format: tab-separated (no value holds a tab, a backslash or a newline)
        frame.to_csv(buffer, sep="\t", header=False, index=False, lineterminator="\n")
        with connection.cursor() as cur, cur.copy(f"COPY {FLOOR_TABLE} (staff_id, time, device) FROM STDIN") as copy:
            copy.write(buffer.getvalue())
        connection.commit()
        total = time.perf_counter() - started
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE {FLOOR_TABLE}")
        connection.commit()
    return total, read, len(frame)


def floor(url: str, punches: str, keyed: bool = False) -> dict:
    """The floor: pandas reads the CSV, one bulk insert stores its raw rows (no checks, no key, no index).

    keyed: the same into a table with the punch table's key (staff_id, time) and time index — what storing
    punches costs in this database before any of hallmon's own work (the double taps dropped, as the key must).
    """
    from bench.databases import backend_of

    run = _floor_sqlite if backend_of(url) == "sqlite" else _floor_postgresql
    seconds, read, rows = run(url, punches, keyed)
    return {"seconds": seconds, "read_seconds": read, "rows": rows}


def hallmon(url: str, punches: str, months: list[str], profile: str | None = None) -> dict:
    """What a user gets: `hallmon ingest punches FILE --skip-bad-rows` (the load stores the touched months'
    A6 summaries and the contract's demands in its own transaction), then each month's summaries read back."""
    from hallmon.app.writes import load_file
    from hallmon.attendance.services import monthly_summary
    from hallmon.core.periods import Month
    from hallmon.db import make_engine, session_factory
    from hallmon.roster.services import get_contract
    from hallmon.uow import unit_of_work

    engine = make_engine(url)
    session = session_factory(engine)()
    session.connection()  # connect (and run the pragmas) outside the measured part
    session.rollback()
    baseline()
    with profiled(profile):
        started = time.perf_counter()
        with unit_of_work(session):
            report = load_file(session, "punches", punches, skip_bad_rows=True, actor="bench")
        ingested = time.perf_counter() - started
        staff = 0
        contract = get_contract(session, CODE)
        for month in months:
            staff += len(monthly_summary(session, contract, Month(month)).staff)
        total = time.perf_counter() - started
    session.close()
    engine.dispose()
    return {"seconds": total, "ingest_seconds": ingested, "summary_seconds": total - ingested,
            "rows": report.rows, "loaded": report.loaded, "inserted": report.inserted, "rejected": report.rejected,
            "summaries": staff}

