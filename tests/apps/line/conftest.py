"""A body with its LINE account connected, a fake LINE platform on a real local HTTP port, and a
chat helper that sends correctly signed webhook bodies to the body's /line/webhook/."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import itertools
import json
import os
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django_tenants.utils import schema_context
from PIL import Image

from apps.accounts.models import User
from apps.complaints import notifications
from apps.complaints.models import Notification, OutboxStatus
from apps.line import photos
from apps.line.models import LineUser
from apps.line.services import line_channel_connect
from tenants.models import LocalBody
from tests.apps.line.fake_line import FakeLine

SECRET = "0123456789abcdef0123456789abcdef"
TOKEN = "fake-channel-access-token-5760601"  # noqa: S105 - test data
HOST = "banlat.localhost"
_ids = itertools.count(1)


def event_id() -> str:
    # Unique across runs: the real-HTTP test commits its events.
    return "01" + uuid.uuid4().hex[:24].upper()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# The fake LINE platform of these tests listens on one port chosen now, before any worker starts:
# a real Celery worker (tests/conftest.py, started later with this environment) reaches it too.
FAKE_PORT = _free_port()
os.environ["LINE_API_BASE"] = os.environ["LINE_DATA_API_BASE"] = f"http://127.0.0.1:{FAKE_PORT}"
os.environ["LINE_CONTENT_RETRY_SECONDS"] = "1"


@pytest.fixture(scope="module")
def fake_server() -> Iterator[FakeLine]:
    fake = FakeLine(token=TOKEN, port=FAKE_PORT).start()
    yield fake
    fake.stop()


@pytest.fixture
def line(fake_server: FakeLine, settings: Any, banlat: LocalBody) -> FakeLine:
    fake_server.calls.clear()
    fake_server.contents.clear()
    fake_server.retry_keys.clear()
    fake_server.down = False
    fake_server.failing.clear()
    fake_server.held.clear()
    fake_server.release.clear()
    settings.LINE_API_BASE = fake_server.url
    settings.LINE_DATA_API_BASE = fake_server.url
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS, "line": "apps.line.backend.LinePushBackend"}
    with schema_context(banlat.schema_name):
        line_channel_connect(actor=User.objects.get(username="admin"), channel_id="2000000001",
                             channel_secret=SECRET, access_token=TOKEN)
    return fake_server


def sign(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


class Chat:
    """One citizen talking to the body's account."""

    def __init__(self, user_id: str, client: Client | None = None) -> None:
        self.user_id = user_id
        self.client = client or Client()

    def event(self, kind: str, **extra: Any) -> dict[str, Any]:
        return {"type": kind, "mode": "active", "timestamp": 1764590000000, "webhookEventId": event_id(),
                "deliveryContext": {"isRedelivery": False}, "replyToken": f"rt-{next(_ids)}",
                "source": {"type": "user", "userId": self.user_id}, **extra}

    def post(self, *events: dict[str, Any], signature: str | None = None) -> Any:
        body = json.dumps({"destination": "Ubot", "events": list(events)}, ensure_ascii=False).encode()
        headers = {} if signature == "" else {"HTTP_X_LINE_SIGNATURE": signature or sign(body)}
        return self.client.post("/line/webhook/", body, content_type="application/json", HTTP_HOST=HOST, **headers)

    def send(self, *events: dict[str, Any]) -> Any:
        response = self.post(*events)
        assert response.status_code == 200, response.content
        return response

    def text(self, value: str) -> dict[str, Any]:
        return self.event("message", message={"type": "text", "id": str(next(_ids)), "text": value,
                                              "quoteToken": "q"})

    def image(self, message_id: str) -> dict[str, Any]:
        return self.event("message", message={"type": "image", "id": message_id, "quoteToken": "q",
                                              "contentProvider": {"type": "line"}})

    def location(self, latitude: float, longitude: float, address: str) -> dict[str, Any]:
        return self.event("message", message={"type": "location", "id": str(next(_ids)), "title": "",
                                              "address": address, "latitude": latitude, "longitude": longitude})

    def postback(self, data: str) -> dict[str, Any]:
        return self.event("postback", postback={"data": data})


def jpeg_with_gps(color: tuple[int, int, int] = (10, 120, 200)) -> bytes:
    image = Image.new("RGB", (64, 48), color)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (13.0, 4.0, 51.0), 3: "E", 4: (99.0, 55.0, 48.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def deliver_line() -> int:
    """Run the outbox for the pending LINE notifications of the current body (as its task does)."""
    ids = list(Notification.objects.filter(channel="line", status=OutboxStatus.PENDING).order_by("pk")
               .values_list("pk", flat=True))
    return notifications.deliver(ids)


def fetch_photos(user_id: str, *, complaint_id: int | None = None, message_ids: tuple[str, ...] = ()) -> list[str]:
    """Run the photo fetches the webhook queued for this citizen (in the current body's schema), as
    the task line.photo_fetch does; what became of each."""
    ids = message_ids or tuple(LineUser.objects.get(pk=user_id).state.get("fetching", []))
    return [photos.line_photo_fetch(user_id=user_id, message_id=i, complaint_id=complaint_id, last_try=False)
            for i in ids]
