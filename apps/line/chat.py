"""The chat conversation, one webhook event at a time: the event, the button or the text, and the
step it answers. Every case change goes through apps.complaints.services, exactly as from the web.
Its parts: apps.line.conversation (the step and its prompt), apps.line.filing (photos, place,
review, submission), apps.line.linking (following a case filed elsewhere), apps.line.own_cases
(rating, answering the body's request for information)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs

from django.conf import settings
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
from apps.complaints.linking import is_link_code, report_in_text
from apps.complaints.models import Category
from apps.complaints.selectors import normalise_code
from apps.complaints.services.follow import case_follows_line_end
from apps.complaints.services.workflow import (
    complaint_reopen,
)
from apps.complaints.status import Status
from apps.complaints.validation import MAX_DESCRIPTION, clean_text
from apps.line import messages as m
from apps.line import selectors
from apps.line.conversation import categories, expired, pending_delete, state_set, step_prompt
from apps.line.filing import confirmation, on_image, on_location, submit
from apps.line.linking import CODE_LIKE, link, link_by_code
from apps.line.models import LineEvent, LineUser
from apps.line.own_cases import answer, own_case, rate
from apps.line.reports import follow, report_shown, unfollow
from apps.line.services import Credentials

logger = logging.getLogger(__name__)
LANGUAGES = ("th", "en")
@dataclass
class Outcome:
    """What one event produced: messages to reply with (sent after the commit)."""

    reply_token: str = ""
    messages: list[Message] = field(default_factory=list)


def _postback(raw: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(raw or "", keep_blank_values=True).items() if v}


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
            pending_delete(user.state)
            state_set(user, {}, now)
            user.save(update_fields=["is_following"])
            case_follows_line_end(line_user_id=user.user_id)
            return None
        with translation.override(user.language):
            outcome = Outcome(reply_token=getattr(event, "reply_token", None) or "")
            outcome.messages = _dispatch(user, event, now)
            return outcome


def _dispatch(user: LineUser, event: Event, now: datetime) -> list[Message]:
    before: list[Message] = []
    if expired(user, now):
        pending_delete(user.state)
        state_set(user, {}, now)
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
            return [*before, *on_image(user, str(message.id), now)]
        if isinstance(message, LocationMessageContent):
            return [*before, *on_location(user, message, now)]
        return [*before, m.menu(_("ขออภัย บัญชีนี้รับได้เฉพาะข้อความ รูปภาพ และตำแหน่งที่ตั้ง"), user.language)]
    return before  # other event types (join, beacon, unsend, future ones): nothing to say


def _on_postback(user: LineUser, values: dict[str, str], now: datetime) -> list[Message]:
    action = values.get("a", "")
    state = dict(user.state or {})
    if action == "file":
        pending_delete(state)
        state = {"step": "category"}
        state_set(user, state, now)
        return step_prompt(state)
    if action == "follow" and values.get("r"):
        return follow(user, values["r"][:16], now)
    if action == "unfollow" and values.get("r"):
        return unfollow(user, values["r"][:16])
    if action == "cats" and state.get("step") == "category":
        page = int(values["p"]) if values.get("p", "").isdigit() else 0
        return [m.categories(categories(), page=page, english=user.language == "en")]
    if action == "cat" and state.get("step") == "category":
        category = Category.objects.filter(pk=int(values["id"]) if values.get("id", "").isdigit() else 0,
                                           is_active=True).first()
        if category is None:
            return step_prompt(state)
        state.update(step="description", category=category.pk)
        state_set(user, state, now)
        return step_prompt(state)
    if action == "review" and state.get("step") == "details":
        return [confirmation(state)]
    if action == "edit" and state.get("step") == "details":
        return step_prompt(state)
    if action == "submit" and state.get("step") == "details":
        return submit(user, state, now, wait=values.get("wait") != "0", contact=values.get("contact") == "1")
    if action == "cancel" and state:
        pending_delete(state)
        state_set(user, {}, now)
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
        return rate(user, values)
    if action == "reopen":
        complaint = own_case(user, values.get("c", ""))
        if complaint is None or complaint.status not in (Status.RESOLVED, Status.CLOSED):
            return [m.menu(_("เรื่องนี้ขอเปิดใหม่ไม่ได้"), user.language)]
        pending_delete(state)
        state = {"step": "reopen", "complaint": complaint.pk}
        state_set(user, state, now)
        return step_prompt(state)
    # A button from an old menu, or from a step already finished.
    if state:
        return [m.text(_("ปุ่มนี้ใช้ไม่ได้แล้ว")), *step_prompt(state)]
    return [m.menu(_("ปุ่มนี้ใช้ไม่ได้แล้ว เลือกเมนูด้านล่าง"), user.language)]


def _on_text(user: LineUser, value: str, now: datetime) -> list[Message]:
    state = dict(user.state or {})
    step = state.get("step")
    try:
        if step == "description":
            state["description"] = clean_text(value, field="description", label=_("รายละเอียด"),
                                              max_length=MAX_DESCRIPTION, required=True)
            state["step"] = "details"
            state_set(user, state, now)
            return step_prompt(state)
        if step == "details":
            joined = f"{state.get('description', '')}\n{value}".strip()
            state["description"] = clean_text(joined, field="description", label=_("รายละเอียด"),
                                              max_length=MAX_DESCRIPTION, required=True)
            state_set(user, state, now)
            return [m.details_prompt(_("เพิ่มรายละเอียดแล้ว"), photos=len(state.get("photos", [])),
                                     max_photos=MAX_FILES)]
        if step == "reopen":
            complaint = own_case(user, str(state.get("complaint", "")))
            if complaint is None:
                state_set(user, {}, now)
                return [m.menu(_("เรื่องนี้ขอเปิดใหม่ไม่ได้"), user.language)]
            complaint_reopen(complaint=complaint, reason=value)
            state_set(user, {}, now)
            return [m.menu(_("เปิดเรื่อง %(code)s ใหม่แล้ว หน่วยงานจะดำเนินการต่อ")
                           % {"code": complaint.tracking_code}, user.language)]
        if step == "link":
            return link(user, state, value, now)
    except ComplaintError as exc:
        return [m.text(str(exc.message)), *step_prompt(state)]
    if step:
        return step_prompt(state)
    if is_link_code(value):
        return link_by_code(user, value)
    public_id = report_in_text(value)
    if public_id:
        return report_shown(user, public_id)
    code = normalise_code(value) if CODE_LIKE.fullmatch(value.strip()) else ""
    if code:
        # A case filed on the web, by phone or at the counter: follow it here once it is proven theirs.
        state = {"step": "link", "code": code}
        state_set(user, state, now)
        return step_prompt(state)
    waiting = selectors.waiting_case(user_id=user.user_id)
    if waiting is not None:
        return answer(waiting, text=value, uploads=[], language=user.language)
    return [m.menu(_("สวัสดีครับ เลือกเมนูด้านล่างเพื่อแจ้งเรื่องหรือติดตามเรื่อง"), user.language)]
