"""rules §10, object by object: two contractors' halls side by side; every route × role × the other contractor's ids.

A contractor user asking for anything of the other contractor — its contract, a month of it, one of its staff,
its settlement and every gate action on it, its statements, its objection — gets 403 or 404 and changes nothing.
Managers, finance and the administrator reach both halls' objects wherever their role may go. The route table
below names, for every route of the app, the kind of object its URL carries; a route added without a row here
fails the first test.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from hallmon.billing.gate import ACTION_NAMES
from tests.billing_helpers import load_hall, punch_rows
from tests.factories import terms_toml
from tests.reliability.dbstate import digest

OWNER = {"contractor": "B-1", "other": "B-2"}    # test users (tests/conftest.py) and the contract each may see
STAFF_ROLES = ("admin", "manager", "finance")


@dataclass(frozen=True)
class Hall:
    code: str
    staff: str          # a staff_id of its roster
    name: str           # that person's name: must never show on the other contractor's pages
    objection: int      # the id of the open objection on its March settlement
    rejected: str = "" # a rejected-rows file in the instance folder (managers only)
    demand: str = ""    # one of its A8 demands, as the query naming it (staff_id, reason, raised_on)


@dataclass(frozen=True)
class Route:
    """How to build a URL of one route naming one hall's object; `kind` is the kind of id it carries."""
    kind: str                       # none | contract | contract+staff | contract+objection | contract+demand | file
    get: str | None = None          # URL template ({code} {staff} {file} {demand}); None when there is no GET
    post: str | None = None         # URL template of the POST
    form: dict = field(default_factory=dict)


M, Y = "2024-03", "2024"
ROUTES: dict[str, list[Route]] = {
    "static": [Route("none", get="/static/hallmon.css")],
    "auth.login": [Route("none", get="/login")],
    "auth.logout": [Route("none")],                  # logging out names nothing; POST tested in test_auth
    "web.index": [Route("none", get="/")],
    "web.dashboard": [Route("none", get="/dashboard"), Route("contract", get="/dashboard?contract={code}")],
    "web.alerts": [Route("none", get="/alerts")],
    "billing.index": [Route("none", get="/settlements/")],
    "uploads.upload": [Route("none", get="/uploads/")],
    "uploads.rejected": [Route("file", get="/uploads/rejected/{file}")],
    "assessment.year": [Route("contract", get=f"/assessment/{{code}}/{Y}")],
    "assessment.year_json": [Route("contract", get=f"/assessment/{{code}}/{Y}.json")],
    "assessment.month": [Route("contract", get=f"/assessment/{{code}}/month/{M}",
                               post=f"/assessment/{{code}}/month/{M}",
                               form={"item_code": "X", "item": "测试", "points": "-1", "date": "2024-03-05"})],
    "attendance.month": [Route("contract", get=f"/attendance/{{code}}/{M}")],
    "attendance.person": [Route("contract+staff", get=f"/attendance/{{code}}/{M}/{{staff}}")],
    "attendance.demands": [Route("contract", get="/attendance/{code}/demands")],
    "attendance.waive": [Route("contract", post="/attendance/{code}/demands/waive",
                               form={"staff_id": "{staff}", "reason": "monthly_late_early",
                                     "raised_on": "2024-03-01", "why": "越权尝试"})],
    "caseload.index": [Route("contract", get=f"/caseload/{{code}}/{Y}")],
    "complaints.index": [Route("contract", get="/complaints/{code}")],
    "evaluation.index": [Route("contract", get=f"/evaluation/{{code}}/{Y}", post=f"/evaluation/{{code}}/{Y}",
                               form={"indicator": "satisfaction", "value": "95"})],
    "evaluation.export": [Route("contract", get=f"/evaluation/{{code}}/{Y}.xlsx")],
    "billing.detail": [Route("contract", get=f"/settlements/{{code}}/{M}")],
    "billing.statement": [Route("contract", get=f"/settlements/{{code}}/{M}/statement.xlsx"),
                          Route("contract", get=f"/settlements/{{code}}/{M}/statement.html")],
    "billing.report": [Route("contract", get=f"/settlements/{{code}}/{M}/report")],
    "billing.act": [Route("contract+objection", post=f"/settlements/{{code}}/{M}/{action}", form=form)
                    for action, form in (
                        ("submit", {}), ("verify", {}), ("suspend", {"why": "越权尝试"}),
                        ("object", {"line": "assessment", "text": "越权尝试"}),
                        ("answer", {"objection": "{objection}", "decision": "reject", "why": "越权尝试"}),
                        ("approve", {}),
                        ("pay", {"voucher": "记-1", "paid_on": "2024-04-20", "amount": "1.00"}))],
    "web.scores_chart": [Route("contract", get=f"/charts/scores/{{code}}/{Y}.png")],
    "web.attendance_chart": [Route("contract", get=f"/charts/attendance/{{code}}/{M}.png")],
    "web.caseload_chart": [Route("contract", get=f"/charts/caseload/{{code}}/{M}.png")],
    "web.acknowledge": [Route("none")],             # an alert id in the form; contractors are refused by role
    "notify.subscriptions": [Route("none", get="/account/notifications")],
    "notify.admin": [Route("none", get="/admin/notifications")],
    "notify.message": [Route("none")],              # the administrator's only
    "notify.robots": [Route("none")],
    "notify.notice": [Route("contract+demand", get="/attendance/{code}/demands/notice?{demand}")],
    "notify.notice_served": [Route("contract+demand", post="/attendance/{code}/demands/notice/served",
                                   form={"staff_id": "{staff}", "reason": "complaints", "raised_on": "2024-03-21",
                                         "served_on": "2024-03-22", "how": "mail"})],
    "notify.notice_acknowledge": [Route("contract+demand", post="/attendance/{code}/demands/notice/acknowledge",
                                        form={"staff_id": "{staff}", "reason": "monthly_late_early",
                                              "raised_on": "2024-03-01"})],
}
assert {r.post.rsplit("/", 1)[1] for r in ROUTES["billing.act"]} == set(ACTION_NAMES)


def every_route():
    """Every route of ROUTES, endpoint by endpoint."""
    for routes in ROUTES.values():
        yield from routes


# requests each test makes (docs/reliability.md quotes them): every id-carrying GET and POST of the other hall
# plus three mixed ones; every id-carrying GET of both halls plus two mixed ones
REFUSALS_CHECKED = sum((r.get is not None) + (r.post is not None) for r in every_route()
                       if r.kind != "none") + 3
STAFF_VIEWS_CHECKED = 2 * sum(r.get is not None for r in every_route() if r.kind != "none") + 2

SECOND_HALL = {
    "terms": terms_toml(code="B-2", name="别家窗口服务", contractor="别家劳务公司", total_fee="360000.00", headcount=1),
    "staff": "工号,姓名,合同编号,科室,窗口,入职日期\nC,欧阳秀英,B-2,受理科,C01,2020-01-01\n",
    "assessment": ("合同编号,月份,项目代码,考核项目,分值,工号,日期\n"
                   "B-2,2024-03,DRESS,着装仪容,-15,C,2024-03-12\n"),
    "notices": "合同编号,月份,通报日期\nB-2,2024-03,2024-04-08\n",
    "complaints": ("编号,合同编号,渠道,类型,类别,收件日期,是否属实,工号,摘要\n"
                   "X-1,B-2,petition,,personnel,2024-03-04,是,C,欧阳秀英窗口态度\n"
                   "X-2,B-2,onsite,,personnel,2024-03-20,是,C,欧阳秀英擅自离岗\n"),   # A8: C's demand of 21 March
    "caseload": "contract,date,department,window,business,count\nB-2,2024-03-04,受理科,C01,转移登记,40\n",
}


def _cli_ok(cli, *args):
    result = cli(*args)
    assert result.exit_code == 0, (args, result.stderr)
    return result


def _settlement_with_objection(cli, code: str, report: Path, contractor_user: str) -> int:
    _cli_ok(cli, "gate", "submit", code, "--month", M, "--user", "wang", "--report", report)
    _cli_ok(cli, "gate", "verify", code, "--month", M, "--user", "li")
    done = _cli_ok(cli, "gate", "object", code, "--month", M, "--user", contractor_user, "--line", "assessment",
                   "--text", "该扣分有误", "--json")
    return done.json()["objection"]


@pytest.fixture
def halls(cli, app, users, tmp_path) -> dict[str, Hall]:
    """B-1 (测试人力资源有限公司, user `contractor`) and B-2 (别家劳务公司, user `other`), each with a settlement
    submitted, verified and objected to, complaints, caseload and a rejected-rows file."""
    (tmp_path / "b1").mkdir()
    first = load_hall(cli, tmp_path / "b1")
    second = tmp_path / "b2"
    second.mkdir()
    for name, text in SECOND_HALL.items():
        (second / f"{name}.csv").write_text(text, encoding="utf-8")
    (second / "terms.toml").write_text(SECOND_HALL["terms"], encoding="utf-8")
    punches = second / "punches.csv"
    punches.write_text("staff_id,time\n" + "\n".join(punch_rows("C", dt.date(2024, 3, 1), dt.date(2024, 3, 31)))
                       + "\n", encoding="utf-8")
    _cli_ok(cli, "contract", "load", second / "terms.toml")
    for kind in ("staff", "punches", "assessment", "notices", "complaints", "caseload"):
        _cli_ok(cli, "ingest", kind, punches if kind == "punches" else second / f"{kind}.csv")
    first_caseload = tmp_path / "b1" / "caseload.csv"
    first_caseload.write_text("contract,date,department,window,business,count\nB-1,2024-03-04,受理科,A01,转移登记,40\n",
                              encoding="utf-8")
    _cli_ok(cli, "ingest", "caseload", first_caseload)
    _cli_ok(cli, "user", "add", "co2", "--role", "contractor", "--contractor", "别家劳务公司", "--password", "co2-password")
    rejected = Path(app.instance_path) / "rejected"
    rejected.mkdir(parents=True, exist_ok=True)
    for code in ("B-1", "B-2"):
        (rejected / f"{code}-punches.rejected.csv").write_text("line,column,message\n", encoding="utf-8")
    return {
        "B-1": Hall("B-1", "A", "张伟", _settlement_with_objection(cli, "B-1", first["report"], "co"),
                    "B-1-punches.rejected.csv", "staff_id=A&reason=monthly_late_early&raised_on=2024-03-01"),
        "B-2": Hall("B-2", "C", "欧阳秀英", _settlement_with_objection(cli, "B-2", first["report"], "co2"),
                    "B-2-punches.rejected.csv", "staff_id=C&reason=complaints&raised_on=2024-03-21"),
    }


def fill(template: str, hall: Hall) -> str:
    return template.format(code=hall.code, staff=hall.staff, file=hall.rejected, objection=hall.objection,
                           demand=hall.demand)


def requests_for(route: Route, hall: Hall) -> list[tuple[str, str, dict]]:
    out = []
    if route.get:
        out.append(("GET", fill(route.get, hall), {}))
    if route.post:
        out.append(("POST", fill(route.post, hall), {k: fill(v, hall) for k, v in route.form.items()}))
    return out


def send(client, method: str, url: str, form: dict):
    """The response, read and closed (a file download keeps its file open until closed)."""
    response = client.get(url) if method == "GET" else client.post(url, data=form)
    response.get_data()
    response.close()
    return response


def allowed_roles(app, endpoint: str) -> frozenset[str] | None:
    """The roles the view's decorator lets in (None: any logged-in user)."""
    return getattr(app.view_functions[endpoint], "allowed_roles", None)


def test_every_route_of_the_app_has_a_row_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(ROUTES) == set(), "routes without an IDOR case: add them to ROUTES"
    assert set(ROUTES) - endpoints == set(), "rows for routes that no longer exist"
    for endpoint, routes in ROUTES.items():
        methods = set().union(*(r.methods for r in app.url_map.iter_rules(endpoint=endpoint))) - {"HEAD", "OPTIONS"}
        named = {"GET"} if any(r.get for r in routes) else set()
        named |= {"POST"} if any(r.post for r in routes) else set()
        if any(r.kind != "none" for r in routes):   # a route carrying an id is tried with each of its methods
            assert methods == named, (endpoint, methods, named)


def test_a_contractor_gets_403_or_404_for_every_object_of_the_other_contractor_and_changes_nothing(
        app, login, halls, session):
    before = digest(session, exclude=("login_attempt", "app_user"))
    wrong, checked = [], 0
    for intruder, own_code in OWNER.items():
        client = login(intruder)
        own = halls[own_code]
        theirs = halls[next(code for code in halls if code != own.code)]
        for route in every_route():
            if route.kind == "none":
                continue
            for method, url, form in requests_for(route, theirs):
                status = send(client, method, url, form).status_code
                checked += 1
                if status not in (403, 404):
                    wrong.append((intruder, method, url, status))
        # the other's ids inside the contractor's own URLs: a staff member, an objection
        mixed = [("GET", f"/attendance/{own.code}/{M}/{theirs.staff}", {}),
                 ("POST", f"/settlements/{own.code}/{M}/answer",
                  {"objection": str(theirs.objection), "decision": "reject", "why": "越权尝试"}),
                 ("GET", f"/attendance/{own.code}/demands/notice?{theirs.demand}", {})]
        for method, url, form in mixed:
            status = send(client, method, url, form).status_code
            checked += 1
            if status not in (403, 404):
                wrong.append((intruder, method, url, status))
    assert wrong == []
    session.expire_all()
    assert digest(session, exclude=("login_attempt", "app_user")) == before, "a refused request wrote something"
    assert checked == 2 * REFUSALS_CHECKED


def test_pages_without_an_id_show_a_contractor_nothing_of_the_other(app, login, halls):
    for viewer, own_code in OWNER.items():
        client = login(viewer)
        own = halls[own_code]
        theirs = halls[next(code for code in halls if code != own.code)]
        for route in every_route():
            if route.kind != "none" or not route.get:
                continue
            response = send(client, "GET", route.get, {})
            page = response.get_data(as_text=True) if response.mimetype.startswith("text/") else ""
            assert theirs.code not in page and theirs.name not in page, (viewer, route.get, response.status_code)
        # and its own hall is there, so the check above looked at real pages
        assert own.code in send(client, "GET", "/dashboard", {}).get_data(as_text=True)


def test_managers_finance_and_the_administrator_reach_both_halls_wherever_their_role_may_go(app, login, halls,
                                                                                             session):
    from hallmon.billing.models import Objection

    wrong, checked = [], 0
    for role in STAFF_ROLES:
        client = login(role)
        for endpoint, routes in ROUTES.items():
            roles = allowed_roles(app, endpoint)
            for route in routes:
                if route.kind == "none" or not route.get:
                    continue
                for hall in halls.values():
                    url = fill(route.get, hall)
                    status = send(client, "GET", url, {}).status_code
                    checked += 1
                    expected = 200 if roles is None or role in roles else 403
                    if status != expected:
                        wrong.append((role, url, status, expected))
        # the other hall's staff member inside this hall's URL is nobody's page
        for hall, other in ((halls["B-1"], halls["B-2"]), (halls["B-2"], halls["B-1"])):
            status = send(client, "GET", f"/attendance/{hall.code}/{M}/{other.staff}", {}).status_code
            checked += 1
            if status != 404:
                wrong.append((role, hall.code, other.staff, status, 404))
    assert wrong == []
    assert checked == len(STAFF_ROLES) * STAFF_VIEWS_CHECKED
    # a manager answering B-2's objection through B-1's settlement answers nothing
    response = send(login("manager"), "POST", f"/settlements/B-1/{M}/answer",
                    {"objection": str(halls["B-2"].objection), "decision": "reject", "why": "串号"})
    assert response.status_code in (302, 400, 403, 404)
    session.expire_all()
    assert session.get(Objection, halls["B-2"].objection).status == "open"
    assert session.get(Objection, halls["B-1"].objection).status == "open"
