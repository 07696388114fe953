"""Helpers for the complaints and caseload integration tests: contracts with chosen terms, a small roster."""
from __future__ import annotations

from pathlib import Path

from tests.factories import write

STAFF_HEADER = "staff_id,name,contract,post,department,window,hired_on,left_on\n"


def load_contract(cli, tmp_path: Path, code: str, start: str, end: str, extra: str = "") -> str:
    """Load a contract `code` over [start, end] with default terms plus the TOML lines in `extra`."""
    text = (f'code = "{code}"\nname = "测试合同 {code}"\ncontractor = "测试人力资源有限公司"\n'
            f'start = {start}\nend = {end}\ntotal_fee = "1200000.00"\nheadcount = 10\n'
            f'{extra}\n[schedule]\nsessions = [["08:30", "12:00"], ["14:30", "17:30"]]\n')
    result = cli("contract", "load", write(tmp_path / f"{code}.toml", text))
    assert result.exit_code == 0, result.stderr
    return code


def load_staff(cli, tmp_path: Path, rows: list[str], name: str = "staff.csv") -> None:
    """Rows as `staff_id,name,contract,post,department,window,hired_on,left_on`."""
    result = cli("ingest", "staff", write(tmp_path / name, STAFF_HEADER + "\n".join(rows) + "\n"))
    assert result.exit_code == 0, result.stderr


def ingest(cli, kind: str, path: Path, *args: str):
    result = cli("ingest", kind, path, *args)
    assert result.exit_code == 0, result.stderr
    return result
