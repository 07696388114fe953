"""Error pages in Chinese; a database that went away gives a clear page, not a traceback."""
from __future__ import annotations

from flask import Flask, render_template
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from hallmon.errors import Forbidden, NotFound, Refused

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

    @app.errorhandler(OperationalError)
    def _database(exc: OperationalError):
        app.logger.error("database unavailable: %s", exc)
        return page(503, "数据库连接中断或不可用，请稍后重试；您的操作没有被部分写入。")
