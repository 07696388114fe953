"""G2 on a real database: any character or byte changed in an archived entry, in an approved settlement's stored
snapshot or in its stored report file is caught by `hallmon audit verify`, which exits 1 naming the first broken
entry. The chain is built through the command line (approve February, approve March, pay March); hypothesis
picks the entry, the column, the position and the new value; each change is undone before the next.
"""
from __future__ import annotations

import copy
import os

from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from hallmon.billing.models import ArchiveEntry, Settlement
from tests.billing_helpers import load_hall
from tests.reliability.figures import count

EXAMPLES = int(os.environ.get("HALLMON_TAMPER_EXAMPLES") or 30)
TEXT_COLUMNS = ("payload", "report_sha256", "prev_hash", "hash", "contract", "period", "kind")
HEX = "0123456789abcdef"


def build_chain(cli, tmp_path) -> None:
    files = load_hall(cli, tmp_path)
    notice = tmp_path / "notice-02.csv"
    notice.write_text("合同编号,月份,通报日期\nB-1,2024-02,2024-03-08\n", encoding="utf-8")
    assert cli("ingest", "notices", notice).exit_code == 0
    for month in ("2024-02", "2024-03"):
        for action, user, *extra in (("submit", "wang", "--report", files["report"]), ("verify", "li"),
                                     ("approve", "zhao")):
            result = cli("gate", action, "B-1", "--month", month, "--user", user, *extra)
            assert result.exit_code == 0, (action, month, result.stderr)
    net = cli("settle", "B-1", "--month", "2024-03", "--json").json()["net_fee"]
    paid = cli("gate", "pay", "B-1", "--month", "2024-03", "--user", "zhao", "--voucher", "记-0418",
               "--paid-on", "2024-04-20", "--amount", net)
    assert paid.exit_code == 0, paid.stderr


def changed_text(data, value: str, alphabet: str | None = None) -> str:
    """`value` with one character replaced by another (hex stays hex, so only the content is wrong)."""
    at = data.draw(st.integers(0, len(value) - 1), label="position")
    chars = st.sampled_from(alphabet) if alphabet else st.characters(codec="utf-8", exclude_characters="\x00")
    new = data.draw(chars.filter(lambda c: c != value[at]), label="character")
    return value[:at] + new + value[at + 1:]


def changed_bytes(data, value: bytes) -> bytes:
    at = data.draw(st.integers(0, len(value) - 1), label="position")
    new = data.draw(st.integers(0, 255).filter(lambda b: b != value[at]), label="byte")
    return value[:at] + bytes([new]) + value[at + 1:]


def leaves(node, path=()):
    """Paths to the strings and numbers of a snapshot (booleans and nulls have no byte to change but their own)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from leaves(value, (*path, i))
    elif isinstance(node, str | int | float) and not isinstance(node, bool):
        yield path


def changed_snapshot(data, snapshot: dict) -> dict:
    """One character of one value of the snapshot changed, its type kept (a digit for a digit in numbers)."""
    # not "status": it follows the settlement's state after archiving (approved → paid), which audit checks instead
    paths = sorted((p for p in leaves(snapshot) if p != ("status",)), key=repr)
    path = data.draw(st.sampled_from(paths), label="value")
    out = copy.deepcopy(snapshot)
    parent = out
    for key in path[:-1]:
        parent = parent[key]
    value = parent[path[-1]]
    if isinstance(value, str):
        parent[path[-1]] = changed_text(data, value) if value else "x"
    else:
        text = str(value)
        digits = [i for i, c in enumerate(text) if c.isdigit()]
        at = data.draw(st.sampled_from(digits), label="digit")
        new = data.draw(st.sampled_from("0123456789").filter(lambda c: c != text[at]), label="new digit")
        parent[path[-1]] = type(value)(text[:at] + new + text[at + 1:])
    return out


def test_any_change_to_an_archived_entry_a_snapshot_or_a_report_is_named_by_audit_verify(
        cli, session, tmp_path, backend):
    build_chain(cli, tmp_path)
    clean = cli("audit", "verify", "--json")
    assert clean.exit_code == 0 and clean.json()["entries"] == 3
    entries = {e.seq: (e.kind, e.period, e.settlement_id) for e in session.scalars(select(ArchiveEntry))}
    approval_of = {sid: seq for seq, (kind, _, sid) in sorted(entries.items(), reverse=True) if kind == "approval"}
    assert [kind for kind, _, _ in entries.values()] == ["approval", "approval", "payment"]

    @settings(max_examples=EXAMPLES, deadline=None, database=None, phases=(Phase.explicit, Phase.generate),
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=st.data())
    def tamper(data):
        target = data.draw(st.sampled_from(["entry", "snapshot", "report"]), label="target")
        session.expire_all()
        if target == "entry":
            seq = data.draw(st.sampled_from(sorted(entries)), label="seq")
            column = data.draw(st.sampled_from([*TEXT_COLUMNS, "report"]), label="column")
            original = session.get(ArchiveEntry, seq)
            before = getattr(original, column)
            assume(before is not None)     # a payment entry carries no report
            if column == "report":
                after = changed_bytes(data, before)
            else:
                after = changed_text(data, before, HEX if column in ("report_sha256", "prev_hash", "hash") else None)
            table, key, broken = ArchiveEntry, {"seq": seq}, seq
        else:
            sid = data.draw(st.sampled_from(sorted(approval_of)), label="settlement")
            row = session.get(Settlement, sid)
            column = "snapshot" if target == "snapshot" else "report"
            before = getattr(row, column)
            after = changed_snapshot(data, before) if column == "snapshot" else changed_bytes(data, before)
            table, key, broken = Settlement, {"id": sid}, approval_of[sid]
        where = [getattr(table, k) == v for k, v in key.items()]
        session.execute(update(table).where(*where).values({column: after}))
        session.commit()
        try:
            result = cli("audit", "verify", "--json")
            count("tamper_cases")
            assert result.exit_code == 1, (target, column, result.stdout)
            document = result.json()
            assert document["ok"] is False and document["first_broken"]["seq"] == broken, (target, column, document)
        finally:
            session.execute(update(table).where(*where).values({column: before}))
            session.commit()

    tamper()
    assert cli("audit", "verify", "--json").exit_code == 0
