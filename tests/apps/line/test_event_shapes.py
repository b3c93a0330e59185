"""Every kind of webhook event LINE may send, one at a time through the real webhook with a real
signature: each gets a sensible Thai reply or none, never a 500, never a stored case, and the
citizen's half-finished complaint (if any) is kept as it was."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django_tenants.utils import schema_context

from apps.complaints.models import Category, Complaint
from apps.line.models import LineEvent, LineUser
from tests.apps.line.conftest import Chat

POLITE = "ขออภัย บัญชีนี้รับได้เฉพาะข้อความ รูปภาพ และตำแหน่งที่ตั้ง"
OLD_BUTTON = "ปุ่มนี้ใช้ไม่ได้แล้ว เลือกเมนูด้านล่าง"
GROUP = "C" + "9" * 32
ROOM = "R" + "8" * 32


def _in(source: dict[str, str]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda event: dict(event, source=source)


def _no_reply_token(event: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in event.items() if k != "replyToken"}


# (name, event made by the chat, the reply's texts or None when nothing is said)
SHAPES: list[tuple[str, Callable[[Chat], dict[str, Any]], list[str] | None]] = [
    ("sticker", lambda c: c.event("message", message={
        "type": "sticker", "id": "7001", "quoteToken": "q", "packageId": "446", "stickerId": "1988",
        "stickerResourceType": "STATIC"}), [POLITE]),
    ("video", lambda c: c.event("message", message={
        "type": "video", "id": "7002", "quoteToken": "q", "duration": 1000, "contentProvider": {"type": "line"}}),
     [POLITE]),
    ("audio", lambda c: c.event("message", message={
        "type": "audio", "id": "7003", "duration": 1000, "contentProvider": {"type": "line"}}), [POLITE]),
    ("file", lambda c: c.event("message", message={"type": "file", "id": "7004", "fileName": "a.pdf",
                                                   "fileSize": 10}), [POLITE]),
    ("postback from an old menu", lambda c: c.postback("action=richmenu-2019&item=3"), [OLD_BUTTON]),
    ("postback of a category never offered", lambda c: c.postback("a=cat&id=999999"), [OLD_BUTTON]),
    ("postback with a rating of another's case", lambda c: c.postback("a=rate&c=1&v=5"), [OLD_BUTTON]),
    ("postback with no data", lambda c: c.postback(""), [OLD_BUTTON]),
    ("an unknown message type", lambda c: c.event("message", message={"type": "hologram", "id": "7005"}), None),
    ("an unknown event type", lambda c: c.event("teleport", teleport={"to": "moon"}), None),
    ("unsend", lambda c: _no_reply_token(c.event("unsend", unsend={"messageId": "7006"})), None),
    ("video viewing complete", lambda c: c.event("videoPlayComplete", videoPlayComplete={"trackingId": "t1"}),
     None),
    ("beacon", lambda c: c.event("beacon", beacon={"hwid": "d41d8cd98f", "type": "enter"}), None),
    ("text in a group", lambda c: _in({"type": "group", "groupId": GROUP, "userId": c.user_id})(
        c.text("สวัสดี")), None),
    ("a sticker in a room", lambda c: _in({"type": "room", "roomId": ROOM, "userId": c.user_id})(c.event(
        "message", message={"type": "sticker", "id": "7007", "quoteToken": "q", "packageId": "446",
                            "stickerId": "1988", "stickerResourceType": "STATIC"})), None),
    ("joined a group", lambda c: _in({"type": "group", "groupId": GROUP})(c.event("join")), None),
    ("left a group", lambda c: _no_reply_token(_in({"type": "group", "groupId": GROUP})(c.event("leave"))), None),
    ("member joined a group", lambda c: _in({"type": "group", "groupId": GROUP})(c.event(
        "memberJoined", joined={"members": [{"type": "user", "userId": c.user_id}]})), None),
    ("unfollow", lambda c: _no_reply_token(c.event("unfollow")), None),
    ("a location while not filing", lambda c: c.location(13.0, 99.9, "ตลาด"),
     ["หากต้องการแจ้งเรื่อง กรุณากด “แจ้งเรื่อง” ก่อน"]),
    ("a photo while not filing", lambda c: c.image("7008"),
     ["หากต้องการแจ้งเรื่องพร้อมรูปภาพ กรุณากด “แจ้งเรื่อง” ก่อน"]),
    ("a very long text while not filing", lambda c: c.text("ก" * 6000),
     ["สวัสดีครับ เลือกเมนูด้านล่างเพื่อแจ้งเรื่องหรือติดตามเรื่อง"]),
]


@pytest.mark.parametrize(("shape", "expected"), [(make, expected) for _name, make, expected in SHAPES],
                         ids=[name for name, _make, _expected in SHAPES])
def test_an_event_of_any_shape_is_answered_or_ignored_and_stores_no_case(line, banlat, shape, expected):
    chat = Chat("U" + "7" * 31 + "a")
    with schema_context(banlat.schema_name):
        complaints = Complaint.objects.count()
    event = shape(chat)
    response = chat.post(event)
    assert response.status_code == 200
    assert line.reply_texts() == ([expected] if expected is not None else [])
    with schema_context(banlat.schema_name):
        assert Complaint.objects.count() == complaints
        assert LineEvent.objects.filter(pk=event["webhookEventId"]).exists()
        user = LineUser.objects.filter(pk=chat.user_id).first()
        if event["source"]["type"] != "user" or expected is None and event["type"] in ("message", "teleport"):
            assert user is None  # group and room chats, shapes the SDK does not know: no citizen recorded
        else:
            assert user is not None
            assert (user.state, user.is_following) == ({}, event["type"] != "unfollow")


@pytest.mark.parametrize(("shape", "expected"), [(make, expected) for name, make, expected in SHAPES[:4]],
                         ids=[name for name, _make, _expected in SHAPES[:4]])
def test_an_odd_message_in_the_middle_of_filing_keeps_the_complaint_being_written(line, banlat, shape, expected):
    chat = Chat("U" + "7" * 31 + "b")
    with schema_context(banlat.schema_name):
        category = Category.objects.get(national_category_id="road")
    for event in (chat.postback("a=file"), chat.postback(f"a=cat&id={category.pk}"), chat.text("ถนนเป็นหลุม")):
        chat.send(event)
    with schema_context(banlat.schema_name):
        before = LineUser.objects.get(pk=chat.user_id).state
    chat.send(shape(chat))
    assert line.reply_texts()[-1] == expected
    with schema_context(banlat.schema_name):
        assert LineUser.objects.get(pk=chat.user_id).state == before
