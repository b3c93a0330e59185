"""The outbox's `webhook` provider: one signed POST of one stored event to one endpoint.

The outbox row (apps.complaints.models.Notification) holds the endpoint's id as its recipient,
the event id as its subject and the JSON body, exactly as first written: every attempt sends the
same bytes with the same event id, a fresh timestamp and a signature over both. Any answer other
than 2xx, a refused address or no answer within WEBHOOK_TIMEOUT is a failure: the outbox keeps
the row and retries with backoff.

The PDPA job (apps.complaints.retention) rewrites an event not yet delivered without the person,
under a lock on its outbox row, and a worker may have claimed that row already. So a delivery reads
the row again under the same lock and holds it for its one POST (at most WEBHOOK_TIMEOUT): a
delivery either ends before the erasure can take the row, or sends what the erasure left. What the
worker read when it claimed the row is never sent."""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction

from apps.ui.secrets import decrypt
from apps.webhooks.addresses import resolve_checked, url_parts
from apps.webhooks.models import WebhookEndpoint
from apps.webhooks.signing import signature

if TYPE_CHECKING:
    from apps.complaints.models import Notification

USER_AGENT = "Rongthuk-Webhooks/1"


class DeliveryFailed(ConnectionError):
    pass


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to the address that was checked, with the URL's host name for SNI and the certificate."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def post_signed(*, url: str, secret: str, event_id: str, event: str, body: bytes,
                timestamp: int | None = None) -> int:
    """POST `body` to `url` signed with `secret`; returns the HTTP status (raises on no answer)."""
    scheme, host, port, path = url_parts(url)
    address = resolve_checked(host, port)
    stamp = int(timestamp if timestamp is not None else time.time())
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, address, port, float(settings.WEBHOOK_TIMEOUT))
    default_port = 443 if scheme == "https" else 80
    headers = {
        "Host": host if port == default_port else f"{host}:{port}",
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Rongthuk-Event": event,
        "X-Rongthuk-Event-Id": event_id,
        "X-Rongthuk-Timestamp": str(stamp),
        "X-Rongthuk-Signature": signature(secret, stamp, body),
    }
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(65536)  # the answer is not used; a bounded read lets the connection close cleanly
        return response.status
    finally:
        connection.close()


class WebhookBackend:
    def send(self, notification: Notification, *, idempotency_key: str) -> None:
        with transaction.atomic():
            # The row as it is now, locked until the POST is answered (the module's docstring).
            row = (type(notification)._default_manager.select_for_update()
                   .filter(pk=notification.pk, status=notification.status).first())
            if row is None:
                raise DeliveryFailed("no longer claimed")  # emptied by the PDPA job, or taken back
            endpoint = WebhookEndpoint.objects.filter(pk=_endpoint_id(row.recipient)).first()
            if endpoint is None or not endpoint.is_active:
                # Removed or switched off by the body's admin: nothing is sent, and the log says so.
                raise DeliveryFailed("endpoint disabled")
            status = post_signed(url=endpoint.url, secret=decrypt(endpoint.secret_encrypted),
                                 event_id=row.subject, event=_event_name(row.body), body=row.body.encode())
        if not 200 <= status < 300:
            raise DeliveryFailed(f"HTTP {status}")


def _endpoint_id(recipient: str) -> int:
    return int(recipient) if recipient.isdigit() else 0


def _event_name(body: str) -> str:
    import json

    try:
        data: Any = json.loads(body)
    except ValueError:
        return ""
    return str(data.get("type", "")) if isinstance(data, dict) else ""
