"""What a database holds, as one comparable value: every row of every table (for "nothing was written")."""
from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

import hallmon.models  # noqa: F401  (every model registered on the metadata)
from hallmon.db import Base

CACHES = ("month_summary", "summary_state")   # recomputed on read; not part of what a file wrote


def table_names(exclude: tuple[str, ...] = ()) -> list[str]:
    return [t.name for t in Base.metadata.sorted_tables if t.name not in exclude]


def rows_of(session: Session, name: str) -> list[tuple]:
    table = Base.metadata.tables[name]
    return sorted((tuple(row) for row in session.execute(select(table))), key=repr)


def digest(session: Session, exclude: tuple[str, ...] = ()) -> dict[str, str]:
    """table → SHA-256 of its rows (sorted), so that a difference names the table."""
    out = {}
    for name in table_names(exclude):
        out[name] = hashlib.sha256(repr(rows_of(session, name)).encode()).hexdigest()
    return out
