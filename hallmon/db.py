"""Database plumbing: the declarative base, engines, sessions and dialect-aware upserts."""
from __future__ import annotations

import decimal
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, Numeric, String, create_engine, event
from sqlalchemy.engine import Engine, make_url
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


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    """Commit the work of a block, or roll all of it back; services own this boundary."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


def upsert_rows(
    session: Session,
    table,
    rows: Sequence[dict],
    key: Sequence[str],
    update: Iterable[str] = (),
    chunk: int = 5000,
) -> None:
    """INSERT … ON CONFLICT (key) DO UPDATE/NOTHING on SQLite and PostgreSQL.

    It reports no count: drivers disagree on row counts of multi-row inserts (psycopg gives −1), so
    callers that report inserted/updated compare with the stored keys themselves.
    """
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - only the two supported databases
        raise RuntimeError(f"不支持的数据库：{dialect}")
    update = list(update)
    # SQLite limits bound variables per statement; keep chunks under it.
    width = max(1, len(rows[0]))
    chunk = max(1, min(chunk, 30000 // width))
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        stmt = insert(table).values(list(part))
        if update:
            stmt = stmt.on_conflict_do_update(
                index_elements=list(key), set_={c: getattr(stmt.excluded, c) for c in update}
            )
        else:
            stmt = stmt.on_conflict_do_nothing(index_elements=list(key))
        session.execute(stmt)
