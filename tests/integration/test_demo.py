"""hallmon demo --no-serve builds the demo hall of seed 000 through the ordinary services."""
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
