"""Database plumbing: the declarative base, exact decimals, engines, sessions and the one keyed upsert."""
from __future__ import annotations

import decimal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    and_,
    create_engine,
    event,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class DecimalType(TypeDecorator):
    """Exact decimals: NUMERIC on PostgreSQL, text on SQLite (which has no exact decimal type)."""

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int = 14, scale: int = 2):
        super().__init__()
        self.precision = precision
        self.scale = scale

    def __repr__(self) -> str:
        return f"DecimalType({self.precision}, {self.scale})"

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = decimal.Decimal(value)
        if dialect.name == "sqlite":
            return str(value)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return decimal.Decimal(str(value))


def Money() -> DecimalType:  # noqa: N802 — reads as a column type
    """Money in yuan, two decimals."""
    return DecimalType(14, 2)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def normalise_url(url: str) -> str:
    """Accept `postgresql://` and `postgres://` as psycopg 3 URLs."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False, autoflush=False)


@dataclass
class Upserted:
    """What one keyed upsert did; `replaced` holds the stored rows (key, then values) an update changed, as they
    were, so that a caller can tell what the old values touched."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    replaced: list[tuple] = field(default_factory=list)
    new: list[tuple] = field(default_factory=list)


Stage = Callable[[Connection, Table, list[str]], None]


def keyed_upsert(session: Session, table: Table, rows: Sequence[dict] | None, key: Sequence[str],
                 values: Sequence[str] = (), also: Sequence[str] = (), stage: Stage | None = None,
                 staged_rows: int | None = None, report_new: bool = False) -> Upserted:
    """Every source's write: rows keyed by `key` go in, a stored key whose `values` differ is updated, the rest
    is left alone; counted exactly, on SQLite and PostgreSQL alike.

    The rows are staged in a temporary table (in file order, the first of a repeated key winning), then moved in
    three statements: the replaced rows are read, the changed ones updated, the new ones inserted in file order.
    `also` columns are written with the row but never compared (e.g. when it was loaded). `stage` fills the
    staging table itself (a bulk loader for millions of punches); `staged_rows` is then the number of rows the
    file held. With `report_new`, the keys of the rows inserted are returned too.
    """
    columns = [*key, *values, *also]
    connection = session.connection()
    staging = _staging_table(connection, table, columns)
    if stage is not None:
        stage(connection, staging, columns)
        total = int(staged_rows or 0)
    else:
        rows = list(rows or ())
        total = len(rows)
        seen: set[tuple] = set()
        unique = []
        for row in rows:
            identity = tuple(row[k] for k in key)
            if identity not in seen:
                seen.add(identity)
                unique.append({**{c: row[c] for c in columns}, "_seq": len(unique)})
        if unique:
            connection.execute(staging.insert(), unique)
    target, staged = table, staging.c
    same_key = and_(*[target.c[k] == staged[k] for k in key])
    result = Upserted()
    if values:
        differs = or_(*[target.c[v].is_distinct_from(staged[v]) for v in values])
        result.replaced = [tuple(r) for r in connection.execute(
            select(*[target.c[c] for c in (*key, *values)]).select_from(target.join(staging, same_key))
            .where(differs))]
        result.updated = len(result.replaced)
        if result.updated:
            connection.execute(update(target).where(same_key, differs)
                               .values({c: staged[c] for c in (*values, *also)}))
    is_new = ~exists().where(same_key)
    # counted before inserting: drivers disagree on the row count of INSERT … SELECT (psycopg's is −1 here);
    # the caller holds the contracts it writes to, so no other writer adds these keys in between
    result.inserted = connection.execute(select(func.count()).select_from(staging).where(is_new)).scalar_one()
    if result.inserted and report_new:
        result.new = [tuple(r) for r in connection.execute(select(*[staged[k] for k in key]).where(is_new))]
    if result.inserted:
        new = select(*[staged[c] for c in columns]).where(is_new).order_by(staged["_seq"])
        connection.execute(insert(target).from_select(columns, new))
    result.unchanged = total - result.inserted - result.updated
    # (on an error the transaction is rolled back, and the temporary table with it)
    staging.drop(connection)
    return result


def _staging_table(connection: Connection, table: Table, columns: Sequence[str]) -> Table:
    """A temporary table of the same column types, with the file order in `_seq`."""
    staging = Table(f"staging_{table.name}", MetaData(),
                    *[Column(name, table.c[name].type) for name in columns], Column("_seq", Integer),
                    prefixes=["TEMPORARY"])
    staging.create(connection)
    return staging
