"""The chat conversation, one webhook event at a time. Every case change goes through
apps.complaints.services, exactly as from the web."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import parse_qs

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from linebot.v3.messaging import Message
from linebot.v3.webhooks import (
    Event,
    FollowEvent,
    ImageMessageContent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
    UnfollowEvent,
    UserSource,
)

from apps.complaints.attachments import MAX_FILES
from apps.complaints.context import current_body
from apps.complaints.errors import ComplaintError
from apps.complaints.linking import is_link_code
from apps.complaints.models import Category, Complaint
from apps.complaints.selectors import complaint_lookup_for_citizen, normalise_code
from apps.complaints.services.intake import complaint_submit
from apps.complaints.services.workflow import (
    complaint_citizen_respond,
    complaint_line_link,
    complaint_line_link_by_code,
    complaint_rate,
    complaint_reopen,
)
from apps.complaints.status import Channel, Status
from apps.complaints.validation import MAX_DESCRIPTION, Complainant, clean_coordinates, clean_text
from apps.line import client, photos, selectors
from apps.line import messages as m
from apps.line.models import LineEvent, LineUser
from apps.line.services import Credentials, line_credentials
from apps.portal.services import Limit, throttle_exceeded, throttle_record

logger = logging.getLogger(__name__)
LANGUAGES = ("th", "en")
# Linking a case filed elsewhere: a tracking code and its second factor, 5 tries per LINE user per
# 15 minutes (a 4-digit factor must not be guessable from the chat).
LINK_LIMITS = (Limit("line_link", 5, timedelta(minutes=15)),)
# A tracking code as people type it: ABCD-2345, abcd 2345, or 8 characters with a digit in them.
_CODE_LIKE = re.compile(r"[A-Za-z0-9]{4}[-\s][A-Za-z0-9]{4}|(?=[A-Za-z]*[0-9])[A-Za-z0-9]{8}")


# --- the conversation -----------------------------------------------------------------------------

@dataclass
class Outcome:
    """What one event produced: messages to reply with (sent after the commit)."""

    reply_token: str = ""
    messages: list[Message] = field(default_factory=list)


def _postback(raw: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(raw or "", keep_blank_values=True).items() if v}


def _pending_delete(state: dict[str, Any]) -> None:
    for path in state.get("photos", []):
        transaction.on_commit(partial(default_storage.delete, path))


def _set_state(user: LineUser, state: dict[str, Any], now: datetime) -> None:
    user.state = state
    user.state_at = now if state else None
    user.save(update_fields=["state", "state_at"])


def line_event_handle(*, event: Event, raw: dict[str, Any], credentials: Credentials) -> Outcome | None:
    """Process one webhook event once: a redelivered event (same webhookEventId) is skipped.
    Returns what to reply, or None when nothing is to be said."""
    event_id = str(raw.get("webhookEventId") or "")[:40]
    now = timezone.now()
    with transaction.atomic():
        if event_id:
            try:
                with transaction.atomic():
                    LineEvent.objects.create(event_id=event_id, received_at=now)
            except IntegrityError:
                return None  # done already: LINE redelivered it
        source = getattr(event, "source", None)
        if not isinstance(source, UserSource) or not source.user_id:
            return None  # group and room chats: complaints are taken one to one only
        user = LineUser.objects.select_for_update().filter(pk=source.user_id).first()
        if user is None:
            user = LineUser.objects.create(user_id=source.user_id, created_at=now)
        if isinstance(event, UnfollowEvent):
            user.is_following = False
            _pending_delete(user.state)
            _set_state(user, {}, now)
            user.save(update_fields=["is_following"])
            return None
        with translation.override(user.language):
            outcome = Outcome(reply_token=getattr(event, "reply_token", None) or "")
            outcome.messages = _dispatch(user, event, now)
            return outcome


def _expired(user: LineUser, now: datetime) -> bool:
    if not user.state or user.state_at is None:
        return False
    return now - user.state_at > timedelta(minutes=settings.LINE_CONVERSATION_MINUTES)


def _dispatch(user: LineUser, event: Event, now: datetime) -> list[Message]:
    before: list[Message] = []
    if _expired(user, now):
        _pending_delete(user.state)
        _set_state(user, {}, now)
        before.append(m.text(_("เรื่องที่ท่านแจ้งค้างไว้หมดเวลาแล้ว (ไม่ได้ดำเนินการต่อภายใน %(minutes)d นาที) "
                               "ยังไม่ได้ส่งถึงหน่วยงาน กรุณาเริ่มแจ้งเรื่องใหม่")
                             % {"minutes": settings.LINE_CONVERSATION_MINUTES}))
        if isinstance(event, PostbackEvent):
            return [*before, m.menu(_("เลือกเมนูด้านล่าง"), user.language)]
    if isinstance(event, FollowEvent):
        if not user.is_following:
            user.is_following = True
            user.save(update_fields=["is_following"])
        return [*before, m.menu(_("ยินดีต้อนรับสู่บริการรับเรื่องร้องทุกข์ของ %(body)s "
                                  "แจ้งเรื่อง ติดตามเรื่อง หรืออ่านข้อตกลงระดับการให้บริการได้ที่เมนูด้านล่าง")
                                % {"body": current_body().display_name}, user.language)]
    if isinstance(event, PostbackEvent):
        return [*before, *_on_postback(user, _postback(event.postback.data), now)]
    if isinstance(event, MessageEvent):
        message = event.message
        if isinstance(message, TextMessageContent):
            return [*before, *_on_text(user, message.text or "", now)]
        if isinstance(message, ImageMessageContent):
            return [*before, *_on_image(user, str(message.id), now)]
        if isinstance(message, LocationMessageContent):
            return [*before, *_on_location(user, message, now)]
        return [*before, m.menu(_("ขออภัย บัญชีนี้รับได้เฉพาะข้อความ รูปภาพ และตำแหน่งที่ตั้ง"), user.language)]
    return before  # other event types (join, beacon, unsend, future ones): nothing to say


def _categories() -> list[Category]:
    return list(Category.objects.filter(is_active=True).order_by("position", "name_th"))


def _step_prompt(state: dict[str, Any]) -> list[Message]:
    step = state.get("step")
    if step == "category":
        return [m.categories(_categories(), page=0, english=translation.get_language() == "en")]
    if step == "description":
        return [m.text(_("กรุณาพิมพ์รายละเอียดเรื่องที่ต้องการแจ้ง"), [m._item(_("ยกเลิก"), "cancel")])]
    if step == "details":
        return [m.details_prompt(_("ส่งรูปภาพได้ไม่เกิน %(max)d รูป และส่งตำแหน่งที่เกิดเหตุ แล้วกด “ตรวจทานและส่ง”")
                                 % {"max": MAX_FILES}, photos=len(state.get("photos", [])), max_photos=MAX_FILES)]
    if step == "reopen":
        return [m.text(_("กรุณาพิมพ์เหตุผลที่ขอเปิดเรื่องใหม่"), [m._item(_("ยกเลิก"), "cancel")])]
    if step == "link":
        return [m.text(_("กรุณาพิมพ์เลขโทรศัพท์ 4 หลักท้ายที่ให้ไว้ตอนแจ้งเรื่อง หรือรหัส PIN ที่ได้รับ "
                         "เพื่อยืนยันว่าเป็นเรื่องของท่าน"), [m._item(_("ยกเลิก"), "cancel")])]
    return []


def _on_postback(user: LineUser, values: dict[str, str], now: datetime) -> list[Message]:
    action = values.get("a", "")
    state = dict(user.state or {})
    if action == "file":
        _pending_delete(state)
        state = {"step": "category"}
        _set_state(user, state, now)
        return _step_prompt(state)
    if action == "cats" and state.get("step") == "category":
        page = int(values["p"]) if values.get("p", "").isdigit() else 0
        return [m.categories(_categories(), page=page, english=user.language == "en")]
    if action == "cat" and state.get("step") == "category":
        category = Category.objects.filter(pk=int(values["id"]) if values.get("id", "").isdigit() else 0,
                                           is_active=True).first()
        if category is None:
            return _step_prompt(state)
        state.update(step="description", category=category.pk)
        _set_state(user, state, now)
        return _step_prompt(state)
    if action == "review" and state.get("step") == "details":
        return [_confirmation(state)]
    if action == "edit" and state.get("step") == "details":
        return _step_prompt(state)
    if action == "submit" and state.get("step") == "details":
        return _submit(user, state, now, wait=values.get("wait") != "0")
    if action == "cancel" and state:
        _pending_delete(state)
        _set_state(user, {}, now)
        return [m.menu(_("ยกเลิกแล้ว"), user.language)]
    if action == "mine":
        return [m.menu(selectors.my_cases_text(user_id=user.user_id), user.language)]
    if action == "sla":
        body = current_body()
        url = f"https://{body.slug}.{settings.PLATFORM_DOMAIN}/sla/"
        return [m.menu(_("ข้อตกลงระดับการให้บริการของ %(body)s: %(url)s") % {"body": body.display_name, "url": url},
                       user.language)]
    if action == "lang" and values.get("v") in LANGUAGES:
        user.language = values["v"]
        user.save(update_fields=["language"])
        with translation.override(user.language):
            return [m.menu(_("เปลี่ยนภาษาแล้ว ข้อความจากหน่วยงานจะส่งเป็นภาษาไทย"), user.language)]
    if action == "rate":
        return _rate(user, values)
    if action == "reopen":
        complaint = _own_case(user, values.get("c", ""))
        if complaint is None or complaint.status not in (Status.RESOLVED, Status.CLOSED):
            return [m.menu(_("เรื่องนี้ขอเปิดใหม่ไม่ได้"), user.language)]
        _pending_delete(state)
        state = {"step": "reopen", "complaint": complaint.pk}
        _set_state(user, state, now)
        return _step_prompt(state)
    # A button from an old menu, or from a step already finished.
    if state:
        return [m.text(_("ปุ่มนี้ใช้ไม่ได้แล้ว")), *_step_prompt(state)]
    return [m.menu(_("ปุ่มนี้ใช้ไม่ได้แล้ว เลือกเมนูด้านล่าง"), user.language)]


def _own_case(user: LineUser, raw_id: str) -> Complaint | None:
    if not raw_id.isdigit():
        return None
    return Complaint.objects.filter(pk=int(raw_id), complainant_line_id=user.user_id).first()


def _rate(user: LineUser, values: dict[str, str]) -> list[Message]:
    complaint = _own_case(user, values.get("c", ""))
    if complaint is None or not values.get("v", "").isdigit():
        return [m.menu(_("ปุ่มนี้ใช้ไม่ได้แล้ว เลือกเมนูด้านล่าง"), user.language)]
    try:
        complaint_rate(complaint=complaint, rating=int(values["v"]))
    except ComplaintError as exc:
        return [m.menu(str(exc.message), user.language)]
    return [m.menu(_("ขอบคุณสำหรับการประเมิน (%(n)d จาก 5) เรื่อง %(code)s")
                   % {"n": int(values["v"]), "code": complaint.tracking_code}, user.language)]


def _confirmation(state: dict[str, Any]) -> Message:
    category = Category.objects.filter(pk=int(state.get("category") or 0)).first()
    english = translation.get_language() == "en"
    name = (category.name_en if english and category and category.name_en else getattr(category, "name_th", ""))
    location = state.get("address") or (f"{state['lat']}, {state['lng']}" if state.get("lat") else "")
    return m.confirmation(category=name, description=state.get("description", ""),
                          photos=len(state.get("photos", [])), location=location)


def _on_text(user: LineUser, value: str, now: datetime) -> list[Message]:
    state = dict(user.state or {})
    step = state.get("step")
    try:
        if step == "description":
            state["description"] = clean_text(value, field="description", label=_("รายละเอียด"),
                                              max_length=MAX_DESCRIPTION, required=True)
            state["step"] = "details"
            _set_state(user, state, now)
            return _step_prompt(state)
        if step == "details":
            joined = f"{state.get('description', '')}\n{value}".strip()
            state["description"] = clean_text(joined, field="description", label=_("รายละเอียด"),
                                              max_length=MAX_DESCRIPTION, required=True)
            _set_state(user, state, now)
            return [m.details_prompt(_("เพิ่มรายละเอียดแล้ว"), photos=len(state.get("photos", [])),
                                     max_photos=MAX_FILES)]
        if step == "reopen":
            complaint = _own_case(user, str(state.get("complaint", "")))
            if complaint is None:
                _set_state(user, {}, now)
                return [m.menu(_("เรื่องนี้ขอเปิดใหม่ไม่ได้"), user.language)]
            complaint_reopen(complaint=complaint, reason=value)
            _set_state(user, {}, now)
            return [m.menu(_("เปิดเรื่อง %(code)s ใหม่แล้ว หน่วยงานจะดำเนินการต่อ")
                           % {"code": complaint.tracking_code}, user.language)]
        if step == "link":
            return _link(user, state, value, now)
    except ComplaintError as exc:
        return [m.text(str(exc.message)), *_step_prompt(state)]
    if step:
        return _step_prompt(state)
    if is_link_code(value):
        return _link_by_code(user, value)
    code = normalise_code(value) if _CODE_LIKE.fullmatch(value.strip()) else ""
    if code:
        # A case filed on the web, by phone or at the counter: follow it here once it is proven theirs.
        state = {"step": "link", "code": code}
        _set_state(user, state, now)
        return _step_prompt(state)
    waiting = selectors.waiting_case(user_id=user.user_id)
    if waiting is not None:
        return _answer(waiting, text=value, uploads=[], language=user.language)
    return [m.menu(_("สวัสดีครับ เลือกเมนูด้านล่างเพื่อแจ้งเรื่องหรือติดตามเรื่อง"), user.language)]


def _link_by_code(user: LineUser, code: str) -> list[Message]:
    """The link code of a web, phone or counter receipt (throttled like the code-and-PIN link)."""
    values = {"line_link": user.user_id}
    if throttle_exceeded(values=values, limits=LINK_LIMITS):
        return [m.menu(_("ลองยืนยันบ่อยเกินไป กรุณารอ 15 นาทีแล้วลองใหม่"), user.language)]
    try:
        complaint = complaint_line_link_by_code(code=code, line_user_id=user.user_id)
    except ComplaintError as exc:
        return [m.menu(str(exc.message), user.language)]
    if complaint is None:
        throttle_record(values=values, limits=LINK_LIMITS)
        return [m.menu(_("รหัสเชื่อม LINE ไม่ถูกต้องหรือใช้ไปแล้ว กรุณาตรวจสอบรหัสบนใบรับเรื่อง"), user.language)]
    return [m.menu(_("ติดตามเรื่อง %(code)s ทาง LINE แล้ว ท่านจะได้รับแจ้งความคืบหน้าทางแชตนี้")
                   % {"code": complaint.tracking_code}, user.language)]


def _link(user: LineUser, state: dict[str, Any], factor: str, now: datetime) -> list[Message]:
    values = {"line_link": user.user_id}
    if throttle_exceeded(values=values, limits=LINK_LIMITS):
        _set_state(user, {}, now)
        return [m.menu(_("ลองยืนยันบ่อยเกินไป กรุณารอ 15 นาทีแล้วลองใหม่"), user.language)]
    complaint = complaint_lookup_for_citizen(code=str(state.get("code", "")), second_factor=factor)
    if complaint is None:
        throttle_record(values=values, limits=LINK_LIMITS)
        _set_state(user, {}, now)
        return [m.menu(_("ไม่พบเรื่อง หรือข้อมูลยืนยันไม่ถูกต้อง กรุณาพิมพ์เลขติดตามเรื่องอีกครั้ง"), user.language)]
    _set_state(user, {}, now)
    try:
        complaint_line_link(complaint=complaint, line_user_id=user.user_id)
    except ComplaintError as exc:
        return [m.menu(str(exc.message), user.language)]
    return [m.menu(_("ติดตามเรื่อง %(code)s ทาง LINE แล้ว ท่านจะได้รับแจ้งความคืบหน้าทางแชตนี้")
                   % {"code": complaint.tracking_code}, user.language)]


def _answer(complaint: Complaint, *, text: str, uploads: list[SimpleUploadedFile], language: str) -> list[Message]:
    """An answer to the body's request for information: the same service as the web answer."""
    try:
        complaint_citizen_respond(complaint=complaint, text=text, uploads=uploads)
    except ComplaintError as exc:
        return [m.menu(str(exc.message), language)]
    return [m.menu(_("ส่งข้อมูลเพิ่มเติมเรื่อง %(code)s ถึงหน่วยงานแล้ว") % {"code": complaint.tracking_code},
                   language)]


def _on_image(user: LineUser, message_id: str, now: datetime) -> list[Message]:
    """Noted, not fetched: the content is fetched, checked and stored by a task (apps.line.photos)."""
    state = dict(user.state or {})
    step = state.get("step")
    if step not in ("description", "details"):
        waiting = selectors.waiting_case(user_id=user.user_id) if not step else None
        if waiting is None:
            return [*_step_prompt(state)] or [m.menu(_("หากต้องการแจ้งเรื่องพร้อมรูปภาพ กรุณากด “แจ้งเรื่อง” ก่อน"),
                                                    user.language)]
        photos.photo_fetch_queue(user_id=user.user_id, message_id=message_id, complaint_id=waiting.pk)
        return [m.menu(_("ได้รับรูปภาพแล้ว กำลังส่งถึงหน่วยงานพร้อมเรื่อง %(code)s") % {"code": waiting.tracking_code},
                       user.language)]
    held = len(state.get("photos", [])) + len(state.get("fetching", []))
    if held >= MAX_FILES:
        return [m.details_prompt(_("แนบรูปภาพได้ไม่เกิน %(max)d รูป") % {"max": MAX_FILES},
                                 photos=held, max_photos=MAX_FILES)]
    state["fetching"] = [*state.get("fetching", []), message_id]
    _set_state(user, state, now)
    photos.photo_fetch_queue(user_id=user.user_id, message_id=message_id)
    if step == "description":
        return [m.text(_("ได้รับรูปภาพแล้ว (%(n)d/%(max)d) กรุณาพิมพ์รายละเอียดเรื่อง")
                       % {"n": held + 1, "max": MAX_FILES})]
    return [m.details_prompt(_("ได้รับรูปภาพแล้ว (%(n)d/%(max)d)") % {"n": held + 1, "max": MAX_FILES},
                             photos=held + 1, max_photos=MAX_FILES)]


def _on_location(user: LineUser, message: LocationMessageContent, now: datetime) -> list[Message]:
    state = dict(user.state or {})
    if state.get("step") not in ("description", "details"):
        return [*_step_prompt(state)] or [m.menu(_("หากต้องการแจ้งเรื่อง กรุณากด “แจ้งเรื่อง” ก่อน"), user.language)]
    try:
        latitude, longitude = clean_coordinates(message.latitude, message.longitude)
    except ComplaintError as exc:
        return [m.text(str(exc.message)), *_step_prompt(state)]
    state.update(lat=str(latitude), lng=str(longitude), address=(message.address or message.title or "")[:300])
    _set_state(user, state, now)
    if state.get("step") == "description":
        return [m.text(_("ได้รับตำแหน่งแล้ว กรุณาพิมพ์รายละเอียดเรื่อง"))]
    return [m.details_prompt(_("ได้รับตำแหน่งแล้ว"), photos=len(state.get("photos", [])), max_photos=MAX_FILES)]


def _submit(user: LineUser, state: dict[str, Any], now: datetime, *, wait: bool) -> list[Message]:
    fetching = state.get("fetching", [])
    if fetching and wait:
        for message_id in fetching:  # again, in case its task was lost (the fetch is done once)
            photos.photo_fetch_queue(user_id=user.user_id, message_id=message_id)
        return [m.text(_("ยังรับรูปภาพไม่ครบ (อีก %(n)d รูป) กรุณารอสักครู่แล้วกด “ยืนยันส่งเรื่อง” อีกครั้ง")
                       % {"n": len(fetching)},
                       [m._item(_("ยืนยันส่งเรื่อง"), "submit"),
                        m._item(_("ส่งโดยไม่รอรูป"), "submit", wait=0), m._item(_("ยกเลิก"), "cancel")])]
    credentials = line_credentials()
    name = client.profile_name(token=credentials.token, user_id=user.user_id) if credentials else ""
    uploads = []
    for path in state.get("photos", []):
        with default_storage.open(path) as stored:
            uploads.append(SimpleUploadedFile("line-photo.jpg", stored.read(), "image/jpeg"))
    try:
        result = complaint_submit(
            channel=Channel.LINE, category=int(state.get("category") or 0),
            description=state.get("description", ""),
            complainant=Complainant(name=name or "LINE", line_id=user.user_id),
            location_text=state.get("address", ""), latitude=state.get("lat"), longitude=state.get("lng"),
            privacy_notice_shown=True, uploads=uploads, received_at=now,
            # The receipt is this reply (a Flex message); a "received" push would say it twice.
            notify=False, language=user.language,
        )
    except ComplaintError as exc:
        return [m.text(str(exc.message)), *_step_prompt(state)]
    _pending_delete(state)
    _set_state(user, {}, now)
    body = current_body()
    return [m.receipt(body=body, complaint=result.complaint,
                      deadlines=selectors.deadlines(complaint=result.complaint)),
            m.menu(_("ท่านจะได้รับแจ้งความคืบหน้าทางแชตนี้"), user.language)]
