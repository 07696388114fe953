"""Fixtures: databases on SQLite always and PostgreSQL when HALLMON_TEST_DATABASE_URL is set; the CLI in-process."""
from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from tests.factories import terms_toml
from tests.reliability.figures import FOLDER_ENV, gathered

PG_ENV = "HALLMON_TEST_DATABASE_URL"
BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture(autouse=True)
def _instance(tmp_path, monkeypatch):
    """Every test gets its own instance folder and no inherited database URL."""
    monkeypatch.setenv("HALLMON_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("HALLMON_DATABASE_URL", raising=False)


@pytest.fixture
def backend(request):
    if request.param == "postgresql" and not os.environ.get(PG_ENV):
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (set by .ci/run when PostgreSQL answers)")
    return request.param


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    from hallmon.db import make_engine
    from hallmon.migrate import upgrade

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_schema_url():
    """One private schema for this test session, migrated once; dropped at the end."""
    base = os.environ.get(PG_ENV)
    if not base:
        yield None
        return
    from hallmon.db import make_engine, normalise_url
    from hallmon.migrate import upgrade

    schema = f"hm_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalise_url(base), poolclass=NullPool)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(normalise_url(base)).update_query_dict({"options": f"-csearch_path={schema}"})
    url_text = url.render_as_string(hide_password=False)
    engine = make_engine(url_text)
    upgrade(engine)
    engine.dispose()
    yield url_text
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _truncate_all(url: str) -> None:
    import hallmon.models  # noqa: F401
    from hallmon.db import Base, make_engine

    engine = make_engine(url)
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def db_url(backend, tmp_path, sqlite_template, pg_schema_url) -> str:
    """A migrated, empty database of the parametrised backend."""
    if backend == "sqlite":
        path = tmp_path / "hallmon.sqlite3"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    _truncate_all(pg_schema_url)
    return pg_schema_url


@pytest.fixture
def engine(db_url):
    from hallmon.db import make_engine

    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    from hallmon.db import session_factory

    session = session_factory(engine)()
    yield session
    session.close()


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        import json

        return json.loads(self.stdout)


@pytest.fixture
def cli(db_url):
    """Run `hallmon …` in-process against the test database; --db is added unless given."""
    from hallmon.cli import main

    def run(*args: str, db: bool = True) -> CliResult:
        argv = [str(a) for a in args]
        if db and "--db" not in argv:
            argv = ["--db", db_url, *argv]
        result = CliRunner().invoke(main, argv, catch_exceptions=False)
        return CliResult(result.exit_code, result.stdout, result.stderr)

    return run


DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def terms_file(tmp_path) -> Path:
    path = tmp_path / "t1.toml"
    path.write_text(terms_toml(), encoding="utf-8")
    return path


@pytest.fixture
def loaded_contract(cli, terms_file) -> str:
    result = cli("contract", "load", terms_file)
    assert result.exit_code == 0, result.stderr
    return "T-1"


def pytest_configure(config):
    """The controller names a folder for the reliability figures each xdist worker leaves."""
    if not hasattr(config, "workerinput") and FOLDER_ENV not in os.environ:
        os.environ[FOLDER_ENV] = tempfile.mkdtemp(prefix="hallmon-figures-")


def pytest_terminal_summary(terminalreporter):
    """The reliability figures; skips grouped by reason, so that a missing PostgreSQL or Chromium is said once."""
    figures = gathered()
    if figures:
        terminalreporter.write_line(
            "reliability figures: " + ", ".join(f"{k}={v}" for k, v in sorted(figures.items())))
    reasons: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        reasons[reason] = reasons.get(reason, 0) + 1
    for reason, count in sorted(reasons.items()):
        terminalreporter.write_line(f"SKIPPED ×{count}: {reason}")


@pytest.fixture
def make_app(db_url):
    """Apps on the test database with config overrides; their engines are disposed afterwards."""
    from hallmon import create_app
    from hallmon.config import TestConfig

    made = []

    def build(**overrides):
        app = create_app(type("Config", (TestConfig,), {"DATABASE_URL": db_url, **overrides}))
        made.append(app)
        return app

    yield build
    for app in made:
        app.extensions["hallmon.db"].engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


TEST_USERS = (("admin", "admin", None), ("manager", "manager", None), ("finance", "finance", None),
              ("finance2", "finance", None), ("contractor", "contractor", "测试人力资源有限公司"),
              ("other", "contractor", "别家劳务公司"))


@pytest.fixture(scope="session")
def _password_hashes():
    """scrypt is slow on purpose; hash the test passwords once per run."""
    from werkzeug.security import generate_password_hash

    return {name: generate_password_hash(f"{name}-password", method="scrypt") for name, _, _ in TEST_USERS}


@pytest.fixture
def users(app, _password_hashes):
    """One user per role (and a second finance officer and contractor), with known passwords."""
    import datetime as dt

    from hallmon.auth.models import User
    from hallmon.extensions import db

    with app.app_context():
        session = db.factory()
        for name, role, contractor in TEST_USERS:
            session.add(User(username=name, role=role, contractor=contractor, active=True,
                             password_hash=_password_hashes[name], created_at=dt.datetime(2024, 1, 1)))
        session.commit()
        session.close()
    return {name: f"{name}-password" for name, _, _ in TEST_USERS}


@pytest.fixture
def login(app, users):
    def as_user(name: str):
        client = app.test_client()
        response = client.post("/login", data={"username": name, "password": users[name]})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return as_user


@dataclass
class DemoBuild:
    url: str
    workdir: Path
    output: str


def _build_demo(url: str, instance: Path) -> DemoBuild:
    from hallmon.cli import main

    saved = os.environ.get("HALLMON_INSTANCE_PATH")
    os.environ["HALLMON_INSTANCE_PATH"] = str(instance)
    try:
        result = CliRunner().invoke(main, ["demo", "--no-serve", "--seed", "2024", "--db", url], catch_exceptions=False)
    finally:
        if saved is None:
            os.environ.pop("HALLMON_INSTANCE_PATH", None)
        else:
            os.environ["HALLMON_INSTANCE_PATH"] = saved
    assert result.exit_code == 0, result.stderr
    return DemoBuild(url, instance / "demo", result.stdout)


@pytest.fixture(scope="session")
def _demo_builds(tmp_path_factory):
    """The demo hall is built at most once per backend per test run; it takes a quarter of a minute."""
    builds: dict[str, DemoBuild] = {}
    schemas: list[str] = []
    yield builds, schemas, tmp_path_factory
    if schemas:
        from hallmon.db import normalise_url

        admin = create_engine(normalise_url(os.environ[PG_ENV]), poolclass=NullPool)
        with admin.begin() as conn:
            for schema in schemas:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def demo(backend, _demo_builds, tmp_path) -> DemoBuild:
    """The built demo hall, to read: a private copy on SQLite, a shared schema on PostgreSQL (do not write to it)."""
    builds, schemas, factory = _demo_builds
    if backend not in builds:
        instance = factory.mktemp(f"demo-{backend}")
        if backend == "sqlite":
            url = f"sqlite:///{instance / 'demo.sqlite3'}"
        else:
            from hallmon.db import normalise_url

            schema = f"hm_demo_{os.getpid()}_{uuid.uuid4().hex[:8]}"
            admin = create_engine(normalise_url(os.environ[PG_ENV]), poolclass=NullPool)
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            admin.dispose()
            schemas.append(schema)
            url = make_url(normalise_url(os.environ[PG_ENV])).update_query_dict(
                {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
        builds[backend] = _build_demo(url, instance)
        if backend == "sqlite":
            from hallmon.db import make_engine

            engine = make_engine(url)
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
    build = builds[backend]
    if backend == "sqlite":
        copy = tmp_path / "demo.sqlite3"
        shutil.copy(build.url.removeprefix("sqlite:///"), copy)
        return DemoBuild(f"sqlite:///{copy}", build.workdir, build.output)
    return build


@pytest.fixture
def demo_cli(demo):
    """`hallmon …` against the demo hall."""
    from hallmon.cli import main

    def run(*args: str) -> CliResult:
        result = CliRunner().invoke(main, ["--db", demo.url, *[str(a) for a in args]], catch_exceptions=False)
        return CliResult(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def demo_session(demo):
    from hallmon.db import make_engine, session_factory

    engine = make_engine(demo.url)
    session = session_factory(engine)()
    yield session
    session.close()
    engine.dispose()
