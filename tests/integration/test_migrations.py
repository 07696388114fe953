"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import hallmon.models  # noqa: F401
from hallmon.db import Base
from hallmon.migrate import current_revisions, heads


def test_the_migrated_schema_matches_the_models(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_the_database_is_at_the_newest_revision(engine):
    assert current_revisions(engine) == heads()
