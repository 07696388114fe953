"""C3 through `hallmon complaints stats --json`: an independent scenario computed by hand from rules §6.

The scenario (tests/data/complaints/scenario-t1.csv), statistics for [2024-04-01, 2024-06-30] as of 2024-06-30,
contract T-1 with the default terms (accept 15 days, resolve 60, extension 30; consult 2, help 5, complaint
10 working days; review and on-site 5):

  P1 petition  received 04-02, accepted 04-05, resolved 05-20. accept-by 04-17; due 04-05+60 = 06-04 → on time
  P2 petition  received 04-10, accepted 04-30 > accept-by 04-25 (accept_overdue), extended, resolved 06-28;
               a late acceptance buys no time: due 04-25+60+30 = 07-24 → on time
  P3 petition  personnel, received 05-06, never accepted: accept-by 05-21 < 06-30 → accept_overdue;
               unresolved → backlog, 06-30 − 05-06 = 55 days → 16-60
  P4 petition  received 06-20, accepted 07-02 (after `to`: not yet happened); accept-by 07-05 ≥ 06-30 → not
               accept_overdue; unresolved → backlog, 10 days → 0-15
  P5 petition  received 03-15 (before `from`), unresolved → backlog only, 107 days → >90
  P6 petition  received 01-10, resolved 07-15 (after `to`) → backlog only, 172 days → >90
  P7 petition  received 02-01, resolved 03-01 → counts nowhere
  P8 petition  received 04-01 (= from), accepted 04-16 (= accept-by, in time), unresolved → backlog, 90 days → 61-90
  H1 12345 consult   Fri 06-07 (Mon 06-10 端午节): due Wed 06-12, resolved 06-12 → on time
  H2 12345 complaint Wed 04-03 (04-04..06 清明, Sun 04-07 调休 works): 10th working day 04-18; resolved 04-19 → late
  H3 12345 help      received 06-25, unresolved → backlog, 5 days → 0-15
  R1 好差评          Fri 05-31: due 06-07, resolved 06-03 → on time
  O1 现场 personnel  Sun 04-28: 04-29, 04-30, (05-01..05 劳动节) 05-06, 05-07, 05-08 = due; resolved 05-10 → late
  O2 现场            received 08-01, after `to` → counts nowhere
  L1, L2             received 2023-04-01 and 2023-06-30 → received_prev; L3 received 2023-03-31 → not

received  = P1 P2 P3 P4 P8 H1 H2 H3 R1 O1                = 10
resolved  = P1 P2 H1 H2 R1 O1                            = 6,  resolution_rate 6/10 = 0.6
on time   = P1 P2 H1 R1                                  = 4,  on_time_rate 4/6 = 0.66666… → 0.6667
accept_overdue = P2 P3                                   = 2
backlog   = P3 P4 P5 P6 P8 H3                            = 6: 0-15 {P4, H3}, 16-60 {P3}, 61-90 {P8}, >90 {P5, P6}
by_channel  petition {P1 P2 P3 P4 P8} 5, hotline {H1 H2 H3} 3, review 1, onsite 1
by_category personnel {P3 O1} 2, business 7, other {H2} 1
received_prev = 2, growth (10 − 2)/2 = 4.0
"""
import datetime as dt

import pytest

from tests.complaints_helpers import ingest, load_contract, load_staff
from tests.drive import contract

SCENARIO_T1 = {
    "received": 10, "resolved": 6, "resolution_rate": 0.6, "on_time_rate": 0.6667, "accept_overdue": 2,
    "backlog": 6, "ageing": {"0-15": 2, "16-60": 1, "61-90": 1, ">90": 2},
    "by_channel": {"petition": 5, "hotline": 3, "review": 1, "onsite": 1},
    "by_category": {"personnel": 2, "business": 7, "other": 1},
    "received_prev": 2, "growth": 4.0, "warnings": [],
}


@pytest.fixture
def scenario(cli, loaded_contract, tmp_path, data_dir):
    # T-2 rests on 11 and 12 June 2024 besides the national calendar
    load_contract(cli, tmp_path, "T-2", "2024-01-01", "2024-12-31",
                  calendar={"extra_holidays": [dt.date(2024, 6, 11), dt.date(2024, 6, 12)]})
    load_staff(cli, tmp_path, ["A1,张伟,T-1,窗口受理员,受理科,A01,2020-01-01,"])
    ingest(cli, "complaints", data_dir / "complaints" / "scenario-t1.csv")
    ingest(cli, "complaints", data_dir / "complaints" / "scenario-t2.csv")


def stats(cli, *args):
    result = cli("complaints", "stats", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def test_the_hand_computed_scenario_comes_out_identical(cli, scenario):
    document = stats(cli, "T-1", "--from", "2024-04-01", "--to", "2024-06-30")
    assert document == SCENARIO_T1
    assert list(document) == ["received", "resolved", "resolution_rate", "on_time_rate", "accept_overdue",
                              "backlog", "ageing", "by_channel", "by_category", "received_prev", "growth",
                              "warnings"]


def test_all_contracts_judge_each_complaint_by_its_own_contracts_calendar(cli, scenario):
    # T-2 adds X1 (petition, received 05-05, never accepted: accept-by 05-20 → accept_overdue; backlog,
    # 56 days → 16-60) and Y1 (consult, Fri 06-07; T-2 also rests 06-11 and 06-12, so due is Fri 06-14;
    # resolved 06-13 → on time, where T-1's calendar would have made it late).
    # received 12, resolved 7 (7/12 = 0.58333… → 0.5833), on time 5 (5/7 = 0.714285… → 0.7143),
    # accept_overdue 3, backlog 7, growth (12 − 2)/2 = 5.0
    document = stats(cli, "--all", "--from", "2024-04-01", "--to", "2024-06-30")
    assert document == {
        "received": 12, "resolved": 7, "resolution_rate": 0.5833, "on_time_rate": 0.7143, "accept_overdue": 3,
        "backlog": 7, "ageing": {"0-15": 2, "16-60": 2, "61-90": 1, ">90": 2},
        "by_channel": {"petition": 6, "hotline": 4, "review": 1, "onsite": 1},
        "by_category": {"personnel": 2, "business": 9, "other": 1},
        "received_prev": 2, "growth": 5.0, "warnings": [],
    }


def test_as_of_an_earlier_to_date_later_events_have_not_happened(cli, scenario):
    # [2024-04-01, 2024-04-30] as of 04-30: received P1 P2 P8 H2 O1 (5); resolved only H2 (04-19, late);
    # P2 accepted 04-30 > accept-by 04-25 → accept_overdue; P8 accepted 04-16 in time; P1 in time.
    # backlog: P1 (28 days), P2 (20), P8 (29), O1 (2), P5 (46), P6 (111) → 0-15 1, 16-60 4, >90 1; P7 resolved.
    # last year [2023-04-01, 2023-04-30]: L1 only → growth (5 − 1)/1 = 4.0
    document = stats(cli, "T-1", "--from", "2024-04-01", "--to", "2024-04-30")
    assert document == {
        "received": 5, "resolved": 1, "resolution_rate": 0.2, "on_time_rate": 0.0, "accept_overdue": 1,
        "backlog": 6, "ageing": {"0-15": 1, "16-60": 4, "61-90": 0, ">90": 1},
        "by_channel": {"petition": 3, "hotline": 1, "review": 0, "onsite": 1},
        "by_category": {"personnel": 1, "business": 3, "other": 1},
        "received_prev": 1, "growth": 4.0, "warnings": [],
    }


def test_growth_is_null_and_rates_are_null_when_nothing_was_received(cli, scenario):
    # [2024-09-01, 2024-09-30]: nothing received, nor in September 2023; the backlog is every open complaint
    document = stats(cli, "T-1", "--from", "2024-09-01", "--to", "2024-09-30")
    assert (document["received"], document["resolution_rate"], document["on_time_rate"], document["growth"]) == (
        0, None, None, None)
    assert document["backlog"] == 6  # P3 P4 P5 P8 H3 O2 (P6 was resolved 2024-07-15)


def test_the_list_command_drills_down_to_the_records_of_a_figure(cli, scenario):
    result = cli("complaints", "list", "T-1", "--from", "2024-04-01", "--to", "2024-06-30", "--figure", "ageing:>90",
                 "--json")
    assert result.exit_code == 0, result.stderr
    assert [c["complaint_id"] for c in result.json()["complaints"]] == ["P6", "P5"]
    result = cli("complaints", "list", "T-1", "--from", "2024-04-01", "--to", "2024-06-30", "--figure",
                 "accept_overdue", "--json")
    lines = result.json()["complaints"]
    assert [(c["complaint_id"], c["due"], c["status"]) for c in lines] == [
        ("P2", "2024-07-24", "on_time"), ("P3", "2024-07-20", "open")]


def test_from_after_to_an_unknown_contract_and_a_missing_scope_are_refused(cli, scenario):
    for args in (["T-1", "--from", "2024-06-30", "--to", "2024-04-01"],
                 ["NOPE", "--from", "2024-04-01", "--to", "2024-06-30"],
                 ["--from", "2024-04-01", "--to", "2024-06-30"],
                 ["T-1", "--all", "--from", "2024-04-01", "--to", "2024-06-30"],
                 ["T-1", "--from", "2024-13-01", "--to", "2024-06-30"]):
        result = cli("complaints", "stats", *args, "--json")
        assert result.exit_code == 2, args
        assert result.stdout == "" and "拒绝" in result.stderr


def test_a_year_beyond_the_calendar_data_carries_a_warning(cli, loaded_contract, tmp_path):
    path = tmp_path / "late.csv"
    path.write_text("编号,合同编号,渠道,类型,类别,收件日期\nF1,T-1,12345,咨询,业务,2031-03-03\n", encoding="utf-8")
    ingest(cli, "complaints", path)
    document = stats(cli, "T-1", "--from", "2031-01-01", "--to", "2031-12-31")
    assert document["received"] == 1
    assert any("2031" in w for w in document["warnings"])


def test_without_json_the_statistics_are_printed_as_sentences(cli, scenario):
    result = cli("complaints", "stats", "T-1", "--from", "2024-04-01", "--to", "2024-06-30")
    assert result.exit_code == 0
    assert "收件 10 件，已办结 6 件，办结率 60.00%" in result.stdout


def test_status_as_of_a_date_for_alerts(cli, scenario, session):
    import datetime as dt

    from hallmon.complaints.services import complaints_as_of

    judged, warnings = complaints_as_of(session, contract(session, "T-1"), dt.date(2024, 6, 30))
    by_id = {j.complaint.complaint_id: (j.due.isoformat(), j.status) for j in judged}
    assert by_id["H3"] == ("2024-07-02", "open")        # help, 5 working days after Tue 06-25
    assert by_id["P8"] == ("2024-06-15", "overdue")     # accepted 04-16, + 60 days
    assert by_id["O1"] == ("2024-05-08", "resolved_late")
    assert "O2" not in by_id and warnings == []        # received after T
