"""alerts, alerts refresh, scheduler."""
from __future__ import annotations

import click

from hallmon.cli.common import command, day_option, json_option, print_json, state, warn
from hallmon.core import labels


class AlertsGroup(click.Group):
    """`hallmon alerts [--as-of DATE] [--json]` lists; `hallmon alerts refresh` stores them."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["list", *args]
        return super().parse_args(ctx, args)


def register(main: click.Group) -> None:
    @main.group("alerts", cls=AlertsGroup)
    def alerts() -> None:
        """需要关注的事项（J1）：hallmon alerts [--as-of DATE] [--json] 列出；hallmon alerts refresh 更新已保存的提醒。"""

    @command(alerts, "list")
    @click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="判断日期（默认今天）")
    @json_option
    def list_(as_of: str | None, as_json: bool) -> None:
        """考核通报逾期、投诉逾期或将到期、结算单超期未核验、更换要求未执行、支付落后于用款计划（只读，不改变已保存的提醒）。"""
        from hallmon.alerts.services import alerts_document

        document = alerts_document(state().session(), day_option(as_of))
        if as_json:
            print_json(document)
            return
        warn(document["warnings"])
        click.echo(f"截至 {document['as_of']}：{document['count']} 条提醒")
        for alert in document["alerts"]:
            click.echo(f"  [{labels.name(labels.ALERT_KINDS, alert['kind'])}] {alert['message']}")

    @command(alerts, "refresh")
    @click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="判断日期（默认今天）")
    def refresh(as_of: str | None) -> None:
        """按判断日期更新已保存的提醒：新出现的提出一次（并写入待发通知），条件消失的关闭（J4；每日定时任务也做这件事）。"""
        from hallmon.notify.outbox import refresh_alerts

        day = day_option(as_of)
        with state().unit() as session:
            done = refresh_alerts(session, day)
        click.echo(f"截至 {day}：新增 {done.raised} 条，保持 {done.kept} 条，关闭 {done.cleared} 条")

    @command(main, "scheduler")
    @click.option("--once", is_flag=True, help="只运行一次到期的任务后退出（测试与补跑用）")
    def scheduler(once: bool) -> None:
        """定时任务进程（独立于网站进程运行）：每日提醒、每月 1 日 02:00 月结、每年提醒。"""
        from hallmon.scheduler import run_scheduler

        run_scheduler(state().url(), once=once, echo=lambda s: click.echo(s, err=True))
