"""A real SMTP server on a local port (aiosmtpd), started by the test, and the body's outbox
delivered to it through the project's e-mail provider (apps.complaints.notifications)."""

from __future__ import annotations

import email
import re
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from django_tenants.utils import schema_context

from apps.complaints.models import Notification, OutboxStatus
from apps.complaints.notifications import deliver
from tenants.models import LocalBody


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802 - aiosmtpd's name
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))  # type: ignore[attr-defined,arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    @staticmethod
    def text(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain",))
        assert part is not None
        return str(part.get_content())

    def link(self, address: str) -> str:
        """The path of the newest invitation link sent to `address`."""
        found = re.search(r"http://[a-z0-9-]+\.localhost(/staff/welcome/[^/\s]+/)", self.text(self.to(address)[-1]))
        assert found is not None
        return found.group(1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def mailbox(settings) -> Iterator[Mailbox]:  # type: ignore[no-untyped-def]
    handler = Mailbox()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS,
                                      "email": "apps.complaints.notifications.EmailBackend"}
    try:
        yield handler
    finally:
        controller.stop()


def deliver_outbox(body: LocalBody) -> int:
    """What the outbox task does in the body's schema: send every pending message."""
    with schema_context(body.schema_name):
        ids = list(Notification.objects.filter(status=OutboxStatus.PENDING).values_list("pk", flat=True))
        return deliver(ids)
