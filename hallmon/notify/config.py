"""The deployment's notification channels, read from the TOML file named by HALLMON_NOTIFY_CONFIG: the SMTP server,
the group robots (WeCom, DingTalk), the delivery's retries and the daily digest's hour. Secrets live only here, in
the file: never in the database, never in a message or a log line."""
from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hallmon.core.errors import Refused

ENV = "HALLMON_NOTIFY_CONFIG"
SECURITY = ("ssl", "starttls", "none")
ROBOT_TYPES = ("wecom", "dingtalk")


class NotifyConfigError(Refused):
    """The notification config cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    security: str            # ssl (SMTPS, usually 465), starttls (usually 587), none (a relay on the local network)
    sender: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout_seconds: float = 30.0
    ca_file: str | None = None   # a private CA for the server's certificate; else the system's


@dataclass(frozen=True)
class Robot:
    name: str
    type: str                                              # wecom | dingtalk
    webhook: str = field(repr=False)                       # carries the robot's key or access token: a secret
    secret: str | None = field(default=None, repr=False)   # DingTalk's 加签 secret (timestamp + sign)
    timeout_seconds: float = 15.0


@dataclass(frozen=True)
class Delivery:
    max_attempts: int = 6            # tries of one message before it is given up and shown on the admin page
    backoff_seconds: int = 60        # wait after the first failed try; doubled after each further one
    max_backoff_seconds: int = 3600
    lease_seconds: int = 600         # a message left "sending" this long by a process that died is "uncertain"
    interval_seconds: int = 60       # how often the scheduler looks for messages due


@dataclass(frozen=True)
class NotifyConfig:
    path: str
    base_url: str = ""               # the site's address, for the links in messages ("" leaves them relative)
    smtp: Smtp | None = None
    robots: dict[str, Robot] = field(default_factory=dict)
    delivery: Delivery = Delivery()
    digest_time: dt.time = dt.time(8, 30)   # Asia/Shanghai

    def secrets(self) -> list[str]:
        """Every secret of the file, to be blanked out of any text that is stored or printed."""
        out = [r.webhook for r in self.robots.values()] + [r.secret or "" for r in self.robots.values()]
        for robot in self.robots.values():
            query = urlsplit(robot.webhook).query
            out += [part.split("=", 1)[1] for part in query.split("&") if "=" in part]
        if self.smtp and self.smtp.password:
            out.append(self.smtp.password)
        return sorted({s for s in out if len(s) >= 4}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets():
            text = text.replace(secret, "***")
        return text


class _Table:
    """One TOML table read key by key; every problem is collected with its dotted key."""

    def __init__(self, data: Any, prefix: str, errors: list[str]):
        self.prefix, self.errors = prefix, errors
        if not isinstance(data, dict):
            errors.append(f"{prefix or '（根）'}：应为一个表（[{prefix}]）")
            data = {}
        self.data, self.seen = data, set()

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def get(self, name: str, kind: type | tuple[type, ...], default: Any = None, required: bool = False) -> Any:
        self.seen.add(name)
        if name not in self.data:
            if required:
                self.errors.append(f"{self.key(name)}：缺少必填项")
            return default
        value = self.data[name]
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)) \
                or not isinstance(value, kind):
            self.errors.append(f"{self.key(name)}：类型不对（{type(value).__name__}）")
            return default
        return value

    def positive(self, name: str, default: int) -> int:
        value = self.get(name, int, default)
        if value < 1:
            self.errors.append(f"{self.key(name)}：应为正整数")
            return default
        return value

    def done(self) -> None:
        for name in sorted(set(self.data) - self.seen):
            self.errors.append(f"{self.key(name)}：未知的配置项")


def _url(table: _Table, name: str, value: str | None) -> None:
    if value is not None:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            table.errors.append(f"{table.key(name)}：应为 http:// 或 https:// 开头的地址")


def _smtp(raw: Any, errors: list[str]) -> Smtp | None:
    t = _Table(raw, "smtp", errors)
    host = t.get("host", str, "", required=True)
    security = t.get("security", str, "starttls")
    if security not in SECURITY:
        errors.append(f"smtp.security：应为 {'、'.join(SECURITY)} 之一（{security!r}）")
    port = t.get("port", int, {"ssl": 465, "starttls": 587}.get(security, 25))
    if not 0 < port < 65536:
        errors.append("smtp.port：端口应在 1–65535 之间")
    sender = t.get("sender", str, "", required=True)
    if sender and "@" not in sender:
        errors.append(f"smtp.sender：不是电子邮件地址（{sender!r}）")
    username = t.get("username", str)
    password = t.get("password", str)
    if (username is None) != (password is None):
        errors.append("smtp.username / smtp.password：登录须同时给出用户名和密码")
    timeout = t.get("timeout_seconds", (int, float), 30)
    ca_file = t.get("ca_file", str)
    if ca_file is not None and not Path(ca_file).is_file():
        errors.append(f"smtp.ca_file：文件不存在（{ca_file}）")
    t.done()
    return Smtp(host, port, security, sender, username, password, float(timeout), ca_file)


def _robots(raw: Any, errors: list[str]) -> dict[str, Robot]:
    if not isinstance(raw, dict):
        errors.append("robots：应为表（[robots.名称]）")
        return {}
    out = {}
    for name, body in raw.items():
        t = _Table(body, f"robots.{name}", errors)
        kind = t.get("type", str, "", required=True)
        if kind and kind not in ROBOT_TYPES:
            errors.append(f"robots.{name}.type：应为 {'、'.join(ROBOT_TYPES)} 之一（{kind!r}）")
        webhook = t.get("webhook", str, "", required=True)
        _url(t, "webhook", webhook or None)
        secret = t.get("secret", str)
        if secret is not None and kind == "wecom":
            errors.append(f"robots.{name}.secret：企业微信群机器人没有加签密钥")
        timeout = t.get("timeout_seconds", (int, float), 15)
        t.done()
        if len(name) > 100:
            errors.append(f"robots.{name}：名称过长（至多 100 字）")
        out[name] = Robot(name, kind, webhook, secret, float(timeout))
    return out


def parse_config(text: str, path: str = "<notify config>") -> NotifyConfig:
    """The config from TOML text; every problem is refused at once, each naming its key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise NotifyConfigError(f"通知配置 {path} 不是有效的 TOML：{exc}") from None
    errors: list[str] = []
    root = _Table(data, "", errors)
    site = _Table(root.get("site", dict, {}), "site", errors)
    base_url = site.get("base_url", str, "")
    _url(site, "base_url", base_url or None)
    site.done()
    smtp = _smtp(data["smtp"], errors) if "smtp" in data else None
    root.seen.add("smtp")
    robots = _robots(data["robots"], errors) if "robots" in data else {}
    root.seen.add("robots")
    d = _Table(root.get("delivery", dict, {}), "delivery", errors)
    delivery = Delivery(d.positive("max_attempts", 6), d.positive("backoff_seconds", 60),
                        d.positive("max_backoff_seconds", 3600), d.positive("lease_seconds", 600),
                        d.positive("interval_seconds", 60))
    d.done()
    g = _Table(root.get("digest", dict, {}), "digest", errors)
    text_time = g.get("time", str, "08:30")
    try:
        digest_time = dt.time.fromisoformat(text_time)
        if len(text_time) != 5:
            raise ValueError
    except ValueError:
        errors.append(f"digest.time：应为 HH:MM（{text_time!r}）")
        digest_time = dt.time(8, 30)
    g.done()
    root.done()
    if smtp is None and not robots and not errors:
        errors.append("smtp / robots：至少配置一个通知渠道")
    if errors:
        raise NotifyConfigError(f"通知配置 {path} 有误：" + "；".join(errors), errors)
    return NotifyConfig(path, base_url.rstrip("/"), smtp, robots, delivery, digest_time)


def load_config(path: str | Path) -> NotifyConfig:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise NotifyConfigError(f"无法读取通知配置 {path}（{ENV}）：{exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise NotifyConfigError(f"通知配置 {path} 不是 UTF-8 文本") from None
    return parse_config(text, str(path))


def configured() -> NotifyConfig | None:
    """The config named by HALLMON_NOTIFY_CONFIG; None when it is not set (notifications are then not delivered:
    the outbox keeps them). A set but missing or broken file is an error."""
    path = os.environ.get(ENV, "").strip()
    return load_config(path) if path else None
