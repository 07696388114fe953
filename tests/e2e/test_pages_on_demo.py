"""Every page over the demo hall, for each role: it renders, in Chinese, and drills down to the records."""
import re

import pytest

CODE = "DT-2024"


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.get_data(as_text=True)[:800])
    return response.get_data(as_text=True)


def test_the_managers_month_at_a_glance(demo_login):
    client = demo_login("manager")
    html = page(client, f"/dashboard?contract={CODE}&month=2024-08")
    for text in ("本月考核得分", "迟到 / 早退", "缺卡 / 旷工", "更换人员要求", "投诉积压", "业务量", "合格线 90"):
        assert text in html, text
    assert "S0151" in html and "未执行" in html     # the unenforced demand of the demo
    for src in re.findall(r'<img src="([^"]+)"', html):
        response = client.get(src)
        assert response.status_code == 200 and response.data[:4] == b"\x89PNG", src
    # every figure links to the records behind it
    for href in sorted(set(re.findall(r'href="(/(?:attendance|assessment|complaints|caseload)/[^"]+)"', html)))[:25]:
        page(client, href.replace("&amp;", "&"))


def test_a_person_s_month_of_sessions(demo_login):
    html = page(demo_login("manager"), f"/attendance/{CODE}/2024-05/S0122")
    assert "整月未签到" in html and "旷工" in html and "本月没有排班" not in html


def test_the_attendance_month_lists_everyone(demo_login):
    html = page(demo_login("manager"), f"/attendance/{CODE}/2024-05")
    assert html.count('href="/attendance/DT-2024/2024-05/S') >= 255 and "合计" in html


def test_complaints_drill_down_to_the_backlog(demo_login, demo_cli):
    stats = demo_cli("complaints", "stats", CODE, "--from", "2024-01-01", "--to", "2024-12-31", "--json").json()
    html = page(demo_login("manager"), f"/complaints/{CODE}?start=2024-01-01&end=2024-12-31&figure=backlog")
    assert f"积压（{stats['backlog']} 件" in html and stats["backlog"] >= 631
    assert html.count("<tr class=") == min(stats["backlog"], 1000)


def test_the_assessment_year_and_month(demo_login):
    client = demo_login("manager")
    assert "月度考核" in page(client, f"/assessment/{CODE}/2024")
    august = page(client, f"/assessment/{CODE}/month/2024-08")
    assert "本年第几次" in august and "录入考核项目" in august


def test_caseload_year(demo_login):
    assert "档案查询" in page(demo_login("manager"), f"/caseload/{CODE}/2024")


def test_finance_sees_what_waits_for_verification_and_the_payment_progress(demo_login):
    html = page(demo_login("finance"), "/dashboard")
    assert "待核验" in html and "支付率" in html and "已提交待核验" in html
    detail = page(demo_login("finance"), f"/settlements/{CODE}/2024-12")
    assert "核验（按现有数据重新计算并比对）" in detail and "暂缓支付" in detail


def test_the_contractor_sees_its_deductions_and_may_object(demo_login):
    client = demo_login("contractor")
    html = page(client, "/dashboard")
    assert CODE in html and "结算单" in html
    detail = page(client, f"/settlements/{CODE}/2024-12")
    assert "提出异议" in detail and "在岗人日" in detail
    assert "核验（" not in detail  # not its key


@pytest.mark.parametrize("url", [f"/attendance/{CODE}/2024-05", f"/settlements/{CODE}/2024-05",
                                 f"/assessment/{CODE}/2024", "/dashboard?contract=" + CODE])
def test_another_contractor_is_refused_the_demo_contract(demo_login, url):
    assert demo_login("other").get(url).status_code == 403


def test_the_alert_count_is_in_the_header(demo_login, demo_session):
    from sqlalchemy import func, select

    from hallmon.alerts.models import Alert

    standing = demo_session.scalar(select(func.count()).select_from(Alert).where(Alert.active.is_(True)))
    assert standing > 0
    for role in ("manager", "finance"):
        html = page(demo_login(role), "/dashboard")
        assert f'提醒 <span class="count">{standing}</span>' in html, role
