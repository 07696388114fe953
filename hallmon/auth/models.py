"""Users with one role each; a contractor user is bound to one contractor name (rules §10)."""
from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from hallmon.db import Base

ROLES = ("admin", "manager", "finance", "contractor")
ROLE_NAMES = {"admin": "系统管理员", "manager": "中心业务科室", "finance": "财务科室", "contractor": "服务单位"}


class User(UserMixin, Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    contractor: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    email: Mapped[str | None] = mapped_column(String(254))
    # False: the role's default subscriptions apply; True: the user's own (rows of `subscription`, maybe none)
    notify_custom: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role, self.role)


class LoginAttempt(Base):
    """Failed logins, for rate limiting by user name and address."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class Subscription(Base):
    """One subscription: a user (by e-mail) or a group robot (named in the notification config) is told about one
    kind of alert or event of one contract, or of every contract it may see (`contract` = "*")."""

    __tablename__ = "subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    robot: Mapped[str | None] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    contract: Mapped[str] = mapped_column(String(64))
