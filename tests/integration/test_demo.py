"""hallmon demo --no-serve builds the demo hall of the Datong report through the ordinary services."""
from sqlalchemy import func, select

from hallmon.auth.models import User
from hallmon.roster.models import Contract, Department, Staff, Window


def test_the_demo_hall_has_one_contract_255_posts_8_departments_and_81_windows(demo, demo_session):
    session = demo_session
    contract = session.scalar(select(Contract))
    terms = contract.terms()
    assert (contract.code, terms.headcount, terms.billing_months) == ("DT-2024", 255, 1)
    assert [(s.start, s.end) for s in terms.schedule.sessions] == [(510, 720), (870, 1050)]
    assert session.scalar(select(func.count()).select_from(Window)) == 81
    assert set(session.scalars(select(Department.name))) == {
        "受理科", "审核科", "登簿发证科", "交易资金事务科", "地籍房屋测绘科", "政策法规科", "数据信息科", "档案查询"}
    assert session.scalar(select(func.count()).select_from(Staff).where(Staff.left_on.is_(None))) == 255
    assert {u.role for u in session.scalars(select(User))} == {"admin", "manager", "finance", "contractor"}
    for line in ("admin", "manager", "finance", "contractor"):
        assert line in demo.output and "密码" in demo.output


def test_the_demo_rebuilds_from_nothing_when_run_again(cli, session, tmp_path):
    # a database holding only the demo contract (as a previous demo left it) is emptied and rebuilt
    from hallmon.demo.hall import TERMS

    terms = tmp_path / "dt.toml"
    terms.write_text(TERMS, encoding="utf-8")
    cli("contract", "load", terms)
    cli("user", "add", "old-user", "--role", "manager", "--password", "long-enough")
    assert cli("demo", "--no-serve").exit_code == 0
    assert session.scalar(select(func.count()).select_from(Contract)) == 1
    assert session.scalar(select(User).where(User.username == "old-user")) is None


def test_the_demo_never_overwrites_a_database_holding_another_contract(cli, terms_file, session):
    cli("contract", "load", terms_file)
    result = cli("demo", "--no-serve")
    assert result.exit_code == 2 and "不会覆盖" in result.stderr
    assert session.scalar(select(Contract.code)) == "T-1"


def test_the_demo_year_of_settlements_went_through_the_gate(demo_cli, demo_session):
    from hallmon.billing.models import Objection, Settlement, SettlementEvent

    cli, session = demo_cli, demo_session
    states = dict(session.execute(select(Settlement.period, Settlement.state)).all())
    assert states == {**{f"2024-{m:02d}": "paid" for m in range(1, 11)}, "2024-11": "approved", "2024-12": "submitted"}
    august = session.scalar(select(Settlement).where(Settlement.period == "2024-08"))
    actions = [e.action for e in session.scalars(select(SettlementEvent).where(SettlementEvent.settlement_id == august.id)
                                                 .order_by(SettlementEvent.id))]
    assert actions == ["submit", "suspend", "submit", "verify", "approve", "pay"]
    objection = session.scalar(select(Objection))
    assert (objection.month, objection.line_kind, objection.status) == ("2024-05", "attendance", "accepted")
    audit = cli("audit", "verify", "--json")
    assert audit.exit_code == 0 and audit.json()["entries"] == 21


def test_the_demo_alerts_of_27_march_2024_include_the_overdue_january_notice(demo_cli):
    result = demo_cli("alerts", "--as-of", "2024-03-27", "--json")
    assert result.exit_code == 0, result.stderr
    notices = [a for a in result.json()["alerts"] if a["kind"] == "notice_overdue"]
    # January's was sent on 26 March, 36 days late; February's deadline (14 March) has passed with none sent
    assert [(a["subject"], a["details"]["status"]) for a in notices] == [
        ("DT-2024/2024-01", "late"), ("DT-2024/2024-02", "missing")]
    assert "2024-03-26" in notices[0]["message"] and "逾期 36 天" in notices[0]["message"]


def test_the_demo_self_evaluation_exports_with_every_indicator_traced(demo_cli, tmp_path):
    out = tmp_path / "自评.xlsx"
    result = demo_cli("evaluation", "report", "DT-2024", "--year", "2024", "--as-of", "2025-03-31", "--json",
                      "--xlsx", out)
    assert result.exit_code == 0, result.stderr
    doc = result.json()
    assert len(doc["indicators"]) == 9 and all(i["basis"] for i in doc["indicators"])
    by = {i["code"]: i for i in doc["indicators"]}
    assert by["petitions_resolved"]["basis"] == "本年信访 1091 件，年底前办结 460 件（C3）"
    assert by["months_passed"]["actual"] == "11 个月"          # August below 90
    assert out.stat().st_size > 5000
