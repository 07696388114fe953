"""attendance summary, demands, demands waive (rules §4, §12)."""
from __future__ import annotations

import datetime as dt
import getpass

import click

from hallmon.cli.common import command, contract_of, db_option, json_option, print_json, state, warn
from hallmon.core import labels
from hallmon.core.clock import today
from hallmon.core.periods import month_of

_DATE = click.DateTime(formats=["%Y-%m-%d"])



class DemandsGroup(click.Group):
    """`hallmon demands CONTRACT …` lists; `hallmon demands waive …` waives."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if any(a in ("-h", "--help") for a in args[:1]):
            return super().parse_args(ctx, args)
        first = None
        skip = False
        for arg in args:
            if skip:
                skip = False
            elif arg == "--db":
                skip = True
            elif not arg.startswith("--db="):
                first = arg
                break
        if first is not None and first not in self.commands:
            args = ["list", *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage("hallmon demands", "CONTRACT [--as-of DATE] [--json] | waive …")


def _as_date(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


def register(main: click.Group) -> None:
    @main.group("attendance")
    def attendance() -> None:
        """考勤：月度汇总（迟到、早退、缺卡、旷工）。"""

    @command(attendance, "summary")
    @click.argument("contract")
    @click.option("--month", required=True, metavar="YYYY-MM", help="月份")
    @json_option
    def summary(contract: str, month: str, as_json: bool) -> None:
        """某合同某月每名人员的考勤汇总（A6）。"""
        from hallmon.attendance.services import monthly_summary

        session = state().session()
        summary = monthly_summary(session, contract_of(session, contract), month_of(month, "--month"))
        if as_json:
            print_json(summary.document())
            return
        warn(summary.warnings)
        click.echo(f"合同 {summary.contract}  {summary.month}  共 {len(summary.staff)} 人")
        fields = [f for f in labels.FIELDS if f != "no_signin_month"]
        click.echo("\t".join(["工号", *(labels.FIELDS[f] for f in fields), labels.FIELDS["no_signin_month"]]))
        for entry in summary.staff:
            click.echo("\t".join([entry.staff_id, *(str(entry.value(f)) for f in fields),
                                  "是" if entry.no_signin_month else ""]))
        totals = summary.totals
        click.echo("\t".join(["合计", *(str(totals.value(f)) for f in fields), str(totals.no_signin_month)]))

    @main.group("demands", cls=DemandsGroup)
    @db_option
    def demands_group() -> None:
        """替换要求（A8、A9）：hallmon demands CONTRACT [--as-of DATE] [--json]；豁免：hallmon demands waive …"""

    @command(demands_group, "list")
    @click.argument("contract")
    @click.option("--as-of", "as_of", type=_DATE, default=None, metavar="DATE",
                  help="截至日期（默认今天）：此后提出的要求不列出，此后的打卡不计")
    @json_option
    def demands_list(contract: str, as_of: dt.datetime | None, as_json: bool) -> None:
        """列出替换要求及其执行情况（默认截至今天）。"""
        from hallmon.attendance.services import demand_document, demand_warnings, demands

        day = _as_date(as_of) or today()
        session = state().session()
        chosen = contract_of(session, contract)
        found = demands(session, chosen, day)
        warn(demand_warnings(chosen))
        if as_json:
            print_json([demand_document(d) for d in found])
            return
        if not found:
            click.echo(f"合同 {contract} 截至 {day} 没有更换人员要求")
            return
        click.echo("\t".join(["提出日期", "工号", "原因", "期限", "状态", "未执行月份"]))
        for d in found:
            status = "已豁免" if d.waived else ("未执行" if d.unenforced else "")
            click.echo("\t".join([d.raised_on.isoformat(), d.staff_id, labels.name(labels.REASONS, d.reason),
                                  d.deadline.isoformat(), status, "、".join(d.unenforced_months)]))

    @command(demands_group, "waive")
    @click.argument("contract")
    @click.argument("staff_id")
    @click.argument("reason_code", metavar="REASON_CODE")
    @click.option("--raised-on", "raised_on", type=_DATE, required=True, metavar="DATE", help="要求的提出日期")
    @click.option("--why", required=True, help="豁免理由")
    @click.option("--user", "actor", metavar="NAME", help="操作人（默认当前系统用户）")
    def demands_waive(contract: str, staff_id: str, reason_code: str, raised_on: dt.datetime, why: str,
                      actor: str | None) -> None:
        """豁免一条替换要求（按 工号、原因代码、提出日期 指定），须写明理由。"""
        from hallmon.app.writes import waive_demand

        who = actor or _system_user()
        with state().unit() as session:
            waive_demand(session, contract_of(session, contract), staff_id, reason_code, raised_on.date(), why, who)
        click.echo(f"已豁免：合同 {contract} 工号 {staff_id} {reason_code} {raised_on.date()}（操作人 {who}）")


def _system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"
