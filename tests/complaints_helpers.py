"""Helpers for the complaints and caseload integration tests: contracts with chosen terms, a small roster."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.factories import terms_toml, write

STAFF_HEADER = "staff_id,name,contract,post,department,window,hired_on,left_on\n"


def load_contract(cli, tmp_path: Path, code: str, start: str, end: str, **terms) -> str:
    """Load a contract `code` over [start, end] (YYYY-MM-DD) with the base contract's terms and `terms` laid over them
    (as in `terms_toml`)."""
    text = terms_toml(code=code, name=f"测试合同 {code}", start=dt.date.fromisoformat(start),
                      end=dt.date.fromisoformat(end), **terms)
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
