"""The speed fixes of issue 9 give what the plain code gives: the CSV fast path against the csv.reader loop."""
import dataclasses

import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hallmon.ingest.errors import IngestRefused
from hallmon.ingest.reading import SplitRows, read_text_records
from hallmon.ingest.table import LINE, Column, build_table

COLUMNS = (Column("staff_id", ("工号",)), Column("time", ("打卡时间",)), Column("device", ("设备",), required=False))


def both_ways(data: bytes):
    """(fast table or refusal, loop table or refusal) for the same bytes."""
    records = read_text_records(data, "f.csv")
    if not isinstance(records.rows, SplitRows):
        return None
    plain = dataclasses.replace(records, rows=list(records.rows))
    out = []
    for candidate in (records, plain):
        try:
            out.append(build_table(candidate, COLUMNS))
        except IngestRefused as exc:
            out.append([str(e) for e in exc.errors])
    return out


def assert_same(fast, loop):
    if isinstance(loop, list):
        assert fast == loop
        return
    assert [str(p) for p in fast.problems] == [str(p) for p in loop.problems]
    assert fast.labels == loop.labels and fast.warnings == loop.warnings
    pd.testing.assert_frame_equal(fast.frame, loop.frame)
    assert all(fast.frame[c].dtype == object for c in ("staff_id", "time", "device"))


def test_a_plain_device_export_reads_the_same_both_ways():
    fast, loop = both_ways("工号,打卡时间,设备\r\nP1,2024-01-02 08:01:02,东门\r\n\r\nP2,2024-01-02 08:03:00,\r\n".encode())
    assert_same(fast, loop)
    assert list(fast.frame[LINE]) == [2, 4]


def test_ragged_rows_blank_tails_padding_and_spaces_read_the_same_both_ways():
    text = ("staff_id,time,device,备注\n 1001 ,2024-01-02 08:01,\u3000东门\u3000,x\n1002,t\n1003,t,d,n,,  \n"
            "\x00\x00\x00\n   \n1004,t,d,n,extra\n1005,t,d,n\n")
    fast, loop = both_ways(text.encode())
    assert_same(fast, loop)
    assert list(fast.frame["staff_id"]) == ["1001", "1003", "1005"]


def test_a_tab_separated_file_reads_the_same_both_ways():
    assert_same(*both_ways(b"staff_id\ttime\n1001\t2024-01-02 08:01\t\n\t\n1002\t x \n"))


def test_a_missing_column_is_refused_the_same_both_ways():
    fast, loop = both_ways(b"staff_id,device\n1001,x\n")
    assert fast == loop and "缺少必需的列" in fast[0]


CELL = st.lists(st.sampled_from(list("ab1 \t\u3000\x00,东\ufeff\x0b\x1c\n\r") + ["\r\n", ",,", ", "]),
                max_size=6).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=st.sampled_from(["staff_id,time,device", "工号,打卡时间", "time,x,staff_id", "staff_id\ttime"]),
       lines=st.lists(CELL, max_size=12))
def test_any_text_without_quotes_reads_the_same_both_ways(header, lines):
    data = (header + "\n" + "\n".join(lines)).encode("utf-8")
    found = both_ways(data)
    assume(found is not None)
    assert_same(*found)
