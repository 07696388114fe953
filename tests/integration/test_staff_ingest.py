"""The staff source end to end: all-or-nothing, idempotent, GB18030, XLSX, --skip-bad-rows."""
import io

import openpyxl
from sqlalchemy import func, select

from hallmon.roster.models import Department, Staff, Window
from tests.factories import write

HEADER = "staff_id,name,contract,post,department,window,hired_on,left_on\n"
GOOD = [
    "A001,张伟,T-1,窗口受理员,受理科,A01,2023-05-01,",
    "A002,李娜,T-1,窗口受理员,受理科,A02,2023-05-01,",
    "A003,王芳,T-1,发证员,登簿发证科,C01,2022-01-10,",
    "A004,刘洋,T-1,审核辅助员,审核科,,2021-03-01,",
    "A005,陈静,T-1,档案查询员,档案查询,H01,2024-01-15,2024-06-30",
]


def staff_count(session) -> int:
    return session.scalar(select(func.count()).select_from(Staff))


def test_a_bad_date_on_line_7_and_an_unknown_contract_on_line_9_refuse_the_file_and_write_nothing(
        cli, loaded_contract, tmp_path, session):
    rows = GOOD + ["A006,赵敏,T-1,,受理科,,2024-02-30,", "A007,孙强,T-1,,受理科,,2024-02-01,",
                   "A008,周杰,NOPE,,受理科,,2024-02-01,"]
    path = write(tmp_path / "staff.csv", HEADER + "\n".join(rows) + "\n")
    result = cli("ingest", "staff", path)
    assert result.exit_code == 2
    assert f"{path}:7: hired_on: 无法识别的日期 “2024-02-30”" in result.stderr
    assert f"{path}:9: contract: 合同未导入：“NOPE”" in result.stderr
    assert staff_count(session) == 0


def test_the_same_valid_file_loaded_twice_leaves_one_copy(cli, loaded_contract, tmp_path, session):
    path = write(tmp_path / "staff.csv", HEADER + "\n".join(GOOD) + "\n")
    first = cli("ingest", "staff", path, "--json")
    second = cli("ingest", "staff", path, "--json")
    assert first.exit_code == second.exit_code == 0
    assert first.json()["inserted"] == 5
    assert (second.json()["inserted"], second.json()["updated"], second.json()["unchanged"]) == (0, 0, 5)
    assert staff_count(session) == 5
    assert session.scalar(select(func.count()).select_from(Window)) == 4
    assert session.scalar(select(func.count()).select_from(Department)) == 4


def test_a_gb18030_file_with_chinese_headers_loads(cli, loaded_contract, tmp_path, session):
    text = "工号,姓名,合同编号,岗位,科室,窗口,入职日期,离职日期\n" + "\n".join(GOOD) + "\n"
    path = write(tmp_path / "staff-gbk.csv", text, "gb18030")
    result = cli("ingest", "staff", path)
    assert result.exit_code == 0, result.stderr
    person = session.scalar(select(Staff).where(Staff.staff_id == "A005"))
    assert person.name == "陈静" and person.left_on.isoformat() == "2024-06-30"
    assert person.department.name == "档案查询" and person.window.code == "H01"


def test_an_xlsx_roster_loads_like_its_csv(cli, loaded_contract, tmp_path, session):
    book = openpyxl.Workbook()
    book.active.append(["工号", "姓名", "合同编号", "科室", "入职日期"])
    book.active.append([1001, "张伟", "T-1", "受理科", "2023-05-01"])
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "staff.xlsx"
    path.write_bytes(buffer.getvalue())
    assert cli("ingest", "staff", path).exit_code == 0
    assert session.scalar(select(Staff.staff_id)) == "1001"


def test_a_changed_row_updates_the_person(cli, loaded_contract, tmp_path, session):
    cli("ingest", "staff", write(tmp_path / "a.csv", HEADER + "\n".join(GOOD) + "\n"))
    changed = [GOOD[0].replace("2023-05-01,", "2023-05-01,2024-09-30")]
    result = cli("ingest", "staff", write(tmp_path / "b.csv", HEADER + "\n".join(changed) + "\n"), "--json")
    assert result.json()["updated"] == 1
    assert session.scalar(select(Staff.left_on).where(Staff.staff_id == "A001")).isoformat() == "2024-09-30"


def test_left_before_hired_a_repeated_staff_id_and_an_empty_name_are_bad_rows(cli, loaded_contract, tmp_path, session):
    rows = ["A001,张伟,T-1,,受理科,,2024-05-01,2024-04-30", GOOD[1], GOOD[1], "A009,,T-1,,受理科,,2024-01-01,"]
    result = cli("ingest", "staff", write(tmp_path / "s.csv", HEADER + "\n".join(rows) + "\n"))
    assert result.exit_code == 2
    assert ":2: left_on: 离职日期早于入职日期" in result.stderr
    assert ":4: staff_id: 工号重复：与第 3 行相同" in result.stderr
    assert ":5: name: 必填，不能为空" in result.stderr
    assert staff_count(session) == 0


def test_skip_bad_rows_loads_the_good_rows_and_sets_the_rest_aside_with_line_and_reason(
        cli, loaded_contract, tmp_path, session):
    rows = GOOD[:2] + ["A006,赵敏,T-1,,受理科,,2024-02-30,"] + GOOD[2:]
    path = write(tmp_path / "staff.csv", HEADER + "\n".join(rows) + "\n")
    result = cli("ingest", "staff", path, "--skip-bad-rows", "--json")
    assert result.exit_code == 0, result.stderr
    report = result.json()
    assert (report["loaded"], report["rejected"], report["rows"]) == (5, 1, 6)
    side = (tmp_path / "staff.csv.rejected.csv").read_text(encoding="utf-8-sig").splitlines()
    assert side[0] == "line,column,reason,raw"
    assert side[1].startswith("4,hired_on,无法识别的日期")
    assert side[1].endswith('"A006,赵敏,T-1,,受理科,,2024-02-30,"')
    assert staff_count(session) == 5


def test_a_missing_file_is_refused_with_exit_2(cli, loaded_contract, tmp_path):
    result = cli("ingest", "staff", tmp_path / "nope.csv")
    assert result.exit_code == 2 and "无法读取文件" in result.stderr
