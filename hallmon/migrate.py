"""Creating and migrating the schema with Alembic (`hallmon init`); the same migrations on SQLite and PostgreSQL."""
from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from hallmon.core.errors import Refused
from hallmon.resources import resource_folder

MIGRATIONS = resource_folder("migrations")


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return config


def heads() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def upgrade(engine: Engine) -> None:
    """Create or migrate the schema to the newest revision."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")


def ensure_schema(engine: Engine) -> bool:
    """An empty database gets the schema; one behind the code is refused with the command that fixes it.

    Returns True when the schema was created just now.
    """
    current = current_revisions(engine)
    if current == heads():
        return False
    if not current:
        tables = set(inspect(engine).get_table_names())
        if tables:
            raise Refused("数据库中已有其他表但没有 hallmon 的结构版本；请指定一个空数据库")
        upgrade(engine)
        return True
    raise Refused("数据库结构版本落后于程序，请先运行：hallmon init")
