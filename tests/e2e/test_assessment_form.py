"""Assessment entry by form goes through the same checks as a file, and writes nothing when refused."""
from sqlalchemy import func, select

from hallmon.assessment.models import AssessmentRow


def rows(session) -> int:
    return session.scalar(select(func.count()).select_from(AssessmentRow))


def test_an_item_entered_by_form_is_recorded_and_a_bad_one_explained(login, loaded_contract, session):
    client = login("manager")
    ok = client.post("/assessment/T-1/month/2024-03", data={"item_code": "LG", "item": "离岗", "points": "-1.5",
                                                            "date": "2024-03-12", "note": "10:05 离岗 20 分钟"})
    assert ok.status_code == 302 and rows(session) == 1
    page = client.get("/assessment/T-1/month/2024-03").get_data(as_text=True)
    assert "离岗" in page and "-1.5" in page and "98.5" in page
    bad = client.post("/assessment/T-1/month/2024-03", data={"item_code": "LG", "item": "离岗", "points": "-1",
                                                             "date": "2024-04-02"})
    assert bad.status_code == 422 and "未记入" in bad.get_data(as_text=True)
    assert rows(session) == 1
    assert login("contractor").post("/assessment/T-1/month/2024-03", data={"item_code": "X", "points": "5"}).status_code == 403
