"""Attendance storage: punches, leave and make-ups written through the keyed upsert; the rules' inputs read back;
month summaries and demands stored and read. Queries only: the decisions are in rules.py and demands.py."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
from sqlalchemy import (
    Column,
    Connection,
    MetaData,
    Table,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from hallmon.attendance import demands as D
from hallmon.attendance import rules as R
from hallmon.attendance.models import (
    AttendanceMonth,
    DemandMonth,
    DemandWaiver,
    Leave,
    Makeup,
    MonthSummary,
    Punch,
    StoredDemand,
)
from hallmon.complaints.models import Complaint
from hallmon.core.periods import month_bounds, month_key, months_between, next_month_start
from hallmon.db import keyed_upsert
from hallmon.ingest.service import IngestMeta, Persisted, Touched
from hallmon.ingest.source import Parsed
from hallmon.roster.models import Department, Staff, Window

CHUNK = 100_000
SQLITE_LOAD_CACHE_KIB = 256 * 1024
_IN_CHUNK = 5_000


def _chunks(values: list, size: int = _IN_CHUNK):
    for start in range(0, len(values), size):
        yield values[start:start + size]


# ---------------------------------------------------------------- the roster as the rules read it


def roster_frame(session: Session, contract_id: int) -> pd.DataFrame:
    """The contract's staff as a frame (staff_id, name, hired_on, left_on, department, window), by staff_id."""
    rows = session.execute(
        select(Staff.staff_id, Staff.name, Staff.hired_on, Staff.left_on, Department.name, Window.code)
        .join(Department, Staff.department_id == Department.id)
        .outerjoin(Window, Staff.window_id == Window.id)
        .where(Staff.contract_id == contract_id)
        .order_by(Staff.staff_id)
    ).all()
    return pd.DataFrame(rows, columns=["staff_id", "name", "hired_on", "left_on", "department", "window"],
                        dtype=object)


def staff_contracts(session: Session, staff_ids: Iterable[str]) -> dict[str, int]:
    ids = sorted(set(staff_ids))
    out: dict[str, int] = {}
    for part in _chunks(ids):
        out.update(session.execute(select(Staff.staff_id, Staff.contract_id).where(Staff.staff_id.in_(part))).all())
    return out


def _touched_months(session: Session, pairs: Iterable[tuple[str, str]]) -> set[tuple[int, str]]:
    """(staff_id, month) pairs → the (contract id, month) pairs whose A6 inputs they are."""
    pairs = set(pairs)
    contracts = staff_contracts(session, (sid for sid, _ in pairs))
    return {(contracts[sid], month) for sid, month in pairs if sid in contracts}


def _staff_months(staff_ids: np.ndarray, times: np.ndarray) -> set[tuple[str, str]]:
    """The distinct (staff_id, YYYY-MM) of rows."""
    values = pd.to_datetime(pd.Series(times))
    keyed = pd.DataFrame({"s": np.asarray(staff_ids, dtype=object),
                          "m": (values.dt.year * 100 + values.dt.month).to_numpy()}).drop_duplicates()
    return {(sid, f"{m // 100:04d}-{m % 100:02d}") for sid, m in zip(keyed["s"], keyed["m"], strict=True)}


# ---------------------------------------------------------------- persisting the three sources


def _punch_keys(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(staff_ids, times as datetime64[us], devices) with one row per (staff_id, time), ordered by that key.

    The first row of a repeated key wins; the key order is the unique index's order (code points, which is UTF-8
    byte order), so that the index grows at its end instead of everywhere.
    """
    staff = frame["staff_id"].to_numpy(dtype=object)
    times = pd.to_datetime(frame["time"]).to_numpy(dtype="datetime64[us]")
    devices = np.asarray([d if isinstance(d, str) else None for d in frame["device"].tolist()], dtype=object)
    codes, _ = pd.factorize(staff, sort=True)
    order = np.lexsort((times.view(np.int64), codes))  # stable: among equal keys, file order
    codes, times = codes[order], times[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (codes[1:] != codes[:-1]) | (times[1:] != times[:-1])
    order = order[first]
    return staff[order], times[first], devices[order]


def _sqlite_times(times: np.ndarray) -> list[str]:
    """datetime64[us] → SQLAlchemy's SQLite DATETIME text `YYYY-MM-DD HH:MM:SS.ffffff`, vectorised."""
    text = np.datetime_as_string(times, unit="us")
    if len(text):
        chars = text.view(np.uint32).reshape(len(text), -1).copy()
        chars[:, 10] = ord(" ")  # the ISO `T`
        text = chars.view(text.dtype).ravel()
    return text.tolist()


def _copy_text(staff: list, clock: list[str], device: list, seq: range) -> str | None:
    """Rows in COPY's text format, or None when a value would need escaping (then rows go one by one)."""
    values = "".join(staff) + "".join(d for d in device if d is not None)
    if any(special in values for special in ("\\", "\t", "\n", "\r")):
        return None
    device = [r"\N" if d is None else d for d in device]
    return "".join([f"{s}\t{c}\t{d}\t{n}\n" for s, c, d, n in zip(staff, clock, device, seq, strict=True)])


def _punch_stager(staff: np.ndarray, times: np.ndarray, devices: np.ndarray, progress=None):
    """Fill the keyed upsert's staging table with millions of punches: COPY on PostgreSQL, one prepared
    executemany on SQLite (SQLAlchemy's per-row processing would cost more than the load itself)."""
    total = len(staff)

    def stage(connection: Connection, staging: Table, columns: list[str]) -> None:
        raw = connection.connection.driver_connection
        names = ", ".join([*columns, "_seq"])
        if connection.dialect.name == "postgresql":
            with raw.cursor() as cur:
                for done in range(0, total, CHUNK):
                    part = slice(done, done + CHUNK)
                    seq = range(done, min(done + CHUNK, total))
                    clock = np.datetime_as_string(times[part], unit="us").tolist()
                    text = _copy_text(staff[part].tolist(), clock, devices[part].tolist(), seq)
                    with cur.copy(f"COPY {staging.name} ({names}) FROM STDIN") as copy:
                        if text is not None:
                            copy.write(text)
                        else:
                            for row in zip(staff[part].tolist(), times[part].tolist(), devices[part].tolist(), seq,
                                           strict=True):
                                copy.write_row(row)
                    if progress:
                        progress("写入打卡记录", min(done + CHUNK, total), total)
            return
        cursor = raw.cursor()
        cache = cursor.execute("PRAGMA cache_size").fetchone()[0]
        try:  # a larger page cache while the indexes grow (restored: the connection goes back to the pool)
            cursor.execute(f"PRAGMA cache_size = {min(-SQLITE_LOAD_CACHE_KIB, cache)}")
            sql = f"INSERT INTO {staging.name} ({names}) VALUES (?, ?, ?, ?)"
            for done in range(0, total, CHUNK):
                part = slice(done, done + CHUNK)
                cursor.executemany(sql, zip(staff[part].tolist(), _sqlite_times(times[part]), devices[part].tolist(),
                                            range(done, min(done + CHUNK, total)), strict=True))
                if progress:
                    progress("写入打卡记录", min(done + CHUNK, total), total)
        finally:
            cursor.execute(f"PRAGMA cache_size = {cache}")
            cursor.close()

    return stage


def persist_punches(session: Session, parsed: Parsed, meta: IngestMeta) -> Persisted:
    """Punches keyed by (staff_id, time): loading again changes nothing; two identical rows are one punch."""
    if parsed.frame.empty:
        return Persisted(unchanged=len(parsed.frame))
    staff, times, devices = _punch_keys(parsed.frame)
    done = keyed_upsert(session, Punch.__table__, None, ["staff_id", "time"], also=["device"],
                        stage=_punch_stager(staff, times, devices, meta.progress), staged_rows=len(parsed.frame))
    touched = Touched(months=_touched_months(session, _staff_months(staff, times)) if done.inserted else set())
    return Persisted(done.inserted, done.updated, done.unchanged, touched)


def _leave_months(start: dt.datetime, end: dt.datetime) -> list[str]:
    last = end - dt.timedelta(microseconds=1)
    return months_between(start.date(), max(last, start).date())


def persist_leave(session: Session, parsed: Parsed, meta: IngestMeta) -> Persisted:
    """Leave keyed by (staff_id, start): a later file replaces end, kind and approval; every month the old and the
    new interval touch is recomputed."""
    frame = parsed.frame
    rows = [{"staff_id": sid, "start": start, "end": end, "kind": kind, "approved": bool(approved)}
            for sid, start, end, kind, approved in zip(frame["staff_id"], frame["start"], frame["end"],
                                                       frame["kind"], frame["approved"], strict=True)]
    done = keyed_upsert(session, Leave.__table__, rows, ["staff_id", "start"], ["end", "kind", "approved"])
    pairs: set[tuple[str, str]] = set()
    if done.inserted or done.updated:
        pairs |= {(r["staff_id"], m) for r in rows for m in _leave_months(r["start"], r["end"])}
        pairs |= {(sid, m) for sid, start, end, *_ in done.replaced for m in _leave_months(start, end)}
    return Persisted(done.inserted, done.updated, done.unchanged, Touched(months=_touched_months(session, pairs)))


def persist_makeup(session: Session, parsed: Parsed, meta: IngestMeta) -> Persisted:
    """Make-ups keyed by (staff_id, time): a later file replaces the reason and approval; the month is recomputed."""
    frame = parsed.frame
    rows = [{"staff_id": sid, "time": time, "reason": reason, "approved": bool(approved)}
            for sid, time, reason, approved in zip(frame["staff_id"], frame["time"], frame["reason"],
                                                   frame["approved"], strict=True)]
    done = keyed_upsert(session, Makeup.__table__, rows, ["staff_id", "time"], ["reason", "approved"])
    pairs = {(r["staff_id"], month_key(r["time"])) for r in rows} if done.inserted or done.updated else set()
    return Persisted(done.inserted, done.updated, done.unchanged, Touched(months=_touched_months(session, pairs)))


PERSIST = {"punches": persist_punches, "leave": persist_leave, "makeup": persist_makeup}


# ---------------------------------------------------------------- reading the rules' inputs


def frame_of(rows, columns: list[str]) -> pd.DataFrame:
    """Result rows → a frame, column by column (much faster than from_records on Row objects)."""
    rows = list(rows)
    if not rows:
        return pd.DataFrame({name: pd.Series([], dtype=object) for name in columns})
    frame = pd.DataFrame(dict(zip(columns, (list(c) for c in zip(*rows, strict=True)), strict=True)))
    for name in (R.TIME, R.START, R.END):
        if name in frame and isinstance(frame[name].iloc[0], str):
            frame[name] = pd.to_datetime(frame[name], format="ISO8601")
    return frame


def driver_rows(session: Session, sql: str, params: dict) -> list[tuple]:
    """Rows of a plain SELECT (`:name` parameters) through the driver's own cursor, in the session's transaction.

    For the punch queries, which return hundreds of thousands of rows: SQLAlchemy's row objects cost several
    times the query itself. Date-times are bound as SQLAlchemy stores them (SQLite: its DATETIME text).
    """
    connection = session.connection()
    raw = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        with raw.cursor() as cur:
            cur.execute(re.sub(r":(\w+)", r"%(\1)s", sql), params)
            return cur.fetchall()
    to_text = Punch.__table__.c.time.type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
    bound = {k: to_text(v) if isinstance(v, dt.datetime) else v for k, v in params.items()}
    cursor = raw.cursor()
    try:
        return cursor.execute(sql, bound).fetchall()
    finally:
        cursor.close()


def _punch_rows(rows: list[tuple]) -> pd.DataFrame:
    """(staff_id, time) rows → the punches frame the rules take (SQLite gives its stored text, parsed vectorised)."""
    if not rows:
        return R.empty_punches()
    staff, times = zip(*rows, strict=True)
    values = pd.Series(times, dtype=object)
    if isinstance(times[0], str):
        values = pd.to_datetime(values, format="ISO8601")
    return pd.DataFrame({R.STAFF_ID: pd.Series(staff, dtype=object), R.TIME: pd.to_datetime(values)})


def month_inputs(session: Session, contract_id: int, month: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The contract's staff's device punches and make-ups dated in the month, and approved leave overlapping it."""
    first, _ = month_bounds(month)
    lo = dt.datetime.combine(first, dt.time())
    hi = dt.datetime.combine(next_month_start(first), dt.time())
    punches = driver_rows(session, (
        f"SELECT p.staff_id, p.time FROM {Punch.__tablename__} p JOIN {Staff.__tablename__} s "
        "ON s.staff_id = p.staff_id WHERE s.contract_id = :contract AND p.time >= :lo AND p.time < :hi"),
        {"contract": contract_id, "lo": lo, "hi": hi})
    makeups = session.execute(
        select(Makeup.staff_id, Makeup.time, Makeup.approved).join(Staff, Staff.staff_id == Makeup.staff_id)
        .where(Staff.contract_id == contract_id, Makeup.time >= lo, Makeup.time < hi))
    leave = session.execute(
        select(Leave.staff_id, Leave.start, Leave.end, Leave.approved).join(Staff, Staff.staff_id == Leave.staff_id)
        .where(Staff.contract_id == contract_id, Leave.approved.is_(True), Leave.start < hi, Leave.end > lo))
    p = _punch_rows(punches)
    m = frame_of(makeups, [R.STAFF_ID, R.TIME, R.APPROVED])
    lv = frame_of(leave, [R.STAFF_ID, R.START, R.END, R.APPROVED])
    return (p if len(p) else R.empty_punches(), m if len(m) else R.empty_makeups(),
            lv if len(lv) else R.empty_leave())


# ---------------------------------------------------------------- month summaries (A6), stored


_SUMMARY_COLUMNS = ("contract_id", "month", "staff_id", *R.COUNT_FIELDS, "no_signin_month")


def store_month(session: Session, contract_id: int, month: str, frame: pd.DataFrame) -> None:
    """Replace the month's stored A6 rows with `frame` (one executemany: 10 000 staff a month), and its totals."""
    session.execute(delete(MonthSummary).where(MonthSummary.contract_id == contract_id, MonthSummary.month == month))
    session.execute(delete(AttendanceMonth).where(AttendanceMonth.contract_id == contract_id,
                                                  AttendanceMonth.month == month))
    n = len(frame)
    flagged = int(_flagged(frame).sum()) if n else 0
    session.execute(insert(AttendanceMonth), [{"contract_id": contract_id, "month": month, "listed": n,
                                               "flagged": flagged, **R.summary_totals(frame)}])
    if not n:
        return
    columns = [[contract_id] * n, [month] * n, [str(s) for s in frame[R.STAFF_ID].tolist()]]
    columns += [frame[name].astype("int64").tolist() for name in R.COUNT_FIELDS]
    columns.append(frame["no_signin_month"].astype(bool).tolist())
    connection = session.connection()
    mark = "%s" if connection.dialect.name == "postgresql" else "?"
    connection.exec_driver_sql(
        f"INSERT INTO {MonthSummary.__tablename__} ({', '.join(_SUMMARY_COLUMNS)}) "
        f"VALUES ({', '.join([mark] * len(_SUMMARY_COLUMNS))})", list(zip(*columns, strict=True)))


def _flagged(frame: pd.DataFrame):
    """The people of a month who need attention: late or early, absent, or a no sign-in month."""
    return ((frame["late_early_events"].to_numpy() > 0) | (frame["absent_sessions"].to_numpy() > 0)
            | frame["no_signin_month"].to_numpy(dtype=bool))


def drop_months_outside(session: Session, contract_id: int, months: list[str]) -> None:
    """A contract whose term changed keeps no summary of a month it no longer has."""
    session.execute(delete(MonthSummary).where(MonthSummary.contract_id == contract_id,
                                               MonthSummary.month.not_in(months)))
    session.execute(delete(AttendanceMonth).where(AttendanceMonth.contract_id == contract_id,
                                                  AttendanceMonth.month.not_in(months)))


def month_rows(session: Session, contract_id: int, months: list[str]) -> dict[str, AttendanceMonth]:
    """The months' stored totals (a month of the contract not yet derived is absent)."""
    return {row.month: row for row in session.scalars(select(AttendanceMonth).where(
        AttendanceMonth.contract_id == contract_id, AttendanceMonth.month.in_(months)))}


def flagged_rows(session: Session, contract_id: int, month: str, limit: int) -> list[tuple]:
    """The month's people who need attention, the most absent sessions first, then the most lates and early
    leaves, then staff_id: (staff_id, *SUMMARY_FIELDS) rows, at most `limit`."""
    needing = or_(MonthSummary.late_early_events > 0, MonthSummary.absent_sessions > 0,
                  MonthSummary.no_signin_month.is_(True))
    columns = [MonthSummary.staff_id, *(getattr(MonthSummary, n) for n in R.SUMMARY_FIELDS)]
    return [tuple(r) for r in session.execute(
        select(*columns).where(MonthSummary.contract_id == contract_id, MonthSummary.month == month, needing)
        .order_by(MonthSummary.absent_sessions.desc(), MonthSummary.late_early_events.desc(), MonthSummary.staff_id)
        .limit(limit))]


def stored_summaries(session: Session, contract_id: int, months: list[str]) -> pd.DataFrame:
    """The stored A6 rows of the months, by (month, staff_id), through the driver (a year of a large contract is
    over a hundred thousand rows)."""
    names = [R.MONTH, R.STAFF_ID, *R.SUMMARY_FIELDS]
    rows: list[tuple] = []
    fields = ", ".join(["month", "staff_id", *R.SUMMARY_FIELDS])
    for part in _chunks(months, 500):
        marks = {f"m{i}": month for i, month in enumerate(part)}
        rows += driver_rows(session, (
            f"SELECT {fields} FROM {MonthSummary.__tablename__} WHERE contract_id = :contract "
            f"AND month IN ({', '.join(':' + k for k in marks)})"), {"contract": contract_id, **marks})
    frame = frame_of(rows, names)
    if frame.empty:
        return frame
    for name in R.COUNT_FIELDS:
        frame[name] = frame[name].astype("int64")
    frame["no_signin_month"] = frame["no_signin_month"].astype(bool)
    return frame.sort_values([R.MONTH, R.STAFF_ID], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------- demands (A8, A9), stored


def personnel_complaints(session: Session, contract_id: int) -> list[tuple[str, dt.date]]:
    """Substantiated personnel complaints naming one of the contract's staff, dated resolved_on else received_on."""
    rows = session.execute(
        select(Complaint.staff_id, Complaint.resolved_on, Complaint.received_on)
        .join(Staff, Staff.staff_id == Complaint.staff_id)
        .where(Staff.contract_id == contract_id, Complaint.substantiated.is_(True),
               Complaint.category == "personnel")
    ).all()
    return [(sid, resolved or received) for sid, resolved, received in rows]


def late_punch_days(session: Session, found: list[D.Demand], quota: int) -> pd.DataFrame:
    """What A9 needs of the demanded people's punches (device punches and accepted make-ups, A3), reduced as
    demands.late_punches allows: each person's first punch day of each month from the earliest deadline on, and the
    first punch day after each demand's deadline within the deadline's month."""
    if not found:
        return D.punch_days(R.empty_punches())
    people = sorted({d.staff_id for d in found})
    earliest = min(d.deadline for d in found)
    lo = dt.datetime.combine(earliest + dt.timedelta(days=1), dt.time())
    postgres = session.get_bind().dialect.name == "postgresql"
    month = "date_trunc('month', time)" if postgres else "substr(time, 1, 7)"
    device: list[tuple] = []
    for part in _chunks(people):
        marks = {f"s{i}": sid for i, sid in enumerate(part)}
        device += driver_rows(session, (
            f"SELECT staff_id, min(time) FROM {Punch.__tablename__} "
            f"WHERE staff_id IN ({', '.join(':' + k for k in marks)}) AND time >= :lo GROUP BY staff_id, {month}"),
            {**marks, "lo": lo})
    device += _first_punches_in_deadline_months(session, found)
    quota_from = dt.datetime.combine(earliest.replace(day=1), dt.time())
    makeups = []
    for part in _chunks(people):
        makeups += session.execute(select(Makeup.staff_id, Makeup.time, Makeup.approved).where(
            Makeup.staff_id.in_(part), Makeup.time >= quota_from)).all()
    m = frame_of(makeups, [R.STAFF_ID, R.TIME, R.APPROVED]) if makeups else R.empty_makeups()
    punches = R.all_punches(_punch_rows(device), m, quota)
    return D.punch_days(punches)


def _first_punches_in_deadline_months(session: Session, found: list[D.Demand]) -> list[tuple[str, object]]:
    """Each demand's first device punch after its deadline within the deadline's own month: one statement, the
    windows staged in a temporary table and met by an index range each."""
    windows = {(d.staff_id, d.deadline) for d in found}
    connection = session.connection()
    staged = Table("staging_deadline_window", MetaData(), Column("staff_id", Punch.__table__.c.staff_id.type),
                   Column("after", Punch.__table__.c.time.type), Column("until", Punch.__table__.c.time.type),
                   prefixes=["TEMPORARY"])
    staged.create(connection)
    connection.execute(insert(staged), [
        {"staff_id": staff_id, "after": dt.datetime.combine(deadline + dt.timedelta(days=1), dt.time()),
         "until": dt.datetime.combine(next_month_start(deadline), dt.time())} for staff_id, deadline in windows])
    rows = connection.execute(
        select(staged.c.staff_id, func.min(Punch.time))
        .join(Punch, and_(Punch.staff_id == staged.c.staff_id, Punch.time >= staged.c.after,
                          Punch.time < staged.c.until))
        .group_by(staged.c.staff_id, staged.c.after)).all()
    staged.drop(connection)
    return [(staff_id, first) for staff_id, first in rows if first is not None]


def store_demands(session: Session, contract_id: int, found: list[D.Demand],
                  late: dict[tuple[str, str, dt.date], D.LatePunches]) -> None:
    """Replace the contract's stored demands with `found`, each with its A9 facts (its months in demand_month)."""
    session.execute(delete(DemandMonth).where(DemandMonth.contract_id == contract_id))
    session.execute(delete(StoredDemand).where(StoredDemand.contract_id == contract_id))
    if not found:
        return
    waived = waivers(session, contract_id)
    rows = [{"contract_id": contract_id, "staff_id": d.staff_id, "reason": d.reason, "raised_on": d.raised_on,
             "deadline": d.deadline, "first_late_punch": late.get(d.key, D.LatePunches()).first,
             "waived": d.key in waived, "unenforced": d.key not in waived and d.key in late} for d in found]
    ids = session.execute(insert(StoredDemand).returning(StoredDemand.id, sort_by_parameter_order=True),
                          rows).scalars().all()
    months = [{"demand_id": demand_id, "contract_id": contract_id, "staff_id": demand.staff_id, "month": month,
               "first_day": day, "waived": demand.key in waived}
              for demand_id, demand in zip(ids, found, strict=True)
              for month, day in late.get(demand.key, D.LatePunches()).months]
    if months:
        session.execute(insert(DemandMonth), months)


def stored_demands(session: Session, contract_id: int, as_of: dt.date | None = None
                   ) -> tuple[list[D.Demand], dict[tuple[str, str, dt.date], D.LatePunches]]:
    """The contract's stored demands (raised by T when given) and their A9 facts."""
    stmt = select(StoredDemand.id, StoredDemand.staff_id, StoredDemand.reason, StoredDemand.raised_on,
                  StoredDemand.deadline, StoredDemand.first_late_punch).where(StoredDemand.contract_id == contract_id)
    if as_of is not None:
        stmt = stmt.where(StoredDemand.raised_on <= as_of)
    months: dict[int, list[tuple[str, dt.date]]] = {}
    for demand_id, month, day in session.execute(
            select(DemandMonth.demand_id, DemandMonth.month, DemandMonth.first_day)
            .where(DemandMonth.contract_id == contract_id).order_by(DemandMonth.demand_id, DemandMonth.month)):
        months.setdefault(demand_id, []).append((month, day))
    found, late = [], {}
    for demand_id, staff_id, reason, raised_on, deadline, first in session.execute(stmt):
        demand = D.Demand(staff_id, reason, raised_on, deadline)
        found.append(demand)
        if first is not None:
            late[demand.key] = D.LatePunches(first, tuple(months.get(demand_id, ())))
    return found, late


def mark_waived(session: Session, contract_id: int, key: tuple[str, str, dt.date]) -> None:
    """A waiver's write: its demand is waived, never unenforced, and its months no longer count (A8, A9)."""
    staff_id, reason, raised_on = key
    demand_id = session.scalar(select(StoredDemand.id).where(
        StoredDemand.contract_id == contract_id, StoredDemand.staff_id == staff_id, StoredDemand.reason == reason,
        StoredDemand.raised_on == raised_on))
    session.execute(update(StoredDemand).where(StoredDemand.id == demand_id).values(waived=True, unenforced=False))
    session.execute(update(DemandMonth).where(DemandMonth.demand_id == demand_id).values(waived=True))


def unenforced_staff(session: Session, contract_id: int, months: list[str]) -> dict[str, list[str]]:
    """A9 over every punch: month → sorted staff_ids with an unenforced person-month, for these contract months."""
    rows = session.execute(
        select(DemandMonth.month, DemandMonth.staff_id).distinct()
        .where(DemandMonth.contract_id == contract_id, DemandMonth.month.in_(months), DemandMonth.waived.is_(False)))
    out: dict[str, set[str]] = {}
    for month, staff_id in rows:
        out.setdefault(month, set()).add(staff_id)
    return {month: sorted(staff) for month, staff in sorted(out.items())}


def demand_counts(session: Session, contract_id: int) -> tuple[int, int, int]:
    """(demands, waived, unenforced) over the whole term, counted by the database."""
    total, waived, unenforced = session.execute(
        select(func.count(), func.count().filter(StoredDemand.waived.is_(True)),
               func.count().filter(StoredDemand.unenforced.is_(True)))
        .where(StoredDemand.contract_id == contract_id)).one()
    return total, waived, unenforced


def demands_to_act_on(session: Session, contract_id: int, first: dt.date, last: dt.date, limit: int
                      ) -> tuple[list[tuple[str, str, dt.date]], int]:
    """The keys of the demands a manager acts on in a month: unenforced ones first, then those raised in the month,
    each by (raised_on, staff_id, reason); at most `limit`, and how many there are."""
    mine = StoredDemand.contract_id == contract_id
    unenforced = StoredDemand.unenforced.is_(True)
    in_month = and_(StoredDemand.unenforced.is_(False), StoredDemand.raised_on.between(first, last))
    columns = (StoredDemand.staff_id, StoredDemand.reason, StoredDemand.raised_on)
    order = (StoredDemand.raised_on, StoredDemand.staff_id, StoredDemand.reason)
    keys = [tuple(k) for k in session.execute(select(*columns).where(mine, unenforced).order_by(*order).limit(limit))]
    if len(keys) < limit:
        keys += [tuple(k) for k in session.execute(
            select(*columns).where(mine, in_month).order_by(*order).limit(limit - len(keys)))]
    count = session.scalar(select(func.count()).select_from(StoredDemand).where(mine, or_(unenforced, in_month)))
    return keys, count or 0


def demands_by_key(session: Session, contract_id: int, keys: list[tuple[str, str, dt.date]]) -> list[D.Demand]:
    """These stored demands, judged over every punch (A9), in the order given."""
    if not keys:
        return []
    wanted = set(keys)
    staff = sorted({k[0] for k in keys})
    stmt = (select(StoredDemand.id, StoredDemand.staff_id, StoredDemand.reason, StoredDemand.raised_on,
                   StoredDemand.deadline, StoredDemand.first_late_punch)
            .where(StoredDemand.contract_id == contract_id, StoredDemand.staff_id.in_(staff)))
    found: dict[tuple[str, str, dt.date], tuple[int, D.Demand, dt.date | None]] = {}
    for demand_id, staff_id, reason, raised_on, deadline, first in session.execute(stmt):
        if (staff_id, reason, raised_on) in wanted:
            found[(staff_id, reason, raised_on)] = (demand_id, D.Demand(staff_id, reason, raised_on, deadline), first)
    months: dict[int, list[tuple[str, dt.date]]] = {}
    ids = [demand_id for demand_id, _, _ in found.values()]
    for demand_id, month, day in session.execute(
            select(DemandMonth.demand_id, DemandMonth.month, DemandMonth.first_day)
            .where(DemandMonth.demand_id.in_(ids)).order_by(DemandMonth.demand_id, DemandMonth.month)):
        months.setdefault(demand_id, []).append((month, day))
    late = {key: D.LatePunches(first, tuple(months.get(demand_id, ())))
            for key, (demand_id, _, first) in found.items() if first is not None}
    ordered = [found[k][1] for k in keys if k in found]
    return D.judge(ordered, late, waivers(session, contract_id), None)


def waivers(session: Session, contract_id: int) -> set[tuple[str, str, dt.date]]:
    return {(w.staff_id, w.reason, w.raised_on) for w in session.scalars(
        select(DemandWaiver).where(DemandWaiver.contract_id == contract_id))}


def waiver_of(session: Session, contract_id: int, key: tuple[str, str, dt.date]) -> DemandWaiver | None:
    staff_id, reason, raised_on = key
    return session.scalar(select(DemandWaiver).where(
        DemandWaiver.contract_id == contract_id, DemandWaiver.staff_id == staff_id,
        DemandWaiver.reason == reason, DemandWaiver.raised_on == raised_on))
