"""An independent scenario computed by hand from rules §4, through the CLI JSON on SQLite and PostgreSQL.

Contract H-1, March–May 2024. Sessions 09:00–12:00 (180 min) and 13:00–17:00 (240 min), 420 a day.
A2: the boundary between them is (12:00 + 13:00) / 2 = 12:30; midpoints 10:30 and 15:00.
Grace 5, serious 30, make-up quota 2, monthly limit 2, annual limit 4, enforcement 10 days,
personnel complaints limit 2; a missing punch counts as absent.

Staff (A1):
  A  hired 2024-03-25, left 2024-04-03: March 25–29 (5 days), April 1–3 (3 days)
  B  hired 2020-01-01, left 2024-03-06: March 1, 4, 5, 6 (4 days)
  C  hired 2024-04-01, left 2024-04-09: April 1, 2, 3, 7 (Qingming make-up Sunday), 8, 9 (6 days)
  D  hired 2024-05-06, left 2024-05-08: May 6, 7, 8 (3 days)
  E  hired 2024-05-20, left 2024-05-24: May 20–24 (5 days), all on approved leave
"""
import datetime as dt

import pytest
from sqlalchemy import select

from hallmon.roster.models import Contract
from tests.drive import contract
from tests.factories import terms_toml, write

# the contracts H-1 and H-2: the base contract (tests/factories.py) with these terms
TERMS = {
    "name": "手算场景", "contractor": "场景人力资源有限公司", "start": dt.date(2024, 3, 1), "end": dt.date(2024, 5, 31),
    "total_fee": "300000.00", "headcount": 5,
    "schedule": {"sessions": [["09:00", "12:00"], ["13:00", "17:00"]], "grace_minutes": 5, "serious_late_minutes": 30,
                 "makeup_quota_per_month": 2},
    "attendance": {"monthly_late_early_limit": 2, "annual_late_early_limit": 4, "missing_punch_counts_as_absent": True,
                   "enforcement_days": 10},
    "complaints": {"personnel_limit_per_year": 2},
}

STAFF = """\
工号,姓名,合同编号,科室,窗口,入职日期,离职日期
A,甲,H-1,受理科,A01,2024-03-25,2024-04-03
B,乙,H-1,受理科,A02,2020-01-01,2024-03-06
C,丙,H-1,发证科,C01,2024-04-01,2024-04-09
D,丁,H-1,发证科,C02,2024-05-06,2024-05-08
E,戊,H-1,发证科,C03,2024-05-20,2024-05-24
"""

# A and B come from the ZKTeco terminal, the others from a canonical CSV.
ATTLOG = "\r\n".join([
    # A, Mon 25: all in time (08:55 → late 0; OUT 12:05; 12:50 is past 12:30, so the afternoon IN)
    "    A\t2024-03-25 08:55:00\t1\t0", "    A\t2024-03-25 12:05:00\t1\t1",
    "    A\t2024-03-25 12:50:00\t1\t0", "    A\t2024-03-25 17:10:00\t1\t1",
    # A, Tue 26: 09:05:59 is ⌊5 min 59 s⌋ = 5 → within grace; 13:06:00 is 6 → late (6)
    "    A\t2024-03-26 09:05:59\t1\t0", "    A\t2024-03-26 12:00:00\t1\t1",
    "    A\t2024-03-26 13:06:00\t1\t0", "    A\t2024-03-26 17:00:00\t1\t1",
    # A, Wed 27: 09:31 is 31 > 30 → serious late (and late, 31); 12:59:59 → 0; 16:54 → early 6
    "    A\t2024-03-27 09:31:00\t1\t0", "    A\t2024-03-27 12:01:00\t1\t1",
    "    A\t2024-03-27 12:59:59\t1\t0", "    A\t2024-03-27 16:54:00\t1\t1",
    # A, Thu 28: no lunch OUT — the accepted make-up at 12:00 fills it
    "    A\t2024-03-28 08:50:00\t1\t0", "    A\t2024-03-28 12:45:00\t1\t0", "    A\t2024-03-28 17:05:00\t1\t1",
    # A, Fri 29: morning IN from the make-up at 09:00; afternoon OUT's make-up is over the quota → 缺卡
    "    A\t2024-03-29 12:02:00\t1\t1", "    A\t2024-03-29 13:20:00\t1\t0",
    # A, Sat 30: overtime, counts as a punch of March only
    "    A\t2024-03-30 10:00:00\t1\t0",
    # B, Fri 1: exactly on every boundary: nothing
    "    B\t2024-03-01 09:00:00\t1\t0", "    B\t2024-03-01 12:00:00\t1\t1",
    "    B\t2024-03-01 13:00:00\t1\t0", "    B\t2024-03-01 17:00:00\t1\t1",
    # B, Tue 5: morning on leave; afternoon late 10 and early 20
    "    B\t2024-03-05 13:10:00\t1\t0", "    B\t2024-03-05 16:40:00\t1\t1",
    # B, Wed 6: 12:29:59 is before the 12:30 boundary: the morning OUT; no afternoon punch → absent
    "    B\t2024-03-06 08:59:00\t1\t0", "    B\t2024-03-06 12:29:59\t1\t1",
    # A in April: Tue 2 late 10; Thu 11 (after leaving, on the deadline day)
    "    A\t2024-04-01 08:58:00\t1\t0", "    A\t2024-04-01 12:03:00\t1\t1",
    "    A\t2024-04-01 12:55:00\t1\t0", "    A\t2024-04-01 17:02:00\t1\t1",
    "    A\t2024-04-02 09:10:30\t1\t0", "    A\t2024-04-02 12:03:00\t1\t1",
    "    A\t2024-04-02 12:55:00\t1\t0", "    A\t2024-04-02 17:02:00\t1\t1",
    "    A\t2024-04-03 08:58:00\t1\t0", "    A\t2024-04-03 12:03:00\t1\t1",
    "    A\t2024-04-03 12:55:00\t1\t0", "    A\t2024-04-03 17:02:00\t1\t1",
    "    A\t2024-04-11 09:00:00\t1\t0",
    # B keeps punching after leaving, past the deadline of 2024-04-11
    "    B\t2024-04-15 09:00:00\t1\t0",
]) + "\r\n"

PUNCHES = """\
工号,打卡时间
D,2024-05-06 09:00:00
D,2024-05-06 12:00:00
D,2024-05-06 13:00:00
D,2024-05-06 17:00:00
D,2024-05-07 09:00:00
D,2024-05-07 12:00:00
D,2024-05-07 13:00:00
D,2024-05-07 17:00:00
D,2024-05-08 09:00:00
D,2024-05-08 12:00:00
D,2024-05-08 13:00:00
D,2024-05-08 17:00:00
C,2024-05-13 08:30:00
D,2024-06-03 09:00:00
"""

LEAVE = """\
工号,开始时间,结束时间,类型,是否批准
B,2024-03-04,2024-03-04,年假,是
B,2024-03-05 09:00,2024-03-05 12:00,事假,是
B,2024-03-06 13:30,2024-03-06 17:00,事假,是
B,2024-03-06,2024-03-06,事假,否
C,2024-04-01,2024-04-01,病假,是
E,2024-05-20,2024-05-24,婚假,是
"""

MAKEUPS = """\
工号,补卡时间,原因,是否批准
A,2024-03-28 12:00:00,忘记打卡,是
A,2024-03-29 09:00:00,忘记打卡,是
A,2024-03-29 17:00:00,忘记打卡,是
A,2024-03-30 10:00:00,加班,否
"""

FIELDS = ["scheduled_days", "scheduled_minutes", "excused_minutes", "late_count", "serious_late_count",
          "late_minutes", "early_count", "early_minutes", "missing_punch_count", "absent_sessions",
          "absent_minutes", "chargeable_minutes", "makeup_used", "makeup_rejected", "punch_count",
          "no_signin_month", "late_early_events"]


def row(staff_id, *values):
    return {"staff_id": staff_id, **dict(zip(FIELDS, values, strict=True))}


MARCH_A = row(
    "A",
    5, 2100, 0,          # 5 days × 420; nothing excused
    2, 1, 37,            # late Tue afternoon (6) and Wed morning (31, serious): 6 + 31
    1, 6,                # early Wed afternoon (17:00 − 16:54)
    1, 1, 240,           # Fri afternoon: IN 13:20 but its OUT make-up was the third of March (quota 2)
    283,                 # 37 + 6 + 240
    2, 1,                # make-ups 28th 12:00 and 29th 09:00 accepted, 29th 17:00 rejected; the unapproved one ignored
    20,                  # 4 + 4 + 4 + 3 + 2 + 1 device punches, + 2 accepted make-ups
    False, 3)            # late 2 + early 1
MARCH_B = row(
    "B",
    4, 1680, 600,        # 4 × 420; Mon 4 whole day (420) + Tue 5 morning (180); Wed's partial leave excuses nothing
    1, 0, 10,            # Tue afternoon 13:10
    1, 20,               # Tue afternoon 16:40
    0, 1, 240,           # Wed afternoon: no punch at all
    270,                 # 10 + 20 + 240
    0, 0,
    8,                   # Fri 4, Tue 2, Wed 2
    False, 2)
APRIL_A = row("A", 3, 1260, 0, 1, 0, 10, 0, 0, 0, 0, 0, 10, 0, 0,
              13,        # 12 on Apr 1–3, and the 11th after leaving
              False, 1)
APRIL_C = row(
    "C",
    6, 2520, 420,        # Apr 1, 2, 3, 7, 8, 9; Apr 1 on approved sick leave
    0, 0, 0, 0, 0, 0,
    10, 2100, 2100,      # the other 5 days, both sessions: 5 × 420
    0, 0, 0,
    True, 0)             # A7: scheduled, no punch, not everything excused
MAY_D = row("D", 3, 1260, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12, False, 0)
MAY_E = row("E", 5, 2100, 2100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            False, 0)    # no punch, but every scheduled session is excused: not a no sign-in month


def totals(*rows):
    out = {}
    for name in FIELDS:
        out[name] = sum(int(r[name]) for r in rows)
    return out


@pytest.fixture
def scenario(cli, tmp_path, session):
    for code in ("H-1", "H-2"):
        assert cli("contract", "load", write(tmp_path / f"{code}.toml", terms_toml(**TERMS, code=code))).exit_code == 0
    steps = [("staff", "staff.csv", STAFF), ("punches", "1_attlog.dat", ATTLOG), ("punches", "p.csv", PUNCHES),
             ("leave", "leave.csv", LEAVE), ("makeup", "makeup.csv", MAKEUPS)]
    for kind, name, text in steps:
        result = cli("ingest", kind, write(tmp_path / name, text))
        assert result.exit_code == 0, result.stderr
    _complaints(session)
    # complaints written straight into the database, past the loads that recompute: recomputed on request
    assert cli("recompute").exit_code == 0
    return "H-1"


def _complaints(session):
    from hallmon.complaints.models import Complaint

    ids = dict(session.execute(select(Contract.code, Contract.id)).all())
    rows = [
        # (id, contract, category, substantiated, received, resolved)
        ("K1", "H-1", "personnel", True, dt.date(2024, 5, 7), dt.date(2024, 5, 20)),   # dated 05-20
        ("K2", "H-2", "personnel", True, dt.date(2024, 5, 8), None),                   # dated 05-08, filed elsewhere
        ("K3", "H-1", "personnel", False, dt.date(2024, 5, 9), dt.date(2024, 5, 10)),  # not substantiated
        ("K4", "H-1", "business", True, dt.date(2024, 5, 9), dt.date(2024, 5, 10)),    # not about a person
        ("K5", "H-1", "personnel", True, dt.date(2024, 2, 10), dt.date(2024, 2, 20)),  # before the contract
    ]
    for cid, code, category, substantiated, received, resolved in rows:
        session.add(Complaint(complaint_id=cid, contract_id=ids[code], channel="onsite", kind=None, category=category,
                              received_on=received, accepted_on=None, extended=False, substantiated=substantiated,
                              staff_id="D", resolved_on=resolved, summary=None,
                              updated_at=dt.datetime(2024, 6, 1)))
    session.commit()


def summary(cli, month):
    result = cli("attendance", "summary", "H-1", "--month", month, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def test_march_summary_is_the_hand_computed_one(cli, scenario):
    assert summary(cli, "2024-03") == {"contract": "H-1", "month": "2024-03", "staff": [MARCH_A, MARCH_B],
                                       "totals": {**totals(MARCH_A, MARCH_B), "no_signin_month": 0},
                                       "warnings": []}


def test_april_summary_lists_a_and_c_and_counts_one_no_signin_month(cli, scenario):
    document = summary(cli, "2024-04")
    assert document["staff"] == [APRIL_A, APRIL_C]
    assert document["totals"] == totals(APRIL_A, APRIL_C)
    assert document["totals"]["no_signin_month"] == 1


def test_may_summary(cli, scenario):
    document = summary(cli, "2024-05")
    assert document["staff"] == [MAY_D, MAY_E]
    assert document["totals"] == totals(MAY_D, MAY_E)


def test_a_month_outside_the_contract_is_empty_with_zero_totals(cli, scenario):
    document = summary(cli, "2024-06")
    assert document == {"contract": "H-1", "month": "2024-06", "staff": [],
                        "totals": dict.fromkeys(FIELDS, 0), "warnings": []}


def demand(staff_id, reason, raised_on, deadline, waived=False, unenforced=False, months=()):
    return {"staff_id": staff_id, "reason": reason, "raised_on": raised_on, "deadline": deadline, "waived": waived,
            "unenforced": unenforced, "unenforced_months": list(months)}


# A8, A9 by hand:
# A  March events 3 ≥ 2 → monthly raised 04-01, deadline 04-11; A's last punch is on 04-11: enforced.
#    Running sum 3 (March) + 1 (April) = 4 reaches the annual limit in April → raised 05-01, deadline 05-11.
# B  March events 2 ≥ 2 → monthly raised 04-01, deadline 04-11; B punches on 04-15: unenforced in 2024-04.
# C  April is a no sign-in month → raised 05-01, deadline 05-11; C punches on 05-13: unenforced in 2024-05.
# D  substantiated personnel complaints dated 05-08 (K2, filed under another contract) and 05-20 (K1):
#    the second reaches the limit 2 → raised 05-21, deadline 05-31; D punches on 06-03, after the
#    contract's end: unenforced, no month.
ALL = [
    demand("A", "monthly_late_early", "2024-04-01", "2024-04-11"),
    demand("B", "monthly_late_early", "2024-04-01", "2024-04-11", unenforced=True, months=["2024-04"]),
    demand("A", "annual_late_early", "2024-05-01", "2024-05-11"),
    demand("C", "no_signin", "2024-05-01", "2024-05-11", unenforced=True, months=["2024-05"]),
    demand("D", "complaints", "2024-05-21", "2024-05-31", unenforced=True),
]


def demands(cli, *args):
    result = cli("demands", "H-1", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def test_every_demand_and_its_enforcement(cli, scenario):
    assert demands(cli) == ALL
    assert demands(cli, "--as-of", "2026-01-01") == ALL


def test_as_of_a_date_later_demands_are_not_listed_and_later_punches_not_looked_at(cli, scenario):
    assert demands(cli, "--as-of", "2024-03-31") == []
    assert demands(cli, "--as-of", "2024-04-14") == [ALL[0], {**ALL[1], "unenforced": False, "unenforced_months": []}]
    assert demands(cli, "--as-of", "2024-04-15") == ALL[:2]
    assert demands(cli, "--as-of", "2024-05-12") == [*ALL[:3], {**ALL[3], "unenforced": False, "unenforced_months": []}]
    assert demands(cli, "--as-of", "2024-06-02") == [*ALL[:4], {**ALL[4], "unenforced": False}]


def test_a_waived_demand_is_neither_unenforced_nor_fined(cli, scenario, session):
    from hallmon.attendance.services import unenforced_person_months

    assert unenforced_person_months(session, contract(session, "H-1")) == {"2024-04": ["B"], "2024-05": ["C"]}
    result = cli("demands", "waive", "H-1", "B", "monthly_late_early", "--raised-on", "2024-04-01",
                 "--why", "离职手续已于 4 月 10 日办结，4 月 15 日为归还工牌时误刷", "--user", "manager")
    assert result.exit_code == 0, result.stderr
    assert demands(cli)[1] == {**ALL[1], "waived": True, "unenforced": False, "unenforced_months": []}
    assert unenforced_person_months(session, contract(session, "H-1")) == {"2024-05": ["C"]}


def test_waiving_twice_names_who_waived_and_when(cli, scenario):
    args = ("demands", "waive", "H-1", "B", "monthly_late_early", "--raised-on", "2024-04-01", "--why", "核实")
    assert cli(*args, "--user", "manager").exit_code == 0
    again = cli(*args, "--user", "boss")
    assert again.exit_code == 2
    assert "已于" in again.stderr and "由 manager 豁免" in again.stderr


def test_waiving_a_demand_that_does_not_exist_is_refused(cli, scenario):
    result = cli("demands", "waive", "H-1", "B", "no_signin", "--raised-on", "2024-04-01", "--why", "x")
    assert result.exit_code == 2
    assert "没有这条替换要求：工号 B，原因 no_signin，提出日期 2024-04-01" in result.stderr
    assert cli("demands", "waive", "H-1", "B", "late", "--raised-on", "2024-04-01", "--why", "x").exit_code == 2


def test_waiving_without_a_reason_is_refused(cli, scenario):
    result = cli("demands", "waive", "H-1", "B", "monthly_late_early", "--raised-on", "2024-04-01", "--why", "  ")
    assert result.exit_code == 2 and "理由" in result.stderr
    assert demands(cli)[1]["waived"] is False


def test_an_unknown_contract_or_a_bad_month_exits_2(cli, scenario):
    assert cli("attendance", "summary", "NOPE", "--month", "2024-03", "--json").exit_code == 2
    bad = cli("attendance", "summary", "H-1", "--month", "2024-13", "--json")
    assert bad.exit_code == 2 and bad.stdout == ""
    assert cli("demands", "NOPE", "--json").exit_code == 2
