"""B1–B5 and G1–G3 end to end through the command line, on a scenario computed by hand.

Contract B-1: 2024, total 240 000.00, monthly billing → every month's base M = 20 000.00.
Headcount 2. Default terms: per_point 0.01, pass 90, cap 0.30; unenforced_fine 1 000.00.

March 2024 (21 working days, no holidays):
- staffing: A scheduled 21 days; B hired Monday 11 March → 15 days; staffed 36 of 2 × 21 = 42
  → 20 000 × (1 − 36/42) = 20 000 / 7 = 2 857.142857 → 2 857.14
- attendance: scheduled 36 days × (210 + 180) = 14 040 minutes; chargeable = A late 10 min on
  5 March (IN 08:40:00, grace 5) + B's morning of 12 March with no punch (absent, 210 min) = 220
  → 20 000 × 220 / 14 040 = 313.390313 → 313.39
- assessment: 100 − 2.5 − 5 − 5 = 87.5 (two DRESS rows, no third: no recurrence) → 2.5 below 90
  → 20 000 × 0.01 × 2.5 = 500.00
- unenforced: A had 3 lates in February → demand raised 1 March, deadline 16 March; A punches
  after it in March → 1 person-month × 1 000.00 = 1 000.00
- total 2 857.14 + 313.39 + 500.00 + 1 000.00 = 4 670.53 ≤ cap 6 000.00 → not capped
- net 20 000.00 − 4 670.53 = 15 329.47
"""
from decimal import Decimal

import pytest
from sqlalchemy import text

from tests.billing_helpers import load_hall
from tests.drive import contract


@pytest.fixture
def hall(cli, tmp_path):
    return load_hall(cli, tmp_path)


def test_march_settles_to_the_fen_as_computed_by_hand(cli, hall):
    result = cli("settle", "B-1", "--month", "2024-03", "--json")
    assert result.exit_code == 0, result.stderr
    doc = result.json()
    assert doc["period"] == {"start": "2024-03-01", "end": "2024-03-31"}
    assert (doc["base_fee"], doc["deduction"], doc["net_fee"], doc["status"]) == ("20000.00", "4670.53", "15329.47", "draft")
    assert doc["warnings"] == []
    month = doc["months"][0]
    assert (month["month"], month["base"], month["score"], month["assessed"], month["capped"]) == ("2024-03", "20000.00", 87.5, True, False)
    assert [(line["kind"], line["amount"]) for line in month["lines"]] == [
        ("staffing", "2857.14"), ("attendance", "313.39"), ("assessment", "500.00"), ("unenforced", "1000.00")]
    basis = {line["kind"]: line["basis"] for line in month["lines"]}
    assert basis["staffing"] == {"staffed_person_days": 36, "headcount": 2, "working_days": 21, "shortfall_share": 0.1429}
    assert basis["attendance"] == {"chargeable_minutes": 220, "scheduled_minutes": 14040, "share": 0.0157}
    assert basis["assessment"] == {"assessed": True, "score": 87.5, "points_below": 2.5}
    assert basis["unenforced"] == {"person_months": 1, "fine": "1000.00", "staff_ids": ["A"]}


def test_a_month_outside_the_contract_is_refused(cli, hall):
    result = cli("settle", "B-1", "--month", "2025-01", "--json")
    assert result.exit_code == 2 and "不在合同" in result.stderr and result.stdout == ""


def submit(cli, hall, user="wang"):
    return cli("gate", "submit", "B-1", "--month", "2024-03", "--user", user, "--report", hall["report"], "--json")


def test_the_gate_walks_submit_verify_object_answer_verify_approve_pay(cli, hall):
    assert submit(cli, hall).json()["status"] == "submitted"
    assert cli("settle", "B-1", "--month", "2024-03", "--json").json()["status"] == "submitted"
    assert cli("gate", "verify", "B-1", "--month", "2024-03", "--user", "li", "--json").json()["status"] == "verified"
    objected = cli("gate", "object", "B-1", "--month", "2024-03", "--user", "co", "--line", "attendance",
                   "--text", "12 日上午考勤机故障", "--json")
    assert objected.exit_code == 0 and objected.json()["objection"] == 1
    blocked = cli("gate", "approve", "B-1", "--month", "2024-03", "--user", "li")
    assert blocked.exit_code == 2 and "未答复的异议" in blocked.stderr
    answered = cli("gate", "answer", "B-1", "--month", "2024-03", "--user", "wang", "--accept",
                   "--adjustment", "100.00", "--why", "设备故障属实", "--json")
    assert answered.json()["status"] == "submitted" and answered.json()["net_fee"] == "15429.47"
    assert cli("gate", "verify", "B-1", "--month", "2024-03", "--user", "li").exit_code == 0
    approved = cli("gate", "approve", "B-1", "--month", "2024-03", "--user", "zhao", "--json")
    assert approved.json()["status"] == "approved" and approved.json()["archive_seq"] == 1
    wrong = cli("gate", "pay", "B-1", "--month", "2024-03", "--user", "zhao", "--voucher", "记-0418",
                "--paid-on", "2024-04-18", "--amount", "15329.47")
    assert wrong.exit_code == 2 and "不符" in wrong.stderr
    paid = cli("gate", "pay", "B-1", "--month", "2024-03", "--user", "zhao", "--voucher", "记-0418",
               "--paid-on", "2024-04-18", "--amount", "15429.47", "--json")
    assert paid.json()["status"] == "paid" and paid.json()["archive_seq"] == 2
    doc = cli("settle", "B-1", "--month", "2024-03", "--json").json()
    assert doc["status"] == "paid" and doc["net_fee"] == "15429.47"
    assert doc["months"][0]["lines"][-1] == {"kind": "adjustment", "amount": "-100.00",
                                             "basis": {"objection": 1, "line": "attendance", "reason": "设备故障属实"}}
    audit = cli("audit", "verify", "--json")
    assert audit.exit_code == 0 and audit.json() == {"ok": True, "entries": 2, "first_broken": None, "warnings": []}


def test_a_late_punch_import_after_submission_fails_verification_naming_the_difference(cli, hall, tmp_path, session):
    submit(cli, hall)
    late = tmp_path / "late.csv"
    late.write_text("staff_id,time\nB,2024-03-12 08:31:00\nB,2024-03-12 12:01:00\n", encoding="utf-8")
    assert cli("ingest", "punches", late).exit_code == 0
    failed = cli("gate", "verify", "B-1", "--month", "2024-03", "--user", "li", "--json")
    assert failed.exit_code == 2
    paths = {d["path"]: d for d in failed.json()["differences"]}
    assert paths["months[2024-03].lines[attendance].basis.chargeable_minutes"] == {
        "path": "months[2024-03].lines[attendance].basis.chargeable_minutes", "snapshot": 220, "now": 10}
    assert "核验未通过" in failed.stderr
    # the snapshot stands until finance suspends and the manager resubmits with the new numbers
    assert cli("settle", "B-1", "--month", "2024-03", "--json").json()["deduction"] == "4670.53"
    assert cli("gate", "suspend", "B-1", "--month", "2024-03", "--user", "li", "--why", "补录打卡后数据不符").exit_code == 0
    again = submit(cli, hall)
    assert again.exit_code == 0
    # attendance now 20 000 × 10 / 14 040 = 14.245 → 14.25; deduction 2 857.14 + 14.25 + 500 + 1 000 = 4 371.39
    assert cli("settle", "B-1", "--month", "2024-03", "--json").json()["deduction"] == "4371.39"
    assert cli("gate", "verify", "B-1", "--month", "2024-03", "--user", "li").exit_code == 0
    events = session.execute(text("SELECT action, from_state, to_state, actor FROM settlement_event ORDER BY id")).all()
    assert [tuple(e) for e in events] == [
        ("submit", "draft", "submitted", "wang"), ("verify_failed", "submitted", "submitted", "li"),
        ("suspend", "submitted", "suspended", "li"), ("submit", "suspended", "submitted", "wang"),
        ("verify", "submitted", "verified", "li")]


def test_the_gate_cannot_be_walked_around_from_the_command_line(cli, hall):
    assert submit(cli, hall, user="li").exit_code == 2              # finance cannot submit
    assert submit(cli, hall, user="nobody").exit_code == 2          # no such user
    assert cli("gate", "verify", "B-1", "--month", "2024-03", "--user", "wang").exit_code == 2  # nothing submitted
    submit(cli, hall)
    assert cli("gate", "approve", "B-1", "--month", "2024-03", "--user", "li").exit_code == 2  # not verified
    assert cli("gate", "verify", "B-1", "--month", "2024-03", "--user", "wang").exit_code == 2  # a manager cannot verify
    assert cli("gate", "pay", "B-1", "--month", "2024-03", "--user", "li", "--voucher", "v", "--paid-on",
               "2024-04-01", "--amount", "15329.47").exit_code == 2                            # not approved


def test_a_month_not_assessed_cannot_be_submitted(cli, hall):
    result = cli("gate", "submit", "B-1", "--month", "2024-04", "--user", "wang", "--report", hall["report"])
    assert result.exit_code == 2 and "2024-04" in result.stderr and "未考核" in result.stderr


def test_audit_verify_names_the_first_altered_entry(cli, hall, db_url):
    submit(cli, hall)
    cli("gate", "verify", "B-1", "--month", "2024-03", "--user", "li")
    cli("gate", "approve", "B-1", "--month", "2024-03", "--user", "zhao")
    from hallmon.db import make_engine

    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE archive_entry SET payload = replace(payload, '15329.47', '16329.47') WHERE seq = 1"))
    engine.dispose()
    result = cli("audit", "verify", "--json")
    assert result.exit_code == 1
    assert result.json()["first_broken"]["seq"] == 1 and "第 1 条" in result.stderr


def test_an_approved_settlement_never_changes_and_later_data_shows_as_a_difference(cli, hall, tmp_path, session):
    from hallmon.billing.services import carried_difference

    submit(cli, hall)
    cli("gate", "verify", "B-1", "--month", "2024-03", "--user", "li")
    cli("gate", "approve", "B-1", "--month", "2024-03", "--user", "zhao")
    late = tmp_path / "late.csv"
    late.write_text("staff_id,time\nB,2024-03-12 08:31:00\nB,2024-03-12 12:01:00\n", encoding="utf-8")
    cli("ingest", "punches", late)
    assert cli("settle", "B-1", "--month", "2024-03", "--json").json()["net_fee"] == "15329.47"
    carry = carried_difference(session, contract(session, "B-1"), "2024-03")
    assert carry.net_fee_now == "15628.61" and carry.carry == "299.14"  # 313.39 − 14.25 to give back later
    assert cli("audit", "verify").exit_code == 0


@pytest.mark.parametrize("fmt", ["xlsx", "html"])
def test_the_statement_exports_every_line_with_its_basis(cli, hall, tmp_path, fmt):
    out = tmp_path / f"statement.{fmt}"
    assert cli("export", "statement", "B-1", "--month", "2024-03", "--format", fmt, "--output", out).exit_code == 0
    if fmt == "html":
        page = out.read_text(encoding="utf-8")
        assert "在岗人日 36 ÷（约定人数 2 × 工作日 21）" in page and "15329.47" in page
    else:
        from hallmon.core.exports import read_rows

        assert ["应付净额（元）", "15329.47"] in read_rows(out.read_bytes())


@pytest.mark.parametrize("fmt", ["xlsx", "html"])
def test_the_assessment_report_lists_each_month_and_every_item(cli, hall, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    result = cli("export", "assessment-report", "B-1", "--month", "2024-03", "--format", fmt, "--as-of", "2024-04-30",
                 "--output", out)
    assert result.exit_code == 0, result.stderr
    if fmt == "html":
        page = out.read_text(encoding="utf-8")
        assert "着装仪容" in page and "87.5" in page and "按时通报" in page
    else:
        from hallmon.core.exports import read_rows

        rows = read_rows(out.read_bytes())
        assert rows[1][:4] == ["2024-03", "是", 87.5, "良"]
        assert rows[1][6] == "按时通报"  # notified 8 April, deadline the 10th working day after 31 March


def test_money_paid_is_summed_exactly_on_every_database(cli, hall, session):
    from hallmon.billing.services import paid_total
    from hallmon.roster.services import get_contract

    submit(cli, hall)
    cli("gate", "verify", "B-1", "--month", "2024-03", "--user", "li")
    cli("gate", "approve", "B-1", "--month", "2024-03", "--user", "zhao")
    cli("gate", "pay", "B-1", "--month", "2024-03", "--user", "zhao", "--voucher", "V", "--paid-on", "2024-04-18",
        "--amount", "15329.47")
    total = paid_total(session, get_contract(session, "B-1"))
    assert total == Decimal("15329.47") and isinstance(total, Decimal) and str(total) == "15329.47"


def test_answering_when_no_objection_is_open_says_so(cli, hall):
    submit(cli, hall)
    result = cli("gate", "answer", "B-1", "--month", "2024-03", "--user", "wang", "--reject", "--why", "无")
    assert result.exit_code == 2 and "本结算期没有待答复的异议" in result.stderr
