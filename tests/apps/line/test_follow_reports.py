"""Following a public report in the body's LINE chat instead of filing it again, through the real
webhook endpoint and pushes to the fake LINE platform on a real local HTTP port: by the report's
link or code, from the reports found near the place while filing, stopping in the chat, quiet
hours, blocking the account; and the report page's "follow on LINE" link."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.audit.models import AuditEntry
from apps.complaints.models import CaseFollower, Category, Complaint, Notification
from apps.complaints.services.workflow import complaint_acknowledge, complaint_reject
from apps.complaints.validation import Complainant
from apps.line.models import LineChannel, LineUser
from apps.portal.models import BodyProfile
from tests.apps.complaints.helpers import file_complaint
from tests.apps.line.conftest import Chat, deliver_line

pytestmark = pytest.mark.django_db

FOLLOWER = "U" + "7" * 32
BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
WITNESS = Complainant(name="มานี มีนา", phone="0869998877")


def _report(banlat, **extra) -> Complaint:
    with schema_context(banlat.schema_name):
        return file_complaint("streetlight", complainant=WITNESS, moo="3", **extra).complaint


def _button(reply: dict, index: int = 0) -> dict:
    flex = next(msg for msg in reply["messages"] if msg["type"] == "flex")
    contents = flex["contents"]
    bubble = contents if contents["type"] == "bubble" else contents["contents"][index]
    return bubble["footer"]["contents"][0]["action"]


def test_a_report_named_in_the_chat_is_followed_told_and_stopped_there(line, banlat):
    case = _report(banlat)
    chat = Chat(FOLLOWER)
    chat.send(chat.text(f"ติดตาม {case.public_id}"))
    follow = _button(line.replies()[-1])
    assert follow == {"type": "postback", "label": "ติดตามเรื่องนี้", "data": f"a=follow&r={case.public_id}",
                      "displayText": "ติดตามเรื่องนี้"}
    # The report's shared link names it too.
    chat.send(chat.text(f"ดูนี่ https://banlat.localhost/reports/{case.public_id}/"))
    assert _button(line.replies()[-1])["data"] == f"a=follow&r={case.public_id}"

    chat.send(chat.postback(follow["data"]))
    assert line.reply_texts()[-1] == ["ติดตามเรื่องนี้แล้ว จะแจ้งทางแชตนี้เมื่อสถานะเปลี่ยน "
                                      "กด “เลิกติดตาม” ในข้อความแจ้งเมื่อไม่ต้องการแล้ว"]
    chat.send(chat.postback(follow["data"]))
    assert line.reply_texts()[-1] == ["ท่านติดตามเรื่องนี้อยู่แล้ว"]
    chat.send(chat.text(case.public_id))
    assert _button(line.replies()[-1]) == {"type": "postback", "label": "เลิกติดตาม",
                                           "data": f"a=unfollow&r={case.public_id}", "displayText": "เลิกติดตาม"}
    with schema_context(banlat.schema_name):
        follower = CaseFollower.objects.get(complaint=case)
        assert (follower.channel, follower.address, follower.language, follower.site) == \
            ("line", FOLLOWER, "th", "https://banlat.localhost")
        # The reply confirmed it: no first message through the outbox on LINE.
        assert not Notification.objects.filter(recipient=FOLLOWER).exists()
        with time_machine.travel(dt.datetime(2026, 12, 2, 10, 0, tzinfo=BANGKOK)):
            complaint_acknowledge(complaint=case, actor=User.objects.get(username="clerk"))
            assert deliver_line() == 1
    push = line.pushes()[-1]
    assert push["to"] == FOLLOWER
    message = push["messages"][0]
    assert message["text"] == (
        f"{banlat.display_name}: เรื่อง ไฟฟ้าสาธารณะ ไฟถนนดับ/ชำรุด หมู่ที่ 3 ที่ท่านติดตาม เปลี่ยนสถานะเป็น "
        f"\"แจ้งรับเรื่องแล้ว\" https://banlat.localhost/reports/{case.public_id}/ "
        f"เลิกติดตาม: https://banlat.localhost/reports/stop/{follower.stop_key}/")
    assert case.tracking_code not in message["text"]
    # A stop button, never the complainant's rating.
    assert [(i["action"]["label"], i["action"]["data"]) for i in message["quickReply"]["items"]] == [
        ("เลิกติดตาม", f"a=unfollow&r={case.public_id}")]

    chat.send(chat.postback(f"a=unfollow&r={case.public_id}"))
    assert line.reply_texts()[-1] == ["เลิกติดตามเรื่องนี้แล้ว"]
    chat.send(chat.postback(f"a=unfollow&r={case.public_id}"))
    assert line.reply_texts()[-1] == ["ท่านไม่ได้ติดตามเรื่องนี้อยู่"]
    with schema_context(banlat.schema_name):
        assert not CaseFollower.objects.exists()
        assert list(AuditEntry.objects.filter(kind__startswith="follow.").order_by("id")
                    .values_list("kind", "changes__channel", "changes__via")) == [
            ("follow.start", "line", "line"), ("follow.stop", "line", "line")]


def test_unknown_finished_and_own_reports_cannot_be_followed(line, banlat):
    chat = Chat(FOLLOWER)
    chat.send(chat.text("ติดตาม 0123456789abcdef"))
    assert line.reply_texts()[-1] == ["ไม่พบเรื่องนี้"]
    chat.send(chat.postback("a=follow&r=0123456789abcdef"))
    assert line.reply_texts()[-1] == ["ไม่พบเรื่องนี้"]
    with schema_context(banlat.schema_name):
        own = file_complaint("streetlight", complainant=Complainant(name="LINE", line_id=FOLLOWER)).complaint
        rejected = file_complaint("streetlight", complainant=WITNESS).complaint
        complaint_reject(complaint=rejected, actor=User.objects.get(username="admin"), reason="ซ้ำ")
        confidential = file_complaint("streetlight", complainant=WITNESS, is_confidential=True).complaint
    chat.send(chat.postback(f"a=follow&r={own.public_id}"))
    assert line.reply_texts()[-1] == ["ท่านเป็นผู้แจ้งเรื่องนี้ จะได้รับแจ้งความคืบหน้าทางแชตนี้อยู่แล้ว"]
    for hidden in (rejected, confidential):
        chat.send(chat.postback(f"a=follow&r={hidden.public_id}"))
        assert line.reply_texts()[-1] == ["ไม่พบเรื่องนี้"]
    with schema_context(banlat.schema_name):
        assert not CaseFollower.objects.exists()
        assert not AuditEntry.objects.filter(kind__startswith="follow.").exists()


def test_filing_in_the_chat_offers_the_same_report_nearby_and_following_it_drops_the_draft(line, banlat):
    near = _report(banlat, latitude="13.081200", longitude="99.930200")
    with schema_context(banlat.schema_name):
        streetlight = Category.objects.get(national_category_id="streetlight")
    chat = Chat(FOLLOWER)
    chat.send(chat.postback("a=file"))
    chat.send(chat.postback(f"a=cat&id={streetlight.pk}"))
    chat.send(chat.text("ไฟถนนหน้าวัดดับ"))
    chat.send(chat.location(13.0811, 99.9301, "หน้าวัดบ้านลาด"))
    assert line.reply_texts()[-1] == [
        "มีผู้แจ้งเรื่องเดียวกันไว้ใกล้ตำแหน่งนี้แล้ว 1 เรื่อง ติดตามเรื่องเดิมแทนการแจ้งซ้ำได้ หรือแจ้งเรื่องของท่านต่อ",
        "เรื่องที่มีผู้แจ้งไว้ใกล้ ๆ", "ได้รับตำแหน่งแล้ว"]
    follow = _button(line.replies()[-1])
    assert follow["data"] == f"a=follow&r={near.public_id}"
    chat.send(chat.postback(follow["data"]))
    with schema_context(banlat.schema_name):
        assert LineUser.objects.get(pk=FOLLOWER).state == {}  # the duplicate is not filed
        assert Complaint.objects.filter(complainant_line_id=FOLLOWER).count() == 0
        assert CaseFollower.objects.filter(complaint=near, channel="line", address=FOLLOWER).exists()


def test_a_follower_push_waits_for_the_end_of_quiet_hours_and_blocking_the_account_ends_the_follow(
        line, banlat, settings):
    settings.QUIET_HOURS_START, settings.QUIET_HOURS_END = 21, 8
    case = _report(banlat)
    chat = Chat(FOLLOWER)
    chat.send(chat.postback(f"a=follow&r={case.public_id}"))
    night = dt.datetime(2026, 12, 2, 22, 30, tzinfo=BANGKOK)
    with schema_context(banlat.schema_name), time_machine.travel(night, tick=False):
        complaint_acknowledge(complaint=case, actor=User.objects.get(username="clerk"))
        held = Notification.objects.get(recipient=FOLLOWER)
        assert (held.channel, held.next_attempt_at) == ("line", dt.datetime(2026, 12, 3, 8, 0, tzinfo=BANGKOK))
    chat.send(chat.event("unfollow"))
    with schema_context(banlat.schema_name):
        assert not CaseFollower.objects.exists()
        assert list(AuditEntry.objects.filter(kind="follow.stop").values_list("changes__via", flat=True)) == \
            ["unfollow"]


def test_the_report_page_offers_following_on_line_when_the_body_has_it(line, banlat):
    case = _report(banlat)
    client = Client(HTTP_HOST="banlat.localhost")
    page = client.get(f"/reports/{case.public_id}/").content.decode()
    assert 'id="line-follow"' not in page  # no LINE account id on the body's profile
    with schema_context("public"):
        BodyProfile.objects.update_or_create(body=banlat, defaults={"line_id": "@banlat"})
    page = client.get(f"/reports/{case.public_id}/").content.decode()
    assert f'href="https://line.me/R/oaMessage/%40banlat/?%E0%B8%95%E0%B8%B4%E0%B8%94%E0%B8%95%E0%B8%B2%E0%B8%A1%20' \
           f'{case.public_id}" id="line-follow-link"' in page
    assert f'id="line-follow-code">ติดตาม {case.public_id}</p>' in page
    client.cookies["django_language"] = "en"
    english = client.get(f"/reports/{case.public_id}/").content.decode()
    assert f"/?follow%20{case.public_id}\"" in english
    with schema_context(banlat.schema_name):
        LineChannel.objects.update(is_active=False)
    assert 'id="line-follow"' not in client.get(f"/reports/{case.public_id}/").content.decode()


def test_following_without_line_the_page_has_no_line_link(banlat):
    case = _report(banlat)
    with schema_context("public"):
        BodyProfile.objects.update_or_create(body=banlat, defaults={"line_id": "@banlat"})
    page = Client(HTTP_HOST="banlat.localhost").get(f"/reports/{case.public_id}/").content.decode()
    assert 'id="line-follow"' not in page and 'id="follow"' in page
