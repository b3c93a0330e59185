"""Following a case filed elsewhere (the web, the phone, the counter) in the chat: by the link
code on its receipt, or by its tracking code and second factor; both throttled per LINE user."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext as _
from linebot.v3.messaging import Message

from apps.complaints.errors import ComplaintError
from apps.complaints.selectors import complaint_lookup_for_citizen
from apps.complaints.services.workflow import complaint_line_link, complaint_line_link_by_code
from apps.line import messages as m
from apps.line.conversation import state_set
from apps.line.models import LineUser
from apps.portal.services import Limit, throttle_exceeded, throttle_record

# Linking a case filed elsewhere: a tracking code and its second factor, 5 tries per LINE user per
# 15 minutes (a 4-digit factor must not be guessable from the chat).
LINK_LIMITS = (Limit("line_link", 5, timedelta(minutes=15)),)
# A tracking code as people type it: ABCD-2345, abcd 2345, or 8 characters with a digit in them.
CODE_LIKE = re.compile(r"[A-Za-z0-9]{4}[-\s][A-Za-z0-9]{4}|(?=[A-Za-z]*[0-9])[A-Za-z0-9]{8}")


def link_by_code(user: LineUser, code: str) -> list[Message]:
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


def link(user: LineUser, state: dict[str, Any], factor: str, now: datetime) -> list[Message]:
    values = {"line_link": user.user_id}
    if throttle_exceeded(values=values, limits=LINK_LIMITS):
        state_set(user, {}, now)
        return [m.menu(_("ลองยืนยันบ่อยเกินไป กรุณารอ 15 นาทีแล้วลองใหม่"), user.language)]
    complaint = complaint_lookup_for_citizen(code=str(state.get("code", "")), second_factor=factor)
    if complaint is None:
        throttle_record(values=values, limits=LINK_LIMITS)
        state_set(user, {}, now)
        return [m.menu(_("ไม่พบเรื่อง หรือข้อมูลยืนยันไม่ถูกต้อง กรุณาพิมพ์เลขติดตามเรื่องอีกครั้ง"), user.language)]
    state_set(user, {}, now)
    try:
        complaint_line_link(complaint=complaint, line_user_id=user.user_id)
    except ComplaintError as exc:
        return [m.menu(str(exc.message), user.language)]
    return [m.menu(_("ติดตามเรื่อง %(code)s ทาง LINE แล้ว ท่านจะได้รับแจ้งความคืบหน้าทางแชตนี้")
                   % {"code": complaint.tracking_code}, user.language)]
