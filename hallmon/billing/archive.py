"""The archive of approved and paid settlements (G2): canonical payloads in a hash chain (pure)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical(payload: Any) -> str:
    """One text for one payload: sorted keys, no spaces, UTF-8 kept — hashed byte for byte."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class EntryView:
    """An archive entry as stored: what its hash covers, and the report it holds."""

    seq: int
    kind: str
    contract: str
    period: str
    created_at: dt.datetime
    payload: str
    report_sha256: str | None
    report: bytes | None
    prev_hash: str
    hash: str


def entry_hash(seq: int, kind: str, contract: str, period: str, created_at: dt.datetime, payload: str,
               report_sha256: str | None, prev_hash: str) -> str:
    """G2: an entry's hash chains the previous entry's hash with everything the entry holds."""
    text = "\n".join([str(seq), kind, contract, period, created_at.isoformat(), report_sha256 or "",
                      prev_hash, payload])
    return sha256_hex(text.encode("utf-8"))


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    entries: int
    broken_seq: int | None = None
    reason: str | None = None

    def document(self) -> dict[str, Any]:
        broken = None if self.ok else {"seq": self.broken_seq, "reason": self.reason}
        return {"ok": self.ok, "entries": self.entries, "first_broken": broken, "warnings": []}


def verify_chain(entries: Iterable[EntryView]) -> ChainCheck:
    """G2: walk the chain from the first entry; name the first entry whose content, link or report is altered."""
    previous = GENESIS
    count = 0
    for expected_seq, entry in enumerate(sorted(entries, key=lambda e: e.seq), start=1):
        count += 1
        if entry.seq != expected_seq:
            return ChainCheck(False, count, expected_seq, f"缺少第 {expected_seq} 条记录（链中断）")
        if entry.prev_hash != previous:
            return ChainCheck(False, count, entry.seq, "前一条记录的哈希不符（记录被删除、插入或改动）")
        if entry_hash(entry.seq, entry.kind, entry.contract, entry.period, entry.created_at, entry.payload,
                      entry.report_sha256, entry.prev_hash) != entry.hash:
            return ChainCheck(False, count, entry.seq, "记录内容与其哈希不符（内容被改动）")
        if entry.report_sha256 is not None and (entry.report is None or sha256_hex(entry.report) != entry.report_sha256):
            return ChainCheck(False, count, entry.seq, "考核报告文件与归档的 SHA-256 不符（报告被改动）")
        try:
            json.loads(entry.payload)
        except ValueError:
            return ChainCheck(False, count, entry.seq, "记录内容不是有效的 JSON")
        previous = entry.hash
    return ChainCheck(True, count)
