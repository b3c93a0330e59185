"""Filing a complaint in the chat: the photos and the place the citizen sends, the review, and
the submission through the same intake service as the web."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext as _
from linebot.v3.messaging import Message
from linebot.v3.webhooks import LocationMessageContent

from apps.complaints.attachments import MAX_FILES
from apps.complaints.context import current_body
from apps.complaints.errors import ComplaintError
from apps.complaints.models import Category
from apps.complaints.services.intake import complaint_submit
from apps.complaints.status import Channel, ContactChannel
from apps.complaints.validation import Complainant, clean_coordinates
from apps.line import client, photos, selectors
from apps.line import messages as m
from apps.line.conversation import pending_delete, state_set, step_prompt
from apps.line.models import LineUser
from apps.line.reports import nearby_shown
from apps.line.services import line_credentials


def confirmation(state: dict[str, Any]) -> Message:
    category = Category.objects.filter(pk=int(state.get("category") or 0)).first()
    english = translation.get_language() == "en"
    name = (category.name_en if english and category and category.name_en else getattr(category, "name_th", ""))
    location = state.get("address") or (f"{state['lat']}, {state['lng']}" if state.get("lat") else "")
    return m.confirmation(category=name, description=state.get("description", ""),
                          photos=len(state.get("photos", [])), location=location)


def on_image(user: LineUser, message_id: str, now: datetime) -> list[Message]:
    """Noted, not fetched: the content is fetched, checked and stored by a task (apps.line.photos)."""
    state = dict(user.state or {})
    step = state.get("step")
    if step not in ("description", "details"):
        waiting = selectors.waiting_case(user_id=user.user_id) if not step else None
        if waiting is None:
            return [*step_prompt(state)] or [m.menu(_("หากต้องการแจ้งเรื่องพร้อมรูปภาพ กรุณากด “แจ้งเรื่อง” ก่อน"),
                                                    user.language)]
        photos.photo_fetch_queue(user_id=user.user_id, message_id=message_id, complaint_id=waiting.pk)
        return [m.menu(_("ได้รับรูปภาพแล้ว กำลังส่งถึงหน่วยงานพร้อมเรื่อง %(code)s") % {"code": waiting.tracking_code},
                       user.language)]
    held = len(state.get("photos", [])) + len(state.get("fetching", []))
    if held >= MAX_FILES:
        return [m.details_prompt(_("แนบรูปภาพได้ไม่เกิน %(max)d รูป") % {"max": MAX_FILES},
                                 photos=held, max_photos=MAX_FILES)]
    state["fetching"] = [*state.get("fetching", []), message_id]
    state_set(user, state, now)
    photos.photo_fetch_queue(user_id=user.user_id, message_id=message_id)
    if step == "description":
        return [m.text(_("ได้รับรูปภาพแล้ว (%(n)d/%(max)d) กรุณาพิมพ์รายละเอียดเรื่อง")
                       % {"n": held + 1, "max": MAX_FILES})]
    return [m.details_prompt(_("ได้รับรูปภาพแล้ว (%(n)d/%(max)d)") % {"n": held + 1, "max": MAX_FILES},
                             photos=held + 1, max_photos=MAX_FILES)]


def on_location(user: LineUser, message: LocationMessageContent, now: datetime) -> list[Message]:
    state = dict(user.state or {})
    if state.get("step") not in ("description", "details"):
        return [*step_prompt(state)] or [m.menu(_("หากต้องการแจ้งเรื่อง กรุณากด “แจ้งเรื่อง” ก่อน"), user.language)]
    try:
        latitude, longitude = clean_coordinates(message.latitude, message.longitude)
    except ComplaintError as exc:
        return [m.text(str(exc.message)), *step_prompt(state)]
    state.update(lat=str(latitude), lng=str(longitude), address=(message.address or message.title or "")[:300])
    state_set(user, state, now)
    # The same problem reported nearby already: following it is offered before this one goes on.
    nearby = nearby_shown(user, state)
    if state.get("step") == "description":
        return [*nearby, m.text(_("ได้รับตำแหน่งแล้ว กรุณาพิมพ์รายละเอียดเรื่อง"))]
    return [*nearby, m.details_prompt(_("ได้รับตำแหน่งแล้ว"), photos=len(state.get("photos", [])),
                                      max_photos=MAX_FILES)]


def submit(user: LineUser, state: dict[str, Any], now: datetime, *, wait: bool, contact: bool = False) -> list[Message]:
    """`contact`: the citizen allows the handling officers to reach them in this chat (ContactChannel.LINE)."""
    fetching = state.get("fetching", [])
    if fetching and wait:
        for message_id in fetching:  # again, in case its task was lost (the fetch is done once)
            photos.photo_fetch_queue(user_id=user.user_id, message_id=message_id)
        return [m.text(_("ยังรับรูปภาพไม่ครบ (อีก %(n)d รูป) กรุณารอสักครู่แล้วกด “ยืนยันส่งเรื่อง” อีกครั้ง")
                       % {"n": len(fetching)},
                       [m._item(_("ยืนยันส่งเรื่อง"), "submit", contact=int(contact)),
                        m._item(_("ส่งโดยไม่รอรูป"), "submit", wait=0, contact=int(contact)),
                        m._item(_("ยกเลิก"), "cancel")])]
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
            complainant=Complainant(name=name or "LINE", line_id=user.user_id,
                                    contact_allowed=(ContactChannel.LINE,) if contact else ()),
            location_text=state.get("address", ""), latitude=state.get("lat"), longitude=state.get("lng"),
            privacy_notice_shown=True, uploads=uploads, received_at=now,
            # The receipt is this reply (a Flex message); a "received" push would say it twice.
            notify=False, language=user.language,
        )
    except ComplaintError as exc:
        return [m.text(str(exc.message)), *step_prompt(state)]
    pending_delete(state)
    state_set(user, {}, now)
    body = current_body()
    return [m.receipt(body=body, complaint=result.complaint,
                      deadlines=selectors.deadlines(complaint=result.complaint)),
            m.menu(_("ท่านจะได้รับแจ้งความคืบหน้าทางแชตนี้"), user.language)]
