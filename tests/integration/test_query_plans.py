"""The month queries use their indexes on PostgreSQL as years of data accumulate (migration 0006).

A province's database: 120 contracts over three years, 20 staff each, two punches a day for one in twenty, a
make-up and a leave a month, 36 months of stored summaries, complaints and settlements. After ANALYZE, EXPLAIN of
each month query — written as the service issues it — must reach its table through the index named, never by a
sequential scan: a month is 1/36 of a contract's rows and a contract 1/120 of the table. (SQLite has one planner
and no statistics worth asserting on; these plans are PostgreSQL's.)
"""
import json

import pytest
from sqlalchemy import text

CONTRACTS, STAFF_PER_CONTRACT, MONTHS = 120, 20, 36
MONTH, LO, HI = "2023-07", "2023-07-01 00:00:00", "2023-08-01 00:00:00"

COUNT_FIELDS = ("scheduled_days", "scheduled_minutes", "excused_minutes", "late_count", "serious_late_count",
                "late_minutes", "early_count", "early_minutes", "missing_punch_count", "absent_sessions",
                "absent_minutes", "chargeable_minutes", "makeup_used", "makeup_rejected", "punch_count",
                "late_early_events")

FILL = [
    "INSERT INTO contract (code, name, contractor, start, \"end\", total_fee, current_version) "
    "SELECT 'C' || g, '合同 ' || g, '服务单位 ' || (g % 7), DATE '2022-01-01', DATE '2024-12-31', 1000000, 1 "
    "FROM generate_series(1, :contracts) g",
    "INSERT INTO department (name) VALUES ('受理科')",
    "INSERT INTO staff (staff_id, name, contract_id, department_id, hired_on) "
    "SELECT 'S' || lpad(g::text, 6, '0'), '员工', c.id, (SELECT min(id) FROM department), DATE '2020-01-01' "
    "FROM generate_series(0, :contracts * :per - 1) g JOIN contract c ON c.code = 'C' || (g / :per + 1)",
    # two punches a day on three years of days, for every twentieth person (the rest would only slow the test)
    "INSERT INTO punch (staff_id, time, device) "
    "SELECT s.staff_id, d + t, '大厅一号机' FROM staff s "
    "CROSS JOIN generate_series(TIMESTAMP '2022-01-01', TIMESTAMP '2024-12-31', INTERVAL '1 day') d "
    "CROSS JOIN (VALUES (INTERVAL '8 hours 21 minutes'), (INTERVAL '17 hours 36 minutes')) v(t) "
    "WHERE s.id % 20 = 0",
    "INSERT INTO makeup (staff_id, time, reason, approved) "
    "SELECT s.staff_id, m + INTERVAL '8 hours 30 minutes', '忘记打卡', true FROM staff s "
    "CROSS JOIN generate_series(TIMESTAMP '2022-01-03', TIMESTAMP '2024-12-03', INTERVAL '1 month') m",
    "INSERT INTO leave (staff_id, start, \"end\", kind, approved) "
    "SELECT s.staff_id, m, m + INTERVAL '1 day', '年假', true FROM staff s "
    "CROSS JOIN generate_series(TIMESTAMP '2022-01-10', TIMESTAMP '2024-12-10', INTERVAL '1 month') m",
    "INSERT INTO month_summary (contract_id, month, staff_id, " + ", ".join(COUNT_FIELDS) + ", no_signin_month) "
    "SELECT s.contract_id, to_char(m, 'YYYY-MM'), s.staff_id, " + ", ".join("1" for _ in COUNT_FIELDS) + ", false "
    "FROM staff s CROSS JOIN generate_series(DATE '2022-01-01', DATE '2024-12-01', INTERVAL '1 month') m",
    "INSERT INTO demand (contract_id, staff_id, reason, raised_on, deadline, waived, unenforced) "
    "SELECT s.contract_id, s.staff_id, 'monthly_late_early', m::date, m::date + 15, false, s.id % 3 = 0 FROM staff s "
    "CROSS JOIN generate_series(DATE '2022-02-01', DATE '2024-12-01', INTERVAL '3 months') m",
    "INSERT INTO demand_month (demand_id, contract_id, staff_id, month, first_day, waived) "
    "SELECT d.id, d.contract_id, d.staff_id, to_char(d.raised_on + 20 + 31 * k, 'YYYY-MM'), d.raised_on + 20 + 31 * k, "
    "false "
    "FROM demand d CROSS JOIN generate_series(0, 2) k",
    "INSERT INTO attendance_month (contract_id, month, listed, flagged, " + ", ".join(COUNT_FIELDS)
    + ", no_signin_month) SELECT c.id, to_char(m, 'YYYY-MM'), 20, 1, " + ", ".join("20" for _ in COUNT_FIELDS)
    + ", 0 FROM contract c CROSS JOIN generate_series(DATE '2022-01-01', DATE '2024-12-01', INTERVAL '1 month') m",
    "INSERT INTO complaint (complaint_id, contract_id, channel, category, received_on, extended, substantiated, "
    "updated_at) SELECT 'Q' || c.id || '-' || g, c.id, 'hotline', 'business', DATE '2022-01-01' + (g * 11) % 1095, "
    "false, false, TIMESTAMP '2025-01-01' FROM contract c CROSS JOIN generate_series(1, 100) g",
    "INSERT INTO settlement (contract_id, period, state, version) "
    "SELECT c.id, to_char(m, 'YYYY-MM'), 'draft', 1 FROM contract c "
    "CROSS JOIN generate_series(DATE '2022-01-01', DATE '2024-12-01', INTERVAL '1 month') m",
    "INSERT INTO assessment_row (contract_id, month, item_code, item, points, date, rank, row_key, loaded_at) "
    "SELECT c.id, to_char(m, 'YYYY-MM'), 'SVC-01', '服务态度', -1, (m + INTERVAL '20 days')::date, k, md5(c.id || '-' || m::text || '-' || k), "
    "TIMESTAMP '2025-01-01' FROM contract c "
    "CROSS JOIN generate_series(DATE '2022-01-01', DATE '2024-12-01', INTERVAL '1 month') m "
    "CROSS JOIN generate_series(1, 3) k",
]

# each as hallmon.*.services issues it, for the contract in the middle of the table
QUERIES = {
    # attendance.store.month_inputs
    "punches of a contract's month": (
        "SELECT p.staff_id, p.time FROM punch p JOIN staff s ON s.staff_id = p.staff_id "
        "WHERE s.contract_id = :contract AND p.time >= :lo AND p.time < :hi",
        "punch", {"uq_punch_staff_id_time", "ix_punch_time"}),
    "make-ups of a contract's month": (
        "SELECT m.staff_id, m.time, m.approved FROM makeup m JOIN staff s ON s.staff_id = m.staff_id "
        "WHERE s.contract_id = :contract AND m.time >= :lo AND m.time < :hi",
        "makeup", {"uq_makeup_staff_id_time"}),
    "leave reaching into a contract's month": (
        "SELECT l.staff_id, l.start, l.\"end\", l.approved FROM leave l JOIN staff s ON s.staff_id = l.staff_id "
        "WHERE s.contract_id = :contract AND l.approved IS true AND l.start < :hi AND l.\"end\" > :lo",
        "leave", {"uq_leave_staff_id_start"}),
    # attendance.store.stored_summaries and month_sums
    "a contract's month summaries": (
        "SELECT month, staff_id, late_count FROM month_summary WHERE contract_id = :contract AND month IN (:month)",
        "month_summary", {"uq_month_summary_contract_id_month_staff_id"}),
    # attendance.store.stored_demands
    "a contract's demands": (
        "SELECT staff_id, reason, raised_on, deadline, first_late_punch FROM demand WHERE contract_id = :contract",
        "demand", {"ix_demand_contract_id", "ix_demand_contract_unenforced_raised",
                   "uq_demand_contract_id_staff_id_reason_raised_on"}),
    # attendance.store.unenforced_staff (B3 reads a period's unenforced person-months)
    "a contract's unenforced person-months of a month": (
        "SELECT DISTINCT month, staff_id FROM demand_month "
        "WHERE contract_id = :contract AND month IN (:month) AND waived IS false",
        "demand_month", {"ix_demand_month_contract_month"}),
    # attendance.store.demands_to_act_on (the month at a glance: the unenforced first, by raised_on)
    "a contract's unenforced demands, earliest first": (
        "SELECT staff_id, reason, raised_on FROM demand WHERE contract_id = :contract AND unenforced IS true "
        "ORDER BY raised_on, staff_id, reason LIMIT 20",
        "demand", {"ix_demand_contract_unenforced_raised"}),
    # attendance.store.month_rows
    "a contract's month totals, stored": (
        "SELECT * FROM attendance_month WHERE contract_id = :contract AND month IN (:month)",
        "attendance_month", {"pk_attendance_month"}),
    # complaints.services (C3: received in a window)
    "a contract's complaints received in a window": (
        "SELECT complaint_id, received_on, resolved_on FROM complaint "
        "WHERE contract_id = :contract AND received_on >= DATE '2023-01-01' AND received_on <= DATE '2023-12-31'",
        "complaint", {"ix_complaint_contract_received"}),
    # billing.services._row
    "a settlement by contract and period": (
        "SELECT id, state, version FROM settlement WHERE contract_id = :contract AND period = :month",
        "settlement", {"uq_settlement_contract_id_period"}),
    # assessment.services (S1 numbers a year's rows)
    "a contract's assessment rows of a year": (
        "SELECT id, month, item_code, points FROM assessment_row "
        "WHERE contract_id = :contract AND month >= '2023-01' AND month <= '2023-12'",
        "assessment_row", {"ix_assessment_row_contract_month"}),
}


def bitmap_indexes(plan: dict) -> list[str]:
    own = [plan["Index Name"]] if plan["Node Type"] == "Bitmap Index Scan" else []
    return own + [name for child in plan.get("Plans", []) for name in bitmap_indexes(child)]


def scans(plan: dict) -> list[tuple[str, str | None, str | None]]:
    """(node type, relation, index) of every scan of a table in an EXPLAIN (FORMAT JSON) plan tree; a bitmap heap
    scan is listed once per index its bitmap is built from."""
    node = plan["Node Type"]
    if node == "Bitmap Heap Scan":
        return [(node, plan["Relation Name"], name) for name in bitmap_indexes(plan)]
    found = [(node, plan.get("Relation Name"), plan.get("Index Name"))] if "Scan" in node else []
    return found + [scan for child in plan.get("Plans", []) for scan in scans(child)]


@pytest.fixture
def province(backend, engine):
    if backend != "postgresql":
        pytest.skip("query plans are PostgreSQL's (SQLite has no statistics to plan by)")
    with engine.begin() as conn:
        for statement in FILL:
            conn.execute(text(statement), {"contracts": CONTRACTS, "per": STAFF_PER_CONTRACT})
        # the tables by name: a bare ANALYZE would visit every schema of the database (other runs' too)
        conn.execute(text("ANALYZE contract, staff, punch, makeup, leave, month_summary, attendance_month, demand, demand_month, complaint, "
                          "settlement, "
                          "assessment_row"))
        middle = conn.execute(text("SELECT id FROM contract WHERE code = :c"), {"c": f"C{CONTRACTS // 2}"}).scalar()
    return middle


def test_every_month_query_reaches_its_table_through_its_index(province, engine):
    wrong = {}
    with engine.connect() as conn:
        for name, (sql, table, indexes) in QUERIES.items():
            raw = conn.execute(text("EXPLAIN (FORMAT JSON) " + sql),
                               {"contract": province, "lo": LO, "hi": HI, "month": MONTH}).scalar()
            found = scans((json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"])
            on_table = [s for s in found if s[1] == table]
            used = {index for _, _, index in on_table if index}
            if not on_table or any(kind == "Seq Scan" for kind, _, _ in on_table) or not used & indexes:
                wrong[name] = found
    assert wrong == {}
