"""evaluation report, evaluation note."""
from __future__ import annotations

from pathlib import Path

import click

from hallmon.cli.common import (
    command,
    contract_of,
    day_option,
    json_option,
    print_json,
    state,
    warn,
)


def register(main: click.Group) -> None:
    @main.group("evaluation")
    def evaluation() -> None:
        """年度绩效自评表（按合同年度从数据生成）。"""

    @command(evaluation, "report")
    @click.argument("contract")
    @click.option("--year", required=True, type=int)
    @click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="评价日期（默认今天）")
    @click.option("--xlsx", "xlsx", type=click.Path(dir_okay=False), help="同时导出 XLSX 到该文件")
    @json_option
    def report(contract: str, year: int, as_of: str | None, xlsx: str | None, as_json: bool) -> None:
        """生成绩效自评表：各指标的指标值、完成值、分值、得分、数据依据与偏差原因。"""
        from hallmon.evaluation.services import evaluation as build
        from hallmon.evaluation.services import evaluation_xlsx

        session = state().session()
        document = build(session, contract_of(session, contract), year, day_option(as_of))
        if xlsx:
            Path(xlsx).write_bytes(evaluation_xlsx(document))
        if as_json:
            print_json(document)
            return
        warn(document["warnings"])
        click.echo(f"{document['contract']} {year} 年度绩效自评：{document['score']} 分（{document['grade']}）")
        for i in document["indicators"]:
            click.echo(f"  {i['level1']}/{i['level2']} {i['name']}：目标 {i['target']}，完成 {i['actual']}，"
                       f"{i['score']}/{i['weight']}" + (f"（偏差原因：{i['reason']}）" if i["reason"] else ""))

    @command(evaluation, "note")
    @click.argument("contract")
    @click.option("--year", required=True, type=int)
    @click.option("--indicator", required=True, help="指标代码（satisfaction 为满意度调查结果）")
    @click.option("--reason", default="", help="偏差原因")
    @click.option("--value", help="满意度（百分数），仅 satisfaction")
    @click.option("--user", "actor", required=True, metavar="NAME")
    def note(contract: str, year: int, indicator: str, reason: str, value: str | None, actor: str) -> None:
        """填写某项指标的偏差原因（或满意度调查结果）。"""
        from hallmon.evaluation.services import write_note

        with state().unit() as session:
            write_note(session, contract_of(session, contract), year, indicator, reason, actor, value)
        click.echo(f"已保存 {contract} {year} 年 {indicator}")
