"""The state of a citizen's conversation with the body's LINE account: the step they are at,
what they have given so far (held on the LINE user row), and the prompt for the step."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from linebot.v3.messaging import Message

from apps.complaints.attachments import MAX_FILES
from apps.complaints.models import Category
from apps.line import messages as m
from apps.line.models import LineUser


def pending_delete(state: dict[str, Any]) -> None:
    for path in state.get("photos", []):
        transaction.on_commit(partial(default_storage.delete, path))


def state_set(user: LineUser, state: dict[str, Any], now: datetime) -> None:
    user.state = state
    user.state_at = now if state else None
    user.save(update_fields=["state", "state_at"])


def expired(user: LineUser, now: datetime) -> bool:
    if not user.state or user.state_at is None:
        return False
    return now - user.state_at > timedelta(minutes=settings.LINE_CONVERSATION_MINUTES)


def categories() -> list[Category]:
    return list(Category.objects.filter(is_active=True).order_by("position", "name_th"))


def step_prompt(state: dict[str, Any]) -> list[Message]:
    step = state.get("step")
    if step == "category":
        return [m.categories(categories(), page=0, english=translation.get_language() == "en")]
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
