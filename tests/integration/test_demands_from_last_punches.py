"""A9 from the punch days the database reduces years of punches to gives what A9 over every stored punch gives,
as of any date."""
import datetime as dt
import random

import pandas as pd
from sqlalchemy import select

from hallmon.attendance import demands as A8
from hallmon.attendance import rules as R
from hallmon.attendance.models import Makeup, Punch
from hallmon.attendance.store import late_punch_days
from tests.attendance_helpers import load_fixture_roster

PEOPLE = ("1001", "1002", "1003")
START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
QUOTA = 3


def random_day(rng: random.Random) -> dt.date:
    """Anywhere from the contract's first day to two months after its end."""
    return START + dt.timedelta(days=rng.randrange(0, 366 + 59))


def stored_everything(session) -> pd.DataFrame:
    """Every device punch and accepted make-up, read one by one (A3 applied as the rules apply it)."""
    device = pd.DataFrame(session.execute(select(Punch.staff_id, Punch.time)).all(), columns=[R.STAFF_ID, R.TIME])
    makeups = pd.DataFrame(session.execute(select(Makeup.staff_id, Makeup.time, Makeup.approved)).all(),
                           columns=[R.STAFF_ID, R.TIME, R.APPROVED])
    return R.all_punches(device if len(device) else R.empty_punches(),
                         makeups if len(makeups) else R.empty_makeups(), QUOTA)


def test_demands_enforced_from_last_punches_match_every_punch(cli, loaded_contract, tmp_path, session):
    load_fixture_roster(cli, tmp_path)
    rng = random.Random(20241231)
    times = {(rng.choice(PEOPLE), dt.datetime.combine(random_day(rng), dt.time(rng.randrange(7, 19),
                                                                                 rng.randrange(60))))
             for _ in range(600)}
    session.add_all(Punch(staff_id=s, time=t, device="一号机") for s, t in sorted(times))
    makeup_times = {(rng.choice(PEOPLE), dt.datetime.combine(random_day(rng), dt.time(8, 30))) for _ in range(40)}
    session.add_all(Makeup(staff_id=s, time=t, reason="补卡", approved=rng.random() < 0.8)
                    for s, t in sorted(makeup_times))
    session.commit()
    everything = stored_everything(session)
    outcomes = set()
    for _ in range(25):
        demands = [A8.Demand(rng.choice(PEOPLE), rng.choice(("monthly_late_early", "no_signin")), raised,
                            raised + dt.timedelta(days=15))
                   for raised in sorted(random_day(rng) for _ in range(rng.randrange(1, 6)))]
        demands = list({d.key: d for d in demands}.values())
        as_of = rng.choice([None, random_day(rng)])
        reduced = late_punch_days(session, demands, QUOTA)
        assert len(reduced) <= len(everything)
        expected = A8.enforce(demands, everything, START, END, (), as_of)
        found = A8.judge(demands, A8.late_punches(demands, reduced, START, END), (), as_of)
        assert found == expected, (demands, as_of)
        outcomes.update((d.unenforced, bool(d.unenforced_months)) for d in expected)
    # the draws reach every kind of answer: enforced, unenforced in contract months, unenforced only after the end
    assert outcomes == {(False, False), (True, True), (True, False)}
