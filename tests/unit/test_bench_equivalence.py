"""The speed fixes give what the plain code gives: the CSV fast path against the csv.reader loop, A9 over
each person's last punch day a month against every punch read one by one."""
import dataclasses
import datetime as dt

import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hallmon.attendance import demands as A8
from hallmon.attendance import rules as R
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


# ---------------------------------------------------------------- A9 over years of punches

DAYS = st.dates(min_value=dt.date(2023, 11, 1), max_value=dt.date(2025, 2, 28))


def enforce_by_hand(demands, punches, start, end, waived, as_of):
    """A9 read literally: every punch of the person, one by one."""
    out = []
    for d in demands:
        if d.key in waived:
            out.append(dataclasses.replace(d, waived=True, unenforced=False, unenforced_months=()))
            continue
        later = [t.date() for sid, t in punches if sid == d.staff_id and t.date() > d.deadline
                 and (as_of is None or t.date() <= as_of)]
        months = tuple(sorted({day.strftime("%Y-%m") for day in later if start <= day <= end}))
        out.append(dataclasses.replace(d, waived=False, unenforced=bool(later), unenforced_months=months))
    return out


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(demands=st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), DAYS), max_size=6),
       punches=st.lists(st.tuples(st.sampled_from(["A", "B", "C", "D"]), DAYS, st.integers(0, 86399)), max_size=30),
       end=st.dates(min_value=dt.date(2024, 1, 10), max_value=dt.date(2024, 12, 31)),
       as_of=st.none() | DAYS, waive_first=st.booleans())
def test_a9_over_each_persons_last_day_a_month_finds_what_reading_every_punch_finds(demands, punches, end, as_of,
                                                                                      waive_first):
    start = dt.date(2024, 1, 1)
    listed = [A8.Demand(sid, "monthly_late_early", raised, raised + dt.timedelta(days=15)) for sid, raised in demands]
    waived = {listed[0].key} if listed and waive_first else set()
    stamps = [(sid, dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=s)) for sid, day, s in punches]
    frame = pd.DataFrame({R.STAFF_ID: pd.Series([p[0] for p in stamps], dtype=object),
                          R.TIME: pd.Series([p[1] for p in stamps], dtype="datetime64[ns]")})
    assert A8.enforce(listed, frame, start, end, waived, as_of) == enforce_by_hand(listed, stamps, start, end,
                                                                                 waived, as_of)
