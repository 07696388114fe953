"""The outbox (what was announced, and each message to each recipient with its delivery state) and the replacement
notices served on the contractor."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from hallmon.db import Base


class NotifyStart(Base):
    """Notifications switched on for a contract: by the first daily judgement of its alerts that found it (or
    `hallmon alerts refresh`), which raised what was already due and told nobody. Before it, writes to the contract
    announce nothing: loading a contract's history is not news."""

    __tablename__ = "notify_start"

    contract: Mapped[str] = mapped_column(String(64), primary_key=True)
    as_of: Mapped[dt.date] = mapped_column(Date)
    at: Mapped[dt.datetime] = mapped_column(DateTime)


class Announcement(Base):
    """Something told once: an alert raised (on the date it was raised) or an event (a demand raised, a notice
    served, an objection answered). Written in the transaction of what it announces; the key makes it once."""

    __tablename__ = "announcement"
    __table_args__ = (UniqueConstraint("kind", "subject", "occasion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(200))
    occasion: Mapped[dt.date] = mapped_column(Date)
    contract: Mapped[str] = mapped_column(String(64), index=True)
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alert.id", ondelete="CASCADE"), index=True)
    content: Mapped[dict] = mapped_column(JSON)
    sent_to: Mapped[int] = mapped_column(Integer)    # messages written for it (0: nobody subscribed, or the past)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Message(Base):
    """One message to one recipient (an e-mail address or a group robot's name), delivered at most once: claimed
    ("sending", committed) before it is sent, then "sent"; a failure the server reported is tried again later; a
    claim whose outcome is unknown is "uncertain" and never sent again by itself."""

    __tablename__ = "message"
    __table_args__ = (Index("ix_message_status_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)   # a/<announcement>/<channel>/<recipient>, d/<day>/…
    announcement_id: Mapped[int | None] = mapped_column(ForeignKey("announcement.id", ondelete="CASCADE"),
                                                        index=True)
    digest_on: Mapped[dt.date | None] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(10))       # email | robot
    recipient: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    content: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12))
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[str | None] = mapped_column(String(100))   # who decided on a failed or uncertain message
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ReplacementNotice(Base):
    """更换人员通知书 of one A8 demand, named like its waiver by (staff_id, reason, raised_on): served on the
    contractor (date, how, by whom) and acknowledged by the contractor in the app."""

    __tablename__ = "replacement_notice"
    __table_args__ = (UniqueConstraint("contract_id", "staff_id", "reason", "raised_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"))
    staff_id: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(30))
    raised_on: Mapped[dt.date] = mapped_column(Date)
    served_on: Mapped[dt.date] = mapped_column(Date)
    served_how: Mapped[str] = mapped_column(String(20))
    served_note: Mapped[str | None] = mapped_column(Text)
    served_by: Mapped[str] = mapped_column(String(100))
    served_recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(100))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
