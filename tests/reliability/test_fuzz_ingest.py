"""Bad input (SPEC §2): generated files of every source and format, clean and damaged, through the real ingest.

Every file is either refused — naming file, line and column of each damage, with nothing written — or loaded
exactly (every drawn row stored with its values; loading it again changes nothing). Nothing else may happen:
an exception that is not a refusal is a defect.
"""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from hallmon.ingest.errors import IngestRefused
from tests.drive import load
from tests.reliability.dbstate import digest
from tests.reliability.figures import count
from tests.reliability.fuzzfiles import SPECS, canonical_sheet, damage, device_sheet, render
from tests.reliability.oracle import check_stored

# 12 targets × 42 files on SQLite (504) and × 25 on PostgreSQL (300): 804 files a run in about a minute;
# HALLMON_FUZZ_EXAMPLES sets both for a long hunt
EXAMPLES = {"sqlite": 42, "postgresql": 25}
# no shrinking by default: a failing file is reported as generated (shrinking through a database is slow);
# HALLMON_FUZZ_SHRINK=1 shrinks it to the smallest file that still fails
PHASES = tuple(Phase) if os.environ.get("HALLMON_FUZZ_SHRINK") else (Phase.explicit, Phase.generate)


def fuzz_settings(backend: str) -> settings:
    examples = int(os.environ.get("HALLMON_FUZZ_EXAMPLES") or EXAMPLES[backend])
    return settings(max_examples=examples, deadline=None, database=None, phases=PHASES, print_blob=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large, HealthCheck.large_base_example])


def ambiguous_encoding(sheet, data: bytes) -> bool:
    """GB18030 bytes that happen to be valid UTF-8 are read as UTF-8, as any detector would."""
    if sheet.encoding != "gb18030" or not any(b > 0x7F for b in data):
        return False
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def attempt(session, tmp_path, sheet, expect, spoil, skip: bool) -> None:
    kind = sheet.spec.kind
    data = render(sheet)
    if spoil is not None:
        data = spoil(data)
    if ambiguous_encoding(sheet, data):
        expect.refused, expect.exact, expect.errors = None, False, set()
    before = digest(session)
    path = tmp_path / "in" / sheet.display
    count("fuzz_files")
    try:
        report = load(session, kind, path, fmt=sheet.ingest_fmt, skip_bad_rows=skip, data=data,
                             display=sheet.display, rejected_dir=tmp_path / "rejected", actor="fuzz")
    except IngestRefused as refused:
        count("fuzz_refused")
        session.rollback()
        assert expect.refused is not False and not (skip and not expect.fatal and expect.refused), (
            f"refused a file that should load ({expect.notes}): {refused.lines()[:5]}")
        assert refused.errors, "a refusal names at least one line"
        named = {(e.line, e.column) for e in refused.errors}
        for error in refused.errors:
            assert error.file == sheet.display and error.line >= 1 and error.column and error.message, error
        missing = expect.errors - named
        assert not missing, f"{expect.notes}: not named {sorted(missing)}; named {refused.lines()[:8]}"
        assert digest(session) == before, "a refused file wrote something"
        return
    count("fuzz_loaded")
    assert expect.refused is not True or (skip and not expect.fatal), (
        f"loaded a file that should be refused ({expect.notes}): {report}")
    assert report.rows == report.loaded + report.rejected
    assert report.inserted + report.updated + report.unchanged == report.loaded
    rejected_lines = {e.line for e in report.errors}
    if skip:
        assert {line for line, _ in expect.errors} <= rejected_lines
        assert {(e.line, e.column) for e in report.errors} >= expect.errors
    else:
        assert report.rejected == 0 and not report.errors
    if expect.exact:
        good = [r for i, r in enumerate(sheet.rows) if i not in expect.bad_rows]
        check_stored(session, kind, good)
    # idempotent: the same bytes again change nothing but the ingest log
    settled = digest(session, exclude=("ingest_log",))
    again = load(session, kind, path, fmt=sheet.ingest_fmt, skip_bad_rows=skip, data=data,
                        display=sheet.display, rejected_dir=tmp_path / "rejected", actor="fuzz")
    count("fuzz_reloads")
    assert (again.inserted, again.updated) == (0, 0), again
    assert again.unchanged == report.loaded
    assert digest(session, exclude=("ingest_log",)) == settled


def fuzz(session, tmp_path, data, sheet_strategy) -> None:
    sheet = data.draw(sheet_strategy, label="sheet")
    sheet, expect, spoil = data.draw(damage(sheet), label="damage")
    skip = data.draw(st.integers(0, 3), label="skip") == 0
    try:
        attempt(session, tmp_path, sheet, expect, spoil, skip)
    except AssertionError as failure:
        lines = [repr(r.raw) if r.raw is not None else "|".join(c.text[:30] for c in r.cells) for r in sheet.records]
        failure.add_note("records:\n  " + "\n  ".join(lines))
        failure.add_note(f"file {sheet.display} ({sheet.fmt}, read as {sheet.ingest_fmt}, {sheet.encoding}, "
                         f"delimiter {sheet.delimiter!r}, typed XLSX {sheet.typed_xlsx}, skip {skip}); "
                         f"damage: {expect.notes}; header {sheet.header}")
        raise


def run_fuzz(session, tmp_path, backend, sheet_strategy) -> None:
    @fuzz_settings(backend)
    @given(data=st.data())
    def files(data):
        fuzz(session, tmp_path, data, sheet_strategy(data))

    files()


@pytest.mark.parametrize("kind", ["staff", "leave", "makeup", "assessment", "notices", "complaints", "caseload",
                                  "punches"])
def test_canonical_files_of_every_source_load_exactly_or_are_refused_by_line(roster_loaded, tmp_path, backend, kind):
    run_fuzz(roster_loaded, tmp_path, backend,
             lambda data: canonical_sheet(SPECS[kind], data.draw(st.sampled_from(["csv", "xlsx"]), label="fmt")))


@pytest.mark.parametrize("fmt", ["zkteco", "zkteco-auto", "dingtalk", "wecom"])
def test_device_exports_load_exactly_or_are_refused_by_line(roster_loaded, tmp_path, backend, fmt):
    run_fuzz(roster_loaded, tmp_path, backend, lambda data: device_sheet(fmt))
