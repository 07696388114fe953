"""Delivering the outbox (the scheduler's delivery job, `hallmon notify deliver`): each message due is claimed in a
transaction of its own, committed before it is sent, and its outcome recorded in another, so that a message is
sent at most once per recipient however many schedulers run and wherever one is killed.

- claim: `pending` → `sending` (attempt + 1, by this worker), a conditional update only one process can win;
- send, outside any transaction;
- record: `sent`; or, when the server refused or could not be reached, `pending` again after a backoff (doubling,
  up to a cap) until the configured number of tries, then `failed`; or `uncertain` when the connection broke after
  the message left. A claim left `sending` past its lease (its process died) becomes `uncertain` too.
- `uncertain` and `failed` messages are never sent again by themselves: the admin page shows them, and an
  administrator resends, confirms or drops each.
"""
from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from hallmon.core.clock import now as clock_now
from hallmon.notify import channels
from hallmon.notify import messages as M
from hallmon.notify.config import NotifyConfig
from hallmon.notify.models import Message
from hallmon.notify.outbox import drop_cleared
from hallmon.uow import unit_of_work


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"[:100]


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    uncertain: int = 0
    dropped: int = 0
    expired: int = 0                  # claims found past their lease (their process died): now uncertain
    down: set[str] = field(default_factory=set)   # destinations that failed in this pass, skipped for its rest


@dataclass(frozen=True)
class Claim:
    id: int
    key: str
    channel: str
    recipient: str
    content: M.Content
    attempt: int


def destination(channel: str, recipient: str) -> str:
    """What fails together: every e-mail goes through the one SMTP server; each robot is its own."""
    return "smtp" if channel == "email" else f"robot:{recipient}"


def expire_leases(session: Session, at: dt.datetime, lease_seconds: int) -> int:
    """Claims older than the lease belong to a process that died mid-send: the message may have arrived."""
    result = session.execute(
        update(Message).where(Message.status == "sending",
                              Message.claimed_at < at - dt.timedelta(seconds=lease_seconds))
        .values(status="uncertain", last_error="发送进程在发送途中中断（可能已送达，未重发）")
        .execution_options(synchronize_session=False))
    return result.rowcount or 0


def claim_next(session: Session, at: dt.datetime, worker: str, report: DeliveryReport) -> Claim | None:
    """The next message due, taken by this worker (committed by the caller before it is sent); None when none is
    due. Two workers asking at once never take the same message: the update is conditional on `pending`."""
    postgres = session.get_bind().dialect.name == "postgresql"
    skipped: list[int] = []
    while True:
        stmt = (select(Message.id, Message.channel, Message.recipient).where(
            Message.status == "pending", Message.next_attempt_at <= at, Message.id.not_in(skipped or [0]))
            .order_by(Message.next_attempt_at, Message.id).limit(20))
        if postgres:
            stmt = stmt.with_for_update(skip_locked=True)
        candidates = session.execute(stmt).all()
        if not candidates:
            return None
        ids = [i for i, channel, recipient in candidates if destination(channel, recipient) not in report.down]
        skipped += [i for i, _, _ in candidates if i not in ids]
        if not ids:
            continue
        report.dropped += drop_cleared(session, ids)
        for message_id in ids:
            won = session.execute(
                update(Message).where(Message.id == message_id, Message.status == "pending")
                .values(status="sending", attempts=Message.attempts + 1, claimed_at=at, claimed_by=worker)
                .execution_options(synchronize_session=False)).rowcount
            if won:
                row = session.execute(select(Message.key, Message.channel, Message.recipient, Message.content,
                                             Message.attempts).where(Message.id == message_id)).one()
                return Claim(message_id, row.key, row.channel, row.recipient, M.Content.from_document(row.content),
                             row.attempts)
        skipped += ids


def record(session: Session, claim: Claim, outcome: channels.Outcome, at: dt.datetime, worker: str,
           config: NotifyConfig) -> str:
    """The outcome of one claimed send, written only while the claim is still this worker's (an administrator
    or an expired lease may have moved it on). Returns the status written ("" when the claim was lost)."""
    if outcome.status == channels.SENT:
        values = {"status": "sent", "sent_at": at, "last_error": None}
    elif outcome.status == channels.UNCERTAIN:
        values = {"status": "uncertain", "last_error": outcome.error}
    elif claim.attempt >= config.delivery.max_attempts:
        values = {"status": "failed", "last_error": f"已尝试 {claim.attempt} 次，停止重试：{outcome.error}"}
    else:
        wait = M.backoff(claim.attempt, config.delivery.backoff_seconds, config.delivery.max_backoff_seconds)
        values = {"status": "pending", "next_attempt_at": at + wait, "last_error": outcome.error}
    done = session.execute(
        update(Message).where(Message.id == claim.id, Message.claimed_by == worker, Message.attempts == claim.attempt,
                              Message.status.in_(("sending", "uncertain")))
        .values(**values).execution_options(synchronize_session=False)).rowcount
    return values["status"] if done else ""


Send = Callable[[NotifyConfig, str, str, M.Content, str], channels.Outcome]


def deliver_due(factory: sessionmaker, config: NotifyConfig, worker: str | None = None,
                clock: Callable[[], dt.datetime] = clock_now, send: Send = channels.send,
                limit: int = 1000) -> DeliveryReport:
    """One pass over the messages due: each claimed, sent and recorded in turn, at most `limit` of them. A
    destination that fails is skipped for the rest of the pass (its messages keep their place, no try counted)."""
    worker = worker or worker_name()
    report = DeliveryReport()
    session = factory()
    try:
        with unit_of_work(session):
            report.expired = expire_leases(session, clock(), config.delivery.lease_seconds)
        for _ in range(limit):
            with unit_of_work(session):
                claim = claim_next(session, clock(), worker, report)
            if claim is None:
                break
            session.expunge_all()
            outcome = send(config, claim.channel, claim.recipient, claim.content, claim.key)
            with unit_of_work(session):
                status = record(session, claim, outcome, clock(), worker, config)
            if outcome.status == channels.FAILED:
                report.down.add(destination(claim.channel, claim.recipient))
            if status == "sent":
                report.sent += 1
            elif status == "pending":
                report.retried += 1
            elif status == "failed":
                report.failed += 1
            elif status == "uncertain":
                report.uncertain += 1
    finally:
        session.close()
    return report
