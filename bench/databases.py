"""The databases a benchmark runs on: a fresh SQLite file, or a private PostgreSQL schema dropped afterwards."""
from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

PG_ENVS = ("HALLMON_BENCH_DATABASE_URL", "HALLMON_TEST_DATABASE_URL")


def postgres_base() -> str | None:
    """The PostgreSQL server to use, when one is configured (the bench's own variable first)."""
    for name in PG_ENVS:
        if os.environ.get(name):
            return os.environ[name]
    return None


def backends(requested: list[str] | None = None) -> list[str]:
    """SQLite always; PostgreSQL when a URL is configured (asked for explicitly without one is an error)."""
    available = ["sqlite"] + (["postgresql"] if postgres_base() else [])
    if not requested:
        return available
    missing = [b for b in requested if b not in available]
    if missing:
        raise SystemExit(f"no database for {', '.join(missing)}: set HALLMON_BENCH_DATABASE_URL")
    return requested


def create_database(backend: str, workdir: Path, name: str) -> str:
    """A new, migrated, empty database; returns its URL. PostgreSQL gets a private schema (see drop_database)."""
    from hallmon.db import make_engine, normalise_url
    from hallmon.migrate import upgrade

    if backend == "sqlite":
        path = workdir / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        base = normalise_url(postgres_base() or "")
        schema = f"hm_bench_{name}_{os.getpid()}_{uuid.uuid4().hex[:8]}".lower()
        admin = create_engine(base, poolclass=NullPool)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


def schema_of(url: str) -> str | None:
    options = make_url(url).query.get("options", "")
    if isinstance(options, tuple):
        options = " ".join(options)
    prefix = "-csearch_path="
    return options[len(prefix):] if options.startswith(prefix) else None


def drop_database(url: str) -> None:
    """Remove what create_database made: the SQLite file (and its WAL), or the PostgreSQL schema."""
    from hallmon.db import normalise_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        return
    schema = schema_of(url)
    if not schema:
        return
    admin = create_engine(normalise_url(postgres_base() or url), poolclass=NullPool)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@contextlib.contextmanager
def database(backend: str, workdir: Path, name: str, keep: bool = False) -> Iterator[str]:
    url = create_database(backend, workdir, name)
    try:
        yield url
    finally:
        if not keep:
            drop_database(url)


def backend_of(url: str) -> str:
    return "sqlite" if make_url(url).get_backend_name() == "sqlite" else "postgresql"
