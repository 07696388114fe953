"""rules §2 reading: encodings, line numbers, header aliases, padding lines, XLSX, value parsing."""
import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from hallmon.ingest.errors import IngestRefused
from hallmon.ingest.reading import PADDING_MESSAGE, read_records, read_text_records
from hallmon.ingest.table import LINE, Column, build_table
from hallmon.ingest.values import parse_dates, parse_datetimes, parse_times, parse_yes_no

COLUMNS = (Column("staff_id", ("工号",)), Column("time", ("打卡时间",)), Column("device", ("设备",), required=False))


def table_of(data: bytes, file="f.csv"):
    return build_table(read_records(data, file), COLUMNS)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_chinese_headers_are_read_in_every_supported_encoding(encoding):
    t = table_of("工号,打卡时间,设备\n1001,2024-01-02 08:29:00,东门\n".encode(encoding))
    assert t.labels == {"staff_id": "工号", "time": "打卡时间", "device": "设备"}
    assert t.frame.loc[0, "device"] == "东门"
    assert t.frame.loc[0, LINE] == 2


def test_english_headers_are_matched_whatever_their_case_and_spacing():
    t = table_of(b" Staff_ID , TIME \n1001,2024-01-02 08:29\n")
    assert t.frame.loc[0, "staff_id"] == "1001" and t.frame.loc[0, "device"] == ""


def test_crlf_and_empty_lines_keep_the_line_numbers_a_person_counts():
    t = table_of(b"staff_id,time\r\n1001,a\r\n\r\n1002,b\r\n")
    assert list(t.frame[LINE]) == [2, 4]


def test_lines_of_nul_bytes_or_blanks_are_padding_rows_with_their_line():
    records = read_text_records(b"staff_id,time\n1001,a\n\x00\x00\x00\x00\n   \n1002,b\n", "f.csv")
    assert [(p.line, p.message) for p in records.problems] == [(3, PADDING_MESSAGE), (4, PADDING_MESSAGE)]
    assert [line for line, _ in records.rows] == [1, 2, 5]


def test_a_missing_required_column_refuses_the_file_at_line_1():
    with pytest.raises(IngestRefused) as info:
        table_of(b"staff_id,device\n1001,x\n")
    assert [str(e) for e in info.value.errors] == ["f.csv:1: time: 缺少必需的列 time（打卡时间）"]


def test_a_column_given_twice_is_refused():
    with pytest.raises(IngestRefused) as info:
        table_of("staff_id,time,打卡时间\n1,2,3\n".encode())
    assert info.value.errors[0].line == 1 and "重复" in info.value.errors[0].message


def test_unknown_columns_are_ignored_with_a_warning():
    t = table_of(b"staff_id,time,remark\n1001,x,y\n")
    assert t.warnings == ["忽略了无法识别的列：remark"]


def test_a_row_with_the_wrong_number_of_fields_is_a_row_error():
    t = table_of(b"staff_id,time\n1001,x,extra\n1002,y\n")
    assert [(p.line, p.column) for p in t.problems] == [(2, "-")]
    assert list(t.frame["staff_id"]) == ["1002"]


def test_a_quoted_field_may_span_lines_and_the_next_row_keeps_its_line():
    t = table_of(b'staff_id,time,device\n1001,x,"two\nlines"\n1002,y,z\n')
    assert list(t.frame[LINE]) == [2, 4]


def test_undecodable_bytes_refuse_the_file():
    with pytest.raises(IngestRefused):
        table_of(b"staff_id,time\n\xff\xfe\xfa\x81\x00,x\n" * 3 + bytes(range(128, 256)))


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_cells_become_the_text_a_csv_would_hold_with_sheet_row_numbers():
    data = _xlsx([["工号", "打卡时间"], [1001, dt.datetime(2024, 1, 2, 8, 29, 59, 999_700)], [None, None],
                  ["1002", "2024-01-02 17:31:00"]])
    t = table_of(data, "f.xlsx")
    assert list(t.frame["staff_id"]) == ["1001", "1002"]
    assert t.frame.loc[0, "time"] == "2024-01-02 08:30:00"
    assert list(t.frame[LINE]) == [2, 4]


def test_a_truncated_xlsx_is_refused_with_a_message():
    data = _xlsx([["工号", "打卡时间"], [1, 2]])
    with pytest.raises(IngestRefused) as info:
        table_of(data[: len(data) // 2], "f.xlsx")
    assert "XLSX" in info.value.errors[0].message


def test_dates_accept_dashes_slashes_and_single_digits_and_refuse_impossible_days():
    values, bad = parse_dates(pd.Series(["2024-02-29", "2024/3/5", "2023-02-29", "", "24-01-01"], dtype=object))
    assert list(values[:2].dt.date) == [dt.date(2024, 2, 29), dt.date(2024, 3, 5)]
    assert list(bad) == [False, False, True, False, True]


def test_date_times_keep_their_seconds_and_refuse_negative_or_impossible_fields():
    series = pd.Series(["2024-01-02 08:29", "2024/01/02 08:29:07", "1971-01-01 -1:-5:00",
                        "2024-01-02 24:00", "2024-01-02T08:00:00", "2024-01-02"], dtype=object)
    values, bad = parse_datetimes(series)
    assert values[0] == pd.Timestamp("2024-01-02 08:29:00") and values[1] == pd.Timestamp("2024-01-02 08:29:07")
    assert list(bad) == [False, False, True, True, False, True]


def test_a_bare_date_may_mean_the_start_or_the_end_of_its_day():
    series = pd.Series(["2024-03-04", "2024-03-04 12:00"], dtype=object)
    start, _ = parse_datetimes(series, bare_date_as="start")
    end, _ = parse_datetimes(series, bare_date_as="end")
    assert start[0] == pd.Timestamp("2024-03-04 00:00") and end[0] == pd.Timestamp("2024-03-05 00:00")
    assert end[1] == pd.Timestamp("2024-03-04 12:00")


def test_times_of_day():
    values, bad = parse_times(pd.Series(["08:29", "17:31:05", "25:00", ""], dtype=object))
    assert values[1] == pd.Timedelta(hours=17, minutes=31, seconds=5)
    assert list(bad) == [False, False, True, False]


def test_yes_no_accepts_every_spelling_of_spec_2():
    values, bad = parse_yes_no(pd.Series(["YES", "n", "True", "0", "是", "否", "", "maybe"], dtype=object))
    assert list(values[:6]) == [True, False, True, False, True, False]
    assert values[6] is None and list(bad) == [False] * 7 + [True]


def test_a_punch_at_midnight_in_xlsx_keeps_its_time_and_a_date_cell_stays_a_date():
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["工号", "打卡时间"])
    book.active.append(["1001", dt.datetime(2024, 1, 2, 0, 0, 0)])
    book.active["B2"].number_format = "yyyy-mm-dd hh:mm:ss"
    book.active.append(["1002", dt.datetime(2024, 1, 3, 0, 0, 0)])
    book.active["B3"].number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    t = table_of(out.getvalue(), "f.xlsx")
    assert list(t.frame["time"]) == ["2024-01-02 00:00:00", "2024-01-03"]


def test_a_date_written_with_a_midnight_time_is_a_date():
    values, bad = parse_dates(pd.Series(["2024-03-05 00:00:00", "2024-03-05 08:00"], dtype=object))
    assert values[0] == pd.Timestamp("2024-03-05") and list(bad) == [False, True]
