"""Alembic environment: runs on the connection hallmon.migrate hands over, SQLite and PostgreSQL alike."""
from alembic import context

import hallmon.models  # noqa: F401 — registers every table
from hallmon.db import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from hallmon.config import default_database_url
        from hallmon.db import make_engine

        engine = make_engine(config.get_main_option("sqlalchemy.url") or default_database_url())
        with engine.connect() as connection:
            _run(connection)
        return
    _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
