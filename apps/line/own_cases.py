"""A citizen's own cases in the chat: rating one, and answering the body's request for
information (the same services as on the web)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from linebot.v3.messaging import Message

from apps.complaints.errors import ComplaintError
from apps.complaints.models import Complaint
from apps.complaints.services.workflow import complaint_citizen_respond, complaint_rate
from apps.line import messages as m
from apps.line.models import LineUser


def own_case(user: LineUser, raw_id: str) -> Complaint | None:
    if not raw_id.isdigit():
        return None
    return Complaint.objects.filter(pk=int(raw_id), complainant_line_id=user.user_id).first()


def rate(user: LineUser, values: dict[str, str]) -> list[Message]:
    complaint = own_case(user, values.get("c", ""))
    if complaint is None or not values.get("v", "").isdigit():
        return [m.menu(_("ปุ่มนี้ใช้ไม่ได้แล้ว เลือกเมนูด้านล่าง"), user.language)]
    try:
        complaint_rate(complaint=complaint, rating=int(values["v"]))
    except ComplaintError as exc:
        return [m.menu(str(exc.message), user.language)]
    return [m.menu(_("ขอบคุณสำหรับการประเมิน (%(n)d จาก 5) เรื่อง %(code)s")
                   % {"n": int(values["v"]), "code": complaint.tracking_code}, user.language)]


def answer(complaint: Complaint, *, text: str, uploads: list[SimpleUploadedFile], language: str) -> list[Message]:
    """An answer to the body's request for information: the same service as the web answer."""
    try:
        complaint_citizen_respond(complaint=complaint, text=text, uploads=uploads)
    except ComplaintError as exc:
        return [m.menu(str(exc.message), language)]
    return [m.menu(_("ส่งข้อมูลเพิ่มเติมเรื่อง %(code)s ถึงหน่วยงานแล้ว") % {"code": complaint.tracking_code},
                   language)]
