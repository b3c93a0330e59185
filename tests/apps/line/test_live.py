"""The webhook over a real socket: the platform served by a WSGI server thread, LINE's requests
posted with urllib, the fake LINE platform on another port. Committed data (the server's
connection is its own); the body's LINE account is removed afterwards, the rest is named uniquely."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from django.core.wsgi import get_wsgi_application
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.complaints.models import Attachment, Category, Complaint
from apps.line.models import LineChannel, LineEvent, LineUser
from apps.line.services import line_channel_connect
from tenants import cache
from tenants.models import LocalBody
from tests.apps.line.conftest import SECRET, TOKEN, Chat, fetch_photos, jpeg_with_gps, sign
from tests.apps.line.fake_line import FakeLine
from tests.conftest import BANLAT


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def live(committed: None, settings: Any) -> Iterator[tuple[str, FakeLine, LocalBody]]:
    fake = FakeLine(token=TOKEN).start()
    settings.LINE_API_BASE = settings.LINE_DATA_API_BASE = fake.url
    body = LocalBody.objects.get(dla_code=BANLAT)
    cache.clear()
    with schema_context(body.schema_name):
        line_channel_connect(actor=User.objects.get(username="admin"), channel_id="2000000002",
                             channel_secret=SECRET, access_token=TOKEN)
    server = make_server("127.0.0.1", 0, get_wsgi_application(), server_class=_Server, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", fake, body
    finally:
        server.shutdown()
        server.server_close()
        fake.stop()
        with schema_context(body.schema_name):
            LineChannel.objects.all().delete()


class HttpChat(Chat):
    def __init__(self, user_id: str, base: str, host: str) -> None:
        super().__init__(user_id)
        self.base, self.host = base, host

    def post(self, *events: dict[str, Any], signature: str | None = None) -> Any:
        body = json.dumps({"destination": "Ubot", "events": list(events)}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", "Host": self.host}
        if signature != "":
            headers["X-Line-Signature"] = signature or sign(body)
        request = urllib.request.Request(f"{self.base}/line/webhook/", data=body, headers=headers,  # noqa: S310
                                         method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local server
                response.status_code = response.status
                return response
        except urllib.error.HTTPError as error:
            error.status_code = error.code
            return error


def test_a_complaint_filed_over_real_http_with_two_photos_and_a_location(live):
    base, fake, body = live
    chat = HttpChat("U" + uuid.uuid4().hex, base, f"{body.slug}.localhost")
    fake.contents["8101"] = jpeg_with_gps((1, 2, 3))
    fake.contents["8102"] = jpeg_with_gps((4, 5, 6))
    with schema_context(body.schema_name):
        category = Category.objects.get(national_category_id="road")

    wrong = chat.post(chat.postback("a=file"), signature=sign(b"something else"))
    assert wrong.status_code == 403
    with schema_context(body.schema_name):
        assert not LineUser.objects.filter(pk=chat.user_id).exists()

    first = chat.postback("a=file")
    for event in (first, dict(first, deliveryContext={"isRedelivery": True}), chat.postback(f"a=cat&id={category.pk}"),
                  chat.text("ถนนทรุดเป็นหลุมลึกหน้าโรงเรียน"), chat.image("8101"), chat.image("8102"),
                  chat.location(13.0901, 99.9202, "หน้าโรงเรียนบ้านลาด")):
        assert chat.post(event).status_code == 200
    with schema_context(body.schema_name):  # as the task does (tests/apps/line/test_photo_worker.py: a real one)
        assert fetch_photos(chat.user_id) == ["added", "added"]
    assert chat.post(chat.postback("a=submit")).status_code == 200
    with schema_context(body.schema_name):
        complaint = Complaint.objects.get(complainant_line_id=chat.user_id)
        assert (complaint.channel, complaint.description) == ("line", "ถนนทรุดเป็นหลุมลึกหน้าโรงเรียน")
        assert (str(complaint.latitude), str(complaint.longitude)) == ("13.090100", "99.920200")
        assert Attachment.objects.filter(complaint=complaint).count() == 2
        assert LineEvent.objects.filter(pk=first["webhookEventId"]).count() == 1
    texts = fake.reply_texts()
    assert texts[0] == ["เลือกหมวดเรื่องที่ต้องการแจ้ง"]  # once: the redelivery got no second reply
    assert len(texts) == 7
    assert texts[-1][0] == f"รับเรื่องแล้ว เลขติดตามเรื่อง {complaint.tracking_code}"
