"""Alerts that reach people: the outbox written with the alert, delivered through a real SMTP server (aiosmtpd) and
a real HTTP server standing in for the WeCom and DingTalk robots; retries, give-up, the daily digest, nothing for
the past, subscriptions by role and contract, events (a demand raised, a notice served, an objection answered)."""
from __future__ import annotations

import datetime as dt
import threading
from types import SimpleNamespace

import pytest
import time_machine
from sqlalchemy import func, select

from hallmon.alerts.models import Alert
from hallmon.alerts.services import acknowledge_alert, count_alerts
from hallmon.auth.models import User
from hallmon.auth.services import set_robot_subscriptions, set_subscriptions
from hallmon.billing.commands import Answer, Object, Submit
from hallmon.core.clock import now
from hallmon.db import make_engine, session_factory
from hallmon.jobs import TIMEZONE, daily_digest
from hallmon.notify.config import load_config
from hallmon.notify.delivery import deliver_due
from hallmon.notify.models import Announcement, Message
from hallmon.notify.outbox import decide, messages_of, outbox_view, write_digests
from hallmon.uow import unit_of_work
from tests.billing_helpers import load_hall
from tests.drive import gate, refresh
from tests.notify_helpers import (
    DINGTALK_PATH,
    DINGTALK_SECRET,
    WECOM_PATH,
    MailServer,
    RobotServer,
    dingtalk_signature_ok,
    write_config,
)

SITE = "https://hallmon.example.gov.cn"
SWITCHED_ON = dt.date(2024, 4, 30)
EMAILS = {"wang": "wang@centre.gov.cn", "li": "li@centre.gov.cn", "co": "site-manager@contractor.com.cn"}


@pytest.fixture
def servers(tmp_path, monkeypatch):
    mail = MailServer().start()
    robots = RobotServer()
    path = write_config(tmp_path / "notify.toml", mail.port, robots)
    monkeypatch.setenv("HALLMON_NOTIFY_CONFIG", str(path))
    yield SimpleNamespace(mail=mail, robots=robots, config=load_config(path), path=path)
    mail.stop()
    robots.stop()


@pytest.fixture
def hall(cli, tmp_path, session):
    """The billing hall (B-1 of 测试人力资源有限公司: manager wang, finance li, contractor co) with e-mail addresses,
    its alerts switched on as of 30 April 2024 — which tells nobody about the past."""
    files = load_hall(cli, tmp_path)
    for name, role, extra in (("wang", "manager", ()), ("li", "finance", ()),
                              ("co", "contractor", ("--contractor", "测试人力资源有限公司"))):
        assert cli("user", "add", name, "--role", role, *extra, "--password", f"{name}-password",
                   "--email", EMAILS[name]).exit_code == 0
    assert refresh(session, SWITCHED_ON).raised == 5
    return files


def ingest(cli, tmp_path, name: str, kind: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = cli("ingest", kind, path)
    assert result.exit_code == 0, result.stderr


OVERDUE = "编号,合同编号,渠道,类别,收件日期\nP-1,B-1,信访,业务,2024-01-02\n"   # resolve by 17 March: overdue


def deliver(engine, config, **options):
    return deliver_due(session_factory(engine), config, **options)


def count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def robots_subscribe(session):
    with unit_of_work(session):
        set_robot_subscriptions(session, "大厅群", [("complaint_overdue", "B-1"), ("demand_raised", "*")])
        set_robot_subscriptions(session, "财务群", [("complaint_overdue", "*"), ("settlement_unverified", "*")])


# ---------------------------------------------------------------- one alert, every channel, once


def test_a_new_alert_is_mailed_and_posted_to_both_robots_once(hall, servers, session, engine, cli, tmp_path):
    robots_subscribe(session)
    assert count(session, Message) == 0              # the first judgement told nobody
    ingest(cli, tmp_path, "c.csv", "complaints", OVERDUE)
    session.expire_all()
    alert = session.scalar(select(Alert).where(Alert.kind == "complaint_overdue"))
    # written by the load's own transaction: the manager (every kind), both robots; not finance, not the contractor
    assert sorted((m.channel, m.recipient, m.status) for m in messages_of(session)) == [
        ("email", EMAILS["wang"], "pending"), ("robot", "大厅群", "pending"), ("robot", "财务群", "pending")]

    report = deliver(engine, servers.config)
    assert (report.sent, report.retried, report.failed, report.uncertain) == (3, 0, 0, 0)

    [mail] = servers.mail.received
    assert mail.to == (EMAILS["wang"],) and mail.subject == "【投诉逾期未办结】B-1"
    assert alert.message in mail.text and f"{SITE}/complaints/B-1" in mail.text
    [wecom] = servers.robots.delivered(WECOM_PATH)
    assert wecom.query == {"key": "wecom-key-0001"}
    assert wecom.body["msgtype"] == "markdown" and set(wecom.body) == {"msgtype", "markdown"}
    content = wecom.body["markdown"]["content"]
    assert content.startswith("### 【投诉逾期未办结】B-1") and f"[查看]({SITE}/complaints/B-1)" in content
    [ding] = servers.robots.delivered(DINGTALK_PATH)
    assert ding.query["access_token"] == "ding-token-0001" and dingtalk_signature_ok(ding, DINGTALK_SECRET)
    assert ding.body["msgtype"] == "markdown" and ding.body["markdown"]["title"] == "【投诉逾期未办结】B-1"
    assert "P-1" in ding.body["markdown"]["text"]

    # raised once: judged again the same day and the day after, delivered again — nothing more of it
    refresh(session, SWITCHED_ON)
    assert deliver(engine, servers.config).sent == 0
    refresh(session, dt.date(2024, 5, 1))
    deliver(engine, servers.config)
    assert servers.mail.subjects().count("【投诉逾期未办结】B-1") == 1 and servers.robots.tries == 2 + 2
    assert len([m for m in messages_of(session) if m.announcement_id == messages_of(session)[0].announcement_id]) == 3


def test_nothing_is_sent_for_the_past_when_alerts_are_first_switched_on(cli, tmp_path, session, servers, engine):
    """A database loaded with a year of old data: the first judgement raises its alerts and tells nobody, and the
    digest never repeats them; only what is raised afterwards is sent."""
    load_hall(cli, tmp_path)
    ingest(cli, tmp_path, "c.csv", "complaints", OVERDUE)
    assert cli("user", "add", "wang", "--role", "manager", "--password", "wang-password",
               "--email", EMAILS["wang"]).exit_code == 0
    assert refresh(session, SWITCHED_ON).raised == 6
    with unit_of_work(session):
        assert write_digests(session, dt.date(2024, 5, 1)) == 0
    refresh(session, SWITCHED_ON)
    assert count(session, Message) == 0 and deliver(engine, servers.config).sent == 0
    # the first thing raised after that is told
    gate(session, "B-1", "2024-03", Submit(b"report", "r.pdf"), "wang", at=dt.datetime(2024, 4, 1, 10))
    assert [m.content["title"] for m in messages_of(session)] == ["【结算单超期未核验】B-1"]
    assert deliver(engine, servers.config).sent == 1 and servers.mail.subjects() == ["【结算单超期未核验】B-1"]


# ---------------------------------------------------------------- faults


def test_a_refusing_then_down_then_returning_server_gets_every_due_message_exactly_once(
        hall, servers, session, engine, cli, tmp_path):
    ingest(cli, tmp_path, "c.csv", "complaints", "编号,合同编号,渠道,类别,收件日期\n" + "".join(
        f"P-{i},B-1,信访,业务,2024-01-0{i + 1}\n" for i in range(1, 5)))
    with unit_of_work(session):   # the contractor's site manager asks for the complaints too
        set_subscriptions(session, session.scalar(select(User).where(User.username == "co")),
                          [("complaint_overdue", "B-1")])
    ingest(cli, tmp_path, "c2.csv", "complaints", "编号,合同编号,渠道,类别,收件日期\nP-9,B-1,信访,业务,2024-01-09\n")
    due = messages_of(session)
    assert len(due) == 6       # P-1…P-4 to the manager; P-9 to the manager and the contractor
    mail, config = servers.mail, servers.config
    t0 = now() + dt.timedelta(seconds=1)

    mail.mode = "refuse"                                  # answers 451 to the text of the mail
    first = deliver(engine, config, clock=lambda: t0)
    assert (first.sent, first.retried) == (0, 1) and mail.refused == 1   # the server down for the rest of the pass
    mail.stop()                                            # then not there at all: connections refused
    second = deliver(engine, config, clock=lambda: t0 + dt.timedelta(minutes=2))
    assert (second.sent, second.retried) == (0, 1)
    session.expire_all()
    tried = {m.id: m.attempts for m in messages_of(session)}
    assert sorted(tried.values()) == [0, 0, 0, 0, 1, 1] and all("SMTP" in (m.last_error or "") or m.attempts == 0
                                                            for m in messages_of(session))
    mail.mode = "accept"
    mail.start()                                           # back
    third = deliver(engine, config, clock=lambda: t0 + dt.timedelta(minutes=10))
    assert (third.sent, third.retried, third.failed, third.uncertain) == (6, 0, 0, 0)
    assert len(mail.received) == 6 and len(set(mail.ids())) == 6
    assert sorted((m.to[0], m.subject) for m in mail.received) == sorted(
        [(EMAILS["wang"], "【投诉逾期未办结】B-1")] * 5 + [(EMAILS["co"], "【投诉逾期未办结】B-1")])
    assert deliver(engine, config, clock=lambda: t0 + dt.timedelta(hours=1)).sent == 0
    assert len(mail.received) == 6


def test_a_message_refused_every_time_is_given_up_after_the_configured_tries_and_shown(
        hall, session, engine, cli, tmp_path, monkeypatch):
    mail = MailServer().start()
    try:
        config = load_config(write_config(tmp_path / "n.toml", mail.port, max_attempts=3, backoff_seconds=30))
        ingest(cli, tmp_path, "c.csv", "complaints", OVERDUE)
        mail.mode = "refuse"
        t = now() + dt.timedelta(seconds=1)
        waits = []
        for _ in range(3):
            deliver(engine, config, clock=lambda t=t: t)
            session.expire_all()
            [message] = messages_of(session)
            waits.append(message.next_attempt_at - t)
            t = message.next_attempt_at
        assert message.status == "failed" and message.attempts == 3 and "已尝试 3 次" in message.last_error
        assert waits[:2] == [dt.timedelta(seconds=30), dt.timedelta(seconds=60)]   # backoff doubles
        assert [m.id for m in outbox_view(session).attention] == [message.id]
        assert deliver(engine, config, clock=lambda: t + dt.timedelta(days=1)).sent == 0   # never again by itself
        mail.mode = "accept"
        with unit_of_work(session):
            decide(session, message.id, "resend", "admin")
        assert deliver(engine, config).sent == 1 and len(mail.received) == 1
    finally:
        mail.stop()


def test_robots_reporting_errors_in_the_json_body_or_http_are_tried_again_and_no_secret_is_stored(
        hall, servers, session, engine, cli, tmp_path):
    robots_subscribe(session)
    servers.robots.answers.extend([(200, {"errcode": 45009, "errmsg": "api freq out of limit"}),
                                   (500, {"errcode": -1, "errmsg": "internal"})])
    ingest(cli, tmp_path, "c.csv", "complaints", OVERDUE)
    t0 = now() + dt.timedelta(seconds=1)
    first = deliver(engine, servers.config, clock=lambda: t0)
    assert (first.sent, first.retried) == (1, 2)          # the e-mail went; each robot refused once
    session.expire_all()
    errors = {m.recipient: m.last_error for m in messages_of(session) if m.channel == "robot"}
    assert "errcode 45009" in errors["大厅群"] and "HTTP 500" in errors["财务群"]
    stored = " ".join(str(m.last_error) for m in messages_of(session))
    for secret in ("wecom-key-0001", "ding-token-0001", DINGTALK_SECRET):
        assert secret not in stored
    second = deliver(engine, servers.config, clock=lambda: t0 + dt.timedelta(minutes=5))
    assert second.sent == 2 and len(servers.robots.posts) == 2 and servers.robots.tries == 4


def test_a_connection_broken_after_the_text_left_is_uncertain_and_never_sent_again_by_itself(
        hall, servers, session, engine, cli, tmp_path):
    mail = servers.mail
    mail.mode = "drop"            # the server stores the text, then the connection breaks before its answer
    ingest(cli, tmp_path, "c.csv", "complaints", OVERDUE)
    report = deliver(engine, servers.config)
    assert report.uncertain == 1 and report.sent == 0 and len(mail.received) == 1
    session.expire_all()
    [message] = messages_of(session)
    assert message.status == "uncertain" and "未收到服务器答复" in message.last_error
    mail.mode = "accept"
    assert deliver(engine, servers.config, clock=lambda: now() + dt.timedelta(days=1)).sent == 0
    assert len(mail.received) == 1 and outbox_view(session).attention[0].id == message.id
    with unit_of_work(session):
        decide(session, message.id, "confirm", "admin")   # the administrator asked: it did arrive
    session.expire_all()
    assert messages_of(session)[0].status == "sent" and messages_of(session)[0].resolved_by == "admin"


def test_two_deliveries_running_at_once_send_each_message_once(hall, servers, session, cli, tmp_path, db_url):
    ingest(cli, tmp_path, "c.csv", "complaints", "编号,合同编号,渠道,类别,收件日期\n" + "".join(
        f"P-{i:02d},B-1,信访,业务,2024-01-{i:02d}\n" for i in range(1, 21)))
    assert len(messages_of(session)) == 20
    barrier = threading.Barrier(2)
    reports = []

    def run():
        engine = make_engine(db_url)
        try:
            barrier.wait(30)
            reports.append(deliver_due(session_factory(engine), servers.config))
        finally:
            engine.dispose()

    workers = [threading.Thread(target=run) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert sum(r.sent for r in reports) == 20
    assert len(servers.mail.received) == 20 and len(set(servers.mail.ids())) == 20


# ---------------------------------------------------------------- the daily digest


def test_the_daily_digest_repeats_what_still_stands_in_chinese_grouped_by_kind_with_links(
        hall, servers, session, engine, cli, tmp_path):
    robots_subscribe(session)
    ingest(cli, tmp_path, "c.csv", "complaints",
           "编号,合同编号,渠道,类别,收件日期\nP-1,B-1,信访,业务,2024-01-02\nP-3,B-1,信访,业务,2024-02-20\n")
    gate(session, "B-1", "2024-03", Submit(b"report", "r.pdf"), "wang", at=dt.datetime(2024, 4, 1, 10))
    session.expire_all()
    raised = sorted(a.kind for a in session.scalars(select(Alert).where(Alert.raised_on == SWITCHED_ON,
                                                                        Alert.first_raised_on == SWITCHED_ON)))
    assert {"complaint_overdue", "complaint_due_soon", "settlement_unverified"} <= set(raised)
    deliver(engine, servers.config)
    before = len(servers.mail.received)

    with unit_of_work(session):
        assert write_digests(session, SWITCHED_ON) == 0    # raised today: already told today
        written = write_digests(session, dt.date(2024, 5, 1))
        assert write_digests(session, dt.date(2024, 5, 1)) == 0   # once a day
    assert written == 4      # wang, li, and the two robots; the contractor is subscribed to none of these
    deliver(engine, servers.config)
    digests = {m.to[0]: m for m in servers.mail.received[before:]}
    manager = digests[EMAILS["wang"]]
    assert manager.subject == "每日提醒汇总（2024-05-01）：3 条提醒仍未消除"
    text = manager.text
    headings = ["【投诉逾期未办结（1 条）】", "【投诉即将到期（1 条）】", "【结算单超期未核验（1 条）】"]
    assert [text.index(h) for h in headings] == sorted(text.index(h) for h in headings)   # the glossary's order
    assert f"{SITE}/complaints/B-1" in text and f"{SITE}/settlements/B-1/2024-03" in text
    assert "（2024-04-30 起）" in text
    assert "考核通报" not in text and "用款计划" not in text     # the past is never repeated
    assert digests[EMAILS["li"]].subject == "每日提醒汇总（2024-05-01）：1 条提醒仍未消除"
    assert "结算单超期未核验" in digests[EMAILS["li"]].text and "投诉" not in digests[EMAILS["li"]].text
    assert EMAILS["co"] not in digests
    wecom = servers.robots.delivered(WECOM_PATH)[-1].body["markdown"]["content"]
    assert wecom.startswith("### 每日提醒汇总（2024-05-01）：1 条") and "**投诉逾期未办结（1 条）**" in wecom
    ding = servers.robots.delivered(DINGTALK_PATH)[-1].body["markdown"]["text"]
    assert "**投诉逾期未办结（1 条）**" in ding and "**结算单超期未核验（1 条）**" in ding

    # acknowledged alerts and cleared ones leave the digest
    with unit_of_work(session):
        overdue = session.scalar(select(Alert).where(Alert.kind == "complaint_overdue"))
        acknowledge_alert(session, overdue.id, "wang", "已督办，5 月 6 日前办结")
    ingest(cli, tmp_path, "r.csv", "complaints", "编号,合同编号,渠道,类别,收件日期,受理日期,办结日期\n"
                                                  "P-3,B-1,信访,业务,2024-02-20,2024-02-21,2024-04-29\n")
    with unit_of_work(session):
        write_digests(session, dt.date(2024, 5, 2))
    deliver(engine, servers.config)
    last = [m for m in servers.mail.received if m.to == (EMAILS["wang"],)][-1]
    assert last.subject == "每日提醒汇总（2024-05-02）：1 条提醒仍未消除"
    assert "结算单超期未核验" in last.text and "投诉" not in last.text


def test_the_digest_job_runs_once_a_day_even_when_two_schedulers_fire(hall, servers, session, cli, tmp_path, db_url):
    ingest(cli, tmp_path, "c.csv", "complaints", OVERDUE)
    with time_machine.travel(dt.datetime(2024, 5, 1, 8, 30, tzinfo=TIMEZONE), tick=False):
        daily_digest(db_url)
        daily_digest(db_url)
    session.expire_all()
    assert [m.digest_on for m in messages_of(session) if m.digest_on] == [dt.date(2024, 5, 1)]


# ---------------------------------------------------------------- who gets what


def test_subscriptions_default_by_role_and_a_contractor_hears_only_of_its_own_contracts(
        hall, servers, session, engine, cli, tmp_path):
    from tests.factories import terms_toml

    other = tmp_path / "b2.toml"
    other.write_text(terms_toml(code="B-2", contractor="别家劳务公司"), encoding="utf-8")
    assert cli("contract", "load", other).exit_code == 0
    assert cli("user", "add", "co2", "--role", "contractor", "--contractor", "别家劳务公司", "--password",
               "co2-password", "--email", "boss@other.com.cn").exit_code == 0
    ingest(cli, tmp_path, "b2-assessment.csv", "assessment", "合同编号,月份,项目代码,考核项目,分值\nB-2,2024-03,DRESS,着装仪容,-1\n")
    refresh(session, SWITCHED_ON)               # B-2's notifications start (its past told to nobody)
    assert count(session, Message) == 0
    # a settlement left unverified: the manager and finance hear of it, the contractors do not
    gate(session, "B-1", "2024-03", Submit(b"report", "r.pdf"), "wang", at=dt.datetime(2024, 4, 1, 10))
    assert sorted(m.recipient for m in messages_of(session)) == [EMAILS["li"], EMAILS["wang"]]
    # the contractor objects; the manager's answer is told to that contractor only, not to the other one
    result = gate(session, "B-1", "2024-03", Object("2024-03", "attendance", "考勤机故障"), "co",
                  at=dt.datetime(2024, 4, 2, 9))
    gate(session, "B-1", "2024-03", Answer(result.objection, False, "打卡记录完整"), "wang",
         at=dt.datetime(2024, 4, 3, 9))
    answered = [m for m in messages_of(session) if m.content["title"] == "【结算异议已答复】B-1"]
    assert [m.recipient for m in answered] == [EMAILS["co"]]
    text = answered[0].content["sections"][0]["items"][0]["text"]
    assert "已驳回" in text and "打卡记录完整" in text and "考勤扣减" in text
    # a user's own choice replaces the role's defaults: li now hears only of B-2
    with unit_of_work(session):
        set_subscriptions(session, session.scalar(select(User).where(User.username == "li")),
                          [("settlement_unverified", "B-2")])
    gate(session, "B-2", "2024-03", Submit(b"report", "r.pdf"), "wang", at=dt.datetime(2024, 4, 1, 10))
    b2 = [m.recipient for m in messages_of(session) if m.content["title"] == "【结算单超期未核验】B-2"]
    assert sorted(b2) == [EMAILS["li"], EMAILS["wang"]]
    assert deliver(engine, servers.config).sent == 5 and len(servers.mail.received) == 5


def test_a_demand_raised_is_told_to_the_contractor_and_the_manager_once(hall, servers, session, engine, cli,
                                                                        tmp_path):
    from tests.billing_helpers import punch_rows

    late = ("08:40:00", "12:02:00", "14:25:00", "17:35:00")
    days = {dt.date(2024, 4, d): late for d in (8, 9, 10)}
    ingest(cli, tmp_path, "april.csv", "punches", "staff_id,time\n" + "\n".join(
        punch_rows("A", dt.date(2024, 4, 1), dt.date(2024, 4, 30), days)) + "\n")
    assert count(session, Message) == 0        # raised on 1 May: not yet, as of 30 April
    refresh(session, dt.date(2024, 5, 1))
    demand = [m for m in messages_of(session) if m.content["title"] == "【新的更换人员要求】B-1"
              and m.content["sections"][0]["items"][0]["text"].startswith("A ")]
    assert sorted(m.recipient for m in demand) == sorted([EMAILS["wang"], EMAILS["co"]])
    item = demand[0].content["sections"][0]["items"][0]
    assert item["text"] == "A 张伟 须更换（月累计迟到早退，2024-05-01 提出），期限 2024-05-16"
    assert item["link"] == "/attendance/B-1/demands/notice?staff_id=A&reason=monthly_late_early&raised_on=2024-05-01"
    told = count(session, Message)
    refresh(session, dt.date(2024, 5, 2))
    assert count(session, Message) == told


def test_an_acknowledged_alert_leaves_the_count_and_stays_listed_until_it_clears(hall, session, cli, tmp_path):
    ingest(cli, tmp_path, "c.csv", "complaints", OVERDUE)
    standing = count_alerts(session)
    alert = session.scalar(select(Alert).where(Alert.kind == "complaint_overdue"))
    with unit_of_work(session):
        acknowledge_alert(session, alert.id, "wang", "已转信访办督办", at=dt.datetime(2024, 5, 1, 9))
    session.expire_all()
    assert count_alerts(session) == standing - 1
    assert (alert.active, alert.acknowledged_by, alert.acknowledged_note) == (True, "wang", "已转信访办督办")
    from hallmon.core.errors import Refused

    with pytest.raises(Refused, match="已于 2024-05-01 09:00 由 wang 确认"), unit_of_work(session):
        acknowledge_alert(session, alert.id, "li", "再次确认")
    with pytest.raises(Refused, match="处理说明"), unit_of_work(session):
        acknowledge_alert(session, alert.id, "li", "  ")
    # cleared, then raised again: a new alert to acknowledge
    ingest(cli, tmp_path, "r.csv", "complaints",
           "编号,合同编号,渠道,类别,收件日期,受理日期,办结日期\nP-1,B-1,信访,业务,2024-01-02,2024-01-05,2024-04-29\n")
    session.expire_all()
    assert not alert.active
    refresh(session, dt.date(2024, 5, 6))
    ingest(cli, tmp_path, "o.csv", "complaints",
           "编号,合同编号,渠道,类别,收件日期,受理日期,办结日期\nP-1,B-1,信访,业务,2024-01-02,2024-01-05,\n")
    session.expire_all()
    assert alert.active and alert.acknowledged_at is None and alert.raised_on == dt.date(2024, 5, 6)
    told = session.scalars(select(Announcement.occasion).where(Announcement.alert_id == alert.id)).all()
    assert sorted(told) == [SWITCHED_ON, dt.date(2024, 5, 6)]     # raised twice, told twice


# ---------------------------------------------------------------- the config at start, the command line


def test_a_missing_or_broken_config_stops_the_scheduler_and_the_app_at_start_naming_the_key(
        cli, tmp_path, monkeypatch, db_url):
    from hallmon import create_app
    from hallmon.config import TestConfig
    from hallmon.notify.config import NotifyConfigError

    monkeypatch.setenv("HALLMON_NOTIFY_CONFIG", str(tmp_path / "missing.toml"))
    result = cli("scheduler", "--once")
    assert result.exit_code == 2 and "无法读取通知配置" in result.stderr and "missing.toml" in result.stderr
    broken = tmp_path / "broken.toml"
    broken.write_text('[smtp]\nhost = "smtp.example.gov.cn"\nport = "465"\nsender = "h@example.gov.cn"\n',
                      encoding="utf-8")
    monkeypatch.setenv("HALLMON_NOTIFY_CONFIG", str(broken))
    result = cli("scheduler", "--once")
    assert result.exit_code == 2 and "smtp.port：类型不对" in result.stderr
    with pytest.raises(NotifyConfigError, match="smtp.port"):
        create_app(type("Config", (TestConfig,), {"DATABASE_URL": db_url}))


def test_notify_check_lists_the_channels_without_a_secret(cli, servers):
    result = cli("notify", "check")
    assert result.exit_code == 0, result.stderr
    assert "电子邮件：127.0.0.1" in result.stdout and "企业微信群机器人：大厅群" in result.stdout
    assert "钉钉群机器人：财务群（加签）" in result.stdout and "每日汇总 08:30" in result.stdout
    for secret in ("wecom-key-0001", "ding-token-0001", DINGTALK_SECRET):
        assert secret not in result.stdout + result.stderr


def test_the_command_line_delivers_lists_and_decides(hall, servers, cli, tmp_path):
    ingest(cli, tmp_path, "c.csv", "complaints", OVERDUE)
    servers.mail.mode = "drop"
    assert cli("notify", "deliver", "--json").json()["uncertain"] == 1
    [listed] = cli("notify", "outbox", "--status", "uncertain", "--json").json()
    assert listed["recipient"] == EMAILS["wang"] and listed["title"] == "【投诉逾期未办结】B-1"
    servers.mail.mode = "accept"
    assert cli("notify", "message", str(listed["id"]), "resend", "--user", "admin").exit_code == 0
    assert cli("notify", "deliver", "--json").json()["sent"] == 1
    assert cli("notify", "digest", "--date", "2024-05-01").stdout.strip() == "2024-05-01 的提醒汇总：1 条待发"
    assert cli("notify", "digest", "--date", "2024-05-01").stdout.strip() == "2024-05-01 的提醒汇总已写出过"
    notice = tmp_path / "notice.html"
    assert cli("notify", "notice", "B-1", "--staff", "A", "--reason", "monthly_late_early", "--raised-on",
               "2024-03-01", "-o", notice).exit_code == 0
    assert "更换人员通知书" in notice.read_text(encoding="utf-8")
