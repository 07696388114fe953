"""Results of the heavy page computations kept per data version, so that a page over years of data is served
from memory until something it reads changes.

The data version is one cheap query: the row count and highest id of the small tables every write leaves a row
in — the ingest log (every load, including the ones that replace rows in place: complaints, notices, leave,
make-ups, caseload, the roster), contract versions, waivers, settlement events (every gate step, G3), objections, the
catalogue — and the highest id of the large ones (an index lookup each). Any write hallmon makes moves at least one
of them, so a result computed before a write is never served after it. Stored month summaries are left out on
purpose: they are derived, dropped only by a load or a contract change (which move the version themselves) and
stored again by reads, which change no result. The version is read before computing: a result is never filed under
a version older than the data it saw, at worst under one just newer (then the next request computes again).

The cache lives in each process (each web worker has its own), bounded, one computation per key at a time.
"""
from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.orm import Session

T = TypeVar("T")

# Every load writes an ingest_log row, every gate step a settlement_event (G3): these small tables are counted as
# well as topped, because ids are handed out before commit — a load committing after a later one leaves the highest
# id where it was, but never the count. The large tables are only topped (an index lookup each): their rows arrive
# through a load, so this only covers rows written some other way (a script, a test).
_COUNTED = ("ingest_log", "contract_version", "demand_waiver", "settlement", "settlement_event", "objection",
            "assessment_item")
_TOPPED = ("punch", "makeup", "leave", "staff", "complaint", "assessment_row", "notice", "caseload_row")
_VERSION_SQL = text("SELECT " + ", ".join(
    [f"(SELECT count(*) FROM {t}), (SELECT max(id) FROM {t})" for t in _COUNTED]
    + [f"(SELECT max(id) FROM {t})" for t in _TOPPED]))

_LIMIT = 256
_entries: OrderedDict[Hashable, Any] = OrderedDict()
_computing: dict[Hashable, threading.Lock] = {}
_guard = threading.Lock()


def data_version(session: Session) -> tuple:
    """What the database holds now, in one cheap row (see the module's docstring)."""
    row = session.execute(_VERSION_SQL).one()
    return tuple(row)


def remember(session: Session, name: str, args: tuple, compute: Callable[[], T]) -> T:
    """compute() for (database, name, args, data version, today), from memory when already computed."""
    bind = session.get_bind()
    key = (bind.url.render_as_string(hide_password=True), name, args, data_version(session), dt.date.today())
    with _guard:
        if key in _entries:
            _entries.move_to_end(key)
            return _entries[key]
        lock = _computing.setdefault(key, threading.Lock())
    with lock:  # concurrent requests for the same key wait for the one computing it
        with _guard:
            if key in _entries:
                return _entries[key]
        try:
            value = compute()
            with _guard:
                _entries[key] = value
                while len(_entries) > _LIMIT:
                    _entries.popitem(last=False)
        finally:
            with _guard:
                _computing.pop(key, None)
    return value


def clear() -> None:
    with _guard:
        _entries.clear()
