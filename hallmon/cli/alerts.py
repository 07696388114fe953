"""alerts, scheduler."""
from __future__ import annotations

import datetime as dt

import click

from hallmon.cli.common import command, json_option, parse_date, print_json, state, warn


def _day(value: str | None) -> dt.date:
    return parse_date(value, "--as-of") if value is not None else dt.date.today()


def register(main: click.Group) -> None:
    @command(main, "alerts")
    @click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="判断日期（默认今天；为今天时同时更新已保存的提醒）")
    @json_option
    def alerts(as_of: str | None, as_json: bool) -> None:
        """需要关注的事项（J1）：考核通报逾期、投诉逾期或将到期、结算单超期未核验、更换要求未执行、支付落后于用款计划。"""
        from hallmon.alerts.rules import KIND_NAMES
        from hallmon.alerts.services import alerts_document, refresh_alerts

        day = _day(as_of)
        session = state().session()
        document = alerts_document(session, day)
        if day == dt.date.today():
            refresh_alerts(session, day)
        if as_json:
            print_json(document)
            return
        warn(document["warnings"])
        click.echo(f"截至 {document['as_of']}：{document['count']} 条提醒")
        for alert in document["alerts"]:
            click.echo(f"  [{KIND_NAMES.get(alert['kind'], alert['kind'])}] {alert['message']}")

    @command(main, "scheduler")
    @click.option("--once", is_flag=True, help="只运行一次到期的任务后退出（测试与补跑用）")
    def scheduler(once: bool) -> None:
        """定时任务进程（独立于网站进程运行）：每日提醒、每月 1 日 02:00 月结、每年提醒。"""
        from hallmon.scheduler import run_scheduler

        run_scheduler(state().url(), once=once, echo=lambda s: click.echo(s, err=True))
