"""hallmon assessment scores|month and hallmon catalogue load|show|export|clear (rules §5, S1–S7)."""
from __future__ import annotations

from pathlib import Path

import click

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
from hallmon.core.clock import today
from hallmon.core.errors import Refused
from hallmon.core.periods import month_of


def _score_text(value) -> str:
    return "—" if value is None else str(value)


def register(main: click.Group) -> None:
    @main.group("assessment")
    def assessment() -> None:
        """月度考核：逐项扣分加分、重复发生加倍、通报时限、年度得分（S1–S7）。"""

    @command(assessment, "scores")
    @click.argument("contract")
    @click.option("--year", required=True, type=click.IntRange(1900, 9999), help="自然年 YYYY（合同在该年内的月份）")
    @click.option("--as-of", "as_of", metavar="DATE", help="通报状态的判断时点（默认今天，S5）")
    @json_option
    def scores(contract: str, year: int, as_of: str | None, as_json: bool) -> None:
        """合同在 --year 年内各月的考核得分、等级与通报状态，以及年度得分（S1–S7）。"""
        from hallmon.assessment.services import year_scores

        when = parse_date(as_of, "--as-of") if as_of else None
        session = state().session()
        document = year_scores(session, contract_of(session, contract), year, when)
        if as_json:
            print_json(document)
            return
        warn(document["warnings"])
        click.echo(f"合同 {document['contract']} {year} 年月度考核（通报状态截至 {(when or today()).isoformat()}）")
        if not document["months"]:
            click.echo("  合同在该年没有服务月份")
        for m in document["months"]:
            notice = m["notice"]
            score = f"{_score_text(m['score'])} 分（{m['grade']}）" if m["assessed"] else "未考核"
            sent = notice["notified_on"] or "未通报"
            click.echo(f"  {m['month']}  {score:<14}  通报 {sent}，时限 {notice['deadline']}，"
                       f"{labels.NOTICE_STATUSES[notice['status']]}")
        if document["year_score"] is None:
            click.echo("  年度得分：— （没有已考核的月份）")
        else:
            click.echo(f"  年度得分：{_score_text(document['year_score'])} 分（{document['grade']}）")

    @command(assessment, "month")
    @click.argument("contract")
    @click.option("--month", required=True, metavar="YYYY-MM", help="考核月份")
    @json_option
    def month(contract: str, month: str, as_json: bool) -> None:
        """一个月的考核明细：每行的重复发生次数与计分（S1），人员类属实投诉（S3），得分（S2）。"""
        from hallmon.assessment.services import month_detail

        session = state().session()
        document = month_detail(session, contract_of(session, contract), month_of(month, "--month"))
        if as_json:
            print_json(document)
            return
        d = document
        if not d["assessed"]:
            click.echo(f"合同 {d['contract']} {d['month']}：未考核（没有通报，也没有考核明细）")
            return
        click.echo(f"合同 {d['contract']} {d['month']}：{_score_text(d['score'])} 分（{d['grade']}）")
        for r in d["rows"]:
            who = "，".join(x for x in (r["staff_id"], r["window"]) if x)
            times = f"第 {r['occurrence']} 次" if r["occurrence"] else ""
            counted = f" → 计 {_score_text(r['counted'])}" if r["counted"] != r["points"] else ""
            click.echo(f"  {r['date']}  {r['item_code']:<8} {r['item']}  {_score_text(r['points'])}{counted}"
                       f"  {times}  {who}  {r['note'] or ''}".rstrip())
        for points in d["complaint_rows"]:
            click.echo(f"  COMPLAINT  属实的人员类投诉  {_score_text(points)}")
        click.echo(f"  扣分合计 {_score_text(d['deductions'])}，加分合计 {_score_text(d['bonuses'])}"
                   f"（计入 {_score_text(d['bonus_counted'])}）")

    @main.group("catalogue")
    def catalogue() -> None:
        """考核项目目录：载入后，考核明细只接受目录中的项目代码（未载入时接受任何代码）。"""

    @command(catalogue, "load")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--user", "actor", metavar="NAME", help="记录为操作人")
    def load(file: str, actor: str | None) -> None:
        """校验并载入目录文件（TOML），替换数据库中原有的目录。"""
        from hallmon.assessment.services import load_catalogue_text

        try:
            text = Path(file).read_bytes().decode("utf-8-sig")
        except OSError as exc:
            raise Refused(f"无法读取文件 {file}：{exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise Refused(f"{file} 不是 UTF-8 编码的文本文件") from None
        with state().unit() as session:
            result = load_catalogue_text(session, text, source_name=file, actor=actor)
        warn(result.warnings)
        click.echo(result.sentence())

    @command(catalogue, "show")
    @json_option
    def show(as_json: bool) -> None:
        """显示数据库中的考核项目目录。"""
        from hallmon.assessment.services import catalogue_document

        document = catalogue_document(state().session())
        if as_json:
            print_json(document)
            return
        if not document["stored"]:
            click.echo("本数据库未载入考核项目目录：考核明细接受任何项目代码"
                       "（hallmon catalogue export FILE 导出默认目录，编辑后 hallmon catalogue load FILE 载入）")
            return
        for item in document["items"]:
            line = f"{item['code']:<10} {item['name']}  {labels.ITEM_KINDS[item['kind']]} {_score_text(item['points'])}"
            click.echo(line + (f"  {item['description']}" if item["description"] else ""))

    @command(catalogue, "export")
    @click.argument("file", type=click.Path(dir_okay=False))
    def export(file: str) -> None:
        """把数据库中的目录（未载入时为默认目录）写成可编辑的 TOML 文件。"""
        from hallmon.assessment.services import export_catalogue_text

        text, stored = export_catalogue_text(state().session())
        try:
            Path(file).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise Refused(f"无法写入文件 {file}：{exc.strerror or exc}") from None
        click.echo(f"已写出{'数据库中的' if stored else '默认'}考核项目目录：{file}")

    @command(catalogue, "clear")
    def clear() -> None:
        """删除数据库中的目录：此后考核明细重新接受任何项目代码。"""
        from hallmon.assessment.services import clear_catalogue

        with state().unit() as session:
            removed = clear_catalogue(session)
        click.echo(f"已删除考核项目目录（{removed} 个项目）；考核明细现接受任何项目代码" if removed
                   else "本数据库没有考核项目目录")
