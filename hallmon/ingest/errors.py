"""Row errors and refusals shared by every source (rules §2)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class RowError:
    """One refused value: printed as `FILE:LINE: column: message` (header = line 1)."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


class IngestRefused(Exception):
    """A file that writes nothing: every bad row is listed."""

    def __init__(self, errors: list[RowError], summary: str | None = None):
        self.errors = sorted(errors, key=lambda e: (e.file, e.line, e.column))
        self.summary = summary or f"拒绝导入：{len({(e.file, e.line) for e in errors})} 行有错误，未写入任何数据"
        super().__init__(self.summary)

    def lines(self) -> list[str]:
        return [str(e) for e in self.errors]
