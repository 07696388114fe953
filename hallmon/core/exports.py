"""Files a finance office keeps: XLSX workbooks and printable HTML, with spreadsheet formula injection neutralised."""
from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from hallmon.core import labels
from hallmon.core.jsonout import money, number
from hallmon.resources import resource_folder

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula (=HYPERLINK(…), +cmd, @SUM…) is kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        if value[0] == "-" and _is_number(value):
            return value
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
        return True
    except ValueError:
        return False


def workbook(sheets: Sequence[tuple[str, Sequence[Sequence[Any]]]], widths: dict[str, Sequence[int]] | None = None) -> bytes:
    """An XLSX file: each sheet a title and rows; the first row of each sheet is its heading row."""
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E8EEF5")
    for title, rows in sheets:
        sheet = book.create_sheet(title[:31])
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c, value=safe_cell(value))
                if isinstance(value, str) and "\n" in value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        if rows:
            for cell in sheet[1]:
                cell.font, cell.fill = bold, fill
            sheet.freeze_panes = "A2"
        for index, width in enumerate((widths or {}).get(title, ()), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def install_template_words(env: Environment) -> None:
    """What every template may use, on a page or in a printable file: the glossary and the money and number
    formats of the JSON."""
    env.globals["labels"] = labels
    env.filters["yuan"] = money
    env.filters["number"] = number


def render_html(template: str, **context: Any) -> str:
    """A printable page from the shipped templates, outside any request (for the command line)."""
    env = Environment(loader=FileSystemLoader(str(resource_folder("templates"))),
                      autoescape=select_autoescape(["html"]))
    install_template_words(env)
    return env.get_template(template).render(**context)


def read_rows(data: bytes) -> list[list[Any]]:
    """The first sheet of an XLSX as rows of values (for tests and round trips)."""
    book = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def rows_of(records: Iterable[dict], columns: Sequence[tuple[str, str]]) -> list[list[Any]]:
    """Records → [heading row, value rows…] with Chinese headings."""
    rows: list[list[Any]] = [[heading for _, heading in columns]]
    rows += [[record.get(key) for key, _ in columns] for record in records]
    return rows
