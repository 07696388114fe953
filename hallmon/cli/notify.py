"""notify check, deliver, digest, outbox, message; notify notice (the printable replacement notice)."""
from __future__ import annotations

import getpass
from pathlib import Path

import click

from hallmon.cli.common import command, json_option, parse_date, print_json, state
from hallmon.core import labels


def _config(path: str | None):
    from hallmon.notify.config import ENV, configured, load_config

    config = load_config(path) if path else configured()
    if config is None:
        raise click.UsageError(f"未设置 {ENV}，也没有用 --config 指定通知配置文件")
    return config


def register(main: click.Group) -> None:
    @main.group("notify")
    def notify() -> None:
        """通知：电子邮件、企业微信与钉钉群机器人（配置文件由 HALLMON_NOTIFY_CONFIG 指定）。"""

    @notify.command("check")
    @click.option("--config", "path", metavar="FILE", help="通知配置文件（默认 HALLMON_NOTIFY_CONFIG）")
    def check(path: str | None) -> None:
        """检查通知配置并列出渠道（不显示密码、密钥与机器人地址）。"""
        config = _config(path)
        click.echo(f"通知配置 {config.path} 有效")
        if config.smtp:
            s = config.smtp
            click.echo(f"  电子邮件：{s.host}:{s.port}（{s.security}），发件人 {s.sender}"
                       + ("，需登录" if s.username else ""))
        for robot in config.robots.values():
            click.echo(f"  {labels.NOTIFY_CHANNELS[robot.type]}：{robot.name}" + ("（加签）" if robot.secret else ""))
        d = config.delivery
        click.echo(f"  每 {d.interval_seconds} 秒发送一次；失败后 {d.backoff_seconds} 秒起加倍重试，至多 {d.max_attempts} 次；"
                   f"每日汇总 {config.digest_time:%H:%M}（北京时间）")

    @command(notify, "deliver")
    @click.option("--config", "path", metavar="FILE", help="通知配置文件（默认 HALLMON_NOTIFY_CONFIG）")
    @json_option
    def deliver(path: str | None, as_json: bool) -> None:
        """立即发送到期的通知一遍（定时任务进程每分钟做这件事）。"""
        from hallmon.db import session_factory
        from hallmon.notify.delivery import deliver_due

        config = _config(path)
        report = deliver_due(session_factory(state().get_engine()), config)
        document = {"sent": report.sent, "retry": report.retried, "failed": report.failed,
                    "uncertain": report.uncertain, "dropped": report.dropped, "expired": report.expired}
        if as_json:
            print_json(document)
        else:
            click.echo(f"已发送 {report.sent} 条，稍后重试 {report.retried} 条，放弃 {report.failed} 条，"
                       f"可能已发送 {report.uncertain + report.expired} 条，不再发送 {report.dropped} 条")

    @command(notify, "digest")
    @click.option("--date", "day", metavar="YYYY-MM-DD", help="汇总日期（默认今天）")
    def digest(day: str | None) -> None:
        """写出当日的提醒汇总（每个收件人一条；同一天只写一次）。"""
        from hallmon.cli.common import day_option
        from hallmon.jobs import run_once
        from hallmon.notify.outbox import write_digests

        when = day_option(day, "--date")
        written: list[int] = []
        state().get_engine()
        ran = run_once(state().url(), "daily_digest", when.isoformat(),
                       lambda session: written.append(write_digests(session, when)))
        if not ran:
            click.echo(f"{when} 的提醒汇总已写出过")
        else:
            click.echo(f"{when} 的提醒汇总：{written[0]} 条待发")

    @command(notify, "outbox")
    @click.option("--status", type=click.Choice(list(labels.MESSAGE_STATUSES)), help="只列出这一状态")
    @json_option
    def outbox(status: str | None, as_json: bool) -> None:
        """列出待发与已发的通知（只读）。"""
        from hallmon.notify.outbox import messages_of

        rows = messages_of(state().session(), status)
        docs = [{"id": m.id, "status": m.status, "channel": m.channel, "recipient": m.recipient,
                 "title": m.content["title"], "attempts": m.attempts, "sent_at": m.sent_at,
                 "next_attempt_at": m.next_attempt_at, "error": m.last_error} for m in rows]
        if as_json:
            print_json(docs)
            return
        for d in docs:
            click.echo(f"#{d['id']} [{labels.MESSAGE_STATUSES[d['status']]}] {d['recipient']}：{d['title']}"
                       + (f"（{d['error']}）" if d["error"] else ""))

    @command(notify, "message")
    @click.argument("message_id", type=int)
    @click.argument("action", type=click.Choice(list(labels.MESSAGE_ACTIONS)))
    @click.option("--user", "actor", metavar="NAME", help="操作人（默认操作系统用户）")
    def message(message_id: int, action: str, actor: str | None) -> None:
        """处理发送失败或可能已发送的通知：resend 重新发送、confirm 确认已收到、drop 不再发送。"""
        from hallmon.notify.outbox import decide

        with state().unit() as session:
            decide(session, message_id, action, actor or getpass.getuser())
        click.echo(f"通知 #{message_id}：{labels.MESSAGE_ACTIONS[action]}")

    @command(notify, "notice")
    @click.argument("code")
    @click.option("--staff", "staff_id", required=True, metavar="STAFF_ID")
    @click.option("--reason", required=True, type=click.Choice(list(labels.REASONS)))
    @click.option("--raised-on", "raised_on", required=True, metavar="YYYY-MM-DD")
    @click.option("-o", "--output", type=click.Path(dir_okay=False), help="写入文件（默认标准输出）")
    def notice(code: str, staff_id: str, reason: str, raised_on: str, output: str | None) -> None:
        """打印一条更换要求的《更换人员通知书》（HTML，用浏览器打印或另存为 PDF）。"""
        from hallmon.notify.notice import NoticeKey, notice_document, notice_html
        from hallmon.roster.services import get_contract

        session = state().session()
        key = NoticeKey(staff_id, reason, parse_date(raised_on, "--raised-on"))
        html = notice_html(notice_document(session, get_contract(session, code), key))
        if output:
            Path(output).write_text(html, encoding="utf-8")
            click.echo(f"已写出 {output}", err=True)
        else:
            click.echo(html)
