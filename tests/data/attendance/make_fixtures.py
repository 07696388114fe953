"""How the attendance fixtures were made (run once; the files are committed as they came out).

They imitate what halls really export: a ZKTeco attlog.dat with right-aligned PINs, extra columns,
CRLF, a visitor's card, clock-reset rows and padding; DingTalk 原始记录 exports (CSV in GBK and
XLSX) with their title rows; a WeCom export with Unix seconds; a GBK punch CSV; leave and make-ups.
"""
import datetime as dt
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent


def attlog() -> None:
    lines = [
        "     1001\t2024-03-04 08:21:33\t1\t0\t1\t0",          # 1
        "     1002\t2024-03-04 08:29:59\t1\t0\t1\t0",          # 2
        "     1001\t2024-03-04 12:03:10\t1\t1\t1\t0",          # 3
        "     1002\t2024-03-04 12:01:45\t1\t1\t1\t0",          # 4
        "    99999\t2024-03-04 13:02:11\t1\t0\t1\t0",          # 5 a visitor's card
        "     1001\t2024-03-04 14:22:08\t1\t0\t1\t0",          # 6
        "     1002\t2024-03-04 14:36:40\t1\t0\t1\t0",          # 7 six minutes late
        "     1001\t2024-03-04 17:41:02\t1\t1\t1\t0",          # 8
        "     1002\t2024-03-04 17:35:12\t1\t1\t1\t0",          # 9
        "     1003\t1971-01-01 08:00:00\t-1\t-1\t-1\t-1",      # 10 clock reset
        "     1003\t2024-03-04 08:15:00\t1\t0\t1\t0",          # 11
        "     1003\t2024-03-04 08:15:00\t1\t0\t1\t0",          # 12 the same punch twice
        "     1003\t2024-03-04 17:45:00\t1\t1\t1\t0",          # 13
        "\x00" * 48,                                           # 14 NUL padding
        " " * 12,                                              # 15 blank padding
        "     1002\t1971-01-01 -8:-3:-9\t-1\t-1\t-1\t-1",      # 16 clock reset, negative fields
    ]
    (HERE / "1_attlog.dat").write_bytes(("\r\n".join(lines) + "\r\n").encode("ascii"))


DINGTALK_HEADER = ["姓名", "考勤组", "部门", "工号", "职位", "UserId", "考勤日期", "考勤时间", "打卡时间", "打卡结果",
                   "打卡地址", "打卡设备"]
DINGTALK_ROWS = [
    ["张伟", "窗口考勤组", "受理科", "1001", "窗口受理员", "024511", "2024-03-05 星期二", "上班 08:30", "08:20:11", "正常", "不动产登记中心", "考勤机"],
    ["张伟", "窗口考勤组", "受理科", "1001", "窗口受理员", "024511", "2024-03-05 星期二", "下班 12:00", "12:04:09", "正常", "不动产登记中心", "考勤机"],
    ["李娜", "窗口考勤组", "受理科", "1002", "窗口受理员", "024512", "2024-03-05 星期二", "上班 08:30", "09:02:30", "严重迟到", "不动产登记中心", "手机"],
    ["李娜", "窗口考勤组", "受理科", "1002", "窗口受理员", "024512", "2024-03-05 星期二", "下班 12:00", "2024-03-05 12:00:41", "正常", "不动产登记中心", ""],
]


def dingtalk_csv() -> None:
    rows = [["原始记录"] + [""] * 11, ["统计日期：2024-03-01 至 2024-03-31"] + [""] * 11,
            ["报表生成时间：2024-04-01 09:12"] + [""] * 11, DINGTALK_HEADER, *DINGTALK_ROWS,
            ["王芳", "窗口考勤组", "发证科", "1003", "发证员", "024513", "2024-03-05 星期二", "上班 08:30", "", "未打卡", "", ""],
            ["访客", "", "", "88888", "", "", "2024-03-05 星期二", "上班 08:30", "08:31:00", "", "", ""],
            ["王芳", "窗口考勤组", "发证科", "1003", "发证员", "024513", "2024-02-30", "上班 08:30", "08:10:00", "", "", ""]]
    text = "\r\n".join(",".join(r) for r in rows) + "\r\n"
    (HERE / "dingtalk_raw_2024-03.csv").write_bytes(text.encode("gb18030"))


def dingtalk_xlsx() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "原始记录"
    sheet.append(["原始记录"])
    sheet.merge_cells("A1:L1")
    sheet.append(["统计日期：2024-03-01 至 2024-03-31"])
    sheet.append(DINGTALK_HEADER)
    for row in DINGTALK_ROWS:
        row = list(row)
        clock = row[8]
        if len(clock) == 8:
            row[8] = dt.time.fromisoformat(clock)
        else:
            row[8] = dt.datetime.fromisoformat(clock)
        sheet.append(row)
    book.save(HERE / "dingtalk_raw_2024-03.xlsx")


def wecom_csv() -> None:
    china = dt.timezone(dt.timedelta(hours=8))
    header = "userid,groupname,checkin_type,exception_type,checkin_time,location_title,wifiname,notes"
    rows = []
    for userid, clock, kind in (("1001", "2024-03-06 08:19:47", "上班打卡"), ("1001", "2024-03-06 17:36:05", "下班打卡"),
                                ("1002", "2024-03-06 08:44:00", "上班打卡")):
        seconds = int(dt.datetime.fromisoformat(clock).replace(tzinfo=china).timestamp())
        rows.append(f"{userid},窗口考勤组,{kind},,{seconds},不动产登记中心,HALL-WIFI,")
    rows.append("1003,窗口考勤组,上班打卡,,2024-03-06 08:25:00,不动产登记中心,HALL-WIFI,")
    (HERE / "wecom_checkin_2024-03.csv").write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")


def gbk_punches() -> None:
    text = ("工号,打卡时间,设备\n"
            "1001,2024/03/07 08:22,一楼大厅考勤机\n"
            "1002,2024-03-07 08:24:16,一楼大厅考勤机\n"
            "1003,2024-03-07 12:02:00,\n")
    (HERE / "punches_gbk.csv").write_bytes(text.encode("gb18030"))


def leave_and_makeups() -> None:
    (HERE / "leave.csv").write_text(
        "工号,开始时间,结束时间,类型,是否批准\n"
        "1001,2024-03-11,2024-03-12,年假,是\n"            # 2 whole days
        "1002,2024-03-13 08:30,2024-03-13 12:00,事假,是\n"  # one morning
        "1003,2024-03-14 14:00,2024-03-14 24:00,病假,否\n"  # not approved
        "1003,2024-03-15,2024-03-15,,yes\n",               # kind may be empty
        encoding="utf-8")
    (HERE / "leave_bad.csv").write_text(
        "工号,开始时间,结束时间,类型,是否批准\n"
        "1001,2024-03-11,2024-03-12,年假,\n"               # 2 empty approved
        "1002,2024-03-13 12:00,2024-03-13 08:30,事假,是\n"  # 3 end before start
        "7777,2024-03-13,2024-03-13,事假,是\n"              # 4 not on the roster
        "1003,2024-03-14,2024-03-14,事假,是\n"              # 5
        "1003,2024-03-14 00:00,2024-03-15,病假,是\n"        # 6 same key as line 5
        "1001,2024-03-18,2024-13-01,年假,是\n",             # 7 bad end date
        encoding="utf-8")
    (HERE / "makeup.csv").write_text(
        "staff_id,time,reason,approved\n"
        "1002,2024-03-04 12:00:00,忘记打卡,是\n"
        "1002,2024-03-08 08:30:00,忘记打卡,是\n"
        "1002,2024-03-12 17:30:00,,否\n"
        "1001,2024-03-04 08:21:33,设备故障,y\n",
        encoding="utf-8")


if __name__ == "__main__":
    attlog()
    dingtalk_csv()
    dingtalk_xlsx()
    wecom_csv()
    gbk_punches()
    leave_and_makeups()
