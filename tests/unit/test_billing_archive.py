"""G2: the archive's hash chain catches any changed byte and names the first broken entry."""
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from hallmon.billing.archive import (
    GENESIS,
    EntryView,
    canonical,
    entry_hash,
    sha256_hex,
    verify_chain,
)


def chain(n: int = 4) -> list[EntryView]:
    entries, prev = [], GENESIS
    for seq in range(1, n + 1):
        at = dt.datetime(2024, seq, 5, 9, 30)
        payload = canonical({"settlement": {"net_fee": f"{1000 + seq}.00", "months": [f"2024-{seq:02d}"]}, "名": "审批"})
        report = f"考核报告 {seq}".encode()
        h = entry_hash(seq, "approval", "DT-2024", f"2024-{seq:02d}", at, payload, sha256_hex(report), prev)
        entries.append(EntryView(seq, "approval", "DT-2024", f"2024-{seq:02d}", at, payload, sha256_hex(report),
                                 report, prev, h))
        prev = h
    return entries


def test_an_untouched_chain_verifies():
    check = verify_chain(chain())
    assert check.ok and check.entries == 4 and check.document()["first_broken"] is None


def test_a_changed_payload_names_its_entry():
    entries = chain()
    e = entries[1]
    entries[1] = EntryView(**{**e.__dict__, "payload": e.payload.replace("1002.00", "1092.00")})
    check = verify_chain(entries)
    assert not check.ok and check.broken_seq == 2 and "内容" in check.reason


def test_a_changed_report_names_its_entry():
    entries = chain()
    e = entries[2]
    entries[2] = EntryView(**{**e.__dict__, "report": e.report + b" "})
    check = verify_chain(entries)
    assert (check.ok, check.broken_seq) == (False, 3) and "报告" in check.reason


def test_a_deleted_entry_breaks_the_chain_where_it_was():
    entries = chain()
    del entries[1]
    assert verify_chain(entries).broken_seq == 2


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_any_byte_changed_anywhere_is_caught(data):
    entries = chain(3)
    index = data.draw(st.integers(0, 2))
    field = data.draw(st.sampled_from(["payload", "report", "prev_hash", "hash", "contract", "period", "kind"]))
    e = entries[index]
    value = getattr(e, field)
    raw = value.encode() if isinstance(value, str) else value
    position = data.draw(st.integers(0, len(raw) - 1))
    flipped = bytearray(raw)
    flipped[position] ^= data.draw(st.integers(1, 255))
    new = bytes(flipped)
    if isinstance(value, str):
        new = new.decode("utf-8", errors="replace")
        if new == value:
            return
    entries[index] = EntryView(**{**e.__dict__, field: new})
    check = verify_chain(entries)
    assert not check.ok and check.broken_seq <= index + 1
