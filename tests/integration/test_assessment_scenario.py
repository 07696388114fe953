"""An independent scenario computed by hand from rules §5 (S1–S7), checked through the CLI JSON.

Contract S-2 runs from 2024-03-01 to 2025-02-28 with the default assessment terms: base 100, max_bonus 5,
recurrence_limit 3, recurrence_factor 2, notify within 10 working days, personnel complaints −2.

Assessment file 1 (ingest order 1–9):
  1  2024-02 LG  −1  2024-02-10   outside the contract, but LG #1 of 2024 (S1 numbers it)
  2  2024-03 LG  −1  2024-03-20                LG #3 (after row 3 by date) → −2
  3  2024-03 LG  −1  2024-03-05                LG #2 → −1
  4  2024-03 BYX +0.5
  5  2024-04 YWCC −2.5
  6  2024-05 ZZ   0                            only a 0-point row: May is assessed, 100
  7  2024-06 JQ  +3
  8  2024-06 JQ  +3   identical to row 7: rank 2, a second bonus (6 → capped at 5)
  9  2024-06 WS  −0.5
Assessment file 2, loaded next:
  a  2024-03 LG −1 2024-03-20            identical to file 1 row 2 (rank 1): adds nothing
  b  2024-03 LG −1 2024-03-20 note 二次   new; same date as row 2 but loaded later → LG #4 → −2
  c  2024-08 LG −1 2024-08-01            LG #5 → −2
  d  2024-11 HCP −15                     → 85 (良)
  e  2024-12 FWTD −60, f 2024-12 FWTD −50  FWTD #1, #2: no escalation; 100 − 110 → clamped at 0
  g  2025-01 LG −1, h the same row again  new calendar year: LG #1 and #2 of 2025, both −1
Complaints (substantiated personnel ones add −2 to the month of resolved_on, else received_on, if assessed):
  P1 personnel, 属实, received 04-10, resolved 04-20 → April −2
  P2 personnel, 属实, received 06-25, resolved 07-03 → July −2 (July has only a notice)
  P3 personnel, 属实, received 10-08, unresolved    → October, not assessed: no effect
  P4 personnel, not 属实 → nothing;  P5 business, 属实 → nothing
  P6 personnel, 属实, names S1, resolved 08-09      → August −2 (and takes no part in LG numbering)
Notices: 2024-03 on 04-15, 2024-04 on 05-17, 2024-07 on 08-05, 2024-09 on 10-21.

Monthly scores (S2):
  2024-03  100 − 1 − 2 − 2 + 0.5       = 95.5   优
  2024-04  100 − 2.5 − 2 (P1)          = 95.5   优
  2024-05  100 (0-point row)           = 100    优
  2024-06  100 − 0.5 + min(6, 5)       = 104.5  优
  2024-07  100 − 2 (P2; notice only)   = 98     优
  2024-08  100 − 2 (LG #5) − 2 (P6)    = 96     优
  2024-09  100 (notice only)           = 100    优
  2024-10  not assessed (P3 alone does not assess a month)
  2024-11  100 − 15                    = 85     良
  2024-12  max(0, 100 − 110)           = 0      差
  2025-01  100 − 1 − 1                 = 98     优
  2025-02  not assessed
Year 2024 (S7): (95.5 + 95.5 + 100 + 104.5 + 98 + 96 + 100 + 85 + 0) / 9 = 774.5 / 9 = 86.0555… → 86.06 良
Year 2025: 98 / 1 = 98 优

Notice deadlines (S5: 10th working day after the month's last day, W1 national calendar 2024–2025):
  03 → 04-15 (清明 4–6 April, Sunday 7 April worked)   04 → 05-16 (劳动节 1–5 May, Saturday 11 May worked)
  05 → 06-17 (端午 10 June)   06 → 07-12   07 → 08-14   08 → 09-13
  09 → 10-18 (国庆 1–7 Oct, Saturday 12 Oct worked)   10 → 11-14   11 → 12-13   12 → 2025-01-15 (元旦)
  2025-01 → 2025-02-17 (春节 28 Jan – 4 Feb, Saturday 8 Feb worked)   2025-02 → 2025-03-14
As of 2024-10-19: 03 on 04-15 on_time; 04 on 05-17 (11th working day) late; 05, 06, 08 missing;
  07 on_time; 09's notice of 10-21 is not yet sent and its deadline 10-18 has passed: missing; 10, 11, 12 pending.
"""
import datetime as dt

from tests.assessment_helpers import (
    COMPLAINTS_HEADER,
    STAFF_HEADER,
    assessment_file,
    by_month,
    ingest,
    notices_file,
    scores,
    statuses,
)
from tests.factories import terms_toml, write

TERMS = terms_toml(code="S-2", name="考核场景合同", contractor="场景人力资源有限公司", start=dt.date(2024, 3, 1),
                   end=dt.date(2025, 2, 28))

FILE_1 = assessment_file(
    "S-2,2024-02,LG,离岗,-1,,,2024-02-10,",
    "S-2,2024-03,LG,离岗,-1,,A01,2024-03-20,",
    "S-2,2024-03,LG,离岗,-1,S1,A01,2024-03-05,午间离岗",
    "S-2,2024-03,BYX,表扬信,0.5,S1,,,",
    "S-2,2024-04,YWCC,业务差错,-2.5,,,2024-04-18,",
    "S-2,2024-05,ZZ,着装仪容,0,,,,已整改不扣分",
    "S-2,2024-06,JQ,锦旗,3,,,2024-06-12,",
    "S-2,2024-06,JQ,锦旗,3,,,2024-06-12,",
    "S-2,2024-06,WS,卫生,-0.5,,B02,,",
)
FILE_2 = assessment_file(
    "S-2,2024-03,LG,离岗,-1,,A01,2024-03-20,",
    "S-2,2024-03,LG,离岗,-1,,A01,2024-03-20,二次",
    "S-2,2024-08,LG,离岗,-1,,,2024-08-01,",
    "S-2,2024-11,HCP,好差评差评,-15,,,,",
    "S-2,2024-12,FWTD,服务态度,-60,,,,",
    "S-2,2024-12,FWTD,服务态度,-50,,,,",
    "S-2,2025-01,LG,离岗,-1,,,2025-01-09,",
    "S-2,2025-01,LG,离岗,-1,,,2025-01-09,",
)
COMPLAINTS = COMPLAINTS_HEADER + "".join(r + "\n" for r in (
    "P1,S-2,现场,,人员,2024-04-10,,,是,,2024-04-20,",
    "P2,S-2,好差评,,人员,2024-06-25,,,是,,2024-07-03,",
    "P3,S-2,现场,,人员,2024-10-08,,,是,,,",
    "P4,S-2,现场,,人员,2024-04-12,,,否,,2024-04-13,",
    "P5,S-2,现场,,业务,2024-04-15,,,是,,2024-04-16,",
    "P6,S-2,现场,,人员,2024-08-02,,,是,S1,2024-08-09,",
))
NOTICES = notices_file("S-2,2024-03,2024-04-15", "S-2,2024-04,2024-05-17", "S-2,2024-07,2024-08-05",
                       "S-2,2024-09,2024-10-21")


def load_scenario(cli, tmp_path) -> None:
    assert cli("contract", "load", write(tmp_path / "s2.toml", TERMS)).exit_code == 0
    ingest(cli, tmp_path, "staff", "staff.csv", STAFF_HEADER + "S1,张伟,S-2,窗口受理员,受理科,A01,2023-05-01,\n")
    first = ingest(cli, tmp_path, "assessment", "a1.csv", FILE_1)
    second = ingest(cli, tmp_path, "assessment", "a2.csv", FILE_2)
    assert (first["inserted"], first["unchanged"]) == (9, 0)
    assert (second["inserted"], second["unchanged"]) == (7, 1)
    ingest(cli, tmp_path, "complaints", "complaints.csv", COMPLAINTS)
    ingest(cli, tmp_path, "notices", "notices.csv", NOTICES)


EXPECTED_2024 = {
    "2024-03": (True, 95.5, "优"), "2024-04": (True, 95.5, "优"), "2024-05": (True, 100, "优"),
    "2024-06": (True, 104.5, "优"), "2024-07": (True, 98, "优"), "2024-08": (True, 96, "优"),
    "2024-09": (True, 100, "优"), "2024-10": (False, None, None), "2024-11": (True, 85, "良"),
    "2024-12": (True, 0, "差"),
}
DEADLINES_2024 = {
    "2024-03": "2024-04-15", "2024-04": "2024-05-16", "2024-05": "2024-06-17", "2024-06": "2024-07-12",
    "2024-07": "2024-08-14", "2024-08": "2024-09-13", "2024-09": "2024-10-18", "2024-10": "2024-11-14",
    "2024-11": "2024-12-13", "2024-12": "2025-01-15",
}


def test_the_hand_computed_scenario_of_2024(cli, tmp_path):
    load_scenario(cli, tmp_path)
    document = scores(cli, "S-2", 2024, as_of="2024-10-19")
    assert list(document) == ["contract", "year", "months", "year_score", "grade", "warnings"]
    assert (document["contract"], document["year"], document["warnings"]) == ("S-2", 2024, [])
    assert [m["month"] for m in document["months"]] == list(EXPECTED_2024)
    assert {m["month"]: (m["assessed"], m["score"], m["grade"]) for m in document["months"]} == EXPECTED_2024
    assert {m: d["notice"]["deadline"] for m, d in by_month(document).items()} == DEADLINES_2024
    assert statuses(document) == {
        "2024-03": ("2024-04-15", "on_time"), "2024-04": ("2024-05-17", "late"), "2024-05": (None, "missing"),
        "2024-06": (None, "missing"), "2024-07": ("2024-08-05", "on_time"), "2024-08": (None, "missing"),
        "2024-09": (None, "missing"), "2024-10": (None, "pending"), "2024-11": (None, "pending"),
        "2024-12": (None, "pending"),
    }
    assert (document["year_score"], document["grade"]) == (86.06, "良")
    for month in document["months"]:
        assert list(month) == ["month", "assessed", "score", "grade", "notice"]
        assert list(month["notice"]) == ["notified_on", "deadline", "status"]


def test_the_hand_computed_scenario_of_2025(cli, tmp_path):
    load_scenario(cli, tmp_path)
    document = scores(cli, "S-2", 2025, as_of="2025-02-17")
    assert [(m["month"], m["assessed"], m["score"], m["grade"], m["notice"]["deadline"], m["notice"]["status"])
            for m in document["months"]] == [
        ("2025-01", True, 98, "优", "2025-02-17", "pending"),
        ("2025-02", False, None, None, "2025-03-14", "pending"),
    ]
    assert (document["year_score"], document["grade"]) == (98, "优")


def test_as_of_moves_only_the_september_notice_status(cli, tmp_path):
    load_scenario(cli, tmp_path)
    on_deadline = scores(cli, "S-2", 2024, as_of="2024-10-18")
    sent = scores(cli, "S-2", 2024, as_of="2024-10-21")
    assert statuses(on_deadline)["2024-09"] == (None, "pending")
    assert statuses(sent)["2024-09"] == ("2024-10-21", "late")
    for document in (on_deadline, sent):
        assert {m["month"]: (m["assessed"], m["score"], m["grade"]) for m in document["months"]} == EXPECTED_2024
        assert document["year_score"] == 86.06


def test_loading_every_file_again_changes_nothing(cli, tmp_path):
    load_scenario(cli, tmp_path)
    before = scores(cli, "S-2", 2024, as_of="2024-10-19")
    for kind, name in (("assessment", "a1.csv"), ("assessment", "a2.csv"), ("notices", "notices.csv")):
        result = cli("ingest", kind, tmp_path / name, "--json")
        assert result.exit_code == 0, result.stderr
        assert result.json()["inserted"] == result.json()["updated"] == 0
    assert scores(cli, "S-2", 2024, as_of="2024-10-19") == before


def test_the_month_detail_shows_what_each_row_counted_for(cli, tmp_path):
    load_scenario(cli, tmp_path)
    result = cli("assessment", "month", "S-2", "--month", "2024-03", "--json")
    assert result.exit_code == 0, result.stderr
    detail = result.json()
    assert [(r["date"], r["item_code"], r["occurrence"], r["points"], r["counted"], r["note"])
            for r in detail["rows"]] == [
        ("2024-03-05", "LG", 2, -1, -1, "午间离岗"),
        ("2024-03-20", "LG", 3, -1, -2, None),
        ("2024-03-20", "LG", 4, -1, -2, "二次"),
        ("2024-03-31", "BYX", None, 0.5, 0.5, None),
    ]
    assert (detail["score"], detail["deductions"], detail["bonuses"], detail["bonus_counted"]) == (95.5, -5, 0.5, 0.5)
    august = cli("assessment", "month", "S-2", "--month", "2024-08", "--json").json()
    assert (august["complaint_rows"], august["score"]) == ([-2], 96)
