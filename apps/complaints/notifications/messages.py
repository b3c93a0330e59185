"""What a citizen is told about a case, and where: the text of each kind of message, rendered in
the citizen's language (never the acting officer's), and the addresses that receive it."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from apps.complaints.conduct import handling_office_name
from apps.complaints.models import Complaint
from apps.complaints.notifications.channels import citizen_channels
from apps.sla.selectors import pending_deadlines
from apps.ui import thai
from tenants.models import LocalBody


def message_text(key: str, complaint: Complaint, text: str, body: LocalBody) -> str | None:
    """The message of kind `key` about `complaint` in the active language; None: no such kind."""
    code = complaint.tracking_code
    # A conduct case speaks in the handling office's name: the accused body is not handling it.
    name = handling_office_name(body, complaint) if complaint.routed_to_oversight else body.display_name
    templates = {
        "received": _("%(body)s ได้รับเรื่องร้องทุกข์ของท่านแล้ว เลขติดตามเรื่อง %(code)s"),
        "acknowledged": _("%(body)s แจ้งรับเรื่อง %(code)s แล้ว และจะดำเนินการตามข้อตกลงระดับการให้บริการ"),
        "reply": _("%(body)s ตอบเรื่อง %(code)s: %(text)s"),
        "request_info": _("%(body)s ขอข้อมูลเพิ่มเติมสำหรับเรื่อง %(code)s: %(text)s"),
        "transferred": _("เรื่อง %(code)s ถูกส่งต่อไปยัง %(text)s ท่านติดตามได้ด้วยเลขเดิม"),
        "resolved": _("%(body)s ดำเนินการเรื่อง %(code)s แล้วเสร็จ: %(text)s"),
        "closed": _("%(body)s ปิดเรื่อง %(code)s แล้ว กรุณาประเมินความพึงพอใจ"),
        "rejected": _("%(body)s ไม่รับเรื่อง %(code)s: %(text)s"),
        "merged": _("เรื่อง %(code)s ถูกรวมกับเรื่องเดียวกันที่มีผู้แจ้งไว้แล้ว: %(text)s"),
        "merged_into": _("มีผู้แจ้งเรื่องเดียวกับเรื่อง %(code)s ของท่าน (%(text)s) หน่วยงานจะดำเนินการรวมกัน"),
        "reopened": _("%(body)s เปิดเรื่อง %(code)s ใหม่เพื่อดำเนินการต่อ: %(text)s"),
        "deadline_moved": _("%(body)s แจ้งกำหนดเวลาใหม่ของเรื่อง %(code)s: %(text)s"),
        "recoded": _("เรื่อง %(text)s ของท่านอยู่ในความรับผิดชอบของ%(body)sแล้วเนื่องจากการรวมหน่วยงาน "
                     "เลขติดตามเรื่องใหม่คือ %(code)s (เลขเดิมยังใช้ติดตามได้)"),
    }
    template = templates.get(key)
    if template is None:
        return None
    paused = _("หยุดนับเวลาระหว่างรอข้อมูลจากท่าน")
    if key == "request_info":
        # The request is also the news that the deadlines wait (case_sync is told not to repeat it).
        return template % {"body": name, "code": code, "text": text[:500]} + f" ({paused})"
    if key == "deadline_moved":
        # The deadlines as they now stand (a pause ended), written in the language being rendered.
        text = "; ".join(f"{d.stage_label} ({paused})" if d.paused else
                         f"{d.stage_label} {thai.format_datetime(d.due_at)}"
                         for d in pending_deadlines(complaint=complaint))
    return template % {"body": name, "code": code, "text": text[:500]}


def recipients(complaint: Complaint) -> list[tuple[str, str, str]]:
    """(channel, recipient, the language the citizen reads it in). Never the acting officer's:
    the case's language for SMS and e-mail, the LINE user's own chat language on LINE."""
    if complaint.is_anonymous:
        return []
    language = complaint.complainant_language or "th"
    found: list[tuple[str, str, str]] = []
    if complaint.complainant_email:
        found.append(("email", complaint.complainant_email, language))
    if complaint.complainant_phone:
        found.append(("sms", complaint.complainant_phone, language))
    # LINE: only a user of the body's own account (who filed it in the chat), in their language.
    for channel in citizen_channels():
        follower = channel.follower(complaint)
        if follower is not None:
            address, own_language = follower
            found.append((channel.name, address, own_language or language))
    return found


def message_in(language: str, key: str, complaint: Complaint, text: str, body: LocalBody) -> tuple[str, str]:
    """(subject, text) rendered in `language`."""
    with translation.override(language):
        subject = _("เรื่องร้องทุกข์ %(code)s") % {"code": complaint.tracking_code}
        return subject, message_text(key, complaint, text, body) or ""
