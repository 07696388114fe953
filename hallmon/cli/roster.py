"""init, contract load, ingest, user add."""
from __future__ import annotations

import secrets
import sys

import click

from hallmon.app.sources import KINDS
from hallmon.cli.common import command, contract_of, json_option, print_json, state, warn


def register(main: click.Group) -> None:
    @command(main, "init")
    def init() -> None:
        """创建或升级数据库结构。"""
        from hallmon.app.writes import recompute
        from hallmon.migrate import current_revisions, upgrade
        from hallmon.roster.services import list_contracts

        st = state()
        engine = st.get_engine(ensure=False)
        before = current_revisions(engine)
        upgrade(engine)
        click.echo(f"数据库结构已是最新：{', '.join(sorted(current_revisions(engine)))}")
        if before and before != current_revisions(engine):
            # a migration may change what is derived from the data: every contract's figures are stored again
            with st.unit() as session:
                contracts = list_contracts(session)
                recompute(session, contracts)
            if contracts:
                click.echo(f"已按新结构重新计算 {len(contracts)} 个合同的月度汇总、更换人员要求与提醒")

    @main.group("contract")
    def contract() -> None:
        """合同条款。"""

    @command(contract, "load")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--user", "actor", metavar="NAME", help="操作人")
    @json_option
    def contract_load(file: str, actor: str | None, as_json: bool) -> None:
        """导入或更新合同条款（TOML）；条款变化时生成新版本并保留旧版本。"""
        from hallmon.app.writes import load_contract
        from hallmon.roster.services import read_contract_file

        text = read_contract_file(file)
        with state().unit() as session:
            result = load_contract(session, text, source_name=file, actor=actor)
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
        from hallmon.app.writes import load_file

        with state().unit() as session:
            report = load_file(session, kind, file, fmt=fmt, skip_bad_rows=skip_bad_rows, actor=actor,
                               progress=_progress_printer())
        warn(report.warnings)
        if as_json:
            print_json(report.as_dict())
        else:
            click.echo(report.sentence())

    @command(main, "recompute")
    @click.argument("contracts", nargs=-1, metavar="[CONTRACT]...")
    def recompute_command(contracts: tuple[str, ...]) -> None:
        """重新计算合同的月度汇总、更换人员要求与提醒（数据由其他途径写入或恢复后使用；不给合同即全部）。"""
        from hallmon.app.writes import recompute
        from hallmon.roster.services import list_contracts

        with state().unit() as session:
            chosen = [contract_of(session, c) for c in contracts] or list_contracts(session)
            recompute(session, chosen)
        click.echo(f"已重新计算 {len(chosen)} 个合同：{'、'.join(c.code for c in chosen) or '无'}")

    @main.group("user")
    def user() -> None:
        """用户与角色。"""

    @command(user, "add")
    @click.argument("name")
    @click.option("--role", required=True, type=click.Choice(["admin", "manager", "finance", "contractor"]))
    @click.option("--contractor", metavar="NAME", help="服务单位名称（contractor 角色必填）")
    @click.option("--password", metavar="PASSWORD", help="不给则生成随机密码并打印")
    @click.option("--email", metavar="ADDRESS", help="接收通知的电子邮件地址（订阅默认按角色，可在“我的通知”页面修改）")
    def user_add(name: str, role: str, contractor: str | None, password: str | None, email: str | None) -> None:
        """新增用户（已存在则重置其角色与密码）。"""
        from hallmon.auth.services import add_user

        generated = password is None
        password = password or secrets.token_urlsafe(9)
        with state().unit() as session:
            add_user(session, name, role, password, contractor, email)
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
