"""rules §10 on every route: role checks (403, never a hidden link), contractor scoping, security headers."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Flask, abort
from flask_login import current_user, login_required

from hallmon.core.errors import Forbidden


def roles_required(*roles: str) -> Callable:
    """Only these roles (admin always included) may call the view; others get 403."""
    allowed = set(roles) | {"admin"}

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapper.allowed_roles = frozenset(allowed)  # type: ignore[attr-defined]
        return wrapper

    return decorate


def contractor_scope(user) -> str | None:
    """The contractor name a user is bound to, or None when the user sees every contract."""
    return user.contractor if user.role == "contractor" else None


def ensure_contract_visible(user, contract) -> None:
    scope = contractor_scope(user)
    if scope is not None and contract.contractor != scope:
        raise Forbidden("无权查看该合同")


_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                               "script-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def init_app(app: Flask) -> None:
    @app.after_request
    def _headers(response):
        for name, value in _HEADERS.items():
            response.headers.setdefault(name, value)
        return response
