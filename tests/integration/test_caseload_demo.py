"""The demo hall's caseload matches the Datong report's 2024 department totals, with some days below the 3 800 target."""
from hallmon.demo import DemoResult, hall
from hallmon.demo import caseload as demo_caseload
from hallmon.uow import unit_of_work

DATONG_REPORT = {"受理科": 231_272, "审核科": 88_498, "登簿发证科": 169_080, "交易资金事务科": 55_091,
            "地籍房屋测绘科": 29_161, "政策法规科": 71_171, "数据信息科": 33_726, "档案查询": 354_066}


def test_the_demo_caseload_follows_datong_report(session, tmp_path, cli):
    result = DemoResult(hall.CONTRACT_CODE)
    with unit_of_work(session):
        hall.build(session, tmp_path, 2024, result)
        demo_caseload.build(session, tmp_path, 2024, result)
    document = cli("caseload", "stats", "DT-2024", "--year", "2024", "--json").json()
    for department, total in DATONG_REPORT.items():
        assert abs(document["by_department"][department] - total) <= total * 0.03, department
    assert document["total"] == sum(document["by_department"].values())
    assert len(document["by_window"]) == 81
    assert 0 < document["days_below_target"] < 125
    assert all(rate is not None and 5 < rate < 40 for rate in document["per_staffed_person_day"].values())
    assert all(cv is not None and 0 < cv < 2 for cv in document["window_imbalance"].values())
    assert document["warnings"] == []
