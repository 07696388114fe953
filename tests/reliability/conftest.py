"""Shared set-up for the reliability tests: a hall to attack, and the figures the run produced."""
from __future__ import annotations

import pytest

from tests.drive import load
from tests.reliability.figures import leave
from tests.reliability.hall import ROSTER_CSV


@pytest.fixture
def roster_loaded(session, loaded_contract, tmp_path):
    """Contract T-1 (2024) and six staff A1–A6, loaded the way a user loads them."""
    load(session, "staff", tmp_path / "roster.csv", data=ROSTER_CSV.encode(), display="roster.csv")
    return session


def pytest_sessionfinish(session):
    worker = getattr(session.config, "workerinput", {}).get("workerid")
    if worker:
        leave(worker)
