"""Loading a file of any source: read it, parse it completely, refuse it or store it through its source's persist
function, log it. Knows no domain: the sources are handed in by the caller (hallmon.app.sources)."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from hallmon.core.exports import safe_cell
from hallmon.ingest.context import RosterView
from hallmon.ingest.errors import IngestRefused, RowError
from hallmon.ingest.models import IngestLog
from hallmon.ingest.source import Parsed, Source
from hallmon.ingest.table import Table

Progress = Callable[[str, int, int], None]


@dataclass
class Touched:
    """What a write changed, for the derived data to follow it in the same transaction: the (contract id, month)
    pairs whose attendance inputs changed, and the contracts whose demands or alerts read what changed."""

    months: set[tuple[int, str]] = field(default_factory=set)
    demands: set[int] = field(default_factory=set)
    alerts: set[int] = field(default_factory=set)

    def __or__(self, other: Touched) -> Touched:
        return Touched(self.months | other.months, self.demands | other.demands, self.alerts | other.alerts)

    def contracts(self) -> set[int]:
        return {cid for cid, _ in self.months} | self.demands | self.alerts


@dataclass
class Persisted:
    """What a persist function did: rows counted, and what the write touched."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    touched: Touched = field(default_factory=Touched)


@dataclass
class IngestReport:
    kind: str
    file: str
    rows: int
    loaded: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    rejected_file: str | None = None
    warnings: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict:
        document = asdict(self)
        document.pop("errors")
        return document

    def sentence(self) -> str:
        text = (f"{self.file}：共 {self.rows} 行，导入 {self.loaded} 行（新增 {self.inserted}，更新 {self.updated}，"
                f"未变 {self.unchanged}）")
        if self.rejected:
            text += f"，另有 {self.rejected} 行被拒收，已写入 {self.rejected_file}"
        return text


@dataclass(frozen=True)
class IngestMeta:
    file: str
    actor: str | None
    at: dt.datetime
    progress: Progress | None = None


Persist = Callable[[Session, Parsed, IngestMeta], Persisted]


@dataclass(frozen=True)
class Loaded:
    """A file read and parsed, not yet stored."""

    kind: str
    file: str
    data: bytes
    table: Table | None
    parsed: Parsed

    @property
    def rows(self) -> int:
        return len(self.parsed.frame) + len(self.parsed.bad_lines)


def rejected_path(path: Path) -> Path:
    return path.with_name(path.name + ".rejected.csv")


def write_rejected(path: Path, table, errors: list[RowError], directory: Path | None = None) -> Path:
    """rules §2: the refused rows, each with its line and reason, beside the file (UTF-8 with BOM for Excel)."""
    by_line: dict[int, list[RowError]] = {}
    for error in errors:
        by_line.setdefault(error.line, []).append(error)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["line", "column", "reason", "raw"])
    for line in sorted(by_line):
        found = by_line[line]
        writer.writerow([  # opened in a spreadsheet: a row's own text must not run as a formula (safe_cell)
            line,
            safe_cell("；".join(dict.fromkeys(e.column for e in found))),
            safe_cell("；".join(e.message for e in found)),
            safe_cell(table.raw(line) if table is not None else ""),
        ])
    target = rejected_path(path) if directory is None else directory / rejected_path(Path(path.name)).name
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
    try:
        target.write_text(buffer.getvalue(), encoding="utf-8-sig")
    except OSError:
        target = Path.cwd() / target.name
        target.write_text(buffer.getvalue(), encoding="utf-8-sig")
    return target


def read_file(path: str | Path, data: bytes | None = None, display: str | None = None) -> tuple[bytes, str]:
    """The file's bytes and the name errors call it by; an unreadable file is refused naming it."""
    file = display or str(path)
    if data is not None:
        return data, file
    try:
        return Path(path).read_bytes(), file
    except OSError as exc:
        raise IngestRefused([RowError(file, 0, "-", f"无法读取文件：{exc.strerror or exc}")]) from exc


def parse_file(source: Source, roster: RosterView, data: bytes, file: str, fmt: str = "auto") -> Loaded:
    """rules §2: read and check a whole file without writing anything."""
    if fmt != "auto" and fmt not in source.formats:
        raise IngestRefused([RowError(file, 0, "--format",
                                      f"{source.kind} 不支持格式 {fmt}（可用：auto、{'、'.join(source.formats)}）")])
    table = source.table(data, file, fmt)
    parsed = source.parse(table, roster)
    parsed.warnings = list(table.warnings) + list(parsed.warnings)
    return Loaded(source.kind, file, data, table, parsed)


def refuse_bad_rows(loaded: Loaded, skip_bad_rows: bool) -> None:
    """rules §2: all-or-nothing unless the bad rows are to be set aside."""
    if loaded.parsed.bad_lines and not skip_bad_rows:
        raise IngestRefused(loaded.parsed.errors)


def store(session: Session, loaded: Loaded, persist: Persist, meta: IngestMeta) -> Persisted:
    """Persist the good rows and log the load, in the caller's transaction."""
    persisted = persist(session, loaded.parsed, meta)
    session.add(IngestLog(
        kind=loaded.kind, file_name=loaded.file[-500:], sha256=hashlib.sha256(loaded.data).hexdigest(),
        rows=loaded.rows, loaded=len(loaded.parsed.frame), inserted=persisted.inserted, updated=persisted.updated,
        unchanged=persisted.unchanged, rejected=len(loaded.parsed.bad_lines), loaded_by=meta.actor, loaded_at=meta.at,
        warnings="\n".join(loaded.parsed.warnings) or None,
    ))
    return persisted


def report(loaded: Loaded, persisted: Persisted, rejected_file: str | None) -> IngestReport:
    parsed = loaded.parsed
    return IngestReport(
        kind=loaded.kind, file=loaded.file, rows=loaded.rows, loaded=len(parsed.frame), inserted=persisted.inserted,
        updated=persisted.updated, unchanged=persisted.unchanged, rejected=len(parsed.bad_lines),
        rejected_file=rejected_file, warnings=parsed.warnings, errors=parsed.errors,
    )
