"""The punch, leave and make-up sources parsed without a database (rules §2)."""
import datetime as dt

import pytest

from hallmon.attendance.ingest import SOURCES, looks_like_attlog
from hallmon.ingest.context import RosterView, StaffInfo
from hallmon.ingest.errors import IngestRefused

ROSTER = RosterView({sid: StaffInfo(sid, "T-1", dt.date(2020, 1, 1), None) for sid in ("1001", "1002")})


def parse(kind: str, text: str, name: str = "f.csv", fmt: str = "auto", encoding: str = "utf-8"):
    source = SOURCES[kind]
    table = source.table(text.encode(encoding), name, fmt)
    return source.parse(table, ROSTER)


def times(parsed) -> list[str]:
    return [t.isoformat(sep=" ") for t in parsed.frame["time"]]


def test_an_attlog_is_recognised_by_its_name_or_by_its_lines():
    line = b"     1001\t2024-03-04 08:21:33\t1\t0\t1\t0\r\n"
    assert looks_like_attlog(line, "1_attlog.dat")
    assert looks_like_attlog(b"\x00\x00\r\n" + line, "export.txt")
    assert not looks_like_attlog(b"staff_id,time\r\n1001,2024-03-04 08:21:33\r\n", "punches.csv")


def test_attlog_pins_lose_their_padding_and_extra_columns_are_ignored():
    parsed = parse("punches", "  1001\t2024-03-04 08:21:33\t1\t0\t15\t0\t\r\n1002 \t2024-03-04 08:22:00\r\n",
                   name="x_attlog.dat")
    assert list(parsed.frame["staff_id"]) == ["1001", "1002"]
    assert times(parsed) == ["2024-03-04 08:21:33", "2024-03-04 08:22:00"]
    assert list(parsed.frame["device"]) == ["zkteco", "zkteco"]
    assert list(parsed.frame["_line"]) == [1, 2]


def test_a_space_separated_attlog_line_is_read_too():
    assert times(parse("punches", "1001 2024-03-04 08:21:33 1 0\n", name="attlog.dat")) == ["2024-03-04 08:21:33"]


def test_unusual_but_valid_date_times_parse_like_the_shared_parser():
    text = "staff_id,time\n1001,2024/3/4 8:05\n1001,2024-03-04T08:06:07\n1001,2024-03-04 08:07:08\n"
    assert times(parse("punches", text)) == ["2024-03-04 08:05:00", "2024-03-04 08:06:07", "2024-03-04 08:07:08"]


def test_an_impossible_date_time_is_a_bad_row_with_the_shared_message():
    parsed = parse("punches", "staff_id,time\n1001,2024-02-30 08:00:00\n1001,2024-03-04 25:00:00\n")
    assert [str(e) for e in parsed.errors] == [
        "f.csv:2: time: 无法识别的日期时间 “2024-02-30 08:00:00”（应为 YYYY-MM-DD HH:MM[:SS]）",
        "f.csv:3: time: 无法识别的日期时间 “2024-03-04 25:00:00”（应为 YYYY-MM-DD HH:MM[:SS]）"]


def test_a_dingtalk_date_may_carry_its_weekday():
    text = "原始记录\n工号,考勤日期,打卡时间\n1001,2024-03-05 星期二,08:20:11\n1001,2024/3/5（周二）,12:04\n"
    parsed = parse("punches", text, fmt="dingtalk")
    assert times(parsed) == ["2024-03-05 08:20:11", "2024-03-05 12:04:00"]
    assert list(parsed.frame["_line"]) == [3, 4]
    assert list(parsed.frame["device"]) == ["dingtalk", "dingtalk"]


def test_a_time_only_punch_without_its_date_is_a_bad_row_on_the_date_column():
    parsed = parse("punches", "标题\n工号,考勤日期,打卡时间\n1001,,08:20:11\n", fmt="dingtalk")
    assert [str(e) for e in parsed.errors] == ["f.csv:3: 考勤日期: 打卡时间只有时刻，缺少日期"]


def test_a_file_with_no_header_row_is_refused():
    with pytest.raises(IngestRefused) as refused:
        parse("punches", "原始记录\n姓名,日期\n张伟,2024-03-05\n", fmt="dingtalk")
    assert "找不到表头行" in refused.value.errors[0].message


def test_wecom_unix_seconds_are_china_local_time():
    parsed = parse("punches", "userid,checkin_time\n1001,1709685587\n1002,2024-03-06 08:00:00\n")
    assert times(parsed) == ["2024-03-06 08:39:47", "2024-03-06 08:00:00"]   # 00:39:47 UTC
    assert list(parsed.frame["device"]) == ["wecom", "wecom"]


def test_a_dingtalk_userid_column_does_not_make_the_file_a_wecom_export():
    parsed = parse("punches", "标题\n工号,UserId,打卡时间\n1001,0245,2024-03-05 08:20:11\n")
    assert list(parsed.frame["staff_id"]) == ["1001"] and list(parsed.frame["device"]) == ["dingtalk"]


def test_two_identical_punch_rows_are_not_an_error():
    parsed = parse("punches", "工号,打卡时间\n1001,2024-03-05 08:20:11\n1001,2024-03-05 08:20:11\n")
    assert parsed.errors == [] and len(parsed.frame) == 2   # persist keeps one


def test_leave_bare_dates_run_from_00_00_to_24_00_and_24_00_is_accepted():
    parsed = parse("leave", "staff_id,start,end,kind,approved\n1001,2024-03-05,2024-03-06,年假,是\n"
                            "1002,2024-03-05 14:30,2024-03-05 24:00,,否\n")
    rows = [(a.isoformat(sep=" "), b.isoformat(sep=" ")) for a, b in zip(parsed.frame["start"], parsed.frame["end"],
                                                                          strict=True)]
    assert rows == [("2024-03-05 00:00:00", "2024-03-07 00:00:00"), ("2024-03-05 14:30:00", "2024-03-06 00:00:00")]
    assert list(parsed.frame["approved"]) == [True, False] and list(parsed.frame["kind"]) == ["年假", ""]


def test_a_leave_repeating_a_start_written_differently_is_a_duplicate():
    parsed = parse("leave", "staff_id,start,end,kind,approved\n1001,2024-03-05,2024-03-05,年假,是\n"
                            "1001,2024-03-05 00:00:00,2024-03-06,年假,是\n")
    assert [str(e) for e in parsed.errors] == [
        "f.csv:3: start: 同一工号、同一开始时间的请假重复：与第 2 行相同"]


def test_a_one_day_leave_from_a_date_to_the_same_date_is_not_empty():
    parsed = parse("leave", "staff_id,start,end,kind,approved\n1001,2024-03-05,2024-03-05,年假,是\n")
    assert parsed.errors == []


def test_a_dingtalk_date_with_a_two_digit_year_is_in_this_century():
    parsed = parse("punches", "工号,考勤日期,打卡时间\n1001,24-03-05 星期二,08:20:11\n", fmt="dingtalk")
    assert times(parsed) == ["2024-03-05 08:20:11"]
