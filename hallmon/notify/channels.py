"""Sending one message: e-mail over SMTP (smtplib: SSL, STARTTLS or plain, login optional) and the group robots of
WeCom and DingTalk (urllib: JSON over HTTPS). Each send says how it went: sent, failed (the server refused or could
not be reached, so nothing was delivered: safe to try again) or uncertain (the connection broke after the message
left: it may have arrived, so it is never sent again by itself)."""
from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import re
import smtplib
import socket
import ssl
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from hallmon.notify import messages as M
from hallmon.notify.config import NotifyConfig, Robot, Smtp

SENT, FAILED, UNCERTAIN = "sent", "failed", "uncertain"


@dataclass(frozen=True)
class Outcome:
    status: str                 # sent | failed | uncertain
    error: str | None = None


def message_id(key: str, sender: str) -> str:
    """The same Message-ID for every try of one message (a mailbox that keeps one copy per id keeps one)."""
    domain = sender.rsplit("@", 1)[-1] or "hallmon"
    return f"<hallmon.{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def email_message(smtp: Smtp, to: str, content: M.Content, base_url: str, key: str) -> EmailMessage:
    msg = EmailMessage(policy=SMTP_POLICY)
    msg["From"] = smtp.sender
    msg["To"] = to
    msg["Subject"] = content.title
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = message_id(key, smtp.sender)
    msg.set_content(M.email_text(content, base_url), charset="utf-8", cte="base64")
    return msg


_LEADING_DOT = re.compile(rb"(?m)^\.")


def send_email(smtp: Smtp, msg: EmailMessage) -> Outcome:
    """One e-mail through the configured server. Everything up to the server's "354 go ahead" is either refused by
    the server or never reached it (failed); from the moment the text is sent until the server's answer is read,
    a broken connection leaves it unknown whether the server took the message (uncertain)."""
    context = ssl.create_default_context(cafile=smtp.ca_file) if smtp.security != "none" else None
    try:
        if smtp.security == "ssl":
            client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout_seconds, context=context)
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds)
    except (OSError, smtplib.SMTPException) as exc:
        return Outcome(FAILED, f"无法连接 SMTP 服务器 {smtp.host}:{smtp.port}：{_describe(exc)}")
    try:
        try:
            client.ehlo()
            if smtp.security == "starttls":
                client.starttls(context=context)
                client.ehlo()
            if smtp.username:
                client.login(smtp.username, smtp.password or "")
            code, reply = client.mail(smtp.sender)
            if code != 250:
                return Outcome(FAILED, f"SMTP 拒绝发件人：{code} {_text(reply)}")
            code, reply = client.rcpt(msg["To"])
            if code not in (250, 251):
                return Outcome(FAILED, f"SMTP 拒绝收件人：{code} {_text(reply)}")
            code, reply = client.docmd("DATA")
            if code != 354:
                return Outcome(FAILED, f"SMTP 拒绝 DATA：{code} {_text(reply)}")
        except (OSError, smtplib.SMTPException) as exc:
            return Outcome(FAILED, f"SMTP 发送前出错：{_describe(exc)}")
        data = _LEADING_DOT.sub(b"..", msg.as_bytes())
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        try:
            client.send(data + b".\r\n")
            code, reply = client.getreply()
        except (OSError, smtplib.SMTPException) as exc:
            return Outcome(UNCERTAIN, f"邮件内容已发出，未收到服务器答复：{_describe(exc)}")
        if code != 250:
            return Outcome(FAILED, f"SMTP 拒绝邮件：{code} {_text(reply)}")
        return Outcome(SENT)
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            client.quit()
        client.close()


def robot_request(robot: Robot, content: M.Content, base_url: str, timestamp_ms: int | None = None) -> Request:
    if robot.type == "dingtalk":
        body = M.dingtalk_body(content, base_url)
        url = M.signed_url(robot.webhook, robot.secret, timestamp_ms or int(time.time() * 1000))
    else:
        body = M.wecom_body(content, base_url)
        url = robot.webhook
    return Request(url, data=json.dumps(body, ensure_ascii=False).encode(), method="POST",
                   headers={"Content-Type": "application/json; charset=utf-8"})


def post_robot(robot: Robot, request: Request) -> Outcome:
    """One post to a group robot. Both WeCom and DingTalk answer HTTP 200 with `errcode` in the JSON body: 0 is
    delivered, anything else a refusal (rate limit, bad key, bad signature). Refused connections and HTTP errors
    are failures; a connection that breaks or times out after the request went out is uncertain."""
    try:
        with urlopen(request, timeout=robot.timeout_seconds) as response:   # noqa: S310 (the deployment's own URL)
            raw = response.read()
    except HTTPError as exc:
        return Outcome(FAILED, f"群机器人 {robot.name} 返回 HTTP {exc.code}")
    except URLError as exc:
        if _unreached(exc.reason):
            return Outcome(FAILED, f"无法连接群机器人 {robot.name}：{_describe(exc.reason)}")
        return Outcome(UNCERTAIN, f"群机器人 {robot.name} 的请求已发出，未收到答复：{_describe(exc.reason)}")
    except (OSError, http.client.HTTPException) as exc:
        return Outcome(UNCERTAIN, f"群机器人 {robot.name} 的请求已发出，未收到答复：{_describe(exc)}")
    try:
        answer = json.loads(raw.decode("utf-8"))
        errcode = int(answer.get("errcode", -1))
    except (ValueError, AttributeError, TypeError):
        return Outcome(UNCERTAIN, f"群机器人 {robot.name} 的答复无法识别")
    if errcode != 0:
        return Outcome(FAILED, f"群机器人 {robot.name} 拒绝：errcode {errcode} {str(answer.get('errmsg', ''))[:200]}")
    return Outcome(SENT)


def _unreached(reason: object) -> bool:
    """Errors that mean the request never reached the server."""
    if isinstance(reason, (ConnectionRefusedError, socket.gaierror, ssl.SSLError)):
        return True
    return isinstance(reason, OSError) and reason.errno in (101, 113)   # ENETUNREACH, EHOSTUNREACH


def _text(reply: bytes | str) -> str:
    return (reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply))[:300]


def _describe(exc: object) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def send(config: NotifyConfig, channel: str, recipient: str, content: M.Content, key: str) -> Outcome:
    """One message on its channel, as the deployment's config says; errors carry no secret."""
    if channel == "email":
        if config.smtp is None:
            outcome = Outcome(FAILED, "通知配置中没有 [smtp]，无法发送电子邮件")
        else:
            outcome = send_email(config.smtp, email_message(config.smtp, recipient, content, config.base_url, key))
    else:
        robot = config.robots.get(recipient)
        if robot is None:
            outcome = Outcome(FAILED, f"通知配置中没有名为 {recipient} 的群机器人")
        else:
            outcome = post_robot(robot, robot_request(robot, content, config.base_url))
    if outcome.error:
        return Outcome(outcome.status, config.redact(outcome.error))
    return outcome
