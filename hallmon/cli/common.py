"""What every command shares: --db, --json, sessions, and turning refusals into exit status 2."""
from __future__ import annotations

import datetime as dt
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import click
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hallmon.config import default_database_url
from hallmon.contract import TermsError
from hallmon.core.errors import Refused
from hallmon.core.jsonout import dumps
from hallmon.ingest.errors import IngestRefused


@dataclass
class State:
    db_url: str | None = None
    engine: Engine | None = None
    sessions: list[Session] = field(default_factory=list)

    def url(self) -> str:
        return self.db_url or default_database_url()

    def get_engine(self, ensure: bool = True) -> Engine:
        if self.engine is None:
            from hallmon.db import make_engine
            from hallmon.migrate import ensure_schema

            url = self.url()
            _refuse_missing_sqlite_folder(url)
            self.engine = make_engine(url)
            if ensure and ensure_schema(self.engine):
                click.echo(f"已在 {self.engine.url.render_as_string(hide_password=True)} 创建数据库结构", err=True)
        return self.engine

    def session(self) -> Session:
        from hallmon.db import session_factory

        session = session_factory(self.get_engine())()
        self.sessions.append(session)
        return session

    @contextmanager
    def unit(self) -> Iterator[Session]:
        """The command's one unit of work: committed when the command's work is done, else rolled back."""
        from hallmon.uow import unit_of_work

        with unit_of_work(self.session()) as session:
            yield session

    def close(self) -> None:
        for session in self.sessions:
            session.close()
        if self.engine is not None:
            self.engine.dispose()


def _set_db(ctx: click.Context, _param, value: str | None) -> None:
    if value:
        ctx.ensure_object(State).db_url = value


db_option = click.option(
    "--db", "db_url", metavar="URL", expose_value=False, is_eager=True, callback=_set_db,
    help="数据库 URL（默认：环境变量 HALLMON_DATABASE_URL，否则实例目录下的 SQLite 文件）",
)
json_option = click.option("--json", "as_json", is_flag=True, help="只在标准输出打印一个 JSON 文档")



def parse_date(text: str, option: str) -> dt.date:
    """A date option, YYYY-MM-DD (or YYYY/MM/DD); anything else is refused input (exit 2) naming the option."""
    match = re.fullmatch(r"\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})\s*", text)
    try:
        if match is None:
            raise ValueError
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise Refused(f"{option} 应为日期 YYYY-MM-DD：{text!r}") from None



def day_option(text: str | None, option: str = "--as-of") -> dt.date:
    """A date option, today when not given."""
    from hallmon.core.clock import today

    return parse_date(text, option) if text is not None else today()


def _refuse_missing_sqlite_folder(url: str) -> None:
    """A SQLite file named by --db or HALLMON_DATABASE_URL must lie in an existing folder: a mistyped path
    would otherwise create an empty database and report the data as missing. (The default instance folder
    is created on first use.)"""
    from sqlalchemy.engine import make_url

    from hallmon.config import instance_path
    from hallmon.db import normalise_url

    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return
    folder = Path(parsed.database).expanduser().resolve().parent
    if not folder.is_dir() and folder != instance_path().resolve():
        raise Refused(f"数据库文件所在的目录不存在：{folder}（请检查 --db 或 HALLMON_DATABASE_URL）")


def state() -> State:
    return click.get_current_context().ensure_object(State)


def command(group: click.Group, name: str, **kwargs) -> Callable:
    """A subcommand that also takes --db, as rules §12 asks of every command."""

    def decorate(func: Callable) -> click.Command:
        return group.command(name, **kwargs)(db_option(func))

    return decorate


def print_json(document) -> None:
    click.echo(dumps(document, indent=None))


def warn(lines) -> None:
    for line in lines:
        click.echo(f"警告：{line}", err=True)


class HallmonGroup(click.Group):
    """Refused input → messages on stderr and exit 2; anything else unexpected → exit 1."""

    def invoke(self, ctx: click.Context):
        ctx.ensure_object(State)
        try:
            return super().invoke(ctx)
        except IngestRefused as exc:
            for line in exc.lines():
                click.echo(line, err=True)
            click.echo(exc.summary, err=True)
            ctx.exit(2)
        except TermsError as exc:
            for message in exc.messages:
                click.echo(f"合同条款错误：{message}", err=True)
            ctx.exit(2)
        except Refused as exc:
            click.echo(f"拒绝：{exc.message}", err=True)
            for line in exc.details:
                click.echo(line, err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if os.environ.get("HALLMON_DEBUG"):
                traceback.print_exc(file=sys.stderr)
            click.echo(f"错误：{type(exc).__name__}: {exc}", err=True)
            ctx.exit(1)
        finally:
            ctx.obj.close()


def contract_of(session: Session, code: str):
    """The contract a command names, looked up once."""
    from hallmon.roster.services import get_contract

    return get_contract(session, code)
