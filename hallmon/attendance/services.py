"""Attendance services: storing punches, leave and make-ups; computing and caching monthly summaries; demands."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy import text as sql
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hallmon.attendance import rules as R
from hallmon.attendance.models import DemandWaiver, Leave, Makeup, MonthSummary, Punch, SummaryState
from hallmon.core.errors import NotFound, Refused
from hallmon.core.periods import month_bounds, months_between, next_month_start, parse_month
from hallmon.db import transaction, upsert_rows
from hallmon.ingest.service import IngestMeta, PersistCounts
from hallmon.ingest.source import Parsed

CHUNK = 100_000
SQLITE_LOAD_CACHE_KIB = 256 * 1024
_IN_CHUNK = 5_000


# ---------------------------------------------------------------- invalidation and the roster


def invalidate_summaries(session: Session, contract_ids: Iterable[int], months: Iterable[str] | None = None) -> None:
    """Drop stored summaries whose inputs changed; the next read recomputes them (inside the caller's transaction)."""
    contract_ids = list(contract_ids)
    if not contract_ids:
        return
    month_list = None if months is None else sorted(set(months))
    if month_list is not None and not month_list:
        return
    take_turns(session, contract_ids, recomputing=False)
    for model in (MonthSummary, SummaryState):
        stmt = delete(model).where(model.contract_id.in_(contract_ids))
        if month_list is not None:
            stmt = stmt.where(model.month.in_(month_list))
        session.execute(stmt)


_SUMMARY_LOCK = 0x484D  # "HM": the advisory-lock namespace of stored summaries


def take_turns(session: Session, contract_ids: Iterable[int], recomputing: bool) -> None:
    """A load that changes a contract's attendance and a recomputation of its summaries take turns (A6 storage).

    Without it a load committing while a month is being computed leaves the month stored as current without the
    load's rows. PostgreSQL: an advisory lock per contract until the transaction ends — exclusive for loads (taken
    where they invalidate, in contract order), shared for recomputations. SQLite has one writer at a time and a
    recomputation writes before it reads (refresh_summaries), so nothing more is needed there.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    function = "pg_advisory_xact_lock_shared" if recomputing else "pg_advisory_xact_lock"
    for contract_id in sorted(set(contract_ids)):
        session.execute(sql(f"SELECT {function}(:space, :contract)"), {"space": _SUMMARY_LOCK, "contract": contract_id})


def roster_frame(session: Session, contract_id: int):
    """The contract's staff as a frame (staff_id, hired_on, left_on, name, department, window)."""
    from hallmon.roster.models import Department, Staff, Window

    rows = session.execute(
        select(Staff.staff_id, Staff.name, Staff.hired_on, Staff.left_on, Department.name, Window.code)
        .join(Department, Staff.department_id == Department.id)
        .outerjoin(Window, Staff.window_id == Window.id)
        .where(Staff.contract_id == contract_id)
        .order_by(Staff.staff_id)
    ).all()
    return pd.DataFrame(rows, columns=["staff_id", "name", "hired_on", "left_on", "department", "window"],
                        dtype=object)


def staffed_person_days(session: Session, contract_code: str, months: Iterable[str]) -> tuple[dict[str, int], list[str]]:
    """A1 summed over the contract's staff, per month (B3 staffing, K3); with the W1 warnings."""
    from hallmon.attendance.rules import scheduled_days
    from hallmon.core.calendar import WorkCalendar
    from hallmon.roster.services import get_contract

    contract = get_contract(session, contract_code)
    terms = contract.terms()
    calendar = WorkCalendar.for_terms(terms)
    roster = roster_frame(session, contract.id)
    out = {month: len(scheduled_days(roster, terms.start, terms.end, month, calendar)) for month in months}
    return out, calendar.warnings()


def _chunks(values: list, size: int = _IN_CHUNK):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _staff_contracts(session: Session, staff_ids: Iterable[str]) -> dict[str, int]:
    from hallmon.roster.models import Staff

    ids = sorted(set(staff_ids))
    out: dict[str, int] = {}
    for part in _chunks(ids):
        out.update(session.execute(select(Staff.staff_id, Staff.contract_id).where(Staff.staff_id.in_(part))).all())
    return out


def _contract_months(session: Session, contract_ids: Iterable[int]) -> dict[int, set[str]]:
    from hallmon.roster.models import Contract

    ids = list(set(contract_ids))
    rows = session.execute(select(Contract.id, Contract.start, Contract.end).where(Contract.id.in_(ids))).all()
    return {cid: set(months_between(start, end)) for cid, start, end in rows}


def _invalidate_months(session: Session, pairs: Iterable[tuple[str, str]]) -> None:
    """Recompute, on the next read, the contract months of the given (staff_id, month) pairs."""
    pairs = set(pairs)
    if not pairs:
        return
    contracts = _staff_contracts(session, (sid for sid, _ in pairs))
    months: dict[int, set[str]] = {}
    for sid, month in pairs:
        if sid in contracts:
            months.setdefault(contracts[sid], set()).add(month)
    inside = _contract_months(session, months)
    take_turns(session, months, recomputing=False)   # every contract first, in order: two loads never deadlock
    for cid, wanted in months.items():
        invalidate_summaries(session, [cid], wanted & inside.get(cid, set()))


def _staff_months(staff_ids: pd.Series, times: pd.Series) -> set[tuple[str, str]]:
    """The distinct (staff_id, YYYY-MM) of rows."""
    values = pd.to_datetime(times)
    keyed = pd.DataFrame({"s": staff_ids.to_numpy(dtype=object),
                          "m": (values.dt.year * 100 + values.dt.month).to_numpy()}).drop_duplicates()
    return {(sid, f"{m // 100:04d}-{m % 100:02d}") for sid, m in zip(keyed["s"], keyed["m"], strict=True)}


# ---------------------------------------------------------------- persisting the three sources


def _punch_keys(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(staff_ids, times as datetime64[us], devices) with one row per (staff_id, time), ordered by that key.

    The first row of a repeated key wins, as with drop_duplicates; the key order is the unique index's order
    (code points, which is UTF-8 byte order), so that the index grows at its end instead of everywhere.
    """
    staff = frame["staff_id"].to_numpy(dtype=object)
    times = pd.to_datetime(frame["time"]).to_numpy(dtype="datetime64[us]")
    devices = frame["device"].to_numpy(dtype=object)
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


def _copy_text(staff: np.ndarray, times: np.ndarray, devices: np.ndarray) -> str | None:
    """The rows in COPY's text format, or None when a value would need escaping (then rows go one by one)."""
    staff_ids, device = staff.tolist(), devices.tolist()
    values = "".join(staff_ids) + "".join(d for d in device if d is not None)
    if any(special in values for special in ("\\", "\t", "\n", "\r")):
        return None
    clock = np.datetime_as_string(times, unit="us").tolist()
    device = [r"\N" if d is None else d for d in device]
    return "".join([f"{s}\t{c}\t{d}\n" for s, c, d in zip(staff_ids, clock, device, strict=True)])


def _insert_punches(session: Session, staff: np.ndarray, times: np.ndarray, devices: np.ndarray,
                    progress=None) -> int:
    """Bulk insert of distinct (staff_id, time, device) in key order; a punch already stored stays. Returns rows inserted."""
    connection = session.connection()
    table = Punch.__table__
    inserted = 0
    total = len(staff)
    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection
        with raw.cursor() as cur:
            cur.execute("CREATE TEMP TABLE IF NOT EXISTS hallmon_punch_load "
                        "(staff_id varchar(64), time timestamp, device varchar(100)) ON COMMIT DROP")
            for done in range(0, total, CHUNK):
                part = slice(done, done + CHUNK)
                cur.execute("TRUNCATE hallmon_punch_load")
                text = _copy_text(staff[part], times[part], devices[part])
                with cur.copy("COPY hallmon_punch_load (staff_id, time, device) FROM STDIN") as copy:
                    if text is not None:
                        copy.write(text)
                    else:
                        for row in zip(staff[part].tolist(), times[part].tolist(), devices[part].tolist(),
                                       strict=True):
                            copy.write_row(row)
                inserted += _pg_insert_loaded(raw, cur, table.name)
                if progress:
                    progress("写入打卡记录", min(done + CHUNK, total), total)
        return inserted
    # SQLite: the DB-API's executemany with SQLAlchemy's own storage format for the time column; a larger page
    # cache while the indexes grow (restored afterwards: the connection goes back to the pool)
    raw = connection.connection.driver_connection
    sql = f"INSERT INTO {table.name} (staff_id, time, device) VALUES (?, ?, ?) ON CONFLICT (staff_id, time) DO NOTHING"
    cursor = raw.cursor()
    cache = cursor.execute("PRAGMA cache_size").fetchone()[0]
    try:
        cursor.execute(f"PRAGMA cache_size = {min(-SQLITE_LOAD_CACHE_KIB, cache)}")
        for done in range(0, total, CHUNK):
            part = slice(done, done + CHUNK)
            cursor.executemany(sql, zip(staff[part].tolist(), _sqlite_times(times[part]), devices[part].tolist(),
                                        strict=True))
            inserted += max(cursor.rowcount, 0)
            if progress:
                progress("写入打卡记录", min(done + CHUNK, total), total)
    finally:
        cursor.execute(f"PRAGMA cache_size = {cache}")
        cursor.close()
    return inserted


def _pg_insert_loaded(raw, cur, table: str) -> int:
    """Loaded rows → the punch table in key order, skipping stored keys.

    Without ON CONFLICT first (its speculative insertion costs a third of the insert); a concurrent load of the same
    punches makes that fail on the unique key, and then the same rows go in with ON CONFLICT DO NOTHING.
    """
    select_new = ("SELECT l.staff_id, l.time, l.device FROM hallmon_punch_load l WHERE NOT EXISTS "
                  f"(SELECT 1 FROM {table} p WHERE p.staff_id = l.staff_id AND p.time = l.time) "
                  "ORDER BY l.staff_id, l.time")
    import psycopg

    try:
        with raw.transaction():  # a savepoint inside the ingest's transaction
            cur.execute(f"INSERT INTO {table} (staff_id, time, device) {select_new}")
            return max(cur.rowcount, 0)
    except psycopg.errors.UniqueViolation:
        cur.execute(f"INSERT INTO {table} (staff_id, time, device) {select_new} "
                    "ON CONFLICT (staff_id, time) DO NOTHING")
        return max(cur.rowcount, 0)


def persist_punches(session: Session, parsed: Parsed, meta: IngestMeta) -> PersistCounts:
    """Punches keyed by (staff_id, time): loading again changes nothing; two identical rows are one punch."""
    if parsed.frame.empty:
        return PersistCounts(unchanged=len(parsed.frame))
    staff, times, devices = _punch_keys(parsed.frame)
    devices = np.asarray([d if isinstance(d, str) else None for d in devices.tolist()], dtype=object)
    inserted = _insert_punches(session, staff, times, devices, meta.progress)
    if inserted:
        _invalidate_months(session, _staff_months(pd.Series(staff, dtype=object), pd.Series(times)))
    return PersistCounts(inserted=inserted, unchanged=len(parsed.frame) - inserted)


def _existing(session: Session, model, key: str, staff_ids: list[str]) -> dict[tuple[str, dt.datetime], object]:
    out = {}
    for part in _chunks(sorted(set(staff_ids))):
        for row in session.scalars(select(model).where(model.staff_id.in_(part))):
            out[(row.staff_id, getattr(row, key))] = row
    return out


def _leave_months(start: dt.datetime, end: dt.datetime) -> list[str]:
    last = end - dt.timedelta(microseconds=1)
    return months_between(start.date(), max(last, start).date())


def persist_leave(session: Session, parsed: Parsed, meta: IngestMeta) -> PersistCounts:
    """Leave keyed by (staff_id, start): a later file replaces end, kind and approval; every month it touches is recomputed."""
    counts = PersistCounts()
    frame = parsed.frame
    existing = _existing(session, Leave, "start", list(frame["staff_id"]))
    rows, touched = [], set()
    for sid, start, end, kind, approved in zip(frame["staff_id"], frame["start"], frame["end"], frame["kind"],
                                               frame["approved"], strict=True):
        row = {"staff_id": sid, "start": start, "end": end, "kind": kind, "approved": bool(approved)}
        old = existing.get((sid, start))
        if old is None:
            counts.inserted += 1
        elif (old.end, old.kind, old.approved) == (end, kind, bool(approved)):
            counts.unchanged += 1
            continue
        else:
            counts.updated += 1
            touched.update((sid, m) for m in _leave_months(old.start, old.end))
        touched.update((sid, m) for m in _leave_months(start, end))
        rows.append(row)
    upsert_rows(session, Leave.__table__, rows, key=["staff_id", "start"], update=["end", "kind", "approved"])
    _invalidate_months(session, touched)
    return counts


def persist_makeup(session: Session, parsed: Parsed, meta: IngestMeta) -> PersistCounts:
    """Make-ups keyed by (staff_id, time): a later file replaces the reason and approval; the month is recomputed."""
    counts = PersistCounts()
    frame = parsed.frame
    existing = _existing(session, Makeup, "time", list(frame["staff_id"]))
    rows, touched = [], set()
    for sid, time, reason, approved in zip(frame["staff_id"], frame["time"], frame["reason"], frame["approved"],
                                           strict=True):
        old = existing.get((sid, time))
        if old is None:
            counts.inserted += 1
        elif (old.reason, old.approved) == (reason, bool(approved)):
            counts.unchanged += 1
            continue
        else:
            counts.updated += 1
        touched.add((sid, f"{time.year:04d}-{time.month:02d}"))
        rows.append({"staff_id": sid, "time": time, "reason": reason, "approved": bool(approved)})
    upsert_rows(session, Makeup.__table__, rows, key=["staff_id", "time"], update=["reason", "approved"])
    _invalidate_months(session, touched)
    return counts


PERSIST = {"punches": persist_punches, "leave": persist_leave, "makeup": persist_makeup}


# ---------------------------------------------------------------- monthly summaries (A1–A7)


def _frame(rows, columns: list[str]) -> pd.DataFrame:
    """Result rows → a frame, column by column (much faster than from_records on Row objects)."""
    rows = list(rows)
    if not rows:
        return pd.DataFrame({name: pd.Series([], dtype=object) for name in columns})
    frame = pd.DataFrame(dict(zip(columns, (list(c) for c in zip(*rows, strict=True)), strict=True)))
    for name in (R.TIME, R.START, R.END):
        if name in frame and isinstance(frame[name].iloc[0], str):
            frame[name] = pd.to_datetime(frame[name], format="ISO8601")
    return frame


def _driver_rows(session: Session, sql: str, params: dict) -> list[tuple]:
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


def _month_inputs(session: Session, contract_id: int, month: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The contract's staff's device punches and make-ups dated in the month, and approved leave overlapping it."""
    from hallmon.roster.models import Staff

    first, _ = month_bounds(month)
    lo = dt.datetime.combine(first, dt.time())
    hi = dt.datetime.combine(next_month_start(first), dt.time())
    punches = _driver_rows(session, (
        f"SELECT p.staff_id, p.time FROM {Punch.__tablename__} p JOIN {Staff.__tablename__} s ON s.staff_id = p.staff_id "
        "WHERE s.contract_id = :contract AND p.time >= :lo AND p.time < :hi"), {"contract": contract_id, "lo": lo, "hi": hi})
    makeups = session.execute(
        select(Makeup.staff_id, Makeup.time, Makeup.approved).join(Staff, Staff.staff_id == Makeup.staff_id)
        .where(Staff.contract_id == contract_id, Makeup.time >= lo, Makeup.time < hi)
    )
    leave = session.execute(
        select(Leave.staff_id, Leave.start, Leave.end, Leave.approved).join(Staff, Staff.staff_id == Leave.staff_id)
        .where(Staff.contract_id == contract_id, Leave.approved.is_(True), Leave.start < hi, Leave.end > lo)
    )
    p = _punch_rows(punches)
    m = _frame(makeups, [R.STAFF_ID, R.TIME, R.APPROVED])
    lv = _frame(leave, [R.STAFF_ID, R.START, R.END, R.APPROVED])
    return (p if len(p) else R.empty_punches(), m if len(m) else R.empty_makeups(),
            lv if len(lv) else R.empty_leave())


def compute_month(session: Session, contract, terms, month: str) -> tuple[pd.DataFrame, list[str]]:
    """A1–A7 for one contract month from the data now stored (nothing is written)."""
    from hallmon.core.calendar import WorkCalendar

    calendar = WorkCalendar.for_terms(terms)
    roster = roster_frame(session, contract.id)[[R.STAFF_ID, R.HIRED_ON, R.LEFT_ON]]
    punches, makeups, leave = _month_inputs(session, contract.id, month)
    frame = R.summarise_month(roster, terms.start, terms.end, month, calendar, R.AttendanceRules.from_terms(terms),
                              punches, makeups, leave)
    return frame, calendar.warnings()


_SUMMARY_COLUMNS = ("contract_id", "month", "staff_id", *R.COUNT_FIELDS, "no_signin_month")


def _summary_rows(contract_id: int, month: str, frame: pd.DataFrame) -> list[tuple]:
    """The month's A6 frame as rows of _SUMMARY_COLUMNS, in Python types (column by column: 10 000 staff a month)."""
    n = len(frame)
    columns = [[contract_id] * n, [month] * n, [str(s) for s in frame[R.STAFF_ID].tolist()]]
    columns += [frame[name].astype("int64").tolist() for name in R.COUNT_FIELDS]
    columns.append(frame["no_signin_month"].astype(bool).tolist())
    return list(zip(*columns, strict=True))


def _insert_summaries(session: Session, rows: list[tuple]) -> None:
    """One executemany of the rows (SQLAlchemy still wraps the driver's errors, so IntegrityError stays one)."""
    connection = session.connection()
    mark = "%s" if connection.dialect.name == "postgresql" else "?"
    connection.exec_driver_sql(
        f"INSERT INTO {MonthSummary.__tablename__} ({', '.join(_SUMMARY_COLUMNS)}) "
        f"VALUES ({', '.join([mark] * len(_SUMMARY_COLUMNS))})", rows)


def refresh_summaries(session: Session, contract, terms, months: Iterable[str]) -> None:
    """A6 storage: recompute and store each month whose SummaryState is missing (each month in its own transaction).

    The month's stored rows are deleted before its inputs are read and the contract is held (take_turns), so that
    a load cannot commit between the reading and the storing: the month is stored as current only when it is.
    """
    months = [m for m in months if m in set(terms.months())]
    if not months:
        return
    present = set(session.scalars(select(SummaryState.month).where(
        SummaryState.contract_id == contract.id, SummaryState.month.in_(months))))
    for month in months:
        if month in present:
            continue
        try:
            with transaction(session):
                session.execute(delete(MonthSummary).where(MonthSummary.contract_id == contract.id,
                                                           MonthSummary.month == month))
                session.execute(delete(SummaryState).where(SummaryState.contract_id == contract.id,
                                                           SummaryState.month == month))
                take_turns(session, [contract.id], recomputing=True)
                frame, warnings = compute_month(session, contract, terms, month)
                rows = _summary_rows(contract.id, month, frame)
                if rows:
                    _insert_summaries(session, rows)
                session.add(SummaryState(contract_id=contract.id, month=month,
                                         computed_at=dt.datetime.now().replace(microsecond=0),
                                         warnings="\n".join(warnings) or None))
        except IntegrityError:
            pass  # another process stored the same month at the same moment; its rows serve


def _warnings(session: Session, contract_id: int, months: Iterable[str]) -> list[str]:
    found: list[str] = []
    for text in session.scalars(select(SummaryState.warnings).where(
            SummaryState.contract_id == contract_id, SummaryState.month.in_(list(months)))):
        for line in (text or "").splitlines():
            if line not in found:
                found.append(line)
    return sorted(found)


_CURRENT_ATTEMPTS = 5


def current_summaries(session: Session, contract, terms, months: list[str]) -> pd.DataFrame:
    """The A6 rows of the months, by (month, staff_id), as they are now: recomputed first where stale.

    The rows are read in one statement together with the months' SummaryState, so that they come from one
    snapshot: a month whose state is in it has all its rows in it (both are written in one transaction). A load
    that invalidates a month between the recomputation and the read leaves its state out of the snapshot; that
    month is recomputed and read again, and after a few such turns computed in memory without being stored.
    """
    months = [m for m in months if m in set(terms.months())]
    names = [R.MONTH, R.STAFF_ID, *R.SUMMARY_FIELDS]
    if not months:
        return _summary_frame([], names)
    rows: list[tuple] = []
    missing = list(months)
    for _ in range(_CURRENT_ATTEMPTS):
        refresh_summaries(session, contract, terms, missing)
        found, seen = _stored_with_state(session, contract.id, missing)
        rows += found
        missing = [m for m in missing if m not in seen]
        if not missing:
            break
    for month in missing:  # loads kept arriving: this answer is computed, the next read stores it
        frame, _ = compute_month(session, contract, terms, month)
        rows += [(month, *values) for values in frame[[R.STAFF_ID, *R.SUMMARY_FIELDS]].itertuples(index=False)]
    return _summary_frame(rows, names)


def _stored_with_state(session: Session, contract_id: int, months: list[str]) -> tuple[list[tuple], set[str]]:
    """(stored A6 rows, months whose SummaryState is present), in one statement through the driver (a year of a
    large contract is over a hundred thousand rows)."""
    marks = {f"m{i}": month for i, month in enumerate(months)}
    fields = ", ".join(f"s.{name}" for name in [R.STAFF_ID, *R.SUMMARY_FIELDS])
    rows = _driver_rows(session, (
        f"SELECT st.month, {fields} FROM {SummaryState.__tablename__} st "
        f"LEFT JOIN {MonthSummary.__tablename__} s ON s.contract_id = st.contract_id AND s.month = st.month "
        f"WHERE st.contract_id = :contract AND st.month IN ({', '.join(':' + k for k in marks)})"),
        {"contract": contract_id, **marks})
    seen = {row[0] for row in rows}
    return [row for row in rows if row[1] is not None], seen


def _summary_frame(rows: list[tuple], names: list[str]) -> pd.DataFrame:
    frame = _frame(rows, names)
    if frame.empty:
        return frame
    for name in R.COUNT_FIELDS:
        frame[name] = frame[name].astype("int64")
    frame["no_signin_month"] = frame["no_signin_month"].astype(bool)
    return frame.sort_values([R.MONTH, R.STAFF_ID], kind="stable").reset_index(drop=True)


def _contract(session: Session, contract_code: str):
    from hallmon.roster.services import get_contract

    contract = get_contract(session, contract_code)
    return contract, contract.terms()


def monthly_summary(session: Session, contract_code: str, month: str) -> dict:
    """A6 as SPEC §12 prints it: served from stored summaries, recomputed first when stale."""
    try:
        year, mon = parse_month(month)
    except ValueError as exc:
        raise Refused(str(exc)) from exc
    month = f"{year:04d}-{mon:02d}"
    contract, terms = _contract(session, contract_code)
    document = {"contract": contract.code, "month": month, "staff": [],
                "totals": {name: 0 for name in R.SUMMARY_FIELDS}, "warnings": []}
    if month not in terms.months():
        return document
    frame = current_summaries(session, contract, terms, [month])
    staff = []
    for record in frame.to_dict("records"):
        entry = {"staff_id": record[R.STAFF_ID]}
        for name in R.SUMMARY_FIELDS:
            entry[name] = bool(record[name]) if name == "no_signin_month" else int(record[name])
        staff.append(entry)
    document["staff"] = staff
    document["totals"] = {name: sum(int(e[name]) for e in staff) for name in R.SUMMARY_FIELDS}
    document["warnings"] = _warnings(session, contract.id, [month])
    return document


# ---------------------------------------------------------------- demands (A8, A9)


def _complaints(session: Session, contract_id: int) -> list[tuple[str, dt.date]]:
    """Substantiated personnel complaints naming one of the contract's staff, dated resolved_on else received_on."""
    from hallmon.complaints.models import Complaint
    from hallmon.roster.models import Staff

    rows = session.execute(
        select(Complaint.staff_id, Complaint.resolved_on, Complaint.received_on)
        .join(Staff, Staff.staff_id == Complaint.staff_id)
        .where(Staff.contract_id == contract_id, Complaint.substantiated.is_(True),
               Complaint.category == "personnel")
    ).all()
    return [(sid, resolved or received) for sid, resolved, received in rows]


def _punches_of(session: Session, staff_ids: list[str], after: dt.date, until: dt.date | None,
                quota: int) -> pd.DataFrame:
    """What A9 needs of these people's device punches and accepted make-ups (A3) dated after `after` (and up to
    `until`): each person's last device punch of each calendar month, with every accepted make-up.

    A9 asks only whether a month holds a punch dated after a deadline, and the month's last punch answers it
    (R.enforce reduces to the same; a contract ends on a month's last day, so a month lies wholly inside or
    outside it); the database reduces years of punches to one row a person-month.
    """
    lo = dt.datetime.combine(after + dt.timedelta(days=1), dt.time())
    quota_from = dt.datetime.combine(after.replace(day=1), dt.time())
    hi = None if until is None else dt.datetime.combine(until + dt.timedelta(days=1), dt.time())
    postgres = session.get_bind().dialect.name == "postgresql"
    month = "date_trunc('month', time)" if postgres else "substr(time, 1, 7)"
    device: list[tuple] = []
    makeups = []
    for part in _chunks(staff_ids):
        marks = {f"s{i}": sid for i, sid in enumerate(part)}
        bounds = {"lo": lo} if hi is None else {"lo": lo, "hi": hi}
        device += _driver_rows(session, (
            f"SELECT staff_id, max(time) FROM {Punch.__tablename__} "
            f"WHERE staff_id IN ({', '.join(':' + k for k in marks)}) AND time >= :lo"
            + ("" if hi is None else " AND time < :hi") + f" GROUP BY staff_id, {month}"), {**marks, **bounds})
        mstmt = select(Makeup.staff_id, Makeup.time, Makeup.approved).where(
            Makeup.staff_id.in_(part), Makeup.time >= quota_from)
        if hi is not None:
            mstmt = mstmt.where(Makeup.time < hi)
        makeups += session.execute(mstmt).all()
    p = _punch_rows(device)
    m = _frame(makeups, [R.STAFF_ID, R.TIME, R.APPROVED]) if makeups else R.empty_makeups()
    merged = R.all_punches(p, m, quota)
    return merged.loc[merged[R.TIME].to_numpy() >= pd.Timestamp(lo).to_datetime64()]


def compute_demands(session: Session, contract, terms, as_of: dt.date | None = None) -> tuple[list[R.Demand], list[str]]:
    """A8 and A9 for one contract; as_of None = every demand and every punch."""
    months = terms.months()
    summaries = current_summaries(session, contract, terms, months)
    rules = R.AttendanceRules.from_terms(terms)
    found = (R.late_early_demands(summaries, rules.monthly_late_early_limit, rules.annual_late_early_limit,
                                  rules.enforcement_days)
             + R.no_signin_demands(summaries, rules.enforcement_days)
             + R.complaint_demands(_complaints(session, contract.id), terms.start, terms.end,
                                   rules.personnel_limit_per_year, rules.enforcement_days))
    found = R.demands_as_of(found, as_of)
    waived = {(w.staff_id, w.reason, w.raised_on) for w in session.scalars(
        select(DemandWaiver).where(DemandWaiver.contract_id == contract.id))}
    if found:
        people = sorted({d.staff_id for d in found})
        earliest = min(d.deadline for d in found)
        punches = _punches_of(session, people, earliest, as_of, rules.makeup_quota_per_month)
    else:
        punches = R.empty_punches()
    enforced = R.enforce(found, punches, terms.start, terms.end, waived, as_of)
    return R.sort_demands(enforced), _warnings(session, contract.id, months)


def demand_json(demand: R.Demand) -> dict:
    return {
        "staff_id": demand.staff_id,
        "reason": demand.reason,
        "raised_on": demand.raised_on.isoformat(),
        "deadline": demand.deadline.isoformat(),
        "waived": demand.waived,
        "unenforced": demand.unenforced,
        "unenforced_months": list(demand.unenforced_months),
    }


def term_demands(session: Session, contract, terms) -> tuple[list[R.Demand], list[str]]:
    """A8 and A9 over the contract's whole term (every demand, every punch), kept per data version (hallmon.cache):
    the dashboard, every settlement period and the demands list share one computation until the data changes."""
    from hallmon.cache import remember

    return remember(session, "compute_demands", (contract.id,), lambda: compute_demands(session, contract, terms, None))


def demands(session: Session, contract_code: str, as_of: dt.date | None = None) -> tuple[list[dict], list[str]]:
    """SPEC §12 `hallmon demands`: the list ordered by (raised_on, staff_id, reason), and the W1 warnings."""
    contract, terms = _contract(session, contract_code)
    found, warnings = (term_demands(session, contract, terms) if as_of is None
                       else compute_demands(session, contract, terms, as_of))
    return [demand_json(d) for d in found], warnings


def unenforced_person_months(session: Session, contract_code: str) -> dict[str, list[str]]:
    """A9 for billing (B3): contract month → sorted staff_ids with an unenforced person-month; every punch, every demand."""
    contract, terms = _contract(session, contract_code)
    found, _ = term_demands(session, contract, terms)
    return R.unenforced_person_months(found)


def waive_demand(session: Session, contract_code: str, staff_id: str, reason: str, raised_on: dt.date,
                 why: str, actor: str) -> None:
    """A8: a manager waives one demand, named by (staff_id, reason, raised_on), with a reason."""
    why = (why or "").strip()
    if not why:
        raise Refused("豁免必须写明理由（--why）")
    if reason not in R.REASONS:
        raise Refused(f"未知的原因代码 {reason!r}（可用：{'、'.join(R.REASONS)}）")
    contract, terms = _contract(session, contract_code)
    found, _ = term_demands(session, contract, terms)
    if not any(d.key == (staff_id, reason, raised_on) for d in found):
        raise NotFound(f"合同 {contract.code} 没有这条替换要求：工号 {staff_id}，原因 {reason}，"
                       f"提出日期 {raised_on.isoformat()}")
    previous = session.scalar(select(DemandWaiver).where(
        DemandWaiver.contract_id == contract.id, DemandWaiver.staff_id == staff_id,
        DemandWaiver.reason == reason, DemandWaiver.raised_on == raised_on))
    if previous is not None:
        raise Refused(_already(previous))
    try:
        with transaction(session):
            session.add(DemandWaiver(contract_id=contract.id, staff_id=staff_id, reason=reason, raised_on=raised_on,
                                     why=why, waived_by=actor, waived_at=dt.datetime.now().replace(microsecond=0)))
    except IntegrityError:
        previous = session.scalar(select(DemandWaiver).where(
            DemandWaiver.contract_id == contract.id, DemandWaiver.staff_id == staff_id,
            DemandWaiver.reason == reason, DemandWaiver.raised_on == raised_on))
        raise Refused(_already(previous)) from None


def _already(waiver: DemandWaiver | None) -> str:
    if waiver is None:
        return "该替换要求已被豁免"
    return (f"该替换要求已于 {waiver.waived_at:%Y-%m-%d %H:%M} 由 {waiver.waived_by} 豁免"
            f"（理由：{waiver.why}）")


WEEKDAYS = "一二三四五六日"


def _month_sessions(session: Session, contract, month: str, staff_id: str | None = None):
    from hallmon.core.calendar import WorkCalendar

    terms = contract.terms()
    calendar = WorkCalendar.for_terms(terms)
    roster = roster_frame(session, contract.id)
    if staff_id is not None:
        roster = roster.loc[roster[R.STAFF_ID] == staff_id]
    punches, makeups, leave = _month_inputs(session, contract.id, month)
    if staff_id is not None:
        punches = punches.loc[punches[R.STAFF_ID] == staff_id]
        makeups = makeups.loc[makeups[R.STAFF_ID] == staff_id]
        leave = leave.loc[leave[R.STAFF_ID] == staff_id]
    data = R.month_sessions(roster[[R.STAFF_ID, R.HIRED_ON, R.LEFT_ON]], terms.start, terms.end, month, calendar,
                            R.AttendanceRules.from_terms(terms), punches, makeups, leave)
    return data, terms, calendar


def outcome_of(row) -> str:
    """A5 in words, for people."""
    if row[R.EXCUSED]:
        return "请假"
    if row[R.ABSENT]:
        return "缺卡（按旷工计）" if row[R.MISSING] else "旷工"
    parts = []
    if row[R.MISSING]:
        parts.append("缺卡")
    if row[R.SERIOUS]:
        parts.append(f"严重迟到 {row[R.LATE_MIN]} 分")
    elif row[R.LATE]:
        parts.append(f"迟到 {row[R.LATE_MIN]} 分")
    if row[R.EARLY]:
        parts.append(f"早退 {row[R.EARLY_MIN]} 分")
    return "、".join(parts) or "正常"


def person_month(session: Session, contract_code: str, month: str, staff_id: str) -> dict:
    """A1–A6 for one person and month, session by session with the punches behind each outcome."""
    from hallmon.core.errors import NotFound
    from hallmon.core.periods import parse_month
    from hallmon.roster.models import Staff

    try:
        parse_month(month)
    except ValueError as exc:
        raise Refused(str(exc)) from None
    contract, _ = _contract(session, contract_code)
    person = session.scalar(select(Staff).where(Staff.staff_id == staff_id, Staff.contract_id == contract.id))
    if person is None:
        raise NotFound(f"合同 {contract.code} 没有工号 {staff_id}")
    data, terms, _ = _month_sessions(session, contract, month, staff_id)
    labels = [s.label() for s in terms.schedule.sessions]

    def hhmmss(ns) -> str | None:
        if ns is None or pd.isna(ns):
            return None
        seconds = int(ns) // R.NS_SECOND
        return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"

    punch_days: dict[dt.date, list[str]] = {}
    for t in sorted(pd.to_datetime(data.punches[R.TIME])):
        punch_days.setdefault(t.date(), []).append(t.strftime("%H:%M:%S"))
    scheduled: dict[dt.date, list[dict]] = {}
    for _, row in data.sessions.sort_values([R.DAY, R.SESSION]).iterrows():
        day = pd.Timestamp(row[R.DAY]).date()
        scheduled.setdefault(day, []).append({
            "session": labels[int(row[R.SESSION])], "in": hhmmss(row[R.IN]), "out": hhmmss(row[R.OUT]),
            "outcome": outcome_of(row), "chargeable": int(row[R.CHARGEABLE]),
            "bad": bool(row[R.ABSENT] or row[R.MISSING] or row[R.LATE] or row[R.EARLY]),
        })
    days = []
    for day in sorted(set(scheduled) | set(punch_days)):
        days.append({"date": day, "weekday": WEEKDAYS[day.weekday()], "working": day in scheduled,
                     "sessions": scheduled.get(day, []), "punches": punch_days.get(day, [])})
    makeups = [{"time": pd.Timestamp(m[R.TIME]).to_pydatetime(), "accepted": bool(m[R.ACCEPTED])}
               for _, m in data.makeups.iterrows()]
    summary = monthly_summary(session, contract.code, month)
    mine = next((s for s in summary["staff"] if s["staff_id"] == staff_id), None)
    return {"contract": contract.code, "month": month, "staff_id": staff_id, "name": person.name,
            "department": person.department.name, "window": person.window.code if person.window else None,
            "hired_on": person.hired_on, "left_on": person.left_on, "days": days, "makeups": makeups,
            "summary": mine, "warnings": summary["warnings"]}


OUTCOME_COLUMNS = (("迟到", R.LATE), ("严重迟到", R.SERIOUS), ("早退", R.EARLY), ("缺卡", R.MISSING),
                   ("旷工", R.ABSENT))


def outcomes_by_week(session: Session, contract_code: str, month: str) -> dict:
    """A5 outcomes of the month's sessions counted by week (Monday to Sunday), for the manager's chart."""
    contract, _ = _contract(session, contract_code)
    data, _, _ = _month_sessions(session, contract, month)
    sessions = data.sessions
    weeks: list[str] = []
    counts = {name: [] for name, _ in OUTCOME_COLUMNS}
    if len(sessions):
        days = pd.to_datetime(sessions[R.DAY])
        monday = (days - pd.to_timedelta(days.dt.day_of_week, unit="D")).dt.date
        for start in sorted(set(monday)):
            mask = (monday == start).to_numpy()
            weeks.append(f"{start.month}/{start.day} 起")
            for name, column in OUTCOME_COLUMNS:
                counts[name].append(int(sessions.loc[mask, column].sum()))
    return {"contract": contract.code, "month": month, "weeks": weeks, "counts": counts}
