"""The minimal assessment web view: the scores document as JSON, and rules §10 scoping (403 for other contractors)."""
from tests.assessment_helpers import assessment_file, ingest


def test_the_year_document_is_served_to_its_contractor_and_refused_to_another(app, login, cli, loaded_contract,
                                                                              tmp_path):
    ingest(cli, tmp_path, "assessment", "a.csv", assessment_file("T-1,2024-03,LG,离岗,-1.5,,,,"))
    expected = cli("assessment", "scores", "T-1", "--year", "2024", "--as-of", "2024-05-01", "--json").json()
    for user in ("manager", "contractor"):
        response = login(user).get("/assessment/T-1/2024.json?as_of=2024-05-01")
        assert response.status_code == 200
        assert response.get_json() == expected
    assert login("other").get("/assessment/T-1/2024.json").status_code == 403
    assert login("manager").get("/assessment/T-1/2024.json?as_of=tomorrow").status_code == 400
    assert login("manager").get("/assessment/NOPE/2024.json").status_code == 404
