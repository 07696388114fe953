"""Shared helpers of the assessment tests: loading files through the CLI and reading the scores document."""
from __future__ import annotations

from pathlib import Path

from tests.factories import write

ASSESSMENT_HEADER = "合同编号,月份,项目代码,考核项目,分值,工号,窗口,日期,说明\n"
NOTICES_HEADER = "合同编号,月份,通报日期\n"
COMPLAINTS_HEADER = "编号,合同编号,渠道,类型,类别,收件日期,受理日期,是否延期,是否属实,工号,办结日期,摘要\n"
STAFF_HEADER = "工号,姓名,合同编号,岗位,科室,窗口,入职日期,离职日期\n"


def ingest(cli, tmp_path: Path, kind: str, name: str, text: str, *options: str) -> dict:
    """Load a file through `hallmon ingest`; it must be accepted. Returns the --json report."""
    path = write(tmp_path / name, text)
    result = cli("ingest", kind, path, "--json", *options)
    assert result.exit_code == 0, result.stderr
    return result.json()


def assessment_file(*rows: str) -> str:
    return ASSESSMENT_HEADER + "".join(r + "\n" for r in rows)


def notices_file(*rows: str) -> str:
    return NOTICES_HEADER + "".join(r + "\n" for r in rows)


def scores(cli, contract: str, year: int, as_of: str | None = None) -> dict:
    args = ["assessment", "scores", contract, "--year", str(year), "--json"]
    if as_of:
        args += ["--as-of", as_of]
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    return result.json()


def by_month(document: dict) -> dict[str, dict]:
    return {m["month"]: m for m in document["months"]}


def month_scores(document: dict) -> dict[str, object]:
    """month → score (None when not assessed)."""
    return {m["month"]: m["score"] for m in document["months"]}


def statuses(document: dict) -> dict[str, tuple[str | None, str]]:
    """month → (notified_on as shown, status)."""
    return {m["month"]: (m["notice"]["notified_on"], m["notice"]["status"]) for m in document["months"]}
