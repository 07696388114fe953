"""settle, gate, audit verify."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from hallmon.billing.commands import (
    Answer,
    Approve,
    GateCommand,
    Object,
    Pay,
    Submit,
    Suspend,
    Verify,
)
from hallmon.cli.common import (
    command,
    contract_of,
    json_option,
    parse_date,
    print_json,
    state,
    warn,
)
from hallmon.core import labels
from hallmon.core.errors import Refused
from hallmon.core.money import parse_money


def _date(value: str | None, what: str) -> dt.date | None:
    return parse_date(value, what) if value is not None else None


def register(main: click.Group) -> None:
    register_exports(main)

    @command(main, "settle")
    @click.argument("contract")
    @click.option("--month", required=True, metavar="YYYY-MM", help="结算期内的任一月份")
    @json_option
    def settle(contract: str, month: str, as_json: bool) -> None:
        """计算（或显示已冻结的）结算单：每月基数、扣减明细及其依据（B1–B5）。"""
        from hallmon.billing.services import settle as compute
        from hallmon.billing.settlement import basis_document
        from hallmon.core.jsonout import money, number

        session = state().session()
        settled = compute(session, contract_of(session, contract), month)
        if as_json:
            print_json(settled.document())
            return
        s = settled.settlement
        warn(s.warnings)
        click.echo(f"{s.contract} 结算期 {s.period.start} 至 {s.period.end}（{labels.STATES[settled.status]}）")
        click.echo(f"  基数 {money(s.base_fee)}  扣减 {money(s.deduction)}  应付 {money(s.net_fee)}")
        for m in s.months:
            click.echo(f"  {m.month} 基数 {money(m.base)} 得分 {number(m.score)} 扣减 {money(m.deduction)}"
                       + ("（已封顶）" if m.capped else ""))
            for line in m.lines:
                click.echo(f"    {labels.name(labels.LINES, line.kind):<8} {money(line.amount):>12}  "
                           f"{basis_document(line.basis)}")

    @main.group("gate")
    def gate() -> None:
        """考核+核验 支付关卡：submit、verify、suspend、object、answer、approve、pay。"""

    def gate_command(action: str, help_text: str, *options):
        def decorate(func):
            for option in reversed(options):
                func = option(func)
            func = click.option("--user", "username", required=True, metavar="NAME", help="操作人（系统用户名）")(func)
            func = click.option("--month", required=True, metavar="YYYY-MM", help="结算期内的任一月份")(func)
            func = click.argument("contract")(func)
            func = json_option(func)
            func.__doc__ = help_text
            return command(gate, action)(func)
        return decorate

    def run(contract: str, month: str, username: str, as_json: bool, command_: GateCommand) -> None:
        from hallmon.app.writes import gate_action
        from hallmon.billing.services import VerificationFailed

        with state().unit() as session:
            result = gate_action(session, contract_of(session, contract), month, command_, username)
        if as_json:
            print_json(result.document())
        if result.failed:  # recorded (G3) and committed; the command still reports the refusal
            raise VerificationFailed(result)
        if not as_json:
            warn(result.warnings)
            extra = f"，异议 #{result.objection}" if result.objection else ""
            extra += f"，归档第 {result.archive_seq} 条" if result.archive_seq else ""
            click.echo(f"{contract} {result.period}：{labels.ACTIONS[result.action]}完成，"
                       f"状态 {labels.STATES[result.status]}，应付 {result.net_fee}{extra}")

    @gate_command("submit", "业务科室提交结算单（须各月已考核并附考核报告）。",
                  click.option("--report", required=True, type=click.Path(dir_okay=False), help="考核报告文件"))
    def submit(contract, month, username, as_json, report):
        path = Path(report)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise Refused(f"无法读取考核报告 {report}：{exc.strerror or exc}") from exc
        run(contract, month, username, as_json, Submit(data, path.name))

    @gate_command("verify", "财务科室核验：按现有数据重新计算，与提交时的快照逐项比对。")
    def verify(contract, month, username, as_json):
        run(contract, month, username, as_json, Verify())

    @gate_command("suspend", "财务科室暂缓支付（须写明原因）。",
                  click.option("--why", required=True, help="原因"))
    def suspend(contract, month, username, as_json, why):
        run(contract, month, username, as_json, Suspend(why))

    @gate_command("object", "服务单位对某一扣减行提出异议。",
                  click.option("--line", "line", required=True,
                               type=click.Choice(["staffing", "attendance", "assessment", "unenforced", "cap"]),
                               help="扣减行"),
                  click.option("--line-month", metavar="YYYY-MM", help="扣减行所在月份（默认 --month）"),
                  click.option("--text", required=True, help="异议理由"))
    def object_(contract, month, username, as_json, line, line_month, text):
        run(contract, month, username, as_json, Object(line_month or month, line, text))

    @gate_command("answer", "业务科室答复异议：--accept 并给出 --adjustment 调整金额，或 --reject；均须 --why。",
                  click.option("--objection", type=int, help="异议编号（只有一条待答复时可省略）"),
                  click.option("--accept/--reject", required=True, help="接受或驳回"),
                  click.option("--adjustment", help="接受时退还的金额（元）"),
                  click.option("--why", required=True, help="答复理由"))
    def answer(contract, month, username, as_json, objection, accept, adjustment, why):
        amount = parse_money(adjustment, "调整金额") if adjustment is not None else None
        run(contract, month, username, as_json, Answer(objection, accept, why, amount))

    @gate_command("approve", "财务科室审批（须已核验且异议均已答复）；结算单与考核报告一并归档。")
    def approve(contract, month, username, as_json):
        run(contract, month, username, as_json, Approve())

    @gate_command("pay", "财务科室登记支付（金额须等于审批的应付净额）。",
                  click.option("--voucher", required=True, help="凭证号"),
                  click.option("--paid-on", required=True, metavar="YYYY-MM-DD", help="支付日期"),
                  click.option("--amount", required=True, help="支付金额（元）"))
    def pay(contract, month, username, as_json, voucher, paid_on, amount):
        run(contract, month, username, as_json,
            Pay(voucher, _date(paid_on, "支付日期"), parse_money(amount, "支付金额")))

    @main.group("audit")
    def audit() -> None:
        """归档审计。"""

    @command(audit, "verify")
    @json_option
    def audit_verify(as_json: bool) -> None:
        """检查整条归档哈希链，指出第一条被改动的记录（G2）。"""
        from hallmon.billing.services import audit_verify as check

        result = check(state().session())
        if as_json:
            print_json(result.document())
        elif result.ok:
            click.echo(f"归档链完整：共 {result.entries} 条记录")
        if not result.ok:
            click.echo(f"归档链在第 {result.broken_seq} 条记录处断开：{result.reason}", err=True)
            raise click.exceptions.Exit(1)


def register_exports(main: click.Group) -> None:
    @main.group("export")
    def export() -> None:
        """导出财务归档文件（XLSX 或可打印的 HTML）。"""

    @command(export, "statement")
    @click.argument("contract")
    @click.option("--month", required=True, metavar="YYYY-MM")
    @click.option("--format", "fmt", type=click.Choice(["xlsx", "html"]), default="xlsx", show_default=True)
    @click.option("--output", "-o", type=click.Path(dir_okay=False), help="输出文件（默认按合同与结算期命名）")
    def statement(contract: str, month: str, fmt: str, output: str | None) -> None:
        """结算单：每月基数、每条扣减及其依据、审批记录。"""
        from hallmon.billing.services import statement_export

        session = state().session()
        data, name = statement_export(session, contract_of(session, contract), month, fmt)
        target = Path(output or name)
        target.write_bytes(data)
        click.echo(f"已导出 {target}")

    @command(export, "assessment-report")
    @click.argument("contract")
    @click.option("--month", required=True, metavar="YYYY-MM")
    @click.option("--format", "fmt", type=click.Choice(["xlsx", "html"]), default="xlsx", show_default=True)
    @click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="通报情况的判断日期（默认今天）")
    @click.option("--output", "-o", type=click.Path(dir_okay=False), help="输出文件")
    def assessment_report(contract: str, month: str, fmt: str, as_of: str | None, output: str | None) -> None:
        """考核报告：结算期各月得分、等级、通报情况与逐项扣分（提交结算单时附上）。"""
        from hallmon.billing.services import assessment_report_export

        session = state().session()
        data, name = assessment_report_export(session, contract_of(session, contract), month, fmt,
                                              _date(as_of, "--as-of"))
        target = Path(output or name)
        target.write_bytes(data)
        click.echo(f"已导出 {target}")
