"""The body's LINE chat through its real webhook endpoint, with a fake LINE platform on a real
local HTTP port: filing, following, answering, rating, reopening; refusals and odd events."""

from __future__ import annotations

import datetime as dt
import io
import json

import time_machine
from django.utils import timezone, translation
from django_tenants.utils import schema_context
from PIL import Image

from apps.accounts.models import User
from apps.complaints.models import (
    Attachment,
    Category,
    Complaint,
    ComplaintEvent,
    Department,
    Notification,
    OutboxStatus,
)
from apps.complaints.services.transfer import complaint_transfer
from apps.complaints.services.workflow import (
    complaint_acknowledge,
    complaint_assign,
    complaint_reopen,
    complaint_reply,
    complaint_request_info,
    complaint_resolve,
)
from apps.line.backend import LinePushBackend
from apps.line.models import LineEvent, LineUser
from apps.sla.selectors import pending_deadlines
from apps.ui import thai
from tests.apps.complaints.helpers import file_complaint
from tests.apps.line.conftest import Chat, deliver_line, fetch_photos, jpeg_with_gps, sign

CITIZEN = "U" + "1" * 32
LINE_CONSENT = ("กด “ส่ง ให้ติดต่อทางLINE” เพื่อส่งเรื่องและยินยอมให้เจ้าหน้าที่ที่รับผิดชอบติดต่อท่านทางแชตนี้ "
                "หรือ “ยืนยันส่งเรื่อง” เพื่อส่งโดยไม่ยินยอม (ท่านยังได้รับแจ้งความคืบหน้าทางแชตนี้)")


def _postback_data(reply: dict, label_prefix: str) -> str:
    items = reply["messages"][-1]["quickReply"]["items"]
    return next(i["action"]["data"] for i in items if i["action"].get("label", "").startswith(label_prefix))


def test_file_follow_answer_rate_reopen_in_the_chat(line, banlat):
    chat = Chat(CITIZEN)
    line.contents["5001"] = jpeg_with_gps((200, 10, 10))
    line.contents["5002"] = jpeg_with_gps((10, 200, 10))
    line.contents["5003"] = jpeg_with_gps((10, 10, 200))
    with schema_context(banlat.schema_name):
        streetlight = Category.objects.get(national_category_id="streetlight")

    chat.send(chat.event("follow", follow={"isUnblocked": False}))
    assert [i["action"]["label"] for i in line.replies()[-1]["messages"][0]["quickReply"]["items"]] == [
        "แจ้งเรื่อง", "เรื่องของฉัน", "ข้อตกลงบริการ", "English"]
    chat.send(chat.postback("a=file"))
    assert line.reply_texts()[-1] == ["เลือกหมวดเรื่องที่ต้องการแจ้ง"]
    chat.send(chat.postback(f"a=cat&id={streetlight.pk}"))
    assert line.reply_texts()[-1] == ["กรุณาพิมพ์รายละเอียดเรื่องที่ต้องการแจ้ง"]
    chat.send(chat.text("ไฟถนนหน้าวัดบ้านลาดดับมา 3 คืนแล้ว"))
    chat.send(chat.image("5001"))
    chat.send(chat.image("5002"))
    assert line.reply_texts()[-1] == ["ได้รับรูปภาพแล้ว (2/5)"]
    assert line.content_calls("5001") == []  # the webhook only noted them: a task fetches the content
    with schema_context(banlat.schema_name):
        assert fetch_photos(CITIZEN) == ["added", "added"]
        assert fetch_photos(CITIZEN, message_ids=("5001",)) == ["gone"]  # a second run does nothing
    chat.send(chat.location(13.0811, 99.9301, "หน้าวัดบ้านลาด ต.บ้านลาด"))
    assert line.reply_texts()[-1] == ["ได้รับตำแหน่งแล้ว"]
    chat.send(chat.postback("a=review"))
    assert line.reply_texts()[-1] == [
        "ตรวจทานเรื่องที่จะแจ้ง\nหมวด: ไฟฟ้าสาธารณะ ไฟถนนดับ/ชำรุด\nรายละเอียด: ไฟถนนหน้าวัดบ้านลาดดับมา 3 คืนแล้ว\n"
        "รูปภาพ: 2 รูป\nตำแหน่ง: หน้าวัดบ้านลาด ต.บ้านลาด\n\n"
        "ข้อมูลของท่านใช้เพื่อดำเนินการเรื่องนี้และติดต่อกลับเท่านั้น\n\n" + LINE_CONSENT]
    chat.send(chat.postback("a=submit"))

    with schema_context(banlat.schema_name):
        complaint = Complaint.objects.get(complainant_line_id=CITIZEN)
        assert (complaint.channel, complaint.status, complaint.category_id) == ("line", "received", streetlight.pk)
        assert complaint.description == "ไฟถนนหน้าวัดบ้านลาดดับมา 3 คืนแล้ว"
        assert (str(complaint.latitude), str(complaint.longitude)) == ("13.081100", "99.930100")
        assert complaint.location_text == "หน้าวัดบ้านลาด ต.บ้านลาด"
        assert complaint.complainant_name == "นางสาวมะลิ ชาวนา"
        assert complaint.contact_allowed == []  # the plain "send": no consent to be reached in the chat
        photos = list(Attachment.objects.filter(complaint=complaint).order_by("id"))
        assert [p.content_type for p in photos] == ["image/jpeg", "image/jpeg"]
        for photo in photos:
            with photo.file.open("rb") as stored, Image.open(io.BytesIO(stored.read())) as image:
                assert not image.getexif()  # re-encoded like a web upload: location and camera gone
        assert LineUser.objects.get(pk=CITIZEN).state == {}
        code = complaint.tracking_code
    receipt = line.replies()[-1]["messages"][0]
    assert receipt["type"] == "flex"
    assert receipt["altText"] == f"รับเรื่องแล้ว เลขติดตามเรื่อง {code}"
    texts = [c.get("text") for c in receipt["contents"]["body"]["contents"] if c["type"] == "text"]
    assert texts[:4] == ["รับเรื่องแล้ว", banlat.display_name, "เลขติดตามเรื่อง", code]
    assert "หน่วยงานจะดำเนินการภายใน" in texts
    deadline_rows = [c for c in receipt["contents"]["body"]["contents"] if c["type"] == "box"]
    assert deadline_rows, "the promised deadlines are on the receipt"
    assert not line.pushes()  # the receipt is the reply; no duplicate "received" push

    # The officer works in English; the citizen reads Thai.
    with schema_context(banlat.schema_name), translation.override("en"):
        officer = User.objects.get(username="officer")
        complaint_acknowledge(complaint=complaint, actor=officer)
        complaint_reply(complaint=complaint, actor=officer, text="ช่างจะเข้าไปตรวจในวันพรุ่งนี้")
        complaint_request_info(complaint=complaint, actor=officer, text="ขอรูปเสาไฟต้นที่ดับ")
        assert deliver_line() == 3
    pushed = [p["messages"][0]["text"] for p in line.pushes()]
    assert all(p["to"] == CITIZEN for p in line.pushes())
    assert pushed == [
        f"{banlat.display_name} แจ้งรับเรื่อง {code} แล้ว และจะดำเนินการตามข้อตกลงระดับการให้บริการ",
        f"{banlat.display_name} ตอบเรื่อง {code}: ช่างจะเข้าไปตรวจในวันพรุ่งนี้",
        # The clock stops while the body waits for the citizen: one message says both.
        f"{banlat.display_name} ขอข้อมูลเพิ่มเติมสำหรับเรื่อง {code}: ขอรูปเสาไฟต้นที่ดับ"
        " (หยุดนับเวลาระหว่างรอข้อมูลจากท่าน)\n\n"
        "ตอบกลับในแชตนี้ได้เลย เป็นข้อความหรือรูปภาพ",
    ]

    # The answer to the request for information, as a photo: it lands like a web answer.
    chat.send(chat.image("5003"))
    assert line.reply_texts()[-1] == [f"ได้รับรูปภาพแล้ว กำลังส่งถึงหน่วยงานพร้อมเรื่อง {code}"]
    with schema_context(banlat.schema_name):
        assert fetch_photos(CITIZEN, complaint_id=complaint.pk, message_ids=("5003", "5003")) == ["answered", "done"]
        assert deliver_line() == 2  # the new deadlines (the clock runs again), then the answer's confirmation
        with translation.override("th"):
            resumed = "; ".join(f"{d.stage_label} {thai.format_datetime(d.due_at)}"
                                for d in pending_deadlines(complaint=complaint))
    assert [p["messages"][0]["text"] for p in line.pushes()[-2:]] == [
        f"{banlat.display_name} แจ้งกำหนดเวลาใหม่ของเรื่อง {code}: {resumed}",
        f"ส่งข้อมูลเพิ่มเติมเรื่อง {code} ถึงหน่วยงานแล้ว"]
    with schema_context(banlat.schema_name):
        complaint.refresh_from_db()
        assert complaint.status == "in_progress"
        answer = ComplaintEvent.objects.filter(complaint=complaint, from_status="waiting").get()
        assert (answer.to_status, answer.actor_label, answer.text) == ("in_progress", "ผู้ร้อง",
                                                                        "ส่งรูปภาพเพิ่มเติมทาง LINE")
        assert Attachment.objects.filter(complaint=complaint, event=answer).count() == 1

        complaint_resolve(complaint=complaint, actor=officer, resolution="เปลี่ยนหลอดไฟแล้ว")
        assert deliver_line() == 1
    resolved = line.pushes()[-1]["messages"][0]
    assert resolved["text"].startswith(f"{banlat.display_name} ดำเนินการเรื่อง {code} แล้วเสร็จ: เปลี่ยนหลอดไฟแล้ว")
    labels = [i["action"]["label"] for i in resolved["quickReply"]["items"]]
    assert labels == ["★", "★★", "★★★", "★★★★", "★★★★★", "ขอเปิดเรื่องใหม่"]

    chat.send(chat.postback(_postback_data(line.pushes()[-1], "★★★★")))
    assert line.reply_texts()[-1] == [f"ขอบคุณสำหรับการประเมิน (4 จาก 5) เรื่อง {code}"]
    with schema_context(banlat.schema_name):
        complaint.refresh_from_db()
        assert complaint.rating == 4

    chat.send(chat.postback(_postback_data(line.pushes()[-1], "ขอเปิด")))
    assert line.reply_texts()[-1] == ["กรุณาพิมพ์เหตุผลที่ขอเปิดเรื่องใหม่"]
    chat.send(chat.text("ไฟดับอีกแล้วตั้งแต่เมื่อคืน"))
    assert line.reply_texts()[-1] == [f"เปิดเรื่อง {code} ใหม่แล้ว หน่วยงานจะดำเนินการต่อ"]
    with schema_context(banlat.schema_name):
        complaint.refresh_from_db()
        assert (complaint.status, complaint.reopen_count) == ("received", 1)

    chat.send(chat.postback("a=mine"))
    mine = line.reply_texts()[-1][0]
    assert mine.startswith("เรื่องของท่าน 1 เรื่องล่าสุด\n")
    assert f"• {code} รับเรื่องแล้ว" in mine
    assert "กำหนดถัดไป: " in mine


def test_wrong_or_missing_signature_is_refused_and_changes_nothing(line, banlat):
    chat = Chat("U" + "2" * 32)
    event = chat.postback("a=file")
    body = json.dumps({"destination": "Ubot", "events": [event]}).encode()
    wrong = chat.post(event, signature=sign(body, secret="f" * 32))
    missing = chat.post(event, signature="")
    assert (wrong.status_code, missing.status_code) == (403, 400)
    with schema_context(banlat.schema_name):
        assert not LineUser.objects.filter(pk=chat.user_id).exists()
        assert not LineEvent.objects.filter(pk=event["webhookEventId"]).exists()
    assert line.replies() == []


def test_webhook_of_a_body_without_line_is_not_found(banlat, thasen):
    response = Chat("U" + "3" * 32).client.post("/line/webhook/", b"{}", content_type="application/json",
                                                 HTTP_HOST="thasen.localhost", HTTP_X_LINE_SIGNATURE="x")
    assert response.status_code == 404


def test_redelivered_event_is_processed_once(line, banlat):
    chat = Chat("U" + "4" * 32)
    with schema_context(banlat.schema_name):
        category = Category.objects.get(national_category_id="road")
    chat.send(chat.postback("a=file"))
    chat.send(chat.postback(f"a=cat&id={category.pk}"))
    chat.send(chat.text("ถนนเป็นหลุม"))
    event = chat.text("ลึกประมาณหนึ่งฟุต")
    chat.send(event)
    replies = len(line.replies())
    again = dict(event, deliveryContext={"isRedelivery": True})
    chat.send(again)
    chat.send(again)
    assert len(line.replies()) == replies
    with schema_context(banlat.schema_name):
        assert LineUser.objects.get(pk=chat.user_id).state["description"] == "ถนนเป็นหลุม\nลึกประมาณหนึ่งฟุต"


def test_a_20_mb_photo_is_refused_politely(line, banlat):
    chat = Chat("U" + "5" * 32)
    line.contents["6001"] = b"\xff\xd8\xff\xe0" + b"\0" * (20 * 1024 * 1024)
    with schema_context(banlat.schema_name):
        category = Category.objects.get(national_category_id="waste")
    chat.send(chat.postback("a=file"))
    chat.send(chat.postback(f"a=cat&id={category.pk}"))
    chat.send(chat.text("ขยะไม่ได้เก็บมาสองสัปดาห์"))
    chat.send(chat.image("6001"))
    assert line.reply_texts()[-1] == ["ได้รับรูปภาพแล้ว (1/5)"]  # noted; the task refuses it
    with schema_context(banlat.schema_name):
        assert fetch_photos(chat.user_id) == ["refused"]
        state = LineUser.objects.get(pk=chat.user_id).state
        assert (state.get("photos"), state.get("fetching"), state["step"]) == (None, None, "details")
        assert deliver_line() == 1
    assert line.pushes()[-1]["messages"][0]["text"] == "ไม่ได้แนบรูปภาพที่ท่านส่ง: รูปภาพต้องไม่เกิน 10 MB"


def test_abandoned_conversation_expires_with_a_message(line, banlat, settings):
    settings.LINE_CONVERSATION_MINUTES = 30
    chat = Chat("U" + "6" * 32)
    with schema_context(banlat.schema_name):
        category = Category.objects.get(national_category_id="drainage")
        before = Complaint.objects.count()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        chat.send(chat.postback("a=file"))
        chat.send(chat.postback(f"a=cat&id={category.pk}"))
    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        chat.send(chat.text("ท่อระบายน้ำอุดตัน"))
    assert line.reply_texts()[-1] == [
        "เรื่องที่ท่านแจ้งค้างไว้หมดเวลาแล้ว (ไม่ได้ดำเนินการต่อภายใน 30 นาที) ยังไม่ได้ส่งถึงหน่วยงาน "
        "กรุณาเริ่มแจ้งเรื่องใหม่",
        "สวัสดีครับ เลือกเมนูด้านล่างเพื่อแจ้งเรื่องหรือติดตามเรื่อง"]
    with schema_context(banlat.schema_name):
        assert LineUser.objects.get(pk=chat.user_id).state == {}
        assert Complaint.objects.count() == before


def test_push_while_line_is_down_is_retried_and_delivered_once(line, banlat):
    chat = Chat("U" + "7" * 32)
    with schema_context(banlat.schema_name):
        category = Category.objects.get(national_category_id="tree")
    for step in ("a=file", f"a=cat&id={category.pk}"):
        chat.send(chat.postback(step))
    chat.send(chat.text("กิ่งไม้หักขวางทาง"))
    chat.send(chat.postback("a=submit"))
    with schema_context(banlat.schema_name):
        complaint = Complaint.objects.get(complainant_line_id=chat.user_id)
        line.down = True
        complaint_acknowledge(complaint=complaint, actor=User.objects.get(username="clerk"))
        assert deliver_line() == 0
        notification = Notification.objects.get(complaint=complaint, channel="line")
        assert (notification.status, notification.attempts) == (OutboxStatus.PENDING, 1)
        assert "LINE push answered 500" in notification.last_error
        assert line.pushes() == []

        line.down = False
        with time_machine.travel(notification.next_attempt_at + dt.timedelta(seconds=1), tick=False):
            assert deliver_line() == 1
        notification.refresh_from_db()
        assert notification.status == OutboxStatus.SENT
        # Our record of the send lost, the same notification sent again: LINE takes it once.
        LinePushBackend().send(notification, idempotency_key=f"rongthuk-{banlat.schema_name}-{notification.pk}")
    assert len(line.pushes()) == 1
    assert line.pushes()[0]["to"] == chat.user_id


def test_other_message_and_event_types_are_answered_or_ignored(line, banlat):
    chat = Chat("U" + "8" * 32)
    sticker = chat.event("message", message={"type": "sticker", "id": "7001", "quoteToken": "q", "packageId": "446",
                                             "stickerId": "1988", "stickerResourceType": "STATIC"})
    video = chat.event("message", message={"type": "video", "id": "7002", "quoteToken": "q", "duration": 1000,
                                           "contentProvider": {"type": "line"}})
    audio = chat.event("message", message={"type": "audio", "id": "7003", "duration": 1000,
                                           "contentProvider": {"type": "line"}})
    file = chat.event("message", message={"type": "file", "id": "7004", "fileName": "a.pdf", "fileSize": 10})
    old_menu = chat.postback("action=richmenu-2019&item=3")
    future_message = chat.event("message", message={"type": "hologram", "id": "7005"})
    future_event = chat.event("teleport", teleport={"to": "moon"})
    group = dict(chat.text("สวัสดี"), source={"type": "group", "groupId": "C" + "9" * 32, "userId": chat.user_id})
    unfollow = chat.event("unfollow")
    del unfollow["replyToken"]
    follow = chat.event("follow", follow={"isUnblocked": True})
    chat.send(sticker, video, audio, file, old_menu, future_message, future_event, group, unfollow, follow)
    texts = line.reply_texts()
    polite = "ขออภัย บัญชีนี้รับได้เฉพาะข้อความ รูปภาพ และตำแหน่งที่ตั้ง"
    assert texts[:4] == [[polite]] * 4
    assert texts[4] == ["ปุ่มนี้ใช้ไม่ได้แล้ว เลือกเมนูด้านล่าง"]
    assert texts[5][0].startswith("ยินดีต้อนรับสู่บริการรับเรื่องร้องทุกข์ของ")
    assert len(texts) == 6  # the unknown types, the group chat and the unfollow: nothing said
    with schema_context(banlat.schema_name):
        assert LineUser.objects.get(pk=chat.user_id).is_following is True


def test_english_chosen_in_the_chat_is_kept_while_the_officer_works_in_thai(line, banlat):
    chat = Chat("U" + "9" * 32)
    with schema_context(banlat.schema_name):
        category = Category.objects.get(national_category_id="stray_animals")
    chat.send(chat.postback("a=lang&v=en"))
    assert line.reply_texts()[-1] == ["Language changed: messages from the body will be sent in English"]
    for step in ("a=file", f"a=cat&id={category.pk}"):
        chat.send(chat.postback(step))
    chat.send(chat.text("สุนัขจรจัดหลายตัว"))
    chat.send(chat.postback("a=submit"))
    with schema_context(banlat.schema_name), translation.override("th"):
        complaint = Complaint.objects.get(complainant_line_id=chat.user_id)
        complaint_acknowledge(complaint=complaint, actor=User.objects.get(username="clerk"))
        assert deliver_line() == 1
    assert line.replies()[-1]["messages"][0]["altText"] == f"Received: tracking code {complaint.tracking_code}"
    assert line.pushes()[-1]["messages"][0]["text"] == (
        f"{banlat.display_name} has acknowledged complaint {complaint.tracking_code} and will handle it under its "
        "service level agreement")


def test_a_case_filed_on_the_web_is_followed_on_line_after_its_code_and_phone(line, banlat):
    chat = Chat("U" + "a" * 32)
    with schema_context(banlat.schema_name):
        web = file_complaint("road").complaint  # สมชาย, phone ending 5678
        anonymous = file_complaint("road", complainant=None)
    chat.send(chat.text(web.tracking_code.lower().replace("-", " ")))
    assert line.reply_texts()[-1] == ["กรุณาพิมพ์เลขโทรศัพท์ 4 หลักท้ายที่ให้ไว้ตอนแจ้งเรื่อง หรือรหัส PIN ที่ได้รับ "
                                      "เพื่อยืนยันว่าเป็นเรื่องของท่าน"]
    chat.send(chat.text("0000"))
    assert line.reply_texts()[-1] == ["ไม่พบเรื่อง หรือข้อมูลยืนยันไม่ถูกต้อง กรุณาพิมพ์เลขติดตามเรื่องอีกครั้ง"]
    chat.send(chat.text(web.tracking_code))
    chat.send(chat.text("5678"))
    assert line.reply_texts()[-1] == [f"ติดตามเรื่อง {web.tracking_code} ทาง LINE แล้ว "
                                      "ท่านจะได้รับแจ้งความคืบหน้าทางแชตนี้"]
    with schema_context(banlat.schema_name):
        web.refresh_from_db()
        assert web.complainant_line_id == chat.user_id
        complaint_acknowledge(complaint=web, actor=User.objects.get(username="clerk"))
        assert deliver_line() == 1
    assert line.pushes()[-1]["to"] == chat.user_id
    assert line.pushes()[-1]["messages"][0]["text"].startswith(f"{banlat.display_name} แจ้งรับเรื่อง {web.tracking_code}")

    # An anonymous case is never tied to a LINE profile, even with the right PIN.
    chat.send(chat.text(anonymous.complaint.tracking_code))
    chat.send(chat.text(anonymous.second_factor))
    assert line.reply_texts()[-1] == ["เรื่องที่ไม่ประสงค์ออกนามติดตามทาง LINE ไม่ได้ เพื่อไม่ให้เปิดเผยตัวผู้ร้อง"]
    with schema_context(banlat.schema_name):
        anonymous.complaint.refresh_from_db()
        assert anonymous.complaint.complainant_line_id == ""


def test_guessing_the_second_factor_in_the_chat_is_throttled(line, banlat):
    chat = Chat("U" + "b" * 32)
    with schema_context(banlat.schema_name):
        web = file_complaint("road").complaint
    for guess in ("1111", "2222", "3333", "4444", "5555"):
        chat.send(chat.text(web.tracking_code))
        chat.send(chat.text(guess))
    chat.send(chat.text(web.tracking_code))
    chat.send(chat.text("5678"))  # right, but too late
    assert line.reply_texts()[-1] == ["ลองยืนยันบ่อยเกินไป กรุณารอ 15 นาทีแล้วลองใหม่"]
    with schema_context(banlat.schema_name):
        web.refresh_from_db()
        assert web.complainant_line_id == ""


def test_cancel_drops_the_half_finished_complaint_and_its_photos(line, banlat):
    chat = Chat("U" + "c" * 32)
    line.contents["9001"] = jpeg_with_gps()
    with schema_context(banlat.schema_name):
        category = Category.objects.get(national_category_id="nuisance")
    for event in (chat.postback("a=file"), chat.postback(f"a=cat&id={category.pk}"), chat.text("เสียงดังทั้งคืน"),
                  chat.image("9001"), chat.postback("a=review"), chat.postback("a=cancel")):
        chat.send(event)
    assert line.reply_texts()[-1] == ["ยกเลิกแล้ว"]
    with schema_context(banlat.schema_name):
        assert LineUser.objects.get(pk=chat.user_id).state == {}
        assert not Complaint.objects.filter(complainant_line_id=chat.user_id).exists()


def test_transfer_and_a_reopen_by_staff_are_pushed_to_the_citizen(line, banlat, thasen):
    chat = Chat("U" + "d" * 32)
    with schema_context(banlat.schema_name):
        category = Category.objects.get(national_category_id="building")
    for event in (chat.postback("a=file"), chat.postback(f"a=cat&id={category.pk}"), chat.text("อาคารร้างจะพัง"),
                  chat.postback("a=submit")):
        chat.send(event)
    with schema_context(banlat.schema_name):
        complaint = Complaint.objects.get(complainant_line_id=chat.user_id)
        clerk = User.objects.get(username="clerk")
        complaint_acknowledge(complaint=complaint, actor=clerk)
        complaint_assign(complaint=complaint, actor=clerk, department=Department.objects.get(code="engineering"))
        complaint_resolve(complaint=complaint, actor=clerk, resolution="ติดป้ายเตือนแล้ว")
        complaint_reopen(complaint=complaint, actor=clerk, reason="ต้องรื้อถอนด้วย")
        complaint_transfer(complaint=complaint, actor=clerk, reason="อยู่ในเขต อบต.ท่าเสน", to_body=thasen)
        assert deliver_line() == 5
    code = complaint.tracking_code
    assert [p["messages"][0]["text"].split("\n")[0].split(":")[0] for p in line.pushes()[2:]] == [
        f"{banlat.display_name} แจ้งกำหนดเวลาใหม่ของเรื่อง {code}",  # the reopen started a new cycle
        f"{banlat.display_name} เปิดเรื่อง {code} ใหม่เพื่อดำเนินการต่อ",
        f"เรื่อง {code} ถูกส่งต่อไปยัง {thasen.display_name} ท่านติดตามได้ด้วยเลขเดิม",
    ]


def test_filing_in_the_chat_may_allow_the_officers_to_reach_the_citizen_there(line, banlat):
    chat = Chat("U" + "7" * 32)
    with schema_context(banlat.schema_name):
        streetlight = Category.objects.get(national_category_id="streetlight")
    chat.send(chat.event("follow", follow={"isUnblocked": False}))
    chat.send(chat.postback("a=file"))
    chat.send(chat.postback(f"a=cat&id={streetlight.pk}"))
    chat.send(chat.text("ไฟถนนหน้าโรงเรียนดับ"))
    chat.send(chat.postback("a=review"))
    reply = line.replies()[-1]
    assert [i["action"]["label"] for i in reply["messages"][-1]["quickReply"]["items"]] == [
        "ส่ง ให้ติดต่อทางLINE", "ยืนยันส่งเรื่อง", "แก้ไขต่อ", "ยกเลิก"]
    chat.send(chat.postback(_postback_data(reply, "ส่ง ให้ติดต่อทางLINE")))
    with schema_context(banlat.schema_name):
        complaint = Complaint.objects.get(complainant_line_id="U" + "7" * 32)
        assert (complaint.channel, complaint.contact_allowed) == ("line", ["line"])
