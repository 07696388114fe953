"""The SMTP channel's STARTTLS, SSL and login against a real server with a certificate made for the test; the
scheduler registering the delivery and digest jobs from the config and running the digest at its hour."""
from __future__ import annotations

import datetime as dt
import shutil
import socket
import ssl
import subprocess
import threading

import pytest
import time_machine
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import select

from hallmon.alerts.models import JobRun, SchedulerJob
from hallmon.notify.channels import FAILED, SENT, email_message, send_email
from hallmon.notify.config import Smtp
from hallmon.notify.messages import announcement
from hallmon.scheduler import run_scheduler
from tests.notify_helpers import free_port


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for localhost, and the server's TLS context."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make the test certificate")
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", folder / "key.pem",
                    "-out", folder / "cert.pem", "-subj", "/CN=localhost", "-days", "2",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return folder / "cert.pem", context


class Recorder:
    def __init__(self):
        self.mails, self.logins = [], []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):   # noqa: N802 (aiosmtpd's name)
        with self.lock:
            self.mails.append((session.authenticated, tuple(envelope.rcpt_tos)))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        self.logins.append(auth_data.login)
        return AuthResult(success=(auth_data.login, auth_data.password) == (b"hallmon", b"s3cret-pass"),
                          handled=False)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")   # aiosmtpd cannot see implicit TLS
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_mail_goes_over_starttls_or_ssl_with_a_login_and_a_wrong_password_is_a_failure(certificate, security):
    cert, context = certificate
    recorder, port = Recorder(), free_port()
    tls = {"tls_context": context, "require_starttls": True} if security == "starttls" else \
        {"ssl_context": context, "auth_require_tls": False}
    server = Controller(recorder, hostname="127.0.0.1", port=port, authenticator=recorder.authenticate,
                        auth_required=True, **tls)
    server.start()
    try:
        smtp = Smtp("localhost", port, security, "hallmon@example.gov.cn", "hallmon", "s3cret-pass", 10, str(cert))
        content = announcement("demand_raised", "B-1", "A 张伟 须更换", "/attendance/B-1/demands")
        assert send_email(smtp, email_message(smtp, "wang@centre.gov.cn", content, "", "k1")).status == SENT
        assert recorder.mails == [(True, ("wang@centre.gov.cn",))] and recorder.logins == [b"hallmon"]
        wrong = Smtp("localhost", port, security, "hallmon@example.gov.cn", "hallmon", "wrong", 10, str(cert))
        outcome = send_email(wrong, email_message(wrong, "wang@centre.gov.cn", content, "", "k2"))
        assert outcome.status == FAILED and "535" in outcome.error and len(recorder.mails) == 1
        # a certificate the client does not trust is a failure before anything is sent
        untrusted = Smtp("localhost", port, security, "hallmon@example.gov.cn", "hallmon", "s3cret-pass", 10)
        outcome = send_email(untrusted, email_message(untrusted, "wang@centre.gov.cn", content, "", "k3"))
        assert outcome.status == FAILED and "CERTIFICATE_VERIFY_FAILED" in outcome.error
    finally:
        server.stop()


def test_an_unreachable_server_is_a_failure_not_an_uncertain_send():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]          # bound, never listening: the connection is refused
        smtp = Smtp("127.0.0.1", port, "none", "hallmon@example.gov.cn")
        outcome = send_email(smtp, email_message(smtp, "a@b.cn", announcement("demand_raised", "B-1", "t", None),
                                                 "", "k"))
    assert outcome.status == FAILED and "无法连接 SMTP 服务器" in outcome.error


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def test_the_scheduler_takes_its_notification_jobs_from_the_config(db_url, session, tmp_path, monkeypatch):
    config = tmp_path / "notify.toml"

    def configure(time: str) -> None:
        config.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = 25\nsecurity = "none"\nsender = "h@example.gov.cn"\n'
                          f'[digest]\ntime = "{time}"\n', encoding="utf-8")

    def jobs() -> set[str]:
        session.expire_all()
        found = set(session.scalars(select(SchedulerJob.id)))
        session.rollback()
        return found

    monkeypatch.setenv("HALLMON_NOTIFY_CONFIG", str(config))
    configure("09:15")
    with time_machine.travel(at(2024, 5, 1, 9, 0), tick=False):
        run_scheduler(db_url, once=True)
    assert {"deliver_notifications@60s", "daily_digest@09:15"} <= jobs()
    with time_machine.travel(at(2024, 5, 1, 9, 16), tick=False):
        run_scheduler(db_url, once=True)       # the digest's hour has come: it runs (and writes nothing: no alert)
    session.expire_all()
    assert session.execute(select(JobRun.job_id, JobRun.run_key, JobRun.status)).all() == [
        ("daily_digest", "2024-05-01", "done")]
    configure("07:00")                          # a changed hour replaces the stored job
    with time_machine.travel(at(2024, 5, 1, 9, 20), tick=False):
        run_scheduler(db_url, once=True)
    assert "daily_digest@07:00" in jobs() and "daily_digest@09:15" not in jobs()
    monkeypatch.delenv("HALLMON_NOTIFY_CONFIG")
    with time_machine.travel(at(2024, 5, 1, 9, 25), tick=False):
        run_scheduler(db_url, once=True)       # no config: no notification jobs
    assert not any(j.startswith(("deliver_notifications", "daily_digest")) for j in jobs())
