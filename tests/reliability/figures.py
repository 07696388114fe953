"""The figures a reliability run produced (runs, outcomes), counted by the tests and printed once at the end."""
from __future__ import annotations

FIGURES: dict[str, int] = {}


def count(name: str, n: int = 1) -> None:
    FIGURES[name] = FIGURES.get(name, 0) + n
