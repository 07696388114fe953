"""The demo hall's assessments (after the Xinyang report), built on the demo roster alone: August below 90, 离岗 escalated
from its third occurrence, two late notices, December pending at the year's end; the same scores for every seed."""
import pytest

from hallmon.demo import DemoResult, assessment, hall
from hallmon.uow import unit_of_work
from tests.assessment_helpers import month_scores, scores, statuses

# worked out from assessment.PLAN with the default terms (3rd occurrence of a code in the year and later count ×2):
# LG  Jan 1, Mar 2, May 3 (−2), Aug 4, 5 (−2 each), Oct 6 (−2); ZZ Jan, Apr, Aug 3 (−1), Nov 4 (−1);
# CDZT Jan, Apr, Jul 3 (−1), Oct 4 (−1); WS Feb, May, Sep 3 (−1); HCP Feb, Jul, Aug 3 (−2), Nov 4 (−2);
# YWCC Mar, Aug, Sep 3 (−4); FWTD May, Aug; YSFW Jun, Jul, Aug 3 (−2); RYPZ Jun, Aug, Dec 3 (−4)
EXPECTED = {
    "2024-01": 98,      # −1 −0.5 −0.5
    "2024-02": 98.5,    # −0.5 −1
    "2024-03": 98,      # −1 −2 +1
    "2024-04": 99.5,    # −0.5 −0.5 +0.5
    "2024-05": 95.5,    # −2 (LG #3) −0.5 −2
    "2024-06": 98,      # −1 −2 +1
    "2024-07": 97,      # −1 −1 −1 (CDZT #3)
    "2024-08": 85,      # LG −2 −2, YSFW −2, RYPZ −2, FWTD −2, YWCC −2, HCP −2, ZZ −1
    "2024-09": 97,      # YWCC −4, WS −1, +1 +1
    "2024-10": 97,      # LG −2, CDZT −1
    "2024-11": 97.5,    # HCP −2, ZZ −1, +0.5
    "2024-12": 96.5,    # RYPZ −4, +0.5
}
# year: 1157.5 / 12 = 96.458… → 96.46


@pytest.mark.parametrize("seed", [2024, 7])
def test_the_demo_year_of_assessments(cli, session, tmp_path, seed):
    result = DemoResult(hall.CONTRACT_CODE)
    with unit_of_work(session):
        hall.build(session, tmp_path, seed, result)
        assessment.build(session, tmp_path, seed, result)
    document = scores(cli, "DT-2024", 2024, as_of="2024-12-31")
    assert month_scores(document) == EXPECTED
    assert (document["year_score"], document["grade"]) == (96.46, "优")
    notices = statuses(document)
    assert notices["2024-01"] == ("2024-03-26", "late")
    assert notices["2024-02"] == ("2024-06-25", "late")
    assert {notices[f"2024-{m:02d}"][1] for m in range(3, 12)} == {"on_time"}
    assert notices["2024-12"] == (None, "pending")
    may = cli("assessment", "month", "DT-2024", "--month", "2024-05", "--json").json()
    assert [(r["occurrence"], r["counted"]) for r in may["rows"] if r["item_code"] == "LG"] == [(3, -2)]
    assert any(r["staff_id"] and r["window"] for r in may["rows"])
    assert cli("catalogue", "show", "--json").json()["stored"] is True
