"""What the reminder tests share: a real SMTP server (aiosmtpd on a free local port) with the
deployment configured to mail through it, or no mail at all; a step taken through the pages; the
notifications an account received; `hrpark remind` run as cron would."""
import email
import socket
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.records.accounts import User
from core.records.models import Application
from core.records.notifications import Notification


class Inbox:
    """What an SMTP server received: each message parsed."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address):
        return [m for m in self.messages if address in m["To"]]


def body_of(message):
    return message.get_body(("plain",)).get_content()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(monkeypatch):
    """A real SMTP server on localhost, and the deployment configured to mail through it."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    monkeypatch.setenv("HRPARK_MAIL_SERVER", "127.0.0.1")
    monkeypatch.setenv("HRPARK_MAIL_PORT", str(port))
    monkeypatch.setenv("HRPARK_MAIL_SENDER", "hrpark@example.gov.cn")
    monkeypatch.setenv("HRPARK_BASE_URL", "https://hrpark.example.gov.cn/")
    monkeypatch.delenv("HRPARK_REDIS_URL", raising=False)
    yield inbox
    controller.stop()


@pytest.fixture
def no_mail(monkeypatch):
    for name in ("HRPARK_MAIL_SERVER", "HRPARK_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)


def mail_to(user, address, mode):
    User.update(email=address, mail_mode=mode).where(User.id == user.id).execute()


def uploads(app):
    return Path(app.config["UPLOAD_DIR"])


def transition(browser, application, transition_id, remark=""):
    version = Application.get_by_id(application.id).version
    response = browser.post(f"/admin/application/{application.id}/transition/",
                            {"transition": transition_id, "remark": remark, "version": version})
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    response.close()  # as a server does once the response is sent: the request's mail goes then
    return response


def notifications_of(user, kind=None):
    query = Notification.select().where(Notification.recipient == user.id)
    return list(query if kind is None else query.where(Notification.kind == kind))


def remind(on):
    from core.io.cli.main import cli

    result = CliRunner().invoke(cli, ["remind", "--on", on.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output
