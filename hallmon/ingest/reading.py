"""Turning a file's bytes into records with the line a person would count (rules §2)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import openpyxl

from hallmon.ingest.errors import IngestRefused, RowError

ENCODINGS = ("utf-8-sig", "gb18030")
PADDING_MESSAGE = "空白或 NUL 填充行（设备内存填充），不是有效记录"
_PADDING = re.compile(r"^[\s\x00]+$")


@dataclass
class Records:
    """Rows of string cells, each with its line number; `problems` are rows refused while reading."""

    file: str
    rows: Sequence[tuple[int, list[str]]]  # a list, or SplitRows for a text without quotes
    problems: list[RowError] = field(default_factory=list)
    raw_lines: list[str] | None = None  # physical lines (text files), for the rejected side file
    encoding: str | None = None

    def raw(self, line: int) -> str:
        if self.raw_lines is not None and 1 <= line <= len(self.raw_lines):
            return self.raw_lines[line - 1].replace("\x00", "")
        for number, cells in self.rows:
            if number == line:
                return ",".join(cells)
        return ""


class SplitRows(Sequence):
    """The records of a CSV text without quote characters: each non-empty line, split on the delimiter.

    What csv.reader gives for such a text, line for line, but computed only for the rows asked for, so that
    `build_table` can read the whole body with pandas' C parser instead of a Python loop.
    """

    def __init__(self, lines: list[str], delimiter: str):
        self.lines = lines
        self.delimiter = delimiter
        self.numbers = [number for number, line in enumerate(lines, start=1) if line]

    def __len__(self) -> int:
        return len(self.numbers)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._row(number) for number in self.numbers[index]]
        return self._row(self.numbers[index])

    def _row(self, number: int) -> tuple[int, list[str]]:
        return number, self.lines[number - 1].split(self.delimiter)


def decode(data: bytes, file: str) -> tuple[str, str]:
    """UTF-8 (with or without BOM), else GB18030 — Chinese exports are often GBK."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise IngestRefused([RowError(file, 1, "-", "无法识别文件编码（支持 UTF-8、UTF-8 BOM、GB18030/GBK）")])


def physical_lines(text: str) -> list[str]:
    """Split on CRLF, CR or LF only (never on other Unicode separators)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def is_xlsx(data: bytes, path: str) -> bool:
    return data[:4] == b"PK\x03\x04" or path.lower().endswith((".xlsx", ".xlsm"))


def read_text_records(data: bytes, file: str, delimiter: str | None = None) -> Records:
    """CSV records; padding lines (only blanks or NUL bytes) are reading problems, empty lines are skipped."""
    text, encoding = decode(data, file)
    lines = physical_lines(text)
    problems: list[RowError] = []
    cleaned = lines
    if "\x00" in text or re.search(r"(?m)^[ \t]+\r?$", text):
        cleaned = []
        for number, line in enumerate(lines, start=1):
            if line and _PADDING.match(line):
                problems.append(RowError(file, number, "-", PADDING_MESSAGE))
                cleaned.append("")
            else:
                cleaned.append(line.replace("\x00", ""))
    if delimiter is None:
        delimiter = sniff_delimiter(next((ln for ln in cleaned if ln.strip()), ""))
    if '"' not in text and max(map(len, cleaned), default=0) <= csv.field_size_limit():
        # no quote character: every record is one line, split on demand (device exports run to millions of rows)
        return Records(file, SplitRows(cleaned, delimiter), problems, raw_lines=lines, encoding=encoding)
    reader = csv.reader(io.StringIO("\n".join(cleaned) + "\n", newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        for cells in reader:
            start = previous + 1
            previous = reader.line_num
            if not cells or (len(cells) == 1 and cells[0] == ""):
                continue
            rows.append((start, cells))
    except csv.Error as exc:
        problems.append(RowError(file, previous + 1, "-", f"CSV 格式错误：{exc}"))
    return Records(file, rows, problems, raw_lines=lines, encoding=encoding)


def sniff_delimiter(header_line: str) -> str:
    if "\t" in header_line and "," not in header_line:
        return "\t"
    return ","


def cell_text(value, number_format: str = "") -> str:
    """An XLSX cell as the text a CSV export would hold; a midnight date-time stays a time when the cell shows one."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        # Excel stores times as fractions of a day; round to the second it meant.
        value = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
        if value.hour == value.minute == value.second == 0 and "h" not in number_format.lower():
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


def read_xlsx_records(data: bytes, file: str) -> Records:
    """The first sheet of a workbook; the line is the sheet's row number."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged workbook fails in zipfile, zlib, the XML parser or openpyxl itself
        raise IngestRefused([RowError(file, 1, "-", f"无法读取 XLSX 文件（文件损坏或不是 Excel 工作簿）：{exc}")]) from exc
    try:
        sheet = book.worksheets[0]
        rows: list[tuple[int, list[str]]] = []
        for number, row in enumerate(sheet.iter_rows(), start=1):
            cells = [cell_text(c.value, getattr(c, "number_format", "") or "") for c in row]
            while cells and cells[-1] == "":
                cells.pop()
            if not cells:
                continue
            rows.append((number, cells))
    except Exception as exc:  # damage inside the compressed sheet surfaces only while reading its rows
        raise IngestRefused([RowError(file, 1, "-", f"无法读取 XLSX 文件（文件损坏）：{exc}")]) from exc
    finally:
        book.close()
    return Records(file, rows)


def read_records(data: bytes, file: str, fmt: str = "auto") -> Records:
    if fmt == "xlsx" or (fmt == "auto" and is_xlsx(data, file)):
        return read_xlsx_records(data, file)
    return read_text_records(data, file)
