"""J1 alerts over the billing scenario hall, and J4: raised once, cleared when the condition goes."""
import datetime as dt

import pytest
from sqlalchemy import select

from hallmon.alerts.models import Alert
from hallmon.alerts.services import current_alerts
from hallmon.billing.commands import Submit, Verify
from tests.billing_helpers import load_hall
from tests.drive import gate, refresh


@pytest.fixture
def hall(cli, tmp_path):
    files = load_hall(cli, tmp_path)
    complaints = tmp_path / "complaints.csv"
    complaints.write_text(
        "编号,合同编号,渠道,类别,收件日期\n"
        "P-1,B-1,信访,业务,2024-01-02\n"       # accept by 17 Jan, resolve by 17 Jan + 60 = 17 March
        "P-2,B-1,信访,业务,2024-04-20\n", encoding="utf-8")  # due 20 June: open at the end of April
    assert cli("ingest", "complaints", complaints).exit_code == 0
    return files


def kinds(result) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for alert in result.json()["alerts"]:
        out.setdefault(alert["kind"], []).append(alert["subject"])
    return out


def test_the_alerts_of_the_end_of_april(cli, hall):
    result = cli("alerts", "--as-of", "2024-04-30", "--json")
    assert result.exit_code == 0, result.stderr
    found = kinds(result)
    # January and February were never notified; March was notified on time on 8 April
    assert found["notice_overdue"] == ["B-1/2024-01", "B-1/2024-02"]
    assert found["complaint_overdue"] == ["P-1"]
    # A has no January punch (A7: a no sign-in month) and three lates in February; A kept working after both deadlines
    assert found["demand_unenforced"] == ["B-1/A/monthly_late_early/2024-03-01", "B-1/A/no_signin/2024-02-01"]
    # nothing paid by the end of March although 25 % of 240 000.00 was planned
    assert found["spending_behind"] == ["B-1/2024-03"]
    assert "settlement_unverified" not in found and result.json()["warnings"] == []


def test_a_settlement_left_unverified_for_five_working_days_is_flagged(session, hall):
    gate(session, "B-1", "2024-03", Submit(b"report", "r.pdf"), "wang", at=dt.datetime(2024, 4, 1, 10))

    def unverified(day):
        return [a.subject for a in current_alerts(session, day)[0] if a.kind == "settlement_unverified"]

    # 5th working day after Monday 1 April: 2, 3, (4–6 Qingming), Sunday 7 (调休), 8, 9 April
    assert unverified(dt.date(2024, 4, 9)) == []
    assert unverified(dt.date(2024, 4, 10)) == ["B-1/2024-03"]
    gate(session, "B-1", "2024-03", Verify(), "li", at=dt.datetime(2024, 4, 11, 9))
    assert unverified(dt.date(2024, 4, 11)) == []


def test_the_yearly_reminders_stand_in_july_and_from_5_january(session, hall):
    """J3: the mid-year monitoring reminder from 1 July, the self-evaluation reminder from 5 January."""
    def reminders(day):
        return [a.subject for a in current_alerts(session, day)[0] if a.kind.startswith("reminder_")]

    assert reminders(dt.date(2024, 6, 30)) == []
    assert reminders(dt.date(2024, 7, 1)) == ["B-1/2024"]
    assert reminders(dt.date(2025, 1, 4)) == []
    assert reminders(dt.date(2025, 1, 5)) == ["B-1/2024"]


def test_alerts_are_raised_once_and_cleared_when_their_condition_goes(session, hall, cli, tmp_path):
    first = refresh(session, dt.date(2024, 4, 30))
    again = refresh(session, dt.date(2024, 4, 30))
    assert first.raised == 6 and (again.raised, again.kept, again.cleared) == (0, 6, 0)
    notices = tmp_path / "late-notices.csv"
    notices.write_text("合同编号,月份,通报日期\nB-1,2024-01,2024-05-06\n", encoding="utf-8")
    assert cli("ingest", "notices", notices).exit_code == 0
    later = refresh(session, dt.date(2024, 5, 7))
    session.expire_all()
    # sent late: the same alert stands (raised once), now saying how late
    january = session.scalar(select(Alert).where(Alert.subject == "B-1/2024-01"))
    assert (january.active, january.first_raised_on) == (True, dt.date(2024, 4, 30)) and "逾期" in january.message
    # P-2's due date is far off, P-1 stays overdue; nothing was cleared yet
    assert later.raised == 0 and later.cleared == 0
    resolved = tmp_path / "resolved.csv"
    resolved.write_text("编号,合同编号,渠道,类别,收件日期,受理日期,办结日期\nP-1,B-1,信访,业务,2024-01-02,2024-01-05,2024-05-08\n",
                        encoding="utf-8")
    assert cli("ingest", "complaints", resolved).exit_code == 0
    cleared = refresh(session, dt.date(2024, 5, 9))
    session.expire_all()
    p1 = session.scalar(select(Alert).where(Alert.subject == "P-1"))
    assert cleared.cleared == 1 and (p1.active, p1.cleared_on) == (False, dt.date(2024, 5, 9))
    february = session.scalar(select(Alert).where(Alert.subject == "B-1/2024-02"))
    assert february.active and february.first_raised_on == dt.date(2024, 4, 30)
