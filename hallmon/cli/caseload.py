"""hallmon caseload stats: K1–K4 over a contract's months of one year."""
from __future__ import annotations

import click

from hallmon.cli.common import command, contract_of, json_option, print_json, state, warn
from hallmon.core.errors import Refused


def register(main: click.Group) -> None:
    @main.group("caseload")
    def caseload() -> None:
        """业务量统计（K1–K4）。"""

    @command(caseload, "stats")
    @click.argument("contract")
    @click.option("--year", required=True, metavar="YYYY", help="统计合同在该自然年内的月份")
    @json_option
    def stats(contract: str, year: str, as_json: bool) -> None:
        """业务量：按科室、窗口、业务类型、月份汇总，低于日目标的工作日，人均日业务量，窗口不均衡度。"""
        from hallmon.caseload.services import statistics_document

        text = year.strip()
        if not (len(text) == 4 and text.isdigit()):
            raise Refused(f"--year 应为四位年份 YYYY：{year!r}")
        session = state().session()
        document = statistics_document(session, contract_of(session, contract), int(text))
        if as_json:
            print_json(document)
            return
        warn(document["warnings"])
        d = document
        click.echo(f"合同 {d['contract']} {d['year']} 年业务量共 {d['total']} 件")
        click.echo("  按科室：" + "，".join(f"{k} {v}" for k, v in d["by_department"].items()))
        click.echo("  按业务类型：" + "，".join(f"{k} {v}" for k, v in d["by_business"].items()))
        below = d["days_below_target"]
        click.echo("  低于日目标的工作日：" + ("未设日目标" if below is None else f"{below} 天"))
        click.echo("  月份\t业务量\t人均日业务量\t窗口不均衡度（变异系数）")
        for month, total in d["by_month"].items():
            per = d["per_staffed_person_day"][month]
            cv = d["window_imbalance"][month]
            click.echo(f"  {month}\t{total}\t{'—' if per is None else per}\t{'—' if cv is None else cv}")
