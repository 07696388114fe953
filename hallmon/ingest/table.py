"""Header aliases and the string table every source parses from (rules §2)."""
from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from hallmon.ingest.errors import IngestRefused, RowError
from hallmon.ingest.reading import Records, SplitRows

LINE = "_line"


@dataclass(frozen=True)
class Column:
    """A canonical column: its English name, the aliases a file may use, whether the header must have it."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = True

    def labels(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def normalise_label(label: str) -> str:
    text = unicodedata.normalize("NFKC", label).replace("\ufeff", "").replace("\x00", "")
    return "".join(text.split()).casefold()


@dataclass
class Table:
    """A file's rows as strings under canonical column names, with each row's line number."""

    file: str
    frame: pd.DataFrame
    labels: dict[str, str]
    problems: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    records: Records | None = None

    @property
    def lines(self) -> np.ndarray:
        return self.frame[LINE].to_numpy()

    def label(self, column: str) -> str:
        return self.labels.get(column, column)

    def raw(self, line: int) -> str:
        return self.records.raw(line) if self.records is not None else ""


def map_header(cells: list[str], columns: tuple[Column, ...], file: str, line: int) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Canonical column → position, canonical → label as written; refuses missing or doubled columns."""
    wanted: dict[str, str] = {}
    for column in columns:
        for label in column.labels():
            wanted[normalise_label(label)] = column.name
    positions: dict[str, int] = {}
    labels: dict[str, str] = {}
    errors: list[RowError] = []
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        key = normalise_label(cell)
        if not key:
            continue
        name = wanted.get(key)
        if name is None:
            ignored.append(cell.strip())
            continue
        if name in positions:
            errors.append(RowError(file, line, cell.strip(), f"列重复：与“{labels[name]}”是同一列（{name}）"))
            continue
        positions[name] = index
        labels[name] = cell.strip()
    for column in columns:
        if column.required and column.name not in positions:
            alias = f"（{'、'.join(column.aliases)}）" if column.aliases else ""
            errors.append(RowError(file, line, column.name, f"缺少必需的列 {column.name}{alias}"))
    if errors:
        raise IngestRefused(errors)
    warnings = [f"忽略了无法识别的列：{'、'.join(ignored)}"] if ignored else []
    return positions, labels, warnings


def build_table(records: Records, columns: tuple[Column, ...], header_index: int = 0) -> Table:
    """Records → Table; the header is records.rows[header_index], rows above it are title rows."""
    if len(records.rows) <= header_index:
        raise IngestRefused([RowError(records.file, 1, "-", "文件为空：没有表头行")])
    header_line, header_cells = records.rows[header_index]
    positions, labels, warnings = map_header(header_cells, columns, records.file, header_line)
    width = len(header_cells)
    if isinstance(records.rows, SplitRows) and width > 1:
        fast = _split_body(records, records.rows, header_index, width, positions, columns)
        if fast is not None:
            return Table(records.file, fast[0], labels, fast[1], warnings, records)
    problems = list(records.problems)
    keep_lines: list[int] = []
    data: dict[str, list[str]] = {c.name: [] for c in columns}
    text_file = records.raw_lines is not None
    for line, cells in records.rows[header_index + 1:]:
        if len(cells) != width:
            if len(cells) < width and not text_file:
                cells = cells + [""] * (width - len(cells))
            elif len(cells) > width and all(c.strip() == "" for c in cells[width:]):
                cells = cells[:width]
            else:
                problems.append(RowError(records.file, line, "-", f"列数不符：表头 {width} 列，本行 {len(cells)} 列"))
                continue
        keep_lines.append(line)
        for column in columns:
            pos = positions.get(column.name)
            data[column.name].append(cells[pos].replace("\x00", "").strip() if pos is not None else "")
    frame = pd.DataFrame({name: pd.Series(values, dtype=object) for name, values in data.items()})
    frame[LINE] = np.asarray(keep_lines, dtype=np.int64)
    frame.index = pd.RangeIndex(len(frame))
    return Table(records.file, frame, labels, problems, warnings, records)


def _split_body(records: Records, rows: SplitRows, header_index: int, width: int, positions: dict[str, int],
                columns: tuple[Column, ...]) -> tuple[pd.DataFrame, list[RowError]] | None:
    """build_table's loop for a text without quotes, vectorised: the well-formed lines go through pandas' C parser.

    The same table as the loop: a line with the header's number of cells is a row; a longer one whose extra
    cells are blank is cut; any other is a row error; cells are stripped; each row keeps its line number.
    None when the loop must decide (a body starting with a byte-order mark, which the C parser would drop).
    """
    delimiter = rows.delimiter
    numbers = rows.numbers[header_index + 1:]
    body = [rows.lines[n - 1] for n in numbers]
    fitting = [line.count(delimiter) == width - 1 for line in body]
    problems = list(records.problems)
    cut: dict[int, list[str]] = {}
    if not all(fitting):
        for line, fits, raw in zip(numbers, fitting, body, strict=True):
            if fits:
                continue
            cells = raw.split(delimiter)
            if len(cells) > width and all(c.strip() == "" for c in cells[width:]):
                cut[line] = cells[:width]
            else:
                problems.append(RowError(records.file, line, "-", f"列数不符：表头 {width} 列，本行 {len(cells)} 列"))
        keep = np.asarray(fitting, dtype=bool)
        good_lines = np.asarray(numbers, dtype=np.int64)[keep]
        good = [raw for raw, fits in zip(body, fitting, strict=True) if fits]
    else:
        good_lines = np.asarray(numbers, dtype=np.int64)
        good = body
    if good and good[0].startswith("\ufeff"):
        return None
    wanted = sorted(set(positions.values()))
    data: dict[str, pd.Series] = {}
    if good:
        text = "\n".join(good)
        parsed = pd.read_csv(io.BytesIO(text.encode("utf-8")), sep=delimiter, header=None,
                             names=list(range(width)), usecols=wanted, dtype=object, na_filter=False,
                             quoting=csv.QUOTE_NONE, skip_blank_lines=False, engine="c", encoding="utf-8")
        for column in columns:
            pos = positions.get(column.name)
            cells = [""] * len(good) if pos is None else [cell.strip() for cell in parsed[pos].tolist()]
            data[column.name] = pd.Series(cells, dtype=object)
    else:
        data = {c.name: pd.Series([], dtype=object) for c in columns}
    frame = pd.DataFrame(data)
    frame[LINE] = good_lines
    if cut:
        extra = pd.DataFrame({c.name: pd.Series([cells[positions[c.name]].strip() if c.name in positions else ""
                                                 for cells in cut.values()], dtype=object) for c in columns})
        extra[LINE] = np.asarray(list(cut), dtype=np.int64)
        frame = pd.concat([frame, extra], ignore_index=True).sort_values(LINE, kind="stable")
    frame.index = pd.RangeIndex(len(frame))
    return frame, problems

