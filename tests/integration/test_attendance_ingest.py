"""The punches, leave and makeup sources end to end: device formats, dirty files, idempotence, replacement."""
import datetime as dt

import pytest
from sqlalchemy import func, select

from hallmon.attendance.models import Leave, Makeup, Punch
from tests.attendance_helpers import fixture, load_fixture_roster
from tests.factories import write

ATTLOG_BAD = {
    5: "工号: 工号不在花名册中：“99999”",
    10: "打卡时间: 打卡日期早于 2000-01-01（设备时钟复位产生的记录）：“1971-01-01 08:00:00”",
    14: "-: 空白或 NUL 填充行",
    15: "-: 空白或 NUL 填充行",
    16: "打卡时间: 无法识别的日期时间 “1971-01-01 -8:-3:-9”",
}


@pytest.fixture
def roster(cli, loaded_contract, tmp_path):
    load_fixture_roster(cli, tmp_path)


def punches(session) -> list[tuple[str, str, str | None]]:
    return [(s, t.isoformat(sep=" "), d) for s, t, d in
            session.execute(select(Punch.staff_id, Punch.time, Punch.device).order_by(Punch.staff_id, Punch.time))]


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_a_dirty_attlog_is_refused_by_default_naming_every_bad_line(cli, roster, tmp_path, session):
    path = fixture(tmp_path, "1_attlog.dat")
    result = cli("ingest", "punches", path)
    assert result.exit_code == 2
    for line, message in ATTLOG_BAD.items():
        assert f"{path}:{line}: {message}" in result.stderr
    assert result.stderr.count(f"{path}:") == len(ATTLOG_BAD)
    assert count(session, Punch) == 0


def test_with_skip_bad_rows_the_good_attlog_lines_load_and_the_bad_go_to_the_side_file(cli, roster, tmp_path, session):
    path = fixture(tmp_path, "1_attlog.dat")
    result = cli("ingest", "punches", path, "--skip-bad-rows", "--json")
    assert result.exit_code == 0, result.stderr
    report = result.json()
    # 11 good lines, of which line 12 repeats line 11: one punch
    assert (report["rows"], report["loaded"], report["inserted"], report["unchanged"], report["rejected"]) == (
        16, 11, 10, 1, 5)
    side = (tmp_path / "1_attlog.dat.rejected.csv").read_text(encoding="utf-8-sig").splitlines()
    assert side[0] == "line,column,reason,raw"
    assert [row.split(",")[0] for row in side[1:]] == ["5", "10", "14", "15", "16"]
    assert side[1] == "5,工号,工号不在花名册中：“99999”,    99999\t2024-03-04 13:02:11\t1\t0\t1\t0"
    stored = punches(session)
    assert len(stored) == 10
    assert stored[0] == ("1001", "2024-03-04 08:21:33", "zkteco")   # right-aligned PIN stripped, seconds kept
    assert ("1003", "2024-03-04 08:15:00", "zkteco") in stored


def test_loading_the_same_attlog_again_changes_nothing(cli, roster, tmp_path, session):
    path = fixture(tmp_path, "1_attlog.dat")
    cli("ingest", "punches", path, "--skip-bad-rows")
    before = punches(session)
    again = cli("ingest", "punches", path, "--skip-bad-rows", "--json").json()
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 11)
    assert punches(session) == before


def test_an_attlog_named_otherwise_is_read_with_format_zkteco(cli, roster, tmp_path, session):
    path = write(tmp_path / "export.txt", "  1001\t2024-03-04 08:21:33\t1\t0\r\n  1002\t2024-03-04 08:22:00\t1\t0\r\n")
    assert cli("ingest", "punches", path, "--format", "zkteco").exit_code == 0
    assert count(session, Punch) == 2
    # and `auto` recognises it by its lines too
    other = write(tmp_path / "export2.txt", "  1003\t2024-03-04 08:21:33\t1\t0\r\n")
    assert cli("ingest", "punches", other).exit_code == 0
    assert count(session, Punch) == 3


def test_a_dingtalk_csv_export_with_title_rows_is_refused_naming_its_own_lines(cli, roster, tmp_path, session):
    path = fixture(tmp_path, "dingtalk_raw_2024-03.csv")
    result = cli("ingest", "punches", path)
    assert result.exit_code == 2
    assert f"{path}:9: 打卡时间: 必填，不能为空" in result.stderr
    assert f"{path}:10: 工号: 工号不在花名册中：“88888”" in result.stderr
    assert f"{path}:11: 考勤日期: 无法识别的日期 “2024-02-30”" in result.stderr
    assert count(session, Punch) == 0


def test_a_gbk_dingtalk_csv_loads_date_plus_time_and_full_date_times(cli, roster, tmp_path, session):
    path = fixture(tmp_path, "dingtalk_raw_2024-03.csv")
    result = cli("ingest", "punches", path, "--skip-bad-rows", "--json")
    assert result.exit_code == 0, result.stderr
    assert (result.json()["loaded"], result.json()["rejected"]) == (4, 3)
    assert punches(session) == [("1001", "2024-03-05 08:20:11", "考勤机"), ("1001", "2024-03-05 12:04:09", "考勤机"),
                                ("1002", "2024-03-05 09:02:30", "手机"), ("1002", "2024-03-05 12:00:41", "dingtalk")]


def test_a_dingtalk_xlsx_export_loads_like_its_csv(cli, roster, tmp_path, session):
    result = cli("ingest", "punches", fixture(tmp_path, "dingtalk_raw_2024-03.xlsx"), "--format", "dingtalk")
    assert result.exit_code == 0, result.stderr
    assert punches(session) == [("1001", "2024-03-05 08:20:11", "考勤机"), ("1001", "2024-03-05 12:04:09", "考勤机"),
                                ("1002", "2024-03-05 09:02:30", "手机"), ("1002", "2024-03-05 12:00:41", "dingtalk")]
    assert cli("ingest", "punches", fixture(tmp_path, "dingtalk_raw_2024-03.xlsx")).exit_code == 0  # auto
    assert count(session, Punch) == 4


def test_a_wecom_export_turns_unix_seconds_into_china_time(cli, roster, tmp_path, session):
    result = cli("ingest", "punches", fixture(tmp_path, "wecom_checkin_2024-03.csv"))
    assert result.exit_code == 0, result.stderr
    assert punches(session) == [("1001", "2024-03-06 08:19:47", "wecom"), ("1001", "2024-03-06 17:36:05", "wecom"),
                                ("1002", "2024-03-06 08:44:00", "wecom"), ("1003", "2024-03-06 08:25:00", "wecom")]


def test_a_wecom_export_with_the_chinese_account_column_and_format_wecom(cli, roster, tmp_path, session):
    path = write(tmp_path / "wx.csv", "姓名,账号,打卡时间\n张伟,1001,1709685587\n")
    assert cli("ingest", "punches", path, "--format", "wecom").exit_code == 0
    assert punches(session) == [("1001", "2024-03-06 08:39:47", "wecom")]


def test_a_gbk_csv_with_chinese_headers_loads(cli, roster, tmp_path, session):
    result = cli("ingest", "punches", fixture(tmp_path, "punches_gbk.csv"))
    assert result.exit_code == 0, result.stderr
    assert punches(session) == [("1001", "2024-03-07 08:22:00", "一楼大厅考勤机"),
                                ("1002", "2024-03-07 08:24:16", "一楼大厅考勤机"), ("1003", "2024-03-07 12:02:00", None)]


def test_a_canonical_punch_before_2000_and_a_bare_date_are_bad_rows(cli, roster, tmp_path, session):
    path = write(tmp_path / "p.csv", "staff_id,time\n1001,1999-12-31 23:59:59\n1001,2024-03-04\n1001,2000-01-01 00:00:00\n")
    result = cli("ingest", "punches", path)
    assert result.exit_code == 2
    assert f"{path}:2: time: 打卡日期早于 2000-01-01" in result.stderr
    assert f"{path}:3: time: 无法识别的日期时间 “2024-03-04”" in result.stderr
    assert f"{path}:4:" not in result.stderr


def test_leave_with_bare_dates_runs_from_midnight_to_midnight(cli, roster, tmp_path, session):
    result = cli("ingest", "leave", fixture(tmp_path, "leave.csv"), "--json")
    assert result.exit_code == 0, result.stderr
    rows = session.execute(select(Leave.staff_id, Leave.start, Leave.end, Leave.kind, Leave.approved)
                           .order_by(Leave.staff_id, Leave.start)).all()
    assert [(s, a.isoformat(sep=" "), b.isoformat(sep=" "), k, ok) for s, a, b, k, ok in rows] == [
        ("1001", "2024-03-11 00:00:00", "2024-03-13 00:00:00", "年假", True),
        ("1002", "2024-03-13 08:30:00", "2024-03-13 12:00:00", "事假", True),
        ("1003", "2024-03-14 14:00:00", "2024-03-15 00:00:00", "病假", False),   # 24:00 is the next midnight
        ("1003", "2024-03-15 00:00:00", "2024-03-16 00:00:00", "", True),
    ]


def test_bad_leave_rows_are_named_and_nothing_is_written(cli, roster, tmp_path, session):
    path = fixture(tmp_path, "leave_bad.csv")
    result = cli("ingest", "leave", path)
    assert result.exit_code == 2
    assert f"{path}:2: 是否批准: 必填，不能为空" in result.stderr
    assert f"{path}:3: 结束时间: 结束时间不晚于开始时间" in result.stderr
    assert f"{path}:4: 工号: 工号不在花名册中：“7777”" in result.stderr
    assert f"{path}:6: 开始时间: 同一工号、同一开始时间的请假重复：与第 5 行相同" in result.stderr
    assert f"{path}:7: 结束时间: 无法识别的日期时间 “2024-13-01”" in result.stderr
    assert f"{path}:5:" not in result.stderr
    assert count(session, Leave) == 0


def test_a_later_leave_file_replaces_the_row_with_the_same_start(cli, roster, tmp_path, session):
    cli("ingest", "leave", fixture(tmp_path, "leave.csv"))
    path = write(tmp_path / "leave2.csv", "工号,开始时间,结束时间,类型,是否批准\n1003,2024-03-14 14:00,2024-03-14 18:00,病假,是\n"
                                           "1001,2024-03-11,2024-03-12,年假,是\n")
    report = cli("ingest", "leave", path, "--json").json()
    assert (report["inserted"], report["updated"], report["unchanged"]) == (0, 1, 1)
    row = session.execute(select(Leave.end, Leave.approved).where(Leave.staff_id == "1003",
                                                                  Leave.start == dt.datetime(2024, 3, 14, 14))).one()
    assert row == (dt.datetime(2024, 3, 14, 18), True)
    assert count(session, Leave) == 4


def test_makeups_load_and_a_later_file_replaces_reason_and_approval(cli, roster, tmp_path, session):
    first = cli("ingest", "makeup", fixture(tmp_path, "makeup.csv"), "--json")
    assert first.exit_code == 0, first.stderr and first.json()["inserted"] == 4
    path = write(tmp_path / "m2.csv", "工号,补卡时间,原因,是否批准\n1002,2024-03-12 17:30:00,补交证明,是\n")
    assert cli("ingest", "makeup", path, "--json").json()["updated"] == 1
    assert session.execute(select(Makeup.reason, Makeup.approved).where(
        Makeup.time == dt.datetime(2024, 3, 12, 17, 30))).one() == ("补交证明", True)


def test_bad_makeup_rows_are_named(cli, roster, tmp_path, session):
    path = write(tmp_path / "m.csv", "工号,补卡时间,原因,是否批准\n1001,2024-03-04 12:00,,\n1001,2024-03-04 08:30,,是\n"
                                      "1001,2024-03-04 08:30:00,,否\n1001,2024-03-05,,是\n")
    result = cli("ingest", "makeup", path)
    assert result.exit_code == 2
    assert f"{path}:2: 是否批准: 必填，不能为空" in result.stderr
    assert f"{path}:4: 补卡时间: 同一工号、同一补卡时间的补卡重复：与第 3 行相同" in result.stderr
    assert f"{path}:5: 补卡时间: 无法识别的日期时间 “2024-03-05”" in result.stderr
    assert count(session, Makeup) == 0


def test_a_file_without_the_reason_column_is_refused_at_line_1(cli, roster, tmp_path):
    path = write(tmp_path / "m.csv", "工号,补卡时间,是否批准\n1001,2024-03-04 08:30,是\n")
    result = cli("ingest", "makeup", path)
    assert result.exit_code == 2 and f"{path}:1: reason: 缺少必需的列 reason（原因）" in result.stderr
