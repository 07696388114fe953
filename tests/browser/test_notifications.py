"""Through Chromium: a manager subscribes and acknowledges an alert, prints and serves a replacement notice; the
contractor acknowledges the notice in the app."""
import pytest

from tests.billing_helpers import load_hall
from tests.browser.screenshots import ARTIFACTS, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def hall_app(backend, cli, tmp_path, make_app):
    if backend != "sqlite":
        pytest.skip("the browser walk runs once, on SQLite; the services it calls are covered on PostgreSQL")
    load_hall(cli, tmp_path)
    assert cli("alerts", "refresh", "--as-of", "2024-04-30").exit_code == 0
    return make_app(WTF_CSRF_ENABLED=True)


def test_subscribing_acknowledging_an_alert_and_a_replacement_notice_served_and_acknowledged(hall_app, live,
                                                                                           page_as):
    server = live(hall_app)
    manager = page_as(server, "wang", "wang-password")

    # subscribing: an address, and the settlements of B-1 on top of the role's defaults
    manager.click("nav >> text=我的通知")
    assert "当前使用“中心业务科室”角色的默认订阅" in manager.content()
    manager.fill("input[name=email]", "wang@centre.gov.cn")
    manager.check("input[value='objection_answered|B-1']")
    manager.uncheck("input[value='spending_behind|*']")
    manager.click("button:has-text('保存')")
    assert "通知设置已保存" in manager.content() and "当前使用自选的订阅" in manager.content()
    assert manager.is_checked("input[value='objection_answered|B-1']")
    assert not manager.is_checked("input[value='spending_behind|*']")
    screenshot(manager, "notify-subscriptions")

    # acknowledging an alert: it leaves the count beside 提醒 and stays listed, with who and why
    manager.goto(server.url + "/alerts")
    count = int(manager.inner_text("header nav .count"))
    row = manager.locator("tr", has_text="支付进度落后于用款计划")
    row.locator("input[name=note]").fill("已报财务科，5 月 10 日前支付")
    row.locator("button", has_text="确认").click()
    assert int(manager.inner_text("header nav .count")) == count - 1
    acknowledged = manager.locator("tr.acknowledged")
    assert acknowledged.count() == 1 and "已报财务科，5 月 10 日前支付" in acknowledged.inner_text()
    screenshot(manager, "alerts-acknowledged")

    # the replacement notice: opened from the demands list, served, printed
    manager.goto(server.url + "/attendance/B-1/demands")
    manager.locator("tr", has_text="2024-03-01").locator("a", has_text="通知书").click()
    assert "更换人员通知书" in manager.content() and "2024-02-05（周一）" in manager.content()
    manager.fill("input[name=served_on]", "2024-03-04")
    manager.select_option("select[name=how]", "in_person")
    manager.fill("input[name=note]", "项目经理签收")
    manager.click("button:has-text('登记送达')")
    assert "已登记送达" in manager.content() and "送达记录：2024-03-04 当面送达" in manager.content()
    screenshot(manager, "replacement-notice")
    manager.emulate_media(media="print")
    assert not manager.is_visible(".toolbar") and manager.is_visible("h1:has-text('更换人员通知书')")
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = manager.pdf(path=str(ARTIFACTS / "replacement-notice.pdf"), format="A4")
    assert pdf.startswith(b"%PDF")
    screenshot(manager, "replacement-notice-print")

    # the contractor acknowledges it in the app
    contractor = page_as(server, "co", "co-password")
    assert "待服务单位确认" in contractor.content()
    contractor.locator("tr", has_text="2024-03-01").locator("a", has_text="通知书").first.click()
    contractor.click("button:has-text('确认收到本通知书')")
    assert "已确认收到更换人员通知书" in contractor.content()
    row = contractor.locator("tr", has_text="2024-03-01").first
    assert "服务单位已确认" in row.inner_text()
    screenshot(contractor, "replacement-notice-acknowledged")
    manager.emulate_media(media="screen")
    manager.reload()
    assert "服务单位已确认收到：co" in manager.content()
