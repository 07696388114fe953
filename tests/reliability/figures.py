"""The figures a reliability run produced (runs, outcomes), counted by the tests and printed once at the end (with
pytest-xdist, each worker leaves its own in the folder the controller names, and the controller adds them up)."""
from __future__ import annotations

import json
import os
from pathlib import Path

FIGURES: dict[str, int] = {}
FOLDER_ENV = "HALLMON_TEST_FIGURES_DIR"


def count(name: str, n: int = 1) -> None:
    FIGURES[name] = FIGURES.get(name, 0) + n


def leave(worker: str) -> None:
    """A worker's figures, left for the controller."""
    folder = os.environ.get(FOLDER_ENV)
    if folder and FIGURES:
        (Path(folder) / f"{worker}.json").write_text(json.dumps(FIGURES), encoding="utf-8")


def gathered() -> dict[str, int]:
    """This process's figures and those the workers left."""
    total = dict(FIGURES)
    folder = os.environ.get(FOLDER_ENV)
    for path in sorted(Path(folder).glob("*.json")) if folder else ():
        for name, n in json.loads(path.read_text(encoding="utf-8")).items():
            total[name] = total.get(name, 0) + n
    return total
