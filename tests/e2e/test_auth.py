"""Logging in: Chinese pages, hashed passwords, CSRF, rate limits, safe cookies and headers (SPEC §10)."""
import re

import pytest


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
    other.write_text(terms_file.read_text(encoding="utf-8").replace('code = "T-1"', 'code = "T-2"')
                     .replace("测试人力资源有限公司", "别家劳务公司"), encoding="utf-8")
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
