"""A source: its columns, how a file becomes a table, how the table is checked (pure)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from hallmon.ingest.context import RosterView
from hallmon.ingest.errors import RowError
from hallmon.ingest.reading import read_records
from hallmon.ingest.table import Column, Table, build_table


@dataclass
class Parsed:
    """The good rows, typed (with their `_line`), and every refused row's errors."""

    frame: pd.DataFrame
    errors: list[RowError]
    warnings: list[str] = field(default_factory=list)

    @property
    def bad_lines(self) -> list[int]:
        return sorted({e.line for e in self.errors})


def read_canonical(data: bytes, file: str, fmt: str, columns: tuple[Column, ...]) -> Table:
    return build_table(read_records(data, file, fmt), columns)


@dataclass(frozen=True)
class Source:
    kind: str
    title: str
    columns: tuple[Column, ...]
    parse: Callable[[Table, RosterView], Parsed]
    formats: tuple[str, ...] = ("csv", "xlsx")
    read: Callable[[bytes, str, str], Table] | None = None

    def table(self, data: bytes, file: str, fmt: str = "auto") -> Table:
        if self.read is not None:
            return self.read(data, file, fmt)
        return read_canonical(data, file, fmt, self.columns)
