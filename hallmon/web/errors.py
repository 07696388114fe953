"""Error pages in Chinese; a database that went away gives a clear page, not a traceback."""
from __future__ import annotations

from flask import Flask, g, render_template
from sqlalchemy.exc import DatabaseError, DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from hallmon.core.errors import Forbidden, NotFound, Refused

_TITLES = {
    400: "请求有误", 401: "请先登录", 403: "无权访问", 404: "页面不存在", 405: "不允许的操作",
    413: "文件过大", 429: "请求过于频繁", 500: "服务器内部错误", 503: "数据库暂时不可用",
}


def init_app(app: Flask) -> None:
    def page(status: int, message: str | None = None):
        return render_template("errors/error.html", status=status, title=_TITLES.get(status, "出错了"),
                               message=message), status

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        return page(exc.code or 500, None)

    @app.errorhandler(Forbidden)
    def _forbidden(exc: Forbidden):
        return page(403, exc.message)

    @app.errorhandler(NotFound)
    def _not_found(exc: NotFound):
        return page(404, exc.message)

    @app.errorhandler(Refused)
    def _refused(exc: Refused):
        return page(400, exc.message)

    @app.errorhandler(DBAPIError)
    def _database(exc: DBAPIError):
        if not unavailable(exc):
            raise exc  # a mistake in a query is a 500 like any other, not an outage
        app.logger.error("database unavailable: %s", exc)
        # the page must not ask the database again: the user loader and the header's alert count would
        g._login_user = app.login_manager.anonymous_user()
        return page(503, "数据库连接中断或不可用，请稍后重试；您的操作没有被部分写入。")


def unavailable(exc: DBAPIError) -> bool:
    """The database cannot serve: no connection, a connection lost, a damaged SQLite file, a schema gone."""
    if isinstance(exc, OperationalError | InterfaceError) or exc.connection_invalidated:
        return True
    if type(exc) is DatabaseError:  # SQLite: "file is not a database", "database disk image is malformed"
        return True
    return getattr(exc.orig, "sqlstate", None) in ("42P01", "3F000")  # PostgreSQL: tables or schema gone
