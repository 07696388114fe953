"""What a notification says and how each channel writes it, pure: the content of an announcement or a digest, the
e-mail text, the robots' markdown, the link of each alert, DingTalk's signature and the retry backoff."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from hallmon.core import labels

WECOM_MARKDOWN_BYTES = 4096       # WeCom refuses a markdown content longer than this (UTF-8 bytes)
DINGTALK_MARKDOWN_BYTES = 18000   # DingTalk's limit is about 20 000 bytes; a margin for the title


@dataclass(frozen=True)
class Item:
    text: str
    link: str | None = None       # a path of the site (/attendance/B-1/demands); the base URL is added on sending


@dataclass(frozen=True)
class Section:
    heading: str | None
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Content:
    """One message: a title and sections of lines, each line with its link."""

    title: str
    sections: tuple[Section, ...]

    def document(self) -> dict[str, Any]:
        return {"title": self.title, "sections": [
            {"heading": s.heading, "items": [{"text": i.text, "link": i.link} for i in s.items]} for s in self.sections]}

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Content:
        return cls(doc["title"], tuple(Section(s.get("heading"), tuple(Item(i["text"], i.get("link"))
                                                                        for i in s["items"])) for s in doc["sections"]))

    @property
    def count(self) -> int:
        return sum(len(s.items) for s in self.sections)


def absolute(base_url: str, link: str | None) -> str | None:
    if link is None:
        return None
    return f"{base_url}{link}" if base_url else link


def _q(value: object) -> str:
    return quote(str(value), safe="")


def alert_link(kind: str, contract: str, details: dict[str, Any] | None) -> str:
    """The page where an alert is acted on (the alerts page of its kind where no better page exists)."""
    details = details or {}
    code = _q(contract)
    if kind == "notice_overdue" and details.get("month"):
        return f"/assessment/{code}/month/{_q(details['month'])}"
    if kind in ("complaint_overdue", "complaint_due_soon"):
        return f"/complaints/{code}"
    if kind == "settlement_unverified" and details.get("period"):
        return f"/settlements/{code}/{_q(details['period'])}"
    if kind == "demand_unenforced":
        return f"/attendance/{code}/demands"
    if kind == "spending_behind":
        return f"/dashboard?{urlencode({'contract': contract})}"
    if kind in ("reminder_midyear", "reminder_self_evaluation") and details.get("year"):
        return f"/evaluation/{code}/{int(details['year'])}"
    return f"/alerts?{urlencode({'kind': kind})}"


def demand_link(contract: str) -> str:
    return f"/attendance/{_q(contract)}/demands"


def notice_link(contract: str, staff_id: str, reason: str, raised_on: dt.date) -> str:
    query = urlencode({"staff_id": staff_id, "reason": reason, "raised_on": raised_on.isoformat()})
    return f"/attendance/{_q(contract)}/demands/notice?{query}"


def settlement_link(contract: str, period: str) -> str:
    return f"/settlements/{_q(contract)}/{_q(period)}"


def kind_name(kind: str) -> str:
    return labels.ALERT_KINDS.get(kind) or labels.NOTIFY_EVENTS.get(kind) or kind


def announcement(kind: str, contract: str, text: str, link: str | None) -> Content:
    """An alert raised or an event, told once: 【kind】contract, the alert's own message and its page."""
    return Content(f"【{kind_name(kind)}】{contract}", (Section(None, (Item(text, link),)),))


@dataclass(frozen=True)
class Standing:
    """An alert still standing, for the digest."""

    kind: str
    contract: str
    message: str
    link: str
    first_raised_on: dt.date


def digest(day: dt.date, standing: Iterable[Standing]) -> Content | None:
    """The daily digest: the alerts still standing, grouped by kind (in the glossary's order), each with its link;
    None when nothing stands."""
    order = {kind: i for i, kind in enumerate([*labels.ALERT_KINDS, *labels.NOTIFY_EVENTS])}
    groups: dict[str, list[Standing]] = {}
    for s in standing:
        groups.setdefault(s.kind, []).append(s)
    if not groups:
        return None
    sections = tuple(
        Section(f"{kind_name(kind)}（{len(items)} 条）",
                tuple(Item(f"{s.message}（{s.first_raised_on} 起）", s.link)
                      for s in sorted(items, key=lambda s: (s.contract, s.first_raised_on, s.message))))
        for kind, items in sorted(groups.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))
    total = sum(len(items) for items in groups.values())
    return Content(f"{labels.DIGEST_TITLE}（{day.isoformat()}）：{total} 条提醒仍未消除", sections)


# ---------------------------------------------------------------- each channel's form


def email_text(content: Content, base_url: str) -> str:
    """Plain text for an e-mail (the subject is the title)."""
    lines = [content.title, ""]
    for section in content.sections:
        if section.heading:
            lines.append(f"【{section.heading}】")
        for item in section.items:
            lines.append(f"· {item.text}")
            if item.link:
                lines.append(f"  {absolute(base_url, item.link)}")
        lines.append("")
    lines.append("—— 不动产登记大厅窗口服务监管（自动发送，请勿回复；在“我的通知”中可更改订阅）")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Markdown characters in the hall's own text shown as they are."""
    for ch in "\\`*_[]<>#":
        text = text.replace(ch, "\\" + ch)
    return text


def markdown(content: Content, base_url: str, limit_bytes: int) -> str:
    """Markdown for a group robot, cut to the channel's limit with a line saying how many lines were left out."""
    head = f"### {_md(content.title)}\n"
    lines: list[str] = []
    for section in content.sections:
        if section.heading:
            lines.append(f"\n**{_md(section.heading)}**")
        for item in section.items:
            link = absolute(base_url, item.link)
            lines.append(f"> {_md(item.text)}" + (f" [查看]({link})" if link else ""))
    total = sum(1 for line in lines if line.startswith(">"))
    out, shown = head, 0
    for line in lines:
        tail = f"\n\n……另有 {total - shown} 条，请登录系统查看"
        if len((out + line + "\n" + tail).encode()) > limit_bytes:
            return out + tail.lstrip("\n")
        out += line + "\n"
        shown += line.startswith(">")
    return out


def wecom_body(content: Content, base_url: str) -> dict[str, Any]:
    """企业微信群机器人: msgtype markdown."""
    return {"msgtype": "markdown", "markdown": {"content": markdown(content, base_url, WECOM_MARKDOWN_BYTES)}}


def dingtalk_body(content: Content, base_url: str) -> dict[str, Any]:
    """钉钉自定义机器人: msgtype markdown with a title (shown in the chat list)."""
    return {"msgtype": "markdown",
            "markdown": {"title": content.title[:60], "text": markdown(content, base_url, DINGTALK_MARKDOWN_BYTES)}}


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉加签: Base64(HMAC-SHA256(key = secret, message = "timestamp\\nsecret")), before URL-encoding."""
    digest_ = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest_).decode()


def signed_url(webhook: str, secret: str | None, timestamp_ms: int) -> str:
    """The DingTalk webhook with `timestamp` and `sign` added when the robot has a secret."""
    if not secret:
        return webhook
    joiner = "&" if "?" in webhook else "?"
    return webhook + joiner + urlencode({"timestamp": timestamp_ms, "sign": dingtalk_sign(secret, timestamp_ms)})


def backoff(attempts: int, base_seconds: int, cap_seconds: int) -> dt.timedelta:
    """The wait before the next try after `attempts` failed ones: base, 2 × base, 4 × base … at most the cap."""
    return dt.timedelta(seconds=min(cap_seconds, base_seconds * 2 ** max(attempts - 1, 0)))
