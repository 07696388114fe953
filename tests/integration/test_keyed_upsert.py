"""The one keyed upsert every source writes through: exact counts, file order, NULL-safe comparison."""
import datetime as dt

import pytest
from sqlalchemy import Column, Date, Integer, MetaData, String, Table, select

from hallmon.db import DecimalType, keyed_upsert, session_factory

metadata = MetaData()
THINGS = Table("upsert_things", metadata,
               Column("id", Integer, primary_key=True),
               Column("window", String(20)), Column("end", Date), Column("note", String(20)),
               Column("amount", DecimalType(12, 2)), Column("loaded", String(20)))
KEY, VALUES, ALSO = ["window", "end"], ["note", "amount"], ["loaded"]


def rows(*items):
    return [{"window": w, "end": e, "note": n, "amount": a, "loaded": "x"} for w, e, n, a in items]


def stored(session):
    return session.execute(select(THINGS.c.window, THINGS.c.note).order_by(THINGS.c.id)).all()


def upsert(session, items):
    return keyed_upsert(session, THINGS, rows(*items), KEY, VALUES, ALSO)


@pytest.fixture
def session(engine):
    metadata.create_all(engine)
    session = session_factory(engine)()
    yield session
    session.close()
    metadata.drop_all(engine)


def test_new_changed_and_unchanged_rows_are_counted_exactly(session):
    d = dt.date(2024, 3, 1)
    first = upsert(session, [("A", d, "a", "1.00"), ("B", d, None, "2.00"), ("C", d, "c", None)])
    assert (first.inserted, first.updated, first.unchanged) == (3, 0, 0)
    again = upsert(session, [("A", d, "a", "1.00"), ("B", d, None, "2.00"), ("C", d, "c", None)])
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    changed = upsert(session, [("B", d, "b", "2.00"), ("C", d, "c", "3.00"), ("D", d, "d", "4.00")])
    assert (changed.inserted, changed.updated, changed.unchanged) == (1, 2, 0)
    # the rows an update replaced, as they were: NULL becoming a value is a change too
    assert sorted(changed.replaced, key=lambda r: r[0]) == [("B", d, None, 2), ("C", d, "c", None)]
    session.commit()
    assert stored(session) == [("A", "a"), ("B", "b"), ("C", "c"), ("D", "d")]


def test_new_rows_go_in_in_file_order_and_a_repeated_key_keeps_its_first_row(session):
    d = dt.date(2024, 3, 1)
    result = upsert(session, [("Z", d, "first", None), ("M", d, "m", None), ("Z", d, "second", None),
                              ("A", d, "a", None)])
    assert (result.inserted, result.updated, result.unchanged) == (3, 0, 1)
    assert stored(session) == [("Z", "first"), ("M", "m"), ("A", "a")]
