"""Small literal frames for the attendance rules (rules §4) and a default contract's rules."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from hallmon.attendance import rules as R
from hallmon.core.calendar import WorkCalendar

D = dt.date
START, END = D(2024, 1, 1), D(2024, 12, 31)
DEFAULT = R.AttendanceRules(sessions=((8 * 60 + 30, 12 * 60), (14 * 60 + 30, 17 * 60 + 30)))


def rules(**changes) -> R.AttendanceRules:
    return DEFAULT.with_(**changes)


def roster(*rows) -> pd.DataFrame:
    """(staff_id, hired_on, left_on) rows; dates as `YYYY-MM-DD` text or None."""
    def day(text):
        return None if text is None else dt.date.fromisoformat(text)

    return pd.DataFrame([(sid, day(h), day(left)) for sid, h, left in rows],
                        columns=[R.STAFF_ID, R.HIRED_ON, R.LEFT_ON], dtype=object)


def punches(*rows) -> pd.DataFrame:
    """(staff_id, 'YYYY-MM-DD HH:MM:SS') rows."""
    if not rows:
        return R.empty_punches()
    return pd.DataFrame({R.STAFF_ID: [r[0] for r in rows], R.TIME: pd.to_datetime([r[1] for r in rows])})


def makeups(*rows) -> pd.DataFrame:
    """(staff_id, 'YYYY-MM-DD HH:MM:SS', approved) rows."""
    if not rows:
        return R.empty_makeups()
    return pd.DataFrame({R.STAFF_ID: [r[0] for r in rows], R.TIME: pd.to_datetime([r[1] for r in rows]),
                         R.APPROVED: [r[2] for r in rows]})


def leave(*rows) -> pd.DataFrame:
    """(staff_id, start, end, approved) rows with full date-times."""
    if not rows:
        return R.empty_leave()
    return pd.DataFrame({R.STAFF_ID: [r[0] for r in rows], R.START: pd.to_datetime([r[1] for r in rows]),
                         R.END: pd.to_datetime([r[2] for r in rows]), R.APPROVED: [r[3] for r in rows]})


def day_punches(staff_id: str, day: str, *clock: str) -> list[tuple[str, str]]:
    return [(staff_id, f"{day} {c}") for c in clock]


def summary(month: str, people=None, p=(), m=(), lv=(), calendar=None, **rule_changes) -> pd.DataFrame:
    """A6 for a month: by default one person A employed all year."""
    people = people if people is not None else roster(("A", "2020-01-01", None))
    return R.summarise_month(people, START, END, month, calendar or WorkCalendar(), rules(**rule_changes),
                             punches(*p), makeups(*m), leave(*lv))


def one(frame: pd.DataFrame, staff_id: str = "A") -> dict:
    return frame.loc[frame[R.STAFF_ID] == staff_id].iloc[0].to_dict()


def on_time(staff_id: str, day: str) -> list[tuple[str, str]]:
    """Four ordinary punches: arrive, lunch out, lunch in, leave."""
    return day_punches(staff_id, day, "08:20:00", "12:05:00", "14:20:00", "17:40:00")


def one_day(day: str, *clock: str, m=(), lv=(), **rule_changes) -> dict:
    """A6 of person A employed (hence scheduled) on one working day only, with punches at `clock` that day."""
    people = roster(("A", day, day))
    return one(summary(day[:7], people, p=day_punches("A", day, *clock), m=m, lv=lv, **rule_changes))


# ---------------------------------------------------------------- through the CLI

DATA = __import__("pathlib").Path(__file__).parent / "data" / "attendance"


def fixture(tmp_path, name: str):
    """A copy of a fixture file in tmp_path (the rejected side file is written beside it)."""
    target = tmp_path / name
    target.write_bytes((DATA / name).read_bytes())
    return target


def load_fixture_roster(cli, tmp_path) -> None:
    """Staff 1001, 1002, 1003 on contract T-1 (which the test must have loaded)."""
    result = cli("ingest", "staff", fixture(tmp_path, "staff.csv"))
    assert result.exit_code == 0, result.stderr
