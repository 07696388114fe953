"""Through Chromium: log in as each role, upload a bad file, walk a settlement through the gate, object to a line."""
import pytest

from tests.billing_helpers import load_hall
from tests.browser.screenshots import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def hall_app(backend, cli, tmp_path, make_app):
    if backend != "sqlite":
        pytest.skip("the browser walk runs once, on SQLite; the services it calls are covered on PostgreSQL")
    files = load_hall(cli, tmp_path)
    return make_app(WTF_CSRF_ENABLED=True), files


def test_a_bad_upload_shows_its_rows_and_a_settlement_walks_through_two_keys(hall_app, live, page_as, tmp_path):
    app, files = hall_app
    server = live(app)

    manager = page_as(server, "wang", "wang-password")
    assert "业务科室工作台" in manager.content()
    bad = tmp_path / "考勤.csv"
    bad.write_text("staff_id,time\nA,2024-04-01 08:20:00\nZZ,2024-04-01 08:21:00\nA,2024-04-31 08:00:00\n",
                   encoding="utf-8")
    manager.goto(server.url + "/uploads/")
    manager.select_option("select[name=kind]", "punches")
    manager.set_input_files("input[name=file]", str(bad))
    manager.click("form.card button[type=submit]")
    body = manager.inner_text("section.result")
    assert "未导入" in body and "工号不在花名册中" in body and "无法识别的日期时间" in body
    assert manager.locator("table.errors tbody tr").count() == 2

    manager.goto(server.url + "/settlements/B-1/2024-03")
    manager.set_input_files("input[name=report]", str(files["report"]))
    manager.click("text=提交结算单")
    assert "已提交待核验" in manager.content()

    contractor = page_as(server, "co", "co-password")
    contractor.goto(server.url + "/settlements/B-1/2024-03")
    row = contractor.locator("tr", has_text="考勤扣减")
    row.locator("input[name=text]").fill("12 日上午考勤机故障")
    row.locator("button", has_text="提出异议").click()
    assert "12 日上午考勤机故障" in contractor.content()

    manager.goto(server.url + "/settlements/B-1/2024-03")
    manager.fill("input[name=why]", "打卡记录完整，驳回")
    manager.click("button:has-text('答复')")
    assert "驳回：打卡记录完整，驳回" in manager.content()

    verifier = page_as(server, "li", "li-password")
    verifier.goto(server.url + "/settlements/B-1/2024-03")
    verifier.click("text=核验（按现有数据重新计算并比对）")
    assert "已核验待审批" in verifier.content()
    assert verifier.locator("text=审批并归档").count() == 1

    approver = page_as(server, "zhao", "zhao-password")
    approver.goto(server.url + "/settlements/B-1/2024-03")
    approver.click("text=审批并归档")
    assert "已审批待支付" in approver.content()
    screenshot(approver, "settlement-approved")


@pytest.mark.parametrize("role, heading", [("manager", "业务科室工作台"), ("finance", "财务核验工作台"),
                                           ("contractor", "服务单位工作台")])
def test_the_three_dashboards_of_the_demo_hall(demo, make_app, live, page_as, role, heading, backend):
    if backend != "sqlite":
        pytest.skip("screenshots are taken once, on SQLite")
    from hallmon.auth.services import add_user
    from hallmon.db import make_engine, session_factory
    from hallmon.demo.hall import CONTRACTOR
    from hallmon.uow import unit_of_work

    engine = make_engine(demo.url)
    with session_factory(engine)() as session, unit_of_work(session):
        add_user(session, f"b-{role}", role, "browser-password", CONTRACTOR if role == "contractor" else None)
    engine.dispose()
    from hallmon import create_app
    from hallmon.config import TestConfig

    app = create_app(type("Config", (TestConfig,), {"DATABASE_URL": demo.url}))
    server = live(app)
    page = page_as(server, f"b-{role}", "browser-password")
    page.wait_for_load_state("networkidle")
    assert heading in page.content()
    broken = page.evaluate("Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).length")
    assert broken == 0
    assert screenshot(page, f"dashboard-{role}").stat().st_size > 20_000
    app.extensions["hallmon.db"].engine.dispose()
