"""The complaints source end to end: Chinese files, upsert on complaint_id as status moves, bad rows named."""
import datetime as dt
import io

import openpyxl
from sqlalchemy import func, select

from hallmon.complaints.models import Complaint
from tests.complaints_helpers import ingest, load_staff
from tests.factories import write

HEADER = "编号,合同编号,渠道,类型,类别,收件日期,受理日期,是否延期,是否属实,工号,办结日期,摘要\n"
ROWS = [
    "XF-001,T-1,信访,,业务,2024-03-01,2024-03-05,,,,,房屋产权诉求",
    "XF-002,T-1,信访,,人员,2024-03-02,2024-03-04,否,是,A1,2024-03-20,窗口人员推诿",
    "RX-001,T-1,12345,咨询,业务,2024-06-07,,,,,2024-06-11,",
    "HC-001,T-1,好差评,,其他,2024-06-08,,,,,,",
]


def count(session) -> int:
    return session.scalar(select(func.count()).select_from(Complaint))


def stored(session, complaint_id: str) -> Complaint:
    session.expire_all()
    return session.scalar(select(Complaint).where(Complaint.complaint_id == complaint_id))


def test_a_gb18030_file_with_chinese_headers_and_values_loads(cli, loaded_contract, tmp_path, session):
    load_staff(cli, tmp_path, ["A1,张伟,T-1,窗口受理员,受理科,A01,2020-01-01,"])
    path = write(tmp_path / "信访台账.csv", HEADER + "\n".join(ROWS) + "\n", "gb18030")
    report = ingest(cli, "complaints", path, "--json").json()
    assert (report["inserted"], report["updated"], report["unchanged"]) == (4, 0, 0)
    person = stored(session, "XF-002")
    assert (person.channel, person.kind, person.category, person.substantiated, person.staff_id) == (
        "petition", None, "personnel", True, "A1")
    assert person.resolved_on == dt.date(2024, 3, 20) and person.extended is False
    hotline = stored(session, "RX-001")
    assert (hotline.channel, hotline.kind, hotline.summary) == ("hotline", "consult", None)
    assert stored(session, "HC-001").channel == "review"


def test_a_later_file_replaces_the_row_as_its_status_moves(cli, loaded_contract, tmp_path, session):
    load_staff(cli, tmp_path, ["A1,张伟,T-1,窗口受理员,受理科,A01,2020-01-01,"])
    ingest(cli, "complaints", write(tmp_path / "march.csv", HEADER + "\n".join(ROWS) + "\n"))
    moved = ["XF-001,T-1,信访,,业务,2024-03-01,2024-03-05,是,,,2024-06-30,房屋产权诉求（已延期办结）"]
    report = ingest(cli, "complaints", write(tmp_path / "june.csv", HEADER + "\n".join(moved + ROWS[1:]) + "\n"),
                    "--json").json()
    assert (report["inserted"], report["updated"], report["unchanged"]) == (0, 1, 3)
    row = stored(session, "XF-001")
    assert (row.resolved_on, row.extended, row.summary) == (dt.date(2024, 6, 30), True, "房屋产权诉求（已延期办结）")
    assert count(session) == 4


def test_a_later_file_may_also_clear_a_field(cli, loaded_contract, tmp_path, session):
    load_staff(cli, tmp_path, ["A1,张伟,T-1,窗口受理员,受理科,A01,2020-01-01,"])
    ingest(cli, "complaints", write(tmp_path / "a.csv", HEADER + ROWS[1] + "\n"))
    # on review the complaint named nobody and was reopened
    report = ingest(cli, "complaints", write(tmp_path / "b.csv", HEADER + "XF-002,T-1,信访,,人员,2024-03-02,2024-03-04,,,,,\n"),
                    "--json").json()
    assert report["updated"] == 1
    row = stored(session, "XF-002")
    assert (row.staff_id, row.resolved_on, row.substantiated, row.summary) == (None, None, False, None)


def test_the_same_file_loaded_twice_changes_nothing(cli, loaded_contract, tmp_path, session):
    load_staff(cli, tmp_path, ["A1,张伟,T-1,窗口受理员,受理科,A01,2020-01-01,"])
    path = write(tmp_path / "c.csv", HEADER + "\n".join(ROWS) + "\n")
    ingest(cli, "complaints", path)
    before = stored(session, "XF-001").updated_at
    report = ingest(cli, "complaints", path, "--json").json()
    assert (report["inserted"], report["updated"], report["unchanged"]) == (0, 0, 4)
    assert count(session) == 4 and stored(session, "XF-001").updated_at == before


def test_bad_rows_are_named_and_nothing_is_written(cli, loaded_contract, tmp_path, session):
    rows = ROWS[:1] + [
        "RX-002,T-1,12345,,业务,2024-06-07,,,,,,",               # hotline without a kind
        "XF-003,T-1,信访,,业务,2024-03-10,2024-03-01,,,,,",       # accepted before received
        "XF-001,T-1,信访,,业务,2024-03-01,,,,,,",                 # repeats line 2
        "XF-004,T-1,信访,,业务,2024-03-10,,,,B9,,",               # staff not on the roster
    ]
    path = write(tmp_path / "bad.csv", HEADER + "\n".join(rows) + "\n")
    result = cli("ingest", "complaints", path)
    assert result.exit_code == 2
    assert f"{path}:3: 类型: 12345 热线必须填写类型" in result.stderr
    assert f"{path}:4: 受理日期: 受理日期早于收件日期" in result.stderr
    assert f"{path}:5: 编号: 编号重复：与第 2 行相同" in result.stderr
    assert f"{path}:6: 工号: 工号不在花名册中：“B9”" in result.stderr
    assert count(session) == 0


def test_skip_bad_rows_loads_the_good_complaints(cli, loaded_contract, tmp_path, session):
    rows = ROWS[:1] + ["RX-002,T-1,12345,,业务,2024-06-07,,,,,,"]
    path = write(tmp_path / "some.csv", HEADER + "\n".join(rows) + "\n")
    report = ingest(cli, "complaints", path, "--skip-bad-rows", "--json").json()
    assert (report["loaded"], report["rejected"]) == (1, 1)
    assert count(session) == 1


def test_an_xlsx_export_with_date_cells_loads(cli, loaded_contract, tmp_path, session):
    book = openpyxl.Workbook()
    book.active.append(["编号", "合同编号", "渠道", "类型", "类别", "收件日期", "办结日期"])
    book.active.append(["RX-9", "T-1", "12345", "求助", "业务", dt.datetime(2024, 6, 7), dt.datetime(2024, 6, 17)])
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "12345.xlsx"
    path.write_bytes(buffer.getvalue())
    ingest(cli, "complaints", path)
    row = stored(session, "RX-9")
    assert (row.kind, row.received_on, row.resolved_on) == ("help", dt.date(2024, 6, 7), dt.date(2024, 6, 17))


def test_a_complaint_moved_to_another_contract_follows_the_file(cli, loaded_contract, tmp_path, session):
    from tests.complaints_helpers import load_contract

    load_contract(cli, tmp_path, "T-2", "2024-01-01", "2024-12-31")
    ingest(cli, "complaints", write(tmp_path / "a.csv", HEADER + ROWS[0] + "\n"))
    report = ingest(cli, "complaints", write(tmp_path / "b.csv", HEADER + ROWS[0].replace(",T-1,", ",T-2,") + "\n"),
                    "--json").json()
    assert report["updated"] == 1
    t1 = cli("complaints", "stats", "T-1", "--from", "2024-01-01", "--to", "2024-12-31", "--json").json()
    t2 = cli("complaints", "stats", "T-2", "--from", "2024-01-01", "--to", "2024-12-31", "--json").json()
    assert (t1["received"], t2["received"]) == (0, 1)
