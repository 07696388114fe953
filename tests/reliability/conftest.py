"""Shared set-up for the reliability tests: a hall to attack, and the figures the run produced."""
from __future__ import annotations

import pytest

FIGURES: dict[str, int] = {}


def count(name: str, n: int = 1) -> None:
    FIGURES[name] = FIGURES.get(name, 0) + n


ROSTER_CSV = ("staff_id,name,contract,department,window,hired_on\n"
              + "".join(f"A{n},员工{n},T-1,受理科,A0{n},2023-01-01\n" for n in range(1, 7)))


@pytest.fixture
def roster_loaded(session, loaded_contract, tmp_path):
    """Contract T-1 (2024) and six staff A1–A6, loaded the way a user loads them."""
    from hallmon.ingest.service import ingest_file

    ingest_file(session, "staff", tmp_path / "roster.csv", data=ROSTER_CSV.encode(), display="roster.csv")
    return session


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.write_line(
            "reliability figures: " + ", ".join(f"{k}={v}" for k, v in sorted(FIGURES.items())))
