"""The notification pages through the test client: my notifications, the admin's outbox and robots, acknowledging an
alert, the replacement notice served and acknowledged."""
import datetime as dt
import re

import pytest
from sqlalchemy import select

from hallmon.alerts.models import Alert
from hallmon.auth.models import Subscription, User
from hallmon.notify.models import Message, ReplacementNotice
from hallmon.uow import unit_of_work
from tests.billing_helpers import load_hall
from tests.integration.test_unit_of_work import recorded, writes_in

NOTICE = "/attendance/B-1/demands/notice?staff_id=A&reason=monthly_late_early&raised_on=2024-03-01"


@pytest.fixture
def hall(cli, tmp_path, users):
    files = load_hall(cli, tmp_path)
    assert cli("alerts", "refresh", "--as-of", "2024-04-30").exit_code == 0
    return files


def user(session, name: str) -> User:
    session.expire_all()
    return session.scalar(select(User).where(User.username == name))


def flashes(page: str) -> str:
    """The messages flashed on the page (those of earlier requests not shown yet included)."""
    return " ".join(re.findall(r'<p class="flash \w+">([^<]*)</p>', page))


def test_a_contractor_chooses_its_address_and_subscriptions_among_its_own_contracts(login, hall, session):
    client = login("contractor")
    page = client.get("/account/notifications").get_data(as_text=True)
    assert "当前使用“服务单位”角色的默认订阅" in page and "<th>B-1</th>" in page
    assert 'value="demand_raised|*" aria-label="新的更换人员要求 全部合同" checked' in page
    assert 'value="spending_behind|*" aria-label="支付进度落后于用款计划 全部合同">' in page

    client.post("/account/notifications", data={"email": "site@contractor.com.cn",
                                                "sub": ["demand_raised|B-1", "notice_served|*"]})
    me = user(session, "contractor")
    assert me.email == "site@contractor.com.cn" and me.notify_custom
    assert sorted(session.execute(select(Subscription.kind, Subscription.contract)
                                  .where(Subscription.user_id == me.id)).all()) == [
        ("demand_raised", "B-1"), ("notice_served", "*")]
    # a contract it may not see is refused, and nothing changes
    refused = client.post("/account/notifications", data={"email": "x@y.cn", "sub": ["demand_raised|B-9"]},
                          follow_redirects=True).get_data(as_text=True)
    assert "不能订阅合同 B-9" in flashes(refused) and user(session, "contractor").email == "site@contractor.com.cn"
    bad = client.post("/account/notifications", data={"email": "not an address"}, follow_redirects=True)
    assert "电子邮件地址无效" in flashes(bad.get_data(as_text=True))
    client.post("/account/notifications", data={"action": "reset"})
    assert not user(session, "contractor").notify_custom
    # someone else's page is the administrator's only
    assert client.get(f"/account/notifications?user={user(session, 'manager').id}").status_code == 403


def test_the_administrator_edits_anyones_subscriptions(login, hall, session):
    admin = login("admin")
    target = user(session, "finance")
    page = admin.get(f"/account/notifications?user={target.id}").get_data(as_text=True)
    assert "通知设置 · finance（财务科室）" in page
    admin.post("/account/notifications", data={"user": str(target.id), "email": "li@centre.gov.cn",
                                               "sub": ["spending_behind|B-1"]})
    assert user(session, "finance").email == "li@centre.gov.cn" and user(session, "admin").email is None
    assert "自选 1 项" in admin.get("/admin/notifications").get_data(as_text=True)


def test_the_admin_page_shows_failed_and_uncertain_messages_and_takes_a_decision(login, hall, session):
    at = dt.datetime(2024, 5, 1, 9)
    with unit_of_work(session):
        for status, error in (("failed", "已尝试 6 次，停止重试：SMTP 拒绝邮件：451"),
                              ("uncertain", "邮件内容已发出，未收到服务器答复"), ("sent", None)):
            session.add(Message(key=f"test/{status}", channel="email", recipient="wang@centre.gov.cn",
                                content={"title": f"【投诉逾期未办结】B-1 {status}", "sections": []}, status=status,
                                attempts=6 if status == "failed" else 1, next_attempt_at=at, created_at=at,
                                last_error=error))
    admin = login("admin")
    with recorded() as seen:
        page = admin.get("/admin/notifications").get_data(as_text=True)
    assert writes_in(seen) == []
    attention = page[page.index("需要处理的通知"):page.index("最近的通知")]
    assert "发送失败（已停止重试）" in attention and "可能已发送（未重发，待核实）" in attention
    assert "SMTP 拒绝邮件：451" in attention and "B-1 sent" not in attention
    assert attention.count(">重新发送</button>") == 2 and attention.count(">确认已收到</button>") == 1
    uncertain = session.scalar(select(Message).where(Message.status == "uncertain"))
    admin.post("/admin/notifications/message", data={"message": str(uncertain.id), "action": "resend"})
    session.expire_all()
    assert (uncertain.status, uncertain.attempts, uncertain.resolved_by) == ("pending", 0, "admin")
    done = admin.post("/admin/notifications/message", data={"message": str(uncertain.id), "action": "confirm"},
                      follow_redirects=True).get_data(as_text=True)
    assert "不能确认已收到" in flashes(done)
    admin.post("/admin/notifications/robots", data={"robot": "大厅群", "sub": ["complaint_overdue|B-1"]})
    assert "<h3>大厅群" in admin.get("/admin/notifications").get_data(as_text=True)
    assert login("manager").get("/admin/notifications").status_code == 403


def test_an_acknowledged_alert_leaves_the_header_count_and_stays_listed(login, hall, session):
    client = login("manager")
    page = client.get("/alerts").get_data(as_text=True)
    standing = int(re.search(r'提醒 <span class="count">(\d+)</span>', page).group(1))
    alert = session.scalar(select(Alert).where(Alert.kind == "spending_behind"))
    empty = client.post("/alerts/acknowledge", data={"alert": str(alert.id), "note": " "}, follow_redirects=True)
    assert "确认提醒须写明处理说明" in flashes(empty.get_data(as_text=True))
    page = client.post("/alerts/acknowledge", data={"alert": str(alert.id), "note": "已报财务科，5 月 10 日前支付"},
                       follow_redirects=True).get_data(as_text=True)
    assert int(re.search(r'提醒 <span class="count">(\d+)</span>', page).group(1)) == standing - 1
    row = re.search(r'<tr class="acknowledged">.*?</tr>', page, re.S).group(0)
    assert "已确认</span>：manager" in row and "已报财务科，5 月 10 日前支付" in row and alert.message in row
    assert page.count('<form method="post" action="/alerts/acknowledge"') == standing - 1
    assert login("contractor").post("/alerts/acknowledge", data={"alert": str(alert.id), "note": "x"}).status_code == 403


def test_the_manager_serves_the_notice_and_the_contractor_acknowledges_it(login, hall, session):
    manager = login("manager")
    page = manager.get(NOTICE).get_data(as_text=True)
    assert "更换人员通知书" in page and "登记送达" in page and "确认收到本通知书" not in page
    assert "2024-02-05（周一）" in page and "请贵单位于 2024-03-16 前完成对该人员的更换" in page
    manager.post("/attendance/B-1/demands/notice/served",
                 data={"staff_id": "A", "reason": "monthly_late_early", "raised_on": "2024-03-01",
                       "served_on": "2024-03-04", "how": "in_person", "note": "项目经理签收"})
    notice = session.scalar(select(ReplacementNotice))
    assert (notice.served_on, notice.served_how, notice.served_by) == (dt.date(2024, 3, 4), "in_person", "manager")
    demands = manager.get("/attendance/B-1/demands").get_data(as_text=True)
    assert "已送达 2024-03-04（当面送达）" in demands and "待服务单位确认" in demands and "未送达" in demands

    contractor = login("contractor")
    page = contractor.get(NOTICE).get_data(as_text=True)
    assert "确认收到本通知书" in page and "登记送达" not in page
    contractor.post("/attendance/B-1/demands/notice/acknowledge",
                    data={"staff_id": "A", "reason": "monthly_late_early", "raised_on": "2024-03-01"})
    session.expire_all()
    assert notice.acknowledged_by == "contractor" and notice.acknowledged_at is not None
    assert "服务单位已确认" in contractor.get("/dashboard").get_data(as_text=True)
    assert "服务单位已确认" in manager.get("/dashboard?contract=B-1&month=2024-03").get_data(as_text=True)
    assert login("other").get(NOTICE).status_code == 403
    assert manager.get(NOTICE.replace("2024-03-01", "2024-03-02")).status_code == 404
