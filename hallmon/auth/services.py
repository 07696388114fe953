"""Users: creating them, checking passwords, limiting login attempts (rules §10); their e-mail addresses and what
they (and the group robots) are told about."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from hallmon.auth.models import ROLES, LoginAttempt, Subscription, User
from hallmon.core import labels
from hallmon.core.clock import now
from hallmon.core.errors import Refused

PASSWORD_METHOD = "scrypt"


def add_user(session: Session, username: str, role: str, password: str,
             contractor: str | None = None, email: str | None = None) -> User:
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
    if email is not None:
        set_email(user, email)
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


# ---------------------------------------------------------------- e-mail and subscriptions

EVERY_CONTRACT = "*"
_EMAIL = re.compile(r"[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[^@\s<>,;\"']+")

# What a role is told about until its user chooses: finance the settlements and the spending plan; the centre's
# business office every alert and every new demand; the contractor its demands (new, served, unenforced),
# assessment notices and the answers to its objections. None: every alert kind there is (also kinds added later),
# and new demands.
ROLE_DEFAULTS: dict[str, tuple[str, ...] | None] = {
    "admin": (),
    "manager": None,
    "finance": ("settlement_unverified", "spending_behind"),
    "contractor": ("demand_raised", "notice_served", "demand_unenforced", "notice_overdue", "objection_answered"),
}


def notify_kinds() -> dict[str, str]:
    """Every kind a subscription may name, with its words: the alert kinds (J1) and the events."""
    return {**labels.ALERT_KINDS, **labels.NOTIFY_EVENTS}


Pairs = frozenset[tuple[str, str]]


def default_subscriptions(role: str) -> Pairs:
    kinds = ROLE_DEFAULTS.get(role, ())
    if kinds is None:
        kinds = (*labels.ALERT_KINDS, "demand_raised")
    return frozenset((kind, EVERY_CONTRACT) for kind in kinds)


def set_email(user: User, email: str | None) -> None:
    """An address to send to, or none (blank)."""
    email = (email or "").strip()
    if email and (len(email) > 254 or not _EMAIL.fullmatch(email)):
        raise Refused(f"电子邮件地址无效：{email!r}")
    user.email = email or None


def _checked(pairs: Iterable[tuple[str, str]]) -> Pairs:
    kinds = notify_kinds()
    out = set()
    for kind, contract in pairs:
        if kind not in kinds:
            raise Refused(f"未知的提醒类型 {kind!r}")
        if not contract or len(contract) > 64:
            raise Refused(f"合同编号无效：{contract!r}")
        out.add((kind, contract))
    return frozenset(out)


def subscriptions_of(session: Session, user: User) -> Pairs:
    """(kind, contract) pairs the user is told about: its own choice, or its role's defaults."""
    if not user.notify_custom:
        return default_subscriptions(user.role)
    return frozenset((kind, contract) for kind, contract in session.execute(
        select(Subscription.kind, Subscription.contract).where(Subscription.user_id == user.id)))


def set_subscriptions(session: Session, user: User, pairs: Iterable[tuple[str, str]]) -> None:
    """The user's own choice (maybe nothing at all), in place of the role's defaults. The caller checks that every
    contract named is one the user may see."""
    chosen = _checked(pairs)
    session.execute(delete(Subscription).where(Subscription.user_id == user.id))
    session.add_all(Subscription(user_id=user.id, kind=k, contract=c) for k, c in sorted(chosen))
    user.notify_custom = True


def reset_subscriptions(session: Session, user: User) -> None:
    """Back to the role's defaults."""
    session.execute(delete(Subscription).where(Subscription.user_id == user.id))
    user.notify_custom = False


def robot_subscriptions(session: Session) -> dict[str, Pairs]:
    """Every group robot named in a subscription, with its (kind, contract) pairs."""
    out: dict[str, set[tuple[str, str]]] = {}
    for robot, kind, contract in session.execute(select(Subscription.robot, Subscription.kind, Subscription.contract)
                                                 .where(Subscription.robot.is_not(None))):
        out.setdefault(robot, set()).add((kind, contract))
    return {robot: frozenset(pairs) for robot, pairs in sorted(out.items())}


def set_robot_subscriptions(session: Session, robot: str, pairs: Iterable[tuple[str, str]]) -> None:
    """What one group robot (a name of the notification config) posts to its group."""
    robot = robot.strip()
    if not robot or len(robot) > 100:
        raise Refused(f"群机器人名称无效：{robot!r}")
    chosen = _checked(pairs)
    session.execute(delete(Subscription).where(Subscription.robot == robot))
    session.add_all(Subscription(robot=robot, kind=k, contract=c) for k, c in sorted(chosen))
