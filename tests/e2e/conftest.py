"""The web app over the built demo hall, with test users of every role added to it."""
import datetime as dt

import pytest

from hallmon.demo.hall import CONTRACTOR

DEMO_USERS = (("t-manager", "manager", None), ("t-finance", "finance", None), ("t-finance2", "finance", None),
              ("t-contractor", "contractor", CONTRACTOR), ("t-other", "contractor", "别家劳务公司"),
              ("t-admin", "admin", None))


@pytest.fixture
def demo_app(demo, make_app, _password_hashes):
    from hallmon import create_app
    from hallmon.auth.models import User
    from hallmon.config import TestConfig

    app = create_app(type("Config", (TestConfig,), {"DATABASE_URL": demo.url}))
    factory = app.extensions["hallmon.db"].factory
    with factory() as session:
        for name, role, contractor in DEMO_USERS:
            if session.query(User).filter_by(username=name).first() is None:
                session.add(User(username=name, role=role, contractor=contractor, active=True,
                                 password_hash=_password_hashes["manager"], created_at=dt.datetime(2024, 1, 1)))
        session.commit()
    yield app
    app.extensions["hallmon.db"].engine.dispose()


@pytest.fixture
def demo_login(demo_app):
    def as_user(role: str):
        client = demo_app.test_client()
        response = client.post("/login", data={"username": f"t-{role}", "password": "manager-password"})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return as_user
