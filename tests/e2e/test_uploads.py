"""Uploading a source from the browser: row errors on the page, nothing written, skipped rows downloadable."""
import io

from sqlalchemy import func, select

from hallmon.roster.models import Staff

HEADER = "工号,姓名,合同编号,科室,入职日期\n"


def post(client, text: str, name="staff.csv", **form):
    data = {"kind": "staff", "format": "auto", "file": (io.BytesIO(text.encode("utf-8")), name), **form}
    return client.post("/uploads/", data=data, content_type="multipart/form-data")


def count(session) -> int:
    return session.scalar(select(func.count()).select_from(Staff))


def test_a_file_with_a_bad_row_shows_the_error_and_writes_nothing(login, loaded_contract, session):
    response = post(login("manager"), HEADER + "A1,张伟,T-1,受理科,2024-01-02\nA2,李娜,T-1,受理科,2024-02-30\n")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "未导入" in page and "hired_on" not in page.split("未导入")[0]
    assert "<td class=\"num\">3</td><td>入职日期</td><td>无法识别的日期 “2024-02-30”" in page
    assert count(session) == 0


def test_a_good_file_loads_and_says_what_it_did(login, loaded_contract, session):
    page = post(login("manager"), HEADER + "A1,张伟,T-1,受理科,2024-01-02\n").get_data(as_text=True)
    assert "已导入" in page and "新增 1" in page
    assert count(session) == 1


def test_skipping_bad_rows_offers_them_for_download(login, loaded_contract, session):
    client = login("manager")
    page = post(client, HEADER + "A1,张伟,T-1,受理科,2024-01-02\nA2,李娜,NOPE,受理科,2024-02-01\n",
                skip_bad_rows="on").get_data(as_text=True)
    assert "1 行被拒收" in page and count(session) == 1
    link = page.split('href="/uploads/rejected/')[1].split('"')[0]
    download = client.get(f"/uploads/rejected/{link}")
    assert download.status_code == 200 and "NOPE" in download.get_data(as_text=True)
    download.close()


def test_finance_and_contractors_cannot_upload(login, loaded_contract):
    for role in ("finance", "contractor"):
        assert login(role).get("/uploads/").status_code == 403
        assert post(login(role), HEADER).status_code == 403


def test_a_rejected_file_name_cannot_escape_its_folder(login):
    assert login("manager").get("/uploads/rejected/..%2F..%2Fhallmon.sqlite3").status_code == 404
