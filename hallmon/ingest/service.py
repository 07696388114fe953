"""Loading a file of any source: read, parse, refuse or persist in one transaction, log it."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from hallmon.core.exports import safe_cell
from hallmon.db import transaction
from hallmon.ingest.context import ContractInfo, RosterView, StaffInfo
from hallmon.ingest.errors import IngestRefused, RowError
from hallmon.ingest.models import IngestLog
from hallmon.ingest.source import Parsed, Source

KINDS = ("staff", "punches", "leave", "makeup", "assessment", "notices", "complaints", "caseload")
Progress = Callable[[str, int, int], None]


@dataclass
class PersistCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


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


Persist = Callable[[Session, Parsed, "IngestMeta"], PersistCounts]


@dataclass(frozen=True)
class IngestMeta:
    file: str
    actor: str | None
    at: dt.datetime
    progress: Progress | None = None


def registry() -> dict[str, tuple[Source, Persist]]:
    """kind → (pure source, persist function); imported late so that domains stay independent."""
    from hallmon.roster import ingest as roster_ingest
    from hallmon.roster import services as roster_services

    found: dict[str, tuple[Source, Persist]] = {
        "staff": (roster_ingest.STAFF, roster_services.persist_staff),
    }
    for module_name in ("attendance", "assessment", "complaints", "caseload"):
        try:
            ingest_mod = __import__(f"hallmon.{module_name}.ingest", fromlist=["SOURCES"])
            services_mod = __import__(f"hallmon.{module_name}.services", fromlist=["PERSIST"])
        except ImportError:
            continue
        for kind, source in getattr(ingest_mod, "SOURCES", {}).items():
            found[kind] = (source, services_mod.PERSIST[kind])
    return found


def get_source(kind: str) -> tuple[Source, Persist]:
    sources = registry()
    if kind not in sources:
        known = "、".join(k for k in KINDS if k in sources)
        raise IngestRefused([RowError("-", 0, "KIND", f"未知或尚未支持的数据类型 {kind!r}（可用：{known}）")])
    return sources[kind]


def roster_view(session: Session) -> RosterView:
    from hallmon.roster.models import Contract, Staff

    rows = session.execute(select(Contract.id, Contract.code, Contract.start, Contract.end)).all()
    contracts = {code: ContractInfo(code, start, end) for _, code, start, end in rows}
    codes = {cid: code for cid, code, _, _ in rows}
    staff = {
        sid: StaffInfo(sid, codes[cid], hired, left)
        for sid, cid, hired, left in session.execute(
            select(Staff.staff_id, Staff.contract_id, Staff.hired_on, Staff.left_on)
        )
    }
    return RosterView(staff, contracts, _assessment_items(session))


def _assessment_items(session: Session) -> dict[str, str] | None:
    """The stored assessment catalogue (code → name), which the assessment source checks codes against."""
    try:
        from hallmon.assessment.services import catalogue_names
    except ImportError:
        return None
    return catalogue_names(session)


def rejected_path(path: Path) -> Path:
    return path.with_name(path.name + ".rejected.csv")


def write_rejected(path: Path, table, errors: list[RowError], directory: Path | None = None) -> Path:
    """SPEC §2: the refused rows, each with its line and reason, beside the file (UTF-8 with BOM for Excel)."""
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


def parse_file(session: Session, kind: str, path: str | Path, fmt: str = "auto",
               data: bytes | None = None, display: str | None = None) -> tuple[Source, object, Parsed]:
    """Read and check a file without writing anything."""
    source, _ = get_source(kind)
    path = Path(path)
    file = display or str(path)
    if fmt != "auto" and fmt not in source.formats:
        raise IngestRefused([RowError(file, 0, "--format",
                                      f"{kind} 不支持格式 {fmt}（可用：auto、{'、'.join(source.formats)}）")])
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise IngestRefused([RowError(file, 0, "-", f"无法读取文件：{exc.strerror or exc}")]) from exc
    table = source.table(data, file, fmt)
    parsed = source.parse(table, roster_view(session))
    parsed.warnings = list(table.warnings) + list(parsed.warnings)
    return source, table, parsed


def ingest_file(
    session: Session,
    kind: str,
    path: str | Path,
    fmt: str = "auto",
    skip_bad_rows: bool = False,
    actor: str | None = None,
    progress: Progress | None = None,
    data: bytes | None = None,
    display: str | None = None,
    rejected_dir: Path | None = None,
) -> IngestReport:
    """SPEC §2: all-or-nothing by default; with skip_bad_rows the good rows load and the rest go to a side file."""
    path = Path(path)
    file = display or str(path)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise IngestRefused([RowError(file, 0, "-", f"无法读取文件：{exc.strerror or exc}")]) from exc
    if progress:
        progress("读取并校验", 0, 1)
    source, table, parsed = parse_file(session, kind, path, fmt, data=data, display=file)
    _, persist = get_source(kind)
    bad = parsed.bad_lines
    if bad and not skip_bad_rows:
        raise IngestRefused(parsed.errors)
    rows = len(parsed.frame) + len(bad)
    if progress:
        progress("读取并校验", 1, 1)
    meta = IngestMeta(file, actor, dt.datetime.now().replace(microsecond=0), progress)
    with transaction(session):
        counts = persist(session, parsed, meta)
        session.add(IngestLog(
            kind=kind, file_name=file[-500:], sha256=hashlib.sha256(data).hexdigest(), rows=rows,
            loaded=len(parsed.frame), inserted=counts.inserted, updated=counts.updated,
            unchanged=counts.unchanged, rejected=len(bad), loaded_by=actor, loaded_at=meta.at,
            warnings="\n".join(parsed.warnings) or None,
        ))
    rejected_file = None
    if bad:
        named = path if display is None or rejected_dir is not None else Path(display)
        rejected_file = str(write_rejected(named, table, parsed.errors, rejected_dir))
    return IngestReport(
        kind=kind, file=file, rows=rows, loaded=len(parsed.frame), inserted=counts.inserted,
        updated=counts.updated, unchanged=counts.unchanged, rejected=len(bad),
        rejected_file=rejected_file, warnings=parsed.warnings, errors=parsed.errors,
    )
