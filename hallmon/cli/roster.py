"""init, contract load, ingest, user add."""
from __future__ import annotations

import secrets
import sys

import click

from hallmon.cli.common import command, json_option, print_json, state, warn
from hallmon.ingest.service import KINDS


def register(main: click.Group) -> None:
    @command(main, "init")
    def init() -> None:
        """创建或升级数据库结构。"""
        from hallmon.migrate import current_revisions, upgrade

        engine = state().get_engine(ensure=False)
        upgrade(engine)
        click.echo(f"数据库结构已是最新：{', '.join(sorted(current_revisions(engine)))}")

    @main.group("contract")
    def contract() -> None:
        """合同条款。"""

    @command(contract, "load")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--user", "actor", metavar="NAME", help="操作人")
    @json_option
    def contract_load(file: str, actor: str | None, as_json: bool) -> None:
        """导入或更新合同条款（TOML）；条款变化时生成新版本并保留旧版本。"""
        from hallmon.roster.services import load_contract_file

        try:
            result = load_contract_file(state().session(), file, actor=actor)
        except OSError as exc:
            from hallmon.core.errors import Refused

            raise Refused(f"无法读取 {file}：{exc.strerror or exc}") from exc
        if as_json:
            print_json({"contract": result.code, "version": result.version, "created": result.created,
                        "changed": result.changed, "warnings": []})
        else:
            click.echo(result.sentence())

    @command(main, "ingest")
    @click.argument("kind", type=click.Choice(KINDS))
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--format", "fmt", default="auto",
                  type=click.Choice(["auto", "csv", "xlsx", "zkteco", "dingtalk", "wecom"]),
                  show_default=True, help="文件格式")
    @click.option("--skip-bad-rows", is_flag=True, help="导入正确的行，被拒收的行写入 FILE.rejected.csv")
    @click.option("--user", "actor", metavar="NAME", help="操作人")
    @json_option
    def ingest(kind: str, file: str, fmt: str, skip_bad_rows: bool, actor: str | None, as_json: bool) -> None:
        """导入数据文件：KIND 为 staff、punches、leave、makeup、assessment、notices、complaints、caseload。"""
        from hallmon.ingest.service import ingest_file

        report = ingest_file(state().session(), kind, file, fmt=fmt, skip_bad_rows=skip_bad_rows,
                             actor=actor, progress=_progress_printer())
        warn(report.warnings)
        if as_json:
            print_json(report.as_dict())
        else:
            click.echo(report.sentence())

    @main.group("user")
    def user() -> None:
        """用户与角色。"""

    @command(user, "add")
    @click.argument("name")
    @click.option("--role", required=True, type=click.Choice(["admin", "manager", "finance", "contractor"]))
    @click.option("--contractor", metavar="NAME", help="服务单位名称（contractor 角色必填）")
    @click.option("--password", metavar="PASSWORD", help="不给则生成随机密码并打印")
    def user_add(name: str, role: str, contractor: str | None, password: str | None) -> None:
        """新增用户（已存在则重置其角色与密码）。"""
        from hallmon.auth.services import add_user

        generated = password is None
        password = password or secrets.token_urlsafe(9)
        add_user(state().session(), name, role, password, contractor)
        click.echo(f"用户 {name}（{role}）已保存" + (f"，密码：{password}" if generated else ""))


def _progress_printer():
    """Progress of long loads on stderr, for people watching a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(stage: str, done: int, total: int) -> None:
        pct = 100 * done // total if total else 100
        bar = "#" * (pct // 5)
        click.echo(f"\r{stage} [{bar:<20}] {pct:3d}%", err=True, nl=done >= total)

    return show
