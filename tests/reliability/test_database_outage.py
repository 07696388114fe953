"""The database going away: the user gets a clear Chinese page (503), never a traceback, and the next request
after the database is back works again."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from hallmon.db import normalise_url

REFUSING = "postgresql+psycopg://hallmon@127.0.0.1:1/hallmon?connect_timeout=2"   # nothing listens on port 1
CLEAR = "数据库连接中断或不可用"


def logged_in_cookie(login) -> str:
    return login("manager").get_cookie("session").value


def as_logged_in(app, cookie: str):
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client


def assert_clear_page(response) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 503, page[:500]
    assert CLEAR in page and "Traceback" not in page and "sqlalchemy" not in page.lower()
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("production", [False, True], ids=["testing", "production"])
def test_a_server_that_refuses_connections_gives_the_clear_page(make_app, login, production):
    cookie = logged_in_cookie(login)
    broken = make_app(DATABASE_URL=REFUSING, TESTING=not production, PROPAGATE_EXCEPTIONS=not production)
    assert_clear_page(as_logged_in(broken, cookie).get("/dashboard"))
    assert_clear_page(broken.test_client().post("/login", data={"username": "manager", "password": "x"}))
    assert broken.test_client().get("/login").status_code == 200     # a page without the database still works


def test_an_empty_sqlite_file_in_place_of_the_database_gives_the_clear_page(make_app, login, tmp_path):
    cookie = logged_in_cookie(login)
    broken = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'gone.sqlite3'}")
    assert_clear_page(as_logged_in(broken, cookie).get("/settlements/"))


def test_a_damaged_sqlite_file_gives_the_clear_page(make_app, login, tmp_path):
    cookie = logged_in_cookie(login)
    path = tmp_path / "damaged.sqlite3"
    path.write_bytes(b"this is not a database" * 200)
    broken = make_app(DATABASE_URL=f"sqlite:///{path}")
    assert_clear_page(as_logged_in(broken, cookie).get("/dashboard"))


def _admin(db_url: str):
    return create_engine(normalise_url(os.environ["HALLMON_TEST_DATABASE_URL"]), poolclass=NullPool)


def test_a_connection_killed_in_the_middle_of_a_request_gives_the_clear_page_then_recovers(
        backend, app, login, loaded_contract):
    if backend != "postgresql":
        pytest.skip("a server that terminates a connection is PostgreSQL's case")
    client = login("manager")
    engine = app.extensions["hallmon.db"].engine
    admin = _admin(str(engine.url))
    killed = []

    def kill_on_contracts(conn, cursor, statement, parameters, context, executemany):
        # the first query of the page after the user is loaded: the server drops this connection under it
        if not killed and "FROM contract" in statement:
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
            with admin.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            killed.append(pid)

    event.listen(engine, "before_cursor_execute", kill_on_contracts)
    try:
        assert_clear_page(client.get("/dashboard"))
        assert killed
    finally:
        event.remove(engine, "before_cursor_execute", kill_on_contracts)
        admin.dispose()
    again = client.get("/dashboard")
    assert again.status_code == 200 and "T-1" in again.get_data(as_text=True)


def test_a_dropped_schema_gives_the_clear_page(backend, make_app, login, db_url, tmp_path):
    """The application's schema removed under a running app (a restore gone wrong)."""
    if backend != "postgresql":
        pytest.skip("schemas are PostgreSQL's")
    from hallmon.migrate import upgrade

    cookie = logged_in_cookie(login)
    schema = f"hm_gone_{os.getpid()}"
    admin = _admin(db_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(normalise_url(os.environ["HALLMON_TEST_DATABASE_URL"])).update_query_dict(
        {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    try:
        gone = make_app(DATABASE_URL=url)
        upgrade(gone.extensions["hallmon.db"].engine)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        assert_clear_page(as_logged_in(gone, cookie).get("/dashboard"))
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
