"""The outbox: what is announced (an alert raised, a demand raised, a notice served, an objection answered) and one
message per subscribed recipient, written in the transaction of what it announces; the daily digest of the alerts
still standing; what the admin page reads and decides about the messages."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from hallmon.alerts import services as alerts
from hallmon.alerts.models import Alert
from hallmon.attendance.models import DemandWaiver, StoredDemand
from hallmon.auth.models import User
from hallmon.auth.services import EVERY_CONTRACT, robot_subscriptions, subscriptions_of
from hallmon.billing.models import Objection, Settlement
from hallmon.core import labels
from hallmon.core.clock import now
from hallmon.core.errors import NotFound, Refused
from hallmon.notify import messages as M
from hallmon.notify.models import Announcement, Message, NotifyStart
from hallmon.roster.models import Contract, Staff

EMAIL, ROBOT = "email", "robot"
# a message in one of these states needs nobody; the others are listed on the admin page
SETTLED = ("sent", "dropped")


@dataclass(frozen=True, order=True)
class Recipient:
    channel: str        # email | robot
    address: str        # an e-mail address or a robot's name in the notification config
    user_id: int | None = None


@dataclass
class Audience:
    """Who is told about what, read once for a whole judgement: users with an address and their subscriptions (or
    their role's defaults), the robots and theirs."""

    users: list[tuple[User, frozenset[tuple[str, str]]]]
    robots: dict[str, frozenset[tuple[str, str]]]

    @classmethod
    def load(cls, session: Session) -> Audience:
        users = session.scalars(select(User).where(User.active.is_(True), User.email.is_not(None))
                                .order_by(User.id)).all()
        return cls([(u, subscriptions_of(session, u)) for u in users], robot_subscriptions(session))

    def of(self, kind: str, contract: Contract) -> list[Recipient]:
        """The recipients of one kind of one contract: a contractor's user only for its own contracts; one message
        per address however many users share it."""
        wanted = {(kind, contract.code), (kind, EVERY_CONTRACT)}
        found: dict[tuple[str, str], Recipient] = {}
        for user, pairs in self.users:
            if user.role == "contractor" and user.contractor != contract.contractor:
                continue
            if wanted & pairs:
                found.setdefault((EMAIL, user.email.lower()), Recipient(EMAIL, user.email, user.id))
        for robot, pairs in self.robots.items():
            if wanted & pairs:
                found.setdefault((ROBOT, robot), Recipient(ROBOT, robot))
        return sorted(found.values())


def _message(key: str, recipient: Recipient, content: M.Content, at: dt.datetime, **extra) -> Message:
    return Message(key=key, channel=recipient.channel, recipient=recipient.address, user_id=recipient.user_id,
                   content=content.document(), status="pending", attempts=0, next_attempt_at=at, created_at=at,
                   **extra)


def announce(session: Session, kind: str, subject: str, occasion: dt.date, contract: Contract, content: M.Content,
             audience: Audience | None = None, alert_id: int | None = None, silent: bool = False
             ) -> Announcement | None:
    """Tell it once: an announcement keyed by (kind, subject, occasion), and a message to every recipient
    subscribed to this kind of this contract. None when it was told already. `silent` records it as told without
    telling anyone (the past, when alerts are first switched on)."""
    if session.scalar(select(Announcement.id).where(Announcement.kind == kind, Announcement.subject == subject,
                                                    Announcement.occasion == occasion)) is not None:
        return None
    at = now()
    recipients = [] if silent else (audience or Audience.load(session)).of(kind, contract)
    row = Announcement(kind=kind, subject=subject, occasion=occasion, contract=contract.code, alert_id=alert_id,
                       content=content.document(), sent_to=len(recipients), created_at=at)
    session.add(row)
    session.flush()
    session.add_all(_message(f"a/{row.id}/{r.channel}/{r.address}", r, content, at, announcement_id=row.id)
                    for r in recipients)
    return row


# ---------------------------------------------------------------- alerts judged, and what they raise


def refresh_alerts(session: Session, as_of: dt.date) -> alerts.Refresh:
    """J1/J4 as of a date (the daily job, `hallmon alerts refresh`), with every alert raised now announced in the
    same transaction. A contract judged so for the first time announces nothing: its notifications start here."""
    done = alerts.refresh_alerts(session, as_of)
    _announce(session, done, list(session.scalars(select(Contract).order_by(Contract.code))), daily=True)
    return done


def refresh_contracts(session: Session, contracts: list[Contract]) -> alerts.Refresh | None:
    """After a write: the contracts' alerts judged again (J4), and what that raises announced in the write's
    transaction — for the contracts whose notifications have started."""
    done = alerts.refresh_contracts(session, contracts)
    if done is not None:
        _announce(session, done, contracts, daily=False)
    return done


def started(session: Session, codes: Iterable[str]) -> set[str]:
    codes = list(codes)
    return set(session.scalars(select(NotifyStart.contract).where(NotifyStart.contract.in_(codes)))) if codes else set()


def _announce(session: Session, done: alerts.Refresh, contracts: list[Contract], daily: bool) -> None:
    """Tell what the judgement raised for the contracts whose notifications had started; a daily judgement starts
    them for the others, telling nobody (the past)."""
    on = started(session, (c.code for c in contracts))
    if daily:
        for contract in contracts:
            if contract.code not in on:
                session.add(NotifyStart(contract=contract.code, as_of=done.as_of, at=now()))
    by_code = {c.code: c for c in contracts}
    audience = Audience.load(session)
    for row in done.raised_rows:
        if row.contract in on:
            announce(session, row.kind, row.subject, row.raised_on, by_code[row.contract],
                     M.announcement(row.kind, row.contract, row.message,
                                    M.alert_link(row.kind, row.contract, row.details)),
                     audience, alert_id=row.id)
    if done.as_of is not None:
        announce_demands(session, [c for c in contracts if c.code in on], done.as_of, audience)
        if daily:   # what already stands when a contract starts is recorded as told, so that it is never news
            announce_demands(session, [c for c in contracts if c.code not in on], done.as_of, audience, silent=True)


def announce_demands(session: Session, contracts: list[Contract], as_of: dt.date, audience: Audience,
                     silent: bool = False) -> int:
    """A8 demands standing as of the date the alerts stand as of — raised, not waived, deadline not passed — that
    were never announced: the contractor (and the centre) are told once. A demand whose deadline passed before it
    was seen is not news; A9 raises its own alert."""
    if not contracts:
        return 0
    ids = {c.id: c for c in contracts}
    rows = session.execute(
        select(StoredDemand.contract_id, StoredDemand.staff_id, StoredDemand.reason, StoredDemand.raised_on,
               StoredDemand.deadline, Staff.name)
        .outerjoin(Staff, Staff.staff_id == StoredDemand.staff_id)
        .where(StoredDemand.contract_id.in_(ids), StoredDemand.raised_on <= as_of, StoredDemand.deadline >= as_of)
        .order_by(StoredDemand.raised_on, StoredDemand.staff_id, StoredDemand.reason)).all()
    if not rows:
        return 0
    waived = {tuple(row) for row in session.execute(select(
        DemandWaiver.contract_id, DemandWaiver.staff_id, DemandWaiver.reason, DemandWaiver.raised_on)
        .where(DemandWaiver.contract_id.in_(ids)))}
    told = 0
    for contract_id, staff_id, reason, raised_on, deadline, name in rows:
        if (contract_id, staff_id, reason, raised_on) in waived:
            continue
        contract = ids[contract_id]
        text = (f"{staff_id} {name or ''} 须更换（{labels.name(labels.REASONS, reason)}，{raised_on} 提出），"
                f"期限 {deadline}").replace("  ", " ")
        content = M.announcement("demand_raised", contract.code, text,
                                 M.notice_link(contract.code, staff_id, reason, raised_on))
        if announce(session, "demand_raised", f"{contract.code}/{staff_id}/{reason}/{raised_on.isoformat()}",
                    raised_on, contract, content, audience, silent=silent) is not None:
            told += 1
    return told


# ---------------------------------------------------------------- the daily digest


def standing_alerts(session: Session, day: dt.date) -> list[Alert]:
    """The alerts the digest of `day` repeats: standing, not acknowledged, raised before that day and announced
    (raised after notifications were switched on — nothing of the past)."""
    announced = select(Announcement.id).where(Announcement.alert_id == Alert.id,
                                              Announcement.occasion == Alert.raised_on)
    return list(session.scalars(select(Alert).where(
        Alert.active.is_(True), Alert.acknowledged_at.is_(None), Alert.raised_on < day, announced.exists())
        .order_by(Alert.kind, Alert.contract, Alert.subject)))


def write_digests(session: Session, day: dt.date) -> int:
    """One digest per recipient of the alerts still standing that it is subscribed to (Chinese, grouped by kind,
    each with its link); nobody gets an empty one. Returns the number of messages written."""
    standing = standing_alerts(session, day)
    if not standing:
        return 0
    contracts = {c.code: c for c in session.scalars(select(Contract))}
    audience = Audience.load(session)
    per: dict[Recipient, list[M.Standing]] = {}
    for alert in standing:
        contract = contracts.get(alert.contract)
        if contract is None:
            continue
        item = M.Standing(alert.kind, alert.contract, alert.message,
                          M.alert_link(alert.kind, alert.contract, alert.details), alert.first_raised_on)
        for recipient in audience.of(alert.kind, contract):
            per.setdefault(recipient, []).append(item)
    at = now()
    written = 0
    for recipient, items in sorted(per.items()):
        content = M.digest(day, items)
        key = f"d/{day.isoformat()}/{recipient.channel}/{recipient.address}"
        if content is None or session.scalar(select(Message.id).where(Message.key == key)) is not None:
            continue
        session.add(_message(key, recipient, content, at, digest_on=day))
        written += 1
    session.flush()
    return written


# ---------------------------------------------------------------- what the admin page reads and decides


@dataclass(frozen=True)
class OutboxView:
    counts: dict[str, int]
    attention: list[Message]     # failed and uncertain: someone must decide
    recent: list[Message]


def outbox_view(session: Session, recent: int = 50) -> OutboxView:
    counts = {status: n for status, n in session.execute(select(Message.status, func.count())
                                                         .group_by(Message.status))}
    attention = list(session.scalars(select(Message).where(Message.status.in_(("failed", "uncertain")))
                                     .order_by(Message.id.desc())))
    latest = list(session.scalars(select(Message).where(Message.status.not_in(("failed", "uncertain")))
                                  .order_by(Message.id.desc()).limit(recent)))
    return OutboxView({s: counts.get(s, 0) for s in labels.MESSAGE_STATUSES}, attention, latest)


def messages_of(session: Session, status: str | None = None) -> list[Message]:
    stmt = select(Message).order_by(Message.id)
    if status is not None:
        stmt = stmt.where(Message.status == status)
    return list(session.scalars(stmt))


def decide(session: Session, message_id: int, action: str, actor: str) -> Message:
    """An administrator's decision on a message that failed or whose delivery is uncertain: send it again (the
    recipient may get it twice if an uncertain one had arrived), confirm that it arrived, or drop it."""
    if action not in labels.MESSAGE_ACTIONS:
        raise Refused(f"未知的操作 {action!r}")
    message = session.get(Message, message_id, with_for_update=True)
    if message is None:
        raise NotFound(f"没有编号为 {message_id} 的通知")
    allowed = {"resend": ("failed", "uncertain"), "confirm": ("uncertain",), "drop": ("failed", "uncertain", "pending")}
    if message.status not in allowed[action]:
        raise Refused(f"该通知当前为“{labels.name(labels.MESSAGE_STATUSES, message.status)}”，"
                      f"不能{labels.MESSAGE_ACTIONS[action]}")
    at = now()
    if action == "resend":
        message.status, message.attempts, message.next_attempt_at = "pending", 0, at
        message.claimed_at = message.claimed_by = None
    elif action == "confirm":
        message.status, message.sent_at = "sent", message.sent_at or at
    else:
        message.status = "dropped"
    message.resolved_by = actor
    return message


def drop_cleared(session: Session, message_ids: Iterable[int]) -> int:
    """Messages announcing an alert that has cleared (or been raised again since) are not sent: they are no
    longer true. Returns how many were dropped."""
    ids = list(message_ids)
    if not ids:
        return 0
    stale = select(Message.id).join(Announcement, Announcement.id == Message.announcement_id).join(
        Alert, Alert.id == Announcement.alert_id).where(
        Message.id.in_(ids), (Alert.active.is_(False)) | (Alert.raised_on != Announcement.occasion))
    result = session.execute(update(Message).where(Message.id.in_(stale), Message.status == "pending")
                             .values(status="dropped", last_error="提醒已消除，未发送")
                             .execution_options(synchronize_session=False))
    return result.rowcount or 0


def announce_objection_answer(session: Session, contract: Contract, objection_id: int) -> Announcement | None:
    """G1: the contractor is told the answer to its objection (accepted with its adjustment, or rejected, and
    why)."""
    row = session.execute(select(Objection, Settlement.period).join(Settlement, Settlement.id == Objection.settlement_id)
                          .where(Objection.id == objection_id, Settlement.contract_id == contract.id)).first()
    if row is None or row[0].answered_at is None:
        return None
    objection, period = row
    verdict = labels.name(labels.OBJECTION_STATUSES, objection.status)
    text = (f"{contract.code} {period} 结算单 {objection.month}“{labels.name(labels.LINES, objection.line_kind)}”"
            f"的异议{verdict}：{objection.answer or ''}")
    if objection.adjustment is not None:
        text += f"（调整 {objection.adjustment} 元）"
    return announce(session, "objection_answered", f"{contract.code}/{period}/{objection.id}",
                    objection.answered_at.date(), contract,
                    M.announcement("objection_answered", contract.code, text, M.settlement_link(contract.code, period)))
