"""The hall's clock: what "now" and "today" are wherever a rule needs a default date (tests move it)."""
from __future__ import annotations

import datetime as dt


def now() -> dt.datetime:
    """Now, to the second, in the server's local time (deploy with TZ=Asia/Shanghai)."""
    return dt.datetime.now().replace(microsecond=0)


def today() -> dt.date:
    return dt.date.today()
