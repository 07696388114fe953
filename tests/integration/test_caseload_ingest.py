"""The caseload source end to end: a later file replaces the count of a key, bad rows named, idempotent."""
from sqlalchemy import select

from hallmon.caseload.models import CaseloadRow
from tests.complaints_helpers import ingest, load_staff
from tests.factories import write

HEADER = "合同编号,日期,科室,窗口,工号,业务类型,件数\n"
ROWS = [
    "T-1,2024-06-03,受理科,A01,A1,转移登记,12",
    "T-1,2024-06-03,受理科,A01,A1,抵押登记,7",
    "T-1,2024-06-03,受理科,A01,,转移登记,3",     # the same but naming nobody: another key
    "T-1,2024-06-03,档案查询,,,查询,40",
]


def rows(session) -> dict[tuple, int]:
    session.expire_all()
    return {(r.date.isoformat(), r.department, r.window, r.staff_id, r.business): r.count
            for r in session.scalars(select(CaseloadRow))}


def test_a_file_loads_and_loading_it_again_changes_nothing(cli, loaded_contract, tmp_path, session):
    load_staff(cli, tmp_path, ["A1,张伟,T-1,窗口受理员,受理科,A01,2020-01-01,"])
    path = write(tmp_path / "caseload.csv", HEADER + "\n".join(ROWS) + "\n", "gb18030")
    first = ingest(cli, "caseload", path, "--json").json()
    second = ingest(cli, "caseload", path, "--json").json()
    assert (first["inserted"], first["updated"], first["unchanged"]) == (4, 0, 0)
    assert (second["inserted"], second["updated"], second["unchanged"]) == (0, 0, 4)
    assert rows(session) == {
        ("2024-06-03", "受理科", "A01", "A1", "转移登记"): 12,
        ("2024-06-03", "受理科", "A01", "A1", "抵押登记"): 7,
        ("2024-06-03", "受理科", "A01", None, "转移登记"): 3,
        ("2024-06-03", "档案查询", None, None, "查询"): 40,
    }


def test_a_later_file_replaces_the_count_of_a_key_and_adds_new_keys(cli, loaded_contract, tmp_path, session):
    load_staff(cli, tmp_path, ["A1,张伟,T-1,窗口受理员,受理科,A01,2020-01-01,"])
    ingest(cli, "caseload", write(tmp_path / "a.csv", HEADER + "\n".join(ROWS) + "\n"))
    later = ["T-1,2024/6/3,受理科,A01,A1,转移登记,15", ROWS[1], "T-1,2024-06-04,受理科,A01,A1,转移登记,9"]
    report = ingest(cli, "caseload", write(tmp_path / "b.csv", HEADER + "\n".join(later) + "\n"), "--json").json()
    assert (report["inserted"], report["updated"], report["unchanged"]) == (1, 1, 1)
    stored = rows(session)
    assert stored[("2024-06-03", "受理科", "A01", "A1", "转移登记")] == 15
    assert stored[("2024-06-04", "受理科", "A01", "A1", "转移登记")] == 9
    assert len(stored) == 5


def test_bad_rows_are_named_and_nothing_is_written(cli, loaded_contract, tmp_path, session):
    bad = ROWS[:1] + ["T-1,2024-06-03,受理科,A01,B9,转移登记,1", "T-1,2024-06-03,受理科,A02,,转移登记,-3",
                      "T-1,2024-06-03,受理科,A01,,转移登记,8", "T-1,2024-06-03,受理科,A01,,转移登记,9"]
    path = write(tmp_path / "bad.csv", HEADER + "\n".join(bad) + "\n")
    result = cli("ingest", "caseload", path)
    assert result.exit_code == 2
    assert f"{path}:2: 工号: 工号不在花名册中：“A1”" in result.stderr  # no roster loaded in this test
    assert f"{path}:3: 工号: 工号不在花名册中：“B9”" in result.stderr
    assert f"{path}:4: 件数: 应为非负整数：“-3”" in result.stderr
    assert f"{path}:6: 日期: 同一合同、日期、科室、窗口、工号与业务类型的记录重复：与第 5 行相同" in result.stderr
    assert rows(session) == {}


def test_rows_dated_outside_the_contract_are_stored(cli, loaded_contract, tmp_path, session):
    ingest(cli, "caseload", write(tmp_path / "old.csv", HEADER + "T-1,2023-12-29,受理科,A01,,转移登记,4\n"))
    assert rows(session) == {("2023-12-29", "受理科", "A01", None, "转移登记"): 4}
    document = cli("caseload", "stats", "T-1", "--year", "2024", "--json").json()
    assert document["total"] == 0
