"""The assessment and notices sources and the scores command end to end, on SQLite and PostgreSQL."""
import io
from decimal import Decimal

import openpyxl
from sqlalchemy import func, select

from hallmon.assessment.models import AssessmentRow, CatalogueItem, Notice
from hallmon.assessment.services import MonthScore, month_scores
from hallmon.core.calendar import covered_years, uncovered_warning
from tests.assessment_helpers import (
    ASSESSMENT_HEADER,
    assessment_file,
    ingest,
    notices_file,
    scores,
    statuses,
)
from tests.assessment_helpers import (
    month_scores as scores_by_month,
)
from tests.drive import contract
from tests.factories import terms_toml, write


def stored_rows(session) -> int:
    return session.scalar(select(func.count()).select_from(AssessmentRow))


def march_score(cli) -> float | None:
    return scores_by_month(scores(cli, "T-1", 2024, "2024-12-31"))["2024-03"]


# ---------------------------------------------------------------- ingest order and idempotency


def test_rows_of_one_file_on_the_same_date_are_numbered_in_file_order(cli, loaded_contract, tmp_path):
    # the third LG row of the year is the −5 one, last in the file: 100 − 1 − 3 − 2 × 5 = 86
    ingest(cli, tmp_path, "assessment", "a.csv", assessment_file(
        "T-1,2024-03,LG,离岗,-1,,,2024-03-08,", "T-1,2024-03,LG,离岗,-3,,,2024-03-08,",
        "T-1,2024-03,LG,离岗,-5,,,2024-03-08,"))
    assert march_score(cli) == 86


def test_many_rows_keep_their_file_order_as_ingest_order(cli, loaded_contract, tmp_path, session):
    rows = [f"T-1,2024-03,LG,离岗,-{n / 1000:.3f},,,2024-03-08," for n in range(1, 61)]
    ingest(cli, tmp_path, "assessment", "a.csv", assessment_file(*rows))
    points = [p for (p,) in session.execute(select(AssessmentRow.points).order_by(AssessmentRow.id))]
    assert points == [Decimal(f"-{n / 1000:.3f}") for n in range(1, 61)]


def test_two_identical_rows_in_one_file_are_two_deductions_and_loading_it_again_adds_neither(
        cli, loaded_contract, tmp_path, session):
    text = assessment_file("T-1,2024-03,ZZ,着装仪容,-1,,,,", "T-1,2024-03,ZZ,着装仪容,-1,,,,")
    first = ingest(cli, tmp_path, "assessment", "a.csv", text)
    again = ingest(cli, tmp_path, "assessment", "a.csv", text)
    assert (first["inserted"], again["inserted"], again["unchanged"]) == (2, 0, 2)
    assert stored_rows(session) == 2
    assert march_score(cli) == 98


def test_another_file_with_one_identical_row_adds_nothing_and_one_with_three_adds_the_third(
        cli, loaded_contract, tmp_path, session):
    ingest(cli, tmp_path, "assessment", "a.csv",
           assessment_file("T-1,2024-03,ZZ,着装仪容,-1,,,,", "T-1,2024-03,ZZ,着装仪容,-1,,,,"))
    one = ingest(cli, tmp_path, "assessment", "b.csv", assessment_file("T-1,2024-03,ZZ,着装,-1.00,,,2024-03-31,"))
    three = ingest(cli, tmp_path, "assessment", "c.csv", assessment_file(*["T-1,2024-03,ZZ,着装仪容,-1,,,,"] * 3))
    assert (one["inserted"], three["inserted"], three["unchanged"]) == (0, 1, 2)
    assert stored_rows(session) == 3
    assert march_score(cli) == 96  # 100 − 1 − 1 − 2 × 1: the third ZZ of the year counts double


def test_a_file_with_a_bad_row_writes_nothing_and_names_file_line_and_column(cli, loaded_contract, tmp_path, session):
    path = write(tmp_path / "a.csv", assessment_file("T-1,2024-03,LG,离岗,-1,,,,", "T-1,2024-03,LG,离岗,-1,,,2024-04-02,",
                                                     "NOPE,2024-03,LG,离岗,-1,,,,", "T-1,2024-03,LG,离岗,-1,S404,,,"))
    result = cli("ingest", "assessment", path)
    assert result.exit_code == 2
    assert f"{path}:3: 日期: 日期 “2024-04-02” 不在月份 2024-03 内" in result.stderr
    assert f"{path}:4: 合同编号: 合同未导入：“NOPE”" in result.stderr
    assert f"{path}:5: 工号: 工号不在花名册中：“S404”" in result.stderr
    assert stored_rows(session) == 0


def test_skip_bad_rows_loads_the_good_rows_and_sets_the_bad_one_aside(cli, loaded_contract, tmp_path, session):
    path = write(tmp_path / "a.csv", assessment_file("T-1,2024-03,LG,离岗,-1,,,,", "T-1,2024-03,LG,离岗,-1,,,2024-04-02,"))
    result = cli("ingest", "assessment", path, "--skip-bad-rows", "--json")
    assert result.exit_code == 0, result.stderr
    assert (result.json()["loaded"], result.json()["rejected"]) == (1, 1)
    assert "2024-04-02" in (tmp_path / "a.csv.rejected.csv").read_text(encoding="utf-8-sig")
    assert stored_rows(session) == 1


def test_an_xlsx_file_with_chinese_headers_loads(cli, loaded_contract, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(ASSESSMENT_HEADER.strip().split(","))
    sheet.append(["T-1", "2024-03", "FWTD", "服务态度", -2.5, None, "A01", None, "与群众争执"])
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "a.xlsx"
    path.write_bytes(buffer.getvalue())
    assert cli("ingest", "assessment", path).exit_code == 0
    assert march_score(cli) == 97.5


def test_rows_of_months_outside_the_contract_are_stored_and_numbered_but_not_scored(
        cli, loaded_contract, tmp_path, session):
    # T-1 runs through 2024; December 2023 starts another year, so only the 2024 rows number together
    ingest(cli, tmp_path, "assessment", "a.csv", assessment_file(
        "T-1,2023-12,LG,离岗,-1,,,,", "T-1,2024-01,LG,离岗,-1,,,,", "T-1,2024-02,LG,离岗,-1,,,,",
        "T-1,2024-03,LG,离岗,-1,,,,"))
    assert stored_rows(session) == 4
    assert scores(cli, "T-1", 2023)["months"] == []
    assert scores_by_month(scores(cli, "T-1", 2024, "2024-12-31"))["2024-03"] == 98


# ---------------------------------------------------------------- notices


def test_a_later_notices_file_replaces_the_date(cli, loaded_contract, tmp_path, session):
    first = ingest(cli, tmp_path, "notices", "n1.csv", notices_file("T-1,2024-03,2024-04-16", "T-1,2024-04,2024-05-08"))
    assert statuses(scores(cli, "T-1", 2024, "2024-06-01"))["2024-03"] == ("2024-04-16", "late")
    second = ingest(cli, tmp_path, "notices", "n2.csv", notices_file("T-1,2024-03,2024-04-15", "T-1,2024-04,2024-05-08"))
    assert (first["inserted"], second["updated"], second["unchanged"]) == (2, 1, 1)
    assert session.scalar(select(func.count()).select_from(Notice)) == 2
    document = scores(cli, "T-1", 2024, "2024-06-01")
    assert statuses(document)["2024-03"] == ("2024-04-15", "on_time")
    assert scores_by_month(document)["2024-03"] == 100  # a notice and no rows


def test_a_notice_dated_after_as_of_still_assesses_its_month(cli, loaded_contract, tmp_path):
    ingest(cli, tmp_path, "notices", "n.csv", notices_file("T-1,2024-03,2024-04-10"))
    month = {m["month"]: m for m in scores(cli, "T-1", 2024, "2024-04-09")["months"]}["2024-03"]
    assert (month["assessed"], month["score"], month["grade"]) == (True, 100, "优")
    assert month["notice"] == {"notified_on": None, "deadline": "2024-04-15", "status": "pending"}


# ---------------------------------------------------------------- S3 through the complaints source


def test_substantiated_personnel_complaints_hit_only_assessed_months(cli, loaded_contract, tmp_path):
    ingest(cli, tmp_path, "complaints", "c.csv",
           "complaint_id,contract,channel,kind,category,received_on,substantiated,resolved_on\n"
           "C1,T-1,onsite,,personnel,2024-03-02,yes,2024-03-05\n"
           "C2,T-1,hotline,complaint,personnel,2024-03-20,yes,2024-04-03\n"
           "C3,T-1,review,,personnel,2024-05-06,是,\n"
           "C4,T-1,petition,,personnel,2024-03-07,no,2024-03-08\n")
    ingest(cli, tmp_path, "assessment", "a.csv", assessment_file("T-1,2024-03,WS,卫生,0,,,,"))
    by_month = scores_by_month(scores(cli, "T-1", 2024, "2024-12-31"))
    assert (by_month["2024-03"], by_month["2024-04"], by_month["2024-05"]) == (98, None, None)
    ingest(cli, tmp_path, "notices", "n.csv", notices_file("T-1,2024-04,2024-05-06", "T-1,2024-05,2024-06-03"))
    by_month = scores_by_month(scores(cli, "T-1", 2024, "2024-12-31"))
    assert (by_month["2024-03"], by_month["2024-04"], by_month["2024-05"]) == (98, 98, 98)


# ---------------------------------------------------------------- the catalogue


def test_the_catalogue_is_opt_in_and_gates_item_codes(cli, loaded_contract, tmp_path, session):
    unknown = write(tmp_path / "a.csv", assessment_file("T-1,2024-03,OTHER-SYSTEM,别的系统的项目,-1,,,,"))
    assert cli("catalogue", "show", "--json").json() == {"stored": False, "items": [], "warnings": []}
    assert cli("ingest", "assessment", unknown).exit_code == 0  # no catalogue: every code is accepted

    exported = tmp_path / "catalogue.toml"
    assert cli("catalogue", "export", exported).exit_code == 0
    loaded = cli("catalogue", "load", exported)
    assert loaded.exit_code == 0, loaded.stderr
    assert "OTHER-SYSTEM" in loaded.stderr  # stored rows whose code the new catalogue lacks are pointed out
    shown = cli("catalogue", "show", "--json").json()
    assert shown["stored"] is True
    assert {"code": "LG", "name": "离岗/串岗", "kind": "deduction", "points": -1} in [
        {k: i[k] for k in ("code", "name", "kind", "points")} for i in shown["items"]]

    again = write(tmp_path / "b.csv", assessment_file("T-1,2024-04,OTHER-SYSTEM,别的系统的项目,-1,,,,",
                                                      "T-1,2024-04,LG,,-1,,,,"))
    refused = cli("ingest", "assessment", again)
    assert refused.exit_code == 2
    assert (f"{again}:2: 项目代码: 项目代码 OTHER-SYSTEM 不在考核项目目录中（hallmon catalogue show 查看）"
            in refused.stderr)
    good = write(tmp_path / "c.csv", assessment_file("T-1,2024-04,LG,,-1,,,,"))
    assert cli("ingest", "assessment", good).exit_code == 0
    assert session.scalar(select(AssessmentRow.item).where(AssessmentRow.month == "2024-04")) == "离岗/串岗"

    assert cli("catalogue", "clear").exit_code == 0
    assert session.scalar(select(func.count()).select_from(CatalogueItem)) == 0
    # without a catalogue any code loads again, but an empty item name has nothing to come from
    cleared = cli("ingest", "assessment", again)
    assert cleared.exit_code == 2 and f"{again}:3: 考核项目: 必填，不能为空" in cleared.stderr
    assert cli("ingest", "assessment", write(tmp_path / "d.csv", assessment_file(
        "T-1,2024-04,OTHER-SYSTEM,别的系统的项目,-1,,,,"))).exit_code == 0


def test_an_edited_catalogue_replaces_the_stored_one_and_exports_as_stored(cli, tmp_path):
    path = write(tmp_path / "mine.toml", '[[item]]\ncode = "K1"\nname = "窗口空岗"\nkind = "扣分"\npoints = -3\n')
    assert cli("catalogue", "load", path).exit_code == 0
    assert [i["code"] for i in cli("catalogue", "show", "--json").json()["items"]] == ["K1"]
    out = tmp_path / "out.toml"
    assert cli("catalogue", "export", out).exit_code == 0
    assert 'code = "K1"' in out.read_text(encoding="utf-8") and "points = -3" in out.read_text(encoding="utf-8")


def test_a_bad_catalogue_file_is_refused_naming_the_key_and_keeps_the_stored_one(cli, tmp_path):
    good = write(tmp_path / "good.toml", '[[item]]\ncode = "K1"\nname = "窗口空岗"\nkind = "deduction"\npoints = -3\n')
    bad = write(tmp_path / "bad.toml", '[[item]]\ncode = "K2"\nname = "x"\nkind = "deduction"\npoints = 2\n')
    assert cli("catalogue", "load", good).exit_code == 0
    result = cli("catalogue", "load", bad)
    assert result.exit_code == 2
    assert "item[1]（K2）.points: 扣分项目的分值应为负数" in result.stderr
    assert [i["code"] for i in cli("catalogue", "show", "--json").json()["items"]] == ["K1"]


# ---------------------------------------------------------------- the command and the service billing calls


def test_month_scores_gives_billing_each_months_score(cli, loaded_contract, tmp_path, session):
    ingest(cli, tmp_path, "assessment", "a.csv", assessment_file("T-1,2024-03,LG,离岗,-1.5,,,,"))
    ingest(cli, tmp_path, "notices", "n.csv", notices_file("T-1,2024-02,2024-03-05"))
    found = month_scores(session, contract(session, "T-1"), ["2024-01", "2024-02", "2024-03", "2025-01"])
    assert found == {
        "2024-01": MonthScore("2024-01", False, None),
        "2024-02": MonthScore("2024-02", True, 100),
        "2024-03": MonthScore("2024-03", True, 98.5),
        "2025-01": MonthScore("2025-01", False, None),
    }


def test_a_year_without_contract_months_has_no_months_and_no_score(cli, loaded_contract):
    document = scores(cli, "T-1", 2030)
    assert document == {"contract": "T-1", "year": 2030, "months": [], "year_score": None, "grade": None,
                        "warnings": []}


def test_an_unknown_contract_or_a_bad_date_is_refused_with_exit_2(cli, loaded_contract):
    unknown = cli("assessment", "scores", "NOPE", "--year", "2024", "--json")
    assert (unknown.exit_code, unknown.stdout) == (2, "")
    assert "NOPE" in unknown.stderr
    bad = cli("assessment", "scores", "T-1", "--year", "2024", "--as-of", "2024-02-30", "--json")
    assert bad.exit_code == 2 and "--as-of" in bad.stderr
    assert cli("assessment", "month", "T-1", "--month", "2024-13").exit_code == 2


def test_a_deadline_in_a_year_the_calendar_does_not_cover_is_warned(cli, tmp_path):
    import datetime as dt

    year = covered_years()[1]
    terms = terms_toml(code="W-1", name="x", contractor="y", start=dt.date(year, 12, 1), end=dt.date(year, 12, 31),
                       total_fee="1000.00", headcount=1, schedule={"sessions": [["08:30", "12:00"]]})
    assert cli("contract", "load", write(tmp_path / "w.toml", terms)).exit_code == 0
    document = scores(cli, "W-1", year, f"{year}-12-31")
    assert document["warnings"] == [uncovered_warning(year + 1)]
    assert document["months"][0]["notice"]["status"] == "pending"


def test_the_text_output_names_every_month(cli, loaded_contract, tmp_path):
    ingest(cli, tmp_path, "assessment", "a.csv", assessment_file("T-1,2024-08,LG,离岗,-12,,,,"))
    result = cli("assessment", "scores", "T-1", "--year", "2024", "--as-of", "2024-12-31")
    assert result.exit_code == 0, result.stderr
    assert "2024-08  88 分（良）" in result.stdout and "2024-07  未考核" in result.stdout
    assert "年度得分：88 分（良）" in result.stdout


def test_notice_statuses_cover_every_contract_month_for_the_alerts(cli, loaded_contract, tmp_path, session):
    import datetime as dt

    from hallmon.assessment.services import NoticeStatus, notice_statuses

    ingest(cli, tmp_path, "notices", "n.csv", notices_file("T-1,2024-01,2024-03-26", "T-1,2024-02,2024-03-01"))
    found, warnings = notice_statuses(session, contract(session, "T-1"), dt.date(2024, 3, 15))
    assert warnings == []
    assert [(n.month, n.status) for n in found][:4] == [
        ("2024-01", "missing"), ("2024-02", "on_time"), ("2024-03", "pending"), ("2024-04", "pending")]
    assert found[0] == NoticeStatus("2024-01", None, dt.date(2024, 2, 19), "missing")
    assert len(found) == 12
