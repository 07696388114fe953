"""Real servers for the notification tests: an SMTP server (aiosmtpd) that records what it accepts and can refuse,
go down, come back or hold a message, and an HTTP server standing in for the WeCom and DingTalk robots."""
from __future__ import annotations

import asyncio
import base64
import collections
import datetime as dt
import hashlib
import hmac
import json
import socket
import threading
from dataclasses import dataclass
from email import message_from_bytes
from email.policy import default as DEFAULT_POLICY
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller

WAIT = 60   # seconds any test waits for a condition before it fails


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Mail:
    to: tuple[str, ...]
    subject: str
    text: str
    message_id: str


class MailServer:
    """An SMTP server on 127.0.0.1. `mode` "accept" records and accepts; "refuse" answers DATA with a 451; "drop"
    records the text and breaks the connection instead of answering (a network fault at the worst moment). It can
    be stopped (connections refused) and started again on the same port. `hold_data(n)` records the n-th message
    and then holds its answer; `hold_rcpt(n)` holds at the n-th recipient, before any text is sent."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.mode = "accept"
        self.received: list[Mail] = []
        self.refused = 0
        self.rcpts = 0
        self.cond = threading.Condition()
        self.holding = threading.Event()
        self.release = threading.Event()
        self._hold_data: int | None = None
        self._hold_rcpt: int | None = None
        self.controller: Controller | None = None

    # ---------------------------------------------------------------- control
    def start(self) -> MailServer:
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.release.set()
            self.controller.stop()
            self.controller = None

    def hold_data(self, n: int) -> None:
        self._hold_data, self.holding, self.release = n, threading.Event(), threading.Event()

    def hold_rcpt(self, n: int) -> None:
        self._hold_rcpt, self.holding, self.release = n, threading.Event(), threading.Event()

    def wait_for(self, count: int, timeout: float = WAIT) -> bool:
        with self.cond:
            return self.cond.wait_for(lambda: len(self.received) >= count, timeout)

    def subjects(self) -> list[str]:
        return [m.subject for m in self.received]

    def ids(self) -> list[str]:
        return [m.message_id for m in self.received]

    # ---------------------------------------------------------------- inside the server's loop
    async def _hold(self) -> None:
        self.holding.set()
        await asyncio.get_running_loop().run_in_executor(None, self.release.wait, WAIT)


class _Handler:
    def __init__(self, server: MailServer):
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        s = self.server
        s.rcpts += 1
        if s._hold_rcpt is not None and s.rcpts == s._hold_rcpt:
            await s._hold()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        s = self.server
        if s.mode == "refuse":
            s.refused += 1
            return "451 4.3.0 Mailbox temporarily unavailable"
        parsed = message_from_bytes(envelope.original_content or envelope.content, policy=DEFAULT_POLICY)
        body = parsed.get_body(("plain",))
        mail = Mail(tuple(envelope.rcpt_tos), str(parsed["Subject"]), body.get_content() if body else "",
                    str(parsed["Message-ID"]))
        with s.cond:
            s.received.append(mail)
            n = len(s.received)
            s.cond.notify_all()
        if s._hold_data is not None and n == s._hold_data:
            await s._hold()
        if s.mode == "drop":
            server.transport.close()
        return "250 2.0.0 OK"


@dataclass(frozen=True)
class Post:
    path: str
    query: dict[str, str]
    body: dict


class RobotServer:
    """An HTTP server standing in for the WeCom and DingTalk robot endpoints: it records every POST (path, query,
    JSON body) and answers from `answers` (status, JSON) in turn, then {"errcode": 0, "errmsg": "ok"}."""

    def __init__(self):
        self.posts: list[Post] = []      # the posts answered errcode 0: delivered
        self.tries = 0
        self.answers: collections.deque[tuple[int, dict]] = collections.deque()
        self.cond = threading.Condition()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):   # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                parts = urlsplit(self.path)
                post = Post(parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()},
                            json.loads(raw.decode("utf-8")))
                with outer.cond:
                    outer.tries += 1
                    status, answer = outer.answers.popleft() if outer.answers else (200, {"errcode": 0, "errmsg": "ok"})
                    if status == 200 and answer.get("errcode") == 0:
                        outer.posts.append(post)
                    outer.cond.notify_all()
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"

    def delivered(self, path: str) -> list[Post]:
        return [p for p in self.posts if p.path == path]

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)


def dingtalk_signature_ok(post: Post, secret: str, now_ms: int | None = None) -> bool:
    """DingTalk's check: sign = Base64(HMAC-SHA256(secret, "timestamp\\nsecret")), timestamp within an hour."""
    timestamp = int(post.query["timestamp"])
    expected = base64.b64encode(hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(),
                                         hashlib.sha256).digest()).decode()
    now_ms = now_ms or int(dt.datetime.now().timestamp() * 1000)
    return hmac.compare_digest(post.query["sign"], expected) and abs(now_ms - timestamp) < 3600 * 1000


DINGTALK_SECRET = "SECtest0123456789abcdef"
WECOM_PATH, DINGTALK_PATH = "/cgi-bin/webhook/send", "/robot/send"


def write_config(path: Path, smtp_port: int | None = None, robots: RobotServer | None = None, **delivery) -> Path:
    """A notification config: the local SMTP server, a WeCom robot 大厅群 and a signed DingTalk robot 财务群."""
    lines = ['[site]', 'base_url = "https://hallmon.example.gov.cn"']
    if smtp_port is not None:
        lines += ["", "[smtp]", 'host = "127.0.0.1"', f"port = {smtp_port}", 'security = "none"',
                  'sender = "hallmon@example.gov.cn"', "timeout_seconds = 20"]
    if robots is not None:
        lines += ["", '[robots."大厅群"]', 'type = "wecom"',
                  f'webhook = "{robots.url(WECOM_PATH)}?key=wecom-key-0001"',
                  "", '[robots."财务群"]', 'type = "dingtalk"',
                  f'webhook = "{robots.url(DINGTALK_PATH)}?access_token=ding-token-0001"',
                  f'secret = "{DINGTALK_SECRET}"']
    if delivery:
        lines += ["", "[delivery]", *(f"{k} = {v}" for k, v in delivery.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
