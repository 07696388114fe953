"""rules §10 on every route: each role is served or refused with 403, whatever URL is typed."""
import pytest

from tests.billing_helpers import load_hall

ALL = {"admin", "manager", "finance", "contractor"}
VIEWERS = {"admin", "manager", "finance", "contractor"}
OFFICE = {"admin", "manager"}
STAFF_ROLES = {"admin", "manager", "finance"}

GET_ROUTES = [
    ("/dashboard", ALL),
    ("/alerts", STAFF_ROLES),
    ("/uploads/", OFFICE),
    ("/settlements/", VIEWERS),
    ("/settlements/B-1/2024-03", VIEWERS),
    ("/settlements/B-1/2024-03/statement.xlsx", VIEWERS),
    ("/settlements/B-1/2024-03/statement.html", VIEWERS),
    ("/attendance/B-1/2024-03", VIEWERS),
    ("/attendance/B-1/2024-03/A", VIEWERS),
    ("/attendance/B-1/demands", VIEWERS),
    ("/assessment/B-1/2024", VIEWERS),
    ("/assessment/B-1/2024.json", VIEWERS),
    ("/assessment/B-1/month/2024-03", VIEWERS),
    ("/complaints/B-1", OFFICE),
    ("/caseload/B-1/2024", OFFICE),
    ("/charts/scores/B-1/2024.png", ALL),
    ("/charts/attendance/B-1/2024-03.png", ALL),
    ("/charts/caseload/B-1/2024-03.png", OFFICE),
    ("/evaluation/B-1/2024", STAFF_ROLES),
    ("/evaluation/B-1/2024.xlsx", STAFF_ROLES),
]
POST_ROUTES = [
    ("/uploads/", OFFICE, {"kind": "staff"}),
    ("/settlements/B-1/2024-03/approve", VIEWERS, {}),   # any viewer may try; the gate refuses (flash) or 403s
    ("/attendance/B-1/demands/waive", OFFICE, {"staff_id": "A", "reason": "no_signin", "raised_on": "x", "why": "w"}),
    ("/assessment/B-1/month/2024-03", OFFICE, {"item_code": "X", "points": "-1"}),
    ("/evaluation/B-1/2024", OFFICE, {"indicator": "satisfaction", "value": "95"}),
]


@pytest.fixture
def hall(cli, tmp_path, users):
    load_hall(cli, tmp_path)
    cli("ingest", "caseload", _caseload(tmp_path))


def _caseload(tmp_path):
    path = tmp_path / "caseload.csv"
    path.write_text("contract,date,department,window,business,count\nB-1,2024-03-04,受理科,A01,转移登记,40\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("role", ["admin", "manager", "finance", "contractor"])
def test_every_page_serves_its_roles_and_refuses_the_rest(login, hall, role):
    client = login(role)
    wrong = []
    for url, allowed in GET_ROUTES:
        status = client.get(url).status_code
        if status != (200 if role in allowed else 403):
            wrong.append((url, status))
    assert wrong == []


def test_another_contractor_is_refused_this_contract(login, hall):
    client = login("other")
    wrong = []
    for url, _ in GET_ROUTES:
        status = client.get(url).status_code
        expected = 200 if url in ("/dashboard", "/settlements/") else 403   # its own (empty) lists, else 403
        if status != expected:
            wrong.append((url, status))
    assert wrong == []


def test_every_form_refuses_the_roles_it_does_not_serve(login, hall):
    clients = {role: login(role) for role in ("admin", "manager", "finance", "contractor", "other")}
    wrong = []
    for url, allowed, form in POST_ROUTES:
        for role, client in clients.items():
            status = client.post(url, data=form).status_code
            if (role in allowed) == (status == 403):
                wrong.append((role, url, status))
    assert wrong == []


def test_nobody_logged_out_sees_anything(app, hall):
    client = app.test_client()
    for url, _ in GET_ROUTES:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
