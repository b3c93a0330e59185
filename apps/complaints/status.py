"""A case's status and the channel it came in by: the complaint service's vocabulary.

The reporting fact (public schema) stores the same values as plain strings; what they mean, and
which status may follow which (apps.complaints.workflow), is decided here.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB = "web", _("เว็บไซต์")
    WALK_IN = "walk_in", _("ยื่นด้วยตนเอง")
    PHONE = "phone", _("โทรศัพท์")
    LETTER = "letter", _("หนังสือ/จดหมาย")
    LINE = "line", _("LINE")
    EMAIL = "email", _("อีเมล")
    CENTER_1111 = "1111", _("ส่งต่อจากศูนย์ 1111 / ศูนย์ดำรงธรรม")
    TRANSFER = "transfer", _("รับโอนจากหน่วยงานอื่น")
    # Another system through the Open311 GeoReport v2 API (Traffy Fondue, apps, the 1111 centre's systems).
    OPEN311 = "open311", _("Open311 / API")


class Status(models.TextChoices):
    RECEIVED = "received", _("รับเรื่องแล้ว")
    ACKNOWLEDGED = "acknowledged", _("แจ้งรับเรื่องแล้ว")
    IN_PROGRESS = "in_progress", _("กำลังดำเนินการ")
    WAITING = "waiting", _("รอข้อมูลจากผู้ร้อง")
    RESOLVED = "resolved", _("ดำเนินการแล้วเสร็จ")
    CLOSED = "closed", _("ปิดเรื่อง")
    REJECTED = "rejected", _("ไม่รับเรื่อง")
    TRANSFERRED = "transferred", _("ส่งต่อหน่วยงานอื่น")
    MERGED = "merged", _("รวมกับเรื่องซ้ำ")
    TRANSFER_OFFERED = "transfer_offered", _("รอรับโอนจากหน่วยงานอื่น")


OPEN_STATUSES = frozenset({Status.RECEIVED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.WAITING})


class ContactChannel(models.TextChoices):
    """How the complainant allows the officers handling the case to reach them (PDPA: each one an
    explicit choice at filing, withdrawable on the tracking page). The notices the platform sends
    about the case's progress are not these: they go to the contacts given, as the notice says."""

    PHONE = "phone", _("โทรศัพท์ (โทรหรือส่ง SMS)")
    EMAIL = "email", _("อีเมล")
    LINE = "line", _("LINE")


# Each channel's contact on the case (Complaint.complainant_<field>).
CONTACT_FIELDS: dict[str, str] = {ContactChannel.PHONE: "phone", ContactChannel.EMAIL: "email",
                                  ContactChannel.LINE: "line_id"}
