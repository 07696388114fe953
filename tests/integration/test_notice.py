"""The replacement notice (更换人员通知书) of an A8 demand: its facts, deadline and clause; served, told to the
contractor, acknowledged."""
import datetime as dt

import pytest
import time_machine
from sqlalchemy import select

from hallmon.core.errors import NotFound, Refused
from hallmon.notify.models import Message
from hallmon.notify.notice import (
    NoticeKey,
    acknowledge_notice,
    notice_document,
    notice_html,
    serve_notice,
)
from hallmon.uow import unit_of_work
from tests.billing_helpers import load_hall
from tests.drive import contract, waive

MONTHLY = NoticeKey("A", "monthly_late_early", dt.date(2024, 3, 1))
NO_SIGNIN = NoticeKey("A", "no_signin", dt.date(2024, 2, 1))


@pytest.fixture
def hall(cli, tmp_path):
    files = load_hall(cli, tmp_path)
    assert cli("user", "add", "co", "--role", "contractor", "--contractor", "测试人力资源有限公司", "--password",
               "co-password", "--email", "site@contractor.com.cn").exit_code == 0
    return files


def test_the_notice_of_a_monthly_demand_lists_the_months_lates_with_dates_the_deadline_and_the_clause(hall, session):
    doc = notice_document(session, contract(session, "B-1"), MONTHLY, issued_on=dt.date(2024, 3, 2))
    assert (doc.number, doc.staff_name, doc.department, doc.window) == ("B-1-20240301-A-M", "张伟", "受理科", "A01")
    assert doc.demand.deadline == dt.date(2024, 3, 16) and doc.reason_name == "月累计迟到早退"
    # the three February mornings with IN 08:40:00 (grace 5 minutes), as the person's page shows them
    assert [(f.day, f.what, f.detail) for f in doc.facts] == [
        (dt.date(2024, 2, d), "迟到", "08:30–12:00 上班打卡 08:40:00，迟到 10 分钟") for d in (5, 6, 7)]
    assert doc.basis == "2024-02 迟到早退共 3 次，达到合同约定的每月 3 次"
    assert "当月迟到、早退累计达 3 次" in doc.clause and "15 日内" in doc.clause and "1000.00 元" in doc.clause
    html = notice_html(doc)
    for text in ("更换人员通知书", "测试人力资源有限公司：", "张伟", "2024-02-05（周一）", "迟到 10 分钟",
                 "请贵单位于 2024-03-16 前完成对该人员的更换", "送达记录：尚未送达", "服务单位签收"):
        assert text in html
    assert "<script" not in html


def test_the_notice_of_a_no_signin_month_and_of_complaints_give_their_own_facts(hall, session, cli, tmp_path):
    doc = notice_document(session, contract(session, "B-1"), NO_SIGNIN)
    assert doc.facts == () and doc.basis.startswith("2024-01 排班 ") and "全月没有任何打卡记录" in doc.basis
    complaints = tmp_path / "complaints.csv"
    complaints.write_text("编号,合同编号,渠道,类别,收件日期,是否属实,工号,摘要\n"
                          "X-1,B-1,信访,人员,2024-03-04,是,A,窗口态度生硬\n"
                          "X-2,B-1,现场,人员,2024-04-02,是,A,擅自离岗\n"
                          "X-3,B-1,现场,人员,2024-04-03,否,A,经查不属实\n", encoding="utf-8")
    assert cli("ingest", "complaints", complaints).exit_code == 0
    doc = notice_document(session, contract(session, "B-1"), NoticeKey("A", "complaints", dt.date(2024, 4, 3)))
    assert [(f.day, f.what, f.detail) for f in doc.facts] == [
        (dt.date(2024, 3, 4), "信访", "X-1：窗口态度生硬"), (dt.date(2024, 4, 2), "现场投诉", "X-2：擅自离岗")]
    assert doc.basis == "2024 年属实的人员类投诉共 2 件，达到合同约定的每年 2 件"
    with pytest.raises(NotFound):
        notice_document(session, contract(session, "B-1"), NoticeKey("A", "complaints", dt.date(2024, 4, 4)))


def test_a_served_notice_is_told_to_the_contractor_and_acknowledged_once(hall, session):
    b1 = contract(session, "B-1")
    with pytest.raises(Refused, match="尚未登记送达"), unit_of_work(session):
        acknowledge_notice(session, b1, MONTHLY, "co")
    with time_machine.travel(dt.datetime(2024, 3, 4, 10), tick=False):
        with unit_of_work(session):
            serve_notice(session, b1, MONTHLY, dt.date(2024, 3, 4), "in_person", "交项目经理签收", "wang")
        with pytest.raises(Refused, match="已于 2024-03-04 送达（当面送达，wang 登记）"), unit_of_work(session):
            serve_notice(session, b1, MONTHLY, dt.date(2024, 3, 4), "mail", "", "wang")
        with pytest.raises(Refused, match="晚于今天"), unit_of_work(session):
            serve_notice(session, b1, NO_SIGNIN, dt.date(2024, 3, 5), "mail", "", "wang")
    [told] = session.scalars(select(Message)).all()
    assert told.recipient == "site@contractor.com.cn" and told.content["title"] == "【更换人员通知书已送达】B-1"
    item = told.content["sections"][0]["items"][0]
    assert item["text"] == ("A 张伟 的更换人员通知书（月累计迟到早退）已于 2024-03-04 当面送达，"
                            "请在 2024-03-16 前完成更换，并登录系统确认收到")
    assert item["link"] == "/attendance/B-1/demands/notice?staff_id=A&reason=monthly_late_early&raised_on=2024-03-01"
    with time_machine.travel(dt.datetime(2024, 3, 5, 9, 15), tick=False), unit_of_work(session):
        acknowledge_notice(session, b1, MONTHLY, "co")
    with pytest.raises(Refused, match="已于 2024-03-05 09:15 由 co 确认收到"), unit_of_work(session):
        acknowledge_notice(session, b1, MONTHLY, "co")
    html = notice_html(notice_document(session, b1, MONTHLY))
    assert "送达记录：2024-03-04 当面送达（wang 登记；交项目经理签收）" in html
    assert "服务单位已确认收到：co，2024-03-05 09:15" in html


def test_a_waived_demand_has_no_notice_to_serve(hall, session):
    waive(session, "B-1", "A", "no_signin", dt.date(2024, 2, 1), "一月在外培训", "wang")
    with pytest.raises(Refused, match="已豁免"), unit_of_work(session):
        serve_notice(session, contract(session, "B-1"), NO_SIGNIN, dt.date(2024, 2, 2), "mail", "", "wang")
