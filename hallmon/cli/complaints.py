"""hallmon complaints stats|list: C3 statistics of petitions, 12345, 好差评 and on-site complaints."""
from __future__ import annotations

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
from hallmon.core.errors import Refused


def scope_of(session, contract: str | None, all_contracts: bool):
    """The contract named, or None for --all."""
    if all_contracts and contract:
        raise Refused("请只给出合同编号或 --all 之一")
    if not all_contracts and not contract:
        raise Refused("请给出合同编号，或用 --all 统计所有合同")
    return None if all_contracts else contract_of(session, contract)


def _rate_text(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def register(main: click.Group) -> None:
    @main.group("complaints")
    def complaints() -> None:
        """投诉统计：信访、12345 热线、好差评、现场投诉（C1–C3）。"""

    scope_args = [
        click.argument("contract", required=False),
        click.option("--all", "all_contracts", is_flag=True, help="统计数据库中所有合同的投诉"),
        click.option("--from", "date_from", required=True, metavar="DATE", help="收件日期起（含）"),
        click.option("--to", "date_to", required=True, metavar="DATE", help="收件日期止（含），亦为统计时点"),
    ]

    def with_scope(func):
        for decorate in reversed(scope_args):
            func = decorate(func)
        return func

    @command(complaints, "stats")
    @with_scope
    @json_option
    def stats(contract: str | None, all_contracts: bool, date_from: str, date_to: str, as_json: bool) -> None:
        """区间 [--from, --to] 内收件的投诉统计，以 --to 为统计时点（C3）。"""
        from hallmon.complaints.services import statistics_document

        session = state().session()
        chosen = scope_of(session, contract, all_contracts)
        start, end = parse_date(date_from, "--from"), parse_date(date_to, "--to")
        document = statistics_document(session, chosen, start, end)
        if as_json:
            print_json(document)
            return
        warn(document["warnings"])
        d = document
        scope = "所有合同" if chosen is None else f"合同 {chosen.code}"
        click.echo(f"{scope} {start.isoformat()} 至 {end.isoformat()} 投诉统计（截至 {end.isoformat()}）")
        click.echo(f"  收件 {d['received']} 件，已办结 {d['resolved']} 件，办结率 {_rate_text(d['resolution_rate'])}，"
                   f"按期办结率 {_rate_text(d['on_time_rate'])}")
        click.echo(f"  信访受理超期 {d['accept_overdue']} 件；积压（含区间前收件）{d['backlog']} 件："
                   + "，".join(f"{k} 天 {v} 件" for k, v in d["ageing"].items()))
        click.echo("  按渠道：" + "，".join(f"{labels.CHANNELS[k]} {v}" for k, v in d["by_channel"].items()))
        click.echo("  按类别：" + "，".join(f"{labels.CATEGORIES[k]} {v}" for k, v in d["by_category"].items()))
        click.echo(f"  上年同期 {d['received_prev']} 件，增长 {_rate_text(d['growth'])}")

    @command(complaints, "list")
    @with_scope
    @click.option("--figure", metavar="NAME",
                  help="只列出计入某统计项的投诉，如 backlog、accept_overdue、ageing:>90、channel:hotline")
    @json_option
    def list_(contract: str | None, all_contracts: bool, date_from: str, date_to: str, figure: str | None,
              as_json: bool) -> None:
        """列出统计所依据的投诉记录（可按统计项筛选），以 --to 为统计时点。"""
        from hallmon.complaints.services import complaint_list

        session = state().session()
        chosen = scope_of(session, contract, all_contracts)
        start, end = parse_date(date_from, "--from"), parse_date(date_to, "--to")
        lines, warnings = complaint_list(session, chosen, start, end, figure)
        if as_json:
            print_json({"complaints": [_line_document(line) for line in lines], "warnings": warnings})
            return
        warn(warnings)
        for line in lines:
            j, c = line.judged, line.complaint
            click.echo(f"{c.complaint_id}\t{c.contract}\t{labels.CHANNELS[c.channel]}\t{labels.CATEGORIES[c.category]}\t"
                       f"收件 {c.received_on.isoformat()}\t期限 {j.due.isoformat()}\t{labels.COMPLAINT_STATUSES[j.status]}"
                       + ("\t受理超期" if j.accept_overdue else ""))
        click.echo(f"共 {len(lines)} 件")


def _day(value) -> str | None:
    return value.isoformat() if value is not None else None


def _line_document(line) -> dict:
    j, c = line.judged, line.complaint
    return {
        "complaint_id": c.complaint_id, "contract": c.contract, "channel": c.channel, "kind": c.kind,
        "category": c.category, "received_on": _day(c.received_on), "accepted_on": _day(c.accepted_on),
        "extended": c.extended, "substantiated": c.substantiated, "staff_id": c.staff_id,
        "resolved_on": _day(c.resolved_on), "due": _day(j.due), "status": j.status,
        "accept_overdue": j.accept_overdue, "age_days": j.age_days, "figures": list(line.figures),
    }
