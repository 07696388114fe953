"""Extension objects, bound to an app by create_app: the database, the login manager, CSRF."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, g
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from hallmon.db import make_engine, session_factory


@dataclass
class AppDatabase:
    """One app's engine and session factory (several apps may live in one process, as in tests)."""

    engine: Engine
    factory: sessionmaker[Session]


class Database:
    """The database of the current app; one session per request, closed when the request ends."""

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"], **app.config.get("ENGINE_OPTIONS", {}))
        app.extensions["hallmon.db"] = AppDatabase(engine, session_factory(engine))
        app.teardown_appcontext(self._close)

    @staticmethod
    def of(app: Flask) -> AppDatabase:
        return app.extensions["hallmon.db"]

    @property
    def engine(self) -> Engine:
        return self.of(current_app).engine

    @property
    def factory(self) -> sessionmaker[Session]:
        return self.of(current_app).factory

    @property
    def session(self) -> Session:
        if "db_session" not in g:
            g.db_session = self.factory()
        return g.db_session

    @staticmethod
    def _close(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


db = Database()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "请先登录"
login_manager.session_protection = "strong"
csrf = CSRFProtect()
