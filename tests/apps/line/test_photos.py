"""Photos sent in the chat are fetched by a task, never inside the webhook: a real Celery worker
fetches them from the fake LINE platform over real HTTP while the webhook has already answered;
a 20 MB photo is refused and the citizen told in the chat; LINE's content host failing is retried;
the complaint is sent with what arrived, and never waits for a photo the citizen gave up on."""

from __future__ import annotations

import io
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any
from wsgiref.simple_server import make_server

import pytest
from django.core.wsgi import get_wsgi_application
from django_tenants.utils import schema_context
from PIL import Image

from apps.accounts.models import User
from apps.complaints.models import Attachment, Category, Complaint
from apps.line import photos
from apps.line.models import LineChannel, LineUser
from apps.line.services import line_channel_connect
from tenants import cache
from tenants.models import LocalBody
from tests.apps.line.conftest import SECRET, TOKEN, Chat, deliver_line, fetch_photos, jpeg_with_gps
from tests.apps.line.fake_line import FakeLine
from tests.apps.line.test_live import HttpChat, _QuietHandler, _Server
from tests.conftest import BANLAT, wait_for

TOO_BIG = b"\xff\xd8\xff\xe0" + b"\0" * (20 * 1024 * 1024)


def _filing(chat: Chat, category: Category) -> list[dict[str, Any]]:
    return [chat.postback("a=file"), chat.postback(f"a=cat&id={category.pk}"), chat.text("ป้ายจราจรล้มขวางถนน")]


@pytest.fixture
def served(committed: None, fake_server: FakeLine, settings: Any,
           celery_worker_process: object) -> Iterator[tuple[str, FakeLine, LocalBody]]:
    """The platform on a real socket, the body's LINE account committed (the worker reads it)."""
    settings.LINE_API_BASE = settings.LINE_DATA_API_BASE = fake_server.url
    for kept in (fake_server.calls, fake_server.contents, fake_server.failing, fake_server.held):
        kept.clear()
    fake_server.release.clear()
    fake_server.down = False
    body = LocalBody.objects.get(dla_code=BANLAT)
    cache.clear()
    with schema_context(body.schema_name):
        line_channel_connect(actor=User.objects.get(username="admin"), channel_id="2000000003",
                             channel_secret=SECRET, access_token=TOKEN)
    server = make_server("127.0.0.1", 0, get_wsgi_application(), server_class=_Server, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", fake_server, body
    finally:
        fake_server.release.set()
        server.shutdown()
        server.server_close()
        with schema_context(body.schema_name):
            LineChannel.objects.all().delete()


@pytest.mark.worker
def test_the_worker_fetches_checks_retries_and_refuses_photos_while_the_webhook_answers_at_once(served):
    base, fake, body = served
    chat = HttpChat("U" + uuid.uuid4().hex, base, f"{body.slug}.localhost")
    stamp = str(time.time_ns())[-12:]
    good, big, flaky = f"{stamp}1", f"{stamp}2", f"{stamp}3"
    fake.contents.update({good: jpeg_with_gps((1, 2, 3)), big: TOO_BIG, flaky: jpeg_with_gps((7, 8, 9))})
    fake.failing[flaky] = 2  # LINE's content host fails twice for this one
    fake.held.add(good)  # and is slow for this one: it answers only when released
    with schema_context(body.schema_name):
        category = Category.objects.get(national_category_id="road")
    for event in _filing(chat, category):
        assert chat.post(event).status_code == 200

    # The webhook answered while LINE had not yet given the photo's content to anyone.
    assert chat.post(chat.image(good)).status_code == 200
    assert fake.reply_texts()[-1] == ["ได้รับรูปภาพแล้ว (1/5)"]
    assert fake.content_calls(good) == []
    fake.release.set()
    for event in (chat.image(big), chat.image(flaky), chat.location(13.0901, 99.9202, "สี่แยกบ้านลาด")):
        assert chat.post(event).status_code == 200

    def settled() -> dict[str, Any] | None:
        with schema_context(body.schema_name):
            state = LineUser.objects.get(pk=chat.user_id).state
        return state if not state.get("fetching") else None
    state = wait_for(settled, timeout=60)
    assert len(state["photos"]) == 2  # the good one and the flaky one; the 20 MB one refused
    assert [c.body.get("status") for c in fake.content_calls(flaky)] == [500, 500, None]
    refused = wait_for(lambda: [p for p in fake.pushes() if p["to"] == chat.user_id], timeout=60)
    assert [p["messages"][0]["text"] for p in refused] == ["ไม่ได้แนบรูปภาพที่ท่านส่ง: รูปภาพต้องไม่เกิน 10 MB"]

    assert chat.post(chat.postback("a=submit")).status_code == 200
    with schema_context(body.schema_name):
        complaint = Complaint.objects.get(complainant_line_id=chat.user_id)
        stored = list(Attachment.objects.filter(complaint=complaint).order_by("id"))
        assert [a.content_type for a in stored] == ["image/jpeg", "image/jpeg"]
        for attachment in stored:
            with attachment.file.open("rb") as f, Image.open(io.BytesIO(f.read())) as image:
                assert not image.getexif()  # re-encoded like a web upload
    assert fake.reply_texts()[-1][0] == f"รับเรื่องแล้ว เลขติดตามเรื่อง {complaint.tracking_code}"


def test_sending_before_the_photos_arrive_waits_or_goes_without_them(line, banlat):
    chat = Chat("U" + "e" * 32)
    line.contents["7101"] = jpeg_with_gps()
    with schema_context(banlat.schema_name):
        category = Category.objects.get(national_category_id="road")
    for event in (*_filing(chat, category), chat.image("7101"), chat.postback("a=submit")):
        chat.send(event)
    assert line.reply_texts()[-1] == ["ยังรับรูปภาพไม่ครบ (อีก 1 รูป) กรุณารอสักครู่แล้วกด “ยืนยันส่งเรื่อง” อีกครั้ง"]
    labels = [i["action"]["label"] for i in line.replies()[-1]["messages"][0]["quickReply"]["items"]]
    assert labels == ["ยืนยันส่งเรื่อง", "ส่งโดยไม่รอรูป", "ยกเลิก"]
    with schema_context(banlat.schema_name):
        assert not Complaint.objects.filter(complainant_line_id=chat.user_id).exists()
    chat.send(chat.postback("a=submit&wait=0"))
    with schema_context(banlat.schema_name):
        complaint = Complaint.objects.get(complainant_line_id=chat.user_id)
        assert Attachment.objects.filter(complaint=complaint).count() == 0
        # The photo's task comes too late: the conversation is over, nothing is stored or said.
        assert fetch_photos(chat.user_id, message_ids=("7101",)) == ["gone"]
        assert deliver_line() == 0
    assert line.content_calls("7101") == []


def test_line_content_down_after_the_last_try_is_told_in_the_chat(line, banlat):
    chat = Chat("U" + "f" * 32)
    line.contents["7201"] = jpeg_with_gps()
    with schema_context(banlat.schema_name):
        category = Category.objects.get(national_category_id="road")
    for event in (*_filing(chat, category), chat.image("7201")):
        chat.send(event)
    line.down = True
    with schema_context(banlat.schema_name):
        with pytest.raises(photos.client.LineUnavailable):  # the task retries
            photos.line_photo_fetch(user_id=chat.user_id, message_id="7201", complaint_id=None, last_try=False)
        assert LineUser.objects.get(pk=chat.user_id).state["fetching"] == ["7201"]
        assert photos.line_photo_fetch(user_id=chat.user_id, message_id="7201", complaint_id=None,
                                       last_try=True) == "refused"
        assert "fetching" not in LineUser.objects.get(pk=chat.user_id).state
        line.down = False
        assert deliver_line() == 1
    assert line.pushes()[-1]["messages"][0]["text"] == (
        "ไม่ได้แนบรูปภาพที่ท่านส่ง: รับรูปภาพจาก LINE ไม่สำเร็จ กรุณาส่งใหม่อีกครั้ง")
