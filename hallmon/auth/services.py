"""Users: creating them, checking passwords, limiting login attempts (rules §10)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from hallmon.auth.models import ROLES, LoginAttempt, User
from hallmon.core.clock import now
from hallmon.core.errors import Refused

PASSWORD_METHOD = "scrypt"


def add_user(session: Session, username: str, role: str, password: str,
             contractor: str | None = None) -> User:
    """Create a user, or reset the password and role of an existing one."""
    username = username.strip()
    if not username:
        raise Refused("用户名不能为空")
    if role not in ROLES:
        raise Refused(f"未知角色 {role!r}（可用：{'、'.join(ROLES)}）")
    if role == "contractor" and not (contractor or "").strip():
        raise Refused("服务单位用户必须用 --contractor 指定所属服务单位名称")
    if role != "contractor" and contractor:
        raise Refused("只有服务单位（contractor）用户才绑定服务单位")
    if len(password) < 8:
        raise Refused("密码至少 8 位")
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, created_at=now())
        session.add(user)
    user.role = role
    user.contractor = contractor.strip() if contractor else None
    user.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)
    user.active = True
    return user


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def recent_failures(session: Session, username: str, address: str, window: dt.timedelta,
                    now: dt.datetime) -> int:
    since = now - window
    return session.scalar(
        select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.at >= since,
            (LoginAttempt.username == username) | (LoginAttempt.address == address),
        )
    ) or 0


class TooManyAttempts(Refused):
    pass


def authenticate(session: Session, username: str, password: str, address: str,
                 limit: int, window_seconds: int, at: dt.datetime | None = None) -> User | None:
    """A user when the password matches; failures are counted and, past the limit, refused outright."""
    at = at or now()
    window = dt.timedelta(seconds=window_seconds)
    if recent_failures(session, username, address, window, at) >= limit:
        raise TooManyAttempts(f"登录失败次数过多，请 {window_seconds // 60} 分钟后再试")
    user = session.scalar(select(User).where(User.username == username))
    ok = user is not None and user.active and check_password_hash(user.password_hash, password)
    if ok:
        session.execute(delete(LoginAttempt).where(LoginAttempt.username == username))
    else:
        session.add(LoginAttempt(username=username[:100], address=address[:64], at=at))
    return user if ok else None
