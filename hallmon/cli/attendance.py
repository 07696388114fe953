"""attendance summary, demands, demands waive (SPEC §4, §12)."""
from __future__ import annotations

import datetime as dt
import getpass

import click

from hallmon.cli.common import command, db_option, json_option, print_json, state, warn

_DATE = click.DateTime(formats=["%Y-%m-%d"])

_LABELS = {
    "scheduled_days": "排班天数", "scheduled_minutes": "排班分钟", "excused_minutes": "请假分钟",
    "late_count": "迟到", "serious_late_count": "严重迟到", "late_minutes": "迟到分钟",
    "early_count": "早退", "early_minutes": "早退分钟", "missing_punch_count": "缺卡",
    "absent_sessions": "旷工时段", "absent_minutes": "旷工分钟", "chargeable_minutes": "计扣分钟",
    "makeup_used": "补卡", "makeup_rejected": "补卡超限", "punch_count": "打卡次数",
    "no_signin_month": "整月未签到", "late_early_events": "迟到早退次数",
}
_REASONS = {"monthly_late_early": "月迟到早退超限", "annual_late_early": "年迟到早退超限",
            "no_signin": "整月未签到", "complaints": "人员投诉超限"}


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

        document = monthly_summary(state().session(), contract, month)
        if as_json:
            print_json(document)
            return
        warn(document["warnings"])
        click.echo(f"合同 {document['contract']}  {document['month']}  共 {len(document['staff'])} 人")
        fields = [f for f in _LABELS if f != "no_signin_month"]
        click.echo("\t".join(["工号", *(_LABELS[f] for f in fields), _LABELS["no_signin_month"]]))
        for entry in document["staff"]:
            click.echo("\t".join([entry["staff_id"], *(str(entry[f]) for f in fields),
                                  "是" if entry["no_signin_month"] else ""]))
        totals = document["totals"]
        click.echo("\t".join(["合计", *(str(totals[f]) for f in fields), str(totals["no_signin_month"])]))

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
        from hallmon.attendance.services import demands

        day = _as_date(as_of) or dt.date.today()
        found, warnings = demands(state().session(), contract, day)
        warn(warnings)
        if as_json:
            print_json(found)
            return
        if not found:
            click.echo(f"合同 {contract} 截至 {day} 没有替换要求")
            return
        click.echo("\t".join(["提出日期", "工号", "原因", "期限", "状态", "未执行月份"]))
        for d in found:
            status = "已豁免" if d["waived"] else ("未执行" if d["unenforced"] else "")
            click.echo("\t".join([d["raised_on"], d["staff_id"], _REASONS.get(d["reason"], d["reason"]),
                                  d["deadline"], status, "、".join(d["unenforced_months"])]))

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
        from hallmon.attendance.services import waive_demand

        who = actor or _system_user()
        waive_demand(state().session(), contract, staff_id, reason_code, raised_on.date(), why, who)
        click.echo(f"已豁免：合同 {contract} 工号 {staff_id} {reason_code} {raised_on.date()}（操作人 {who}）")


def _system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"
