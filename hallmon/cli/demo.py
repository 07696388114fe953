"""hallmon demo: build the demo hall, print the log-ins, serve the app."""
from __future__ import annotations

import os
from pathlib import Path

import click

from hallmon.cli.common import command, state
from hallmon.config import instance_path
from hallmon.core.errors import Refused


def register(main: click.Group) -> None:
    @command(main, "demo")
    @click.option("--no-serve", is_flag=True, help="只生成演示数据，不启动网站")
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", default=5000, show_default=True, type=int)
    @click.option("--seed", default=2024, show_default=True, type=int, help="随机种子（同一种子生成同样的数据）")
    def demo(no_serve: bool, host: str, port: int, seed: int) -> None:
        """生成演示大厅（255 名窗口人员、一年数据）并在 http://127.0.0.1:5000 启动网站。"""
        from hallmon.demo import build_demo

        st = state()
        explicit = st.db_url or os.environ.get("HALLMON_DATABASE_URL")
        url = explicit or f"sqlite:///{instance_path() / 'demo.sqlite3'}"
        st.db_url = url
        _reset(url, explicit is None)
        workdir = instance_path() / "demo"
        click.echo(f"正在生成演示大厅（数据库：{st.get_engine().url.render_as_string(hide_password=True)}）…", err=True)
        with st.unit() as session:
            result = build_demo(session, workdir, seed=seed, progress=lambda s: click.echo(f"  · {s}", err=True))
        click.echo("演示账号（每次生成新密码）：")
        for role, (username, password) in result.users.items():
            click.echo(f"  {role:<10} 用户名 {username:<11} 密码 {password}")
        for note in result.notes:
            click.echo(f"  {note}")
        if no_serve:
            return
        from werkzeug.serving import run_simple

        from hallmon import create_app

        app = create_app({"DATABASE_URL": url, "SECRET_KEY": os.environ.get("HALLMON_SECRET_KEY") or os.urandom(24).hex()})
        click.echo(f"网站：http://{host}:{port}/  （Ctrl+C 退出）")
        run_simple(host, port, app, threaded=True, use_reloader=False)


def _reset(url: str, own_file: bool) -> None:
    """The demo always starts from nothing; it never overwrites a database holding other contracts."""
    from sqlalchemy import inspect, select, text

    from hallmon.db import Base, make_engine

    if own_file:
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return
    engine = make_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
        if not tables:
            return
        if "contract" in tables:
            import hallmon.models  # noqa: F401
            from hallmon.demo import DEMO_CONTRACT
            from hallmon.roster.models import Contract

            with engine.connect() as conn:
                codes = set(conn.scalars(select(Contract.code)))
            if codes - {DEMO_CONTRACT}:
                raise Refused("该数据库已有其他合同的数据，演示不会覆盖它；请为演示指定一个空数据库")
        elif tables - {"alembic_version"}:
            raise Refused("该数据库已有其他表，演示不会覆盖它；请为演示指定一个空数据库")
        import hallmon.models  # noqa: F401,F811

        with engine.begin() as conn:
            Base.metadata.drop_all(conn)
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    finally:
        engine.dispose()
