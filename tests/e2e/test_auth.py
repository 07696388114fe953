"""Logging in: Chinese pages, hashed passwords, CSRF, rate limits, safe cookies and headers (rules §10)."""
import re

import pytest

from tests.factories import terms_toml


def test_the_login_page_is_in_chinese(app):
    page = app.test_client().get("/login").get_data(as_text=True)
    assert "登录" in page and "用户名" in page and "密码" in page


def test_pages_need_a_login(app):
    response = app.test_client().get("/dashboard")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_wrong_password_is_refused(app, users):
    response = app.test_client().post("/login", data={"username": "manager", "password": "nope"})
    assert response.status_code == 401 and "用户名或密码错误" in response.get_data(as_text=True)


@pytest.mark.parametrize("role, heading", [
    ("manager", "业务科室工作台"), ("finance", "财务核验工作台"),
    ("contractor", "服务单位工作台"), ("admin", "系统管理"),
])
def test_each_role_lands_on_its_own_dashboard(login, role, heading):
    page = login(role).get("/dashboard").get_data(as_text=True)
    assert heading in page


def test_a_contractor_sees_only_its_own_contracts(login, cli, terms_file, tmp_path):
    cli("contract", "load", terms_file)
    other = tmp_path / "other.toml"
    other.write_text(terms_toml(code="T-2", contractor="别家劳务公司"), encoding="utf-8")
    cli("contract", "load", other)
    page = login("contractor").get("/dashboard").get_data(as_text=True)
    assert "T-1" in page and "T-2" not in page
    assert "T-2" in login("manager").get("/dashboard").get_data(as_text=True)


def test_logging_out_needs_a_post(login):
    client = login("manager")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_logins_are_limited_after_five_failures(app, users):
    client = app.test_client()
    for _ in range(5):
        assert client.post("/login", data={"username": "finance", "password": "bad"}).status_code == 401
    blocked = client.post("/login", data={"username": "finance", "password": users["finance"]})
    assert blocked.status_code == 429 and "登录失败次数过多" in blocked.get_data(as_text=True)


def test_a_form_without_its_csrf_token_is_refused(make_app, users):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    assert client.post("/login", data={"username": "manager", "password": users["manager"]}).status_code == 400
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    ok = client.post("/login", data={"username": "manager", "password": users["manager"], "csrf_token": token})
    assert ok.status_code == 302


def test_session_cookies_are_httponly_and_samesite(app, users):
    response = app.test_client().post("/login", data={"username": "manager", "password": users["manager"]})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_security_headers_are_set(app):
    headers = app.test_client().get("/login").headers
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in headers["Content-Security-Policy"]


def test_an_unknown_page_is_a_chinese_404(login):
    response = login("manager").get("/no-such-page")
    assert response.status_code == 404 and "页面不存在" in response.get_data(as_text=True)


# ---------------------------------------------------------------- every form, every response


SAMPLE_VALUES = {"code": "T-1", "year": 2024, "month": "2024-03", "period": "2024-03", "staff_id": "A"}


def post_urls(app) -> dict[str, list[str]]:
    """Every POST route of the app as URLs (billing.act once per gate action), by endpoint."""
    from hallmon.billing.gate import ACTION_NAMES

    adapter = app.url_map.bind("localhost")
    urls: dict[str, list[str]] = {}
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        values = [{**SAMPLE_VALUES, "action": a} for a in ACTION_NAMES] if "action" in rule.arguments else [SAMPLE_VALUES]
        urls[rule.endpoint] = [adapter.build(rule.endpoint, {k: v[k] for k in rule.arguments}) for v in values]
    return urls


def csrf_token(client, url: str = "/login") -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_every_post_route_refuses_a_form_without_its_csrf_token_and_writes_nothing(make_app, users, loaded_contract,
                                                                                  session):
    from tests.reliability.dbstate import digest

    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = csrf_token(client)
    assert client.post("/login", data={"username": "manager", "password": users["manager"],
                                       "csrf_token": token}).status_code == 302
    urls = post_urls(app)
    assert {"auth.login", "auth.logout", "uploads.upload", "billing.act", "attendance.waive", "assessment.month",
            "evaluation.index"} <= set(urls)
    before = digest(session)
    wrong = []
    for endpoint, targets in urls.items():
        for url in targets:
            response = client.post(url, data={"kind": "staff", "why": "x"})
            if response.status_code != 400 or "请求有误" not in response.get_data(as_text=True):
                wrong.append((endpoint, url, response.status_code))
    assert wrong == []
    session.expire_all()
    assert digest(session) == before
    # still logged in (logout was refused too), and the same form with the page's token goes through
    assert client.get("/dashboard").status_code == 200
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


def test_passwords_are_stored_as_scrypt_hashes_never_as_text(cli, session):
    from sqlalchemy import select

    from hallmon.auth.models import User

    assert cli("user", "add", "sun", "--role", "finance", "--password", "correct horse").exit_code == 0
    stored = session.scalar(select(User.password_hash).where(User.username == "sun"))
    assert stored.startswith("scrypt:") and "correct horse" not in stored
    assert cli("user", "add", "sun", "--role", "finance", "--password", "correct horse").exit_code == 0
    session.expire_all()
    again = session.scalar(select(User.password_hash).where(User.username == "sun"))
    assert again.startswith("scrypt:") and again != stored          # salted: the same password, another hash


def test_logins_are_limited_per_address_across_user_names(app, users):
    client = app.test_client()
    for name in ("admin", "manager", "finance", "finance2", "contractor"):
        assert client.post("/login", data={"username": name, "password": "guess-123"}).status_code == 401
    blocked = client.post("/login", data={"username": "other", "password": users["other"]})
    assert blocked.status_code == 429


def test_every_kind_of_response_carries_the_security_headers(login, loaded_contract):
    client = login("manager")
    responses = {
        "page": client.get("/dashboard"), "login": client.get("/login"), "404": client.get("/no-such-page"),
        "403": login("contractor").get("/uploads/"), "json": client.get("/assessment/T-1/2024.json"),
        "png": client.get("/charts/scores/T-1/2024.png"), "xlsx": client.get("/evaluation/T-1/2024.xlsx"),
        "static": client.get("/static/hallmon.css"), "redirect": client.get("/"),
    }
    for kind, response in responses.items():
        headers = response.headers
        assert headers.get("X-Content-Type-Options") == "nosniff", kind
        assert headers.get("X-Frame-Options") == "DENY" and "frame-ancestors 'none'" in headers["Content-Security-Policy"], kind
        assert headers.get("Referrer-Policy") == "same-origin", kind
        response.close()
    assert responses["403"].status_code == 403 and responses["xlsx"].status_code == 200
