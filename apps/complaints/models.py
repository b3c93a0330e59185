"""A body's complaints (tenant schema): everything here may hold personal data and never leaves
the body's schema. Every table is multiplied by ~7,850 bodies: add indexes only where a query
needs them (README, "Architecture": at most 150 relations per body)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.complaints.status import Channel, ContactChannel, Status
from apps.ui.thai import localised_name
from tenants.db import current_schema


class Department(models.Model):
    code = models.SlugField(_("รหัส"), max_length=40, db_index=False)
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=120)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=120, blank=True)
    is_active = models.BooleanField(_("ใช้งาน"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("กอง/สำนัก")
        verbose_name_plural = _("กอง/สำนัก")
        ordering = ["position", "name_th"]

    def __str__(self) -> str:
        return localised_name(self)


class Category(models.Model):
    """The body's own category, mapped onto the national taxonomy, with its default department."""

    # No database constraint on references from a body's schema to the public schema: each would
    # add triggers to the public table, one pair per body (7,850), which every write to that
    # table and every provisioning would pay for. National categories and bodies are never
    # deleted (they are deactivated or archived), and the service checks the values it writes.
    national_category = models.ForeignKey("categories.NationalCategory", on_delete=models.PROTECT,
                                          related_name="+", db_index=False, db_constraint=False)
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=120)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=120, blank=True)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="categories", db_index=False)
    is_active = models.BooleanField(_("ใช้งาน"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("หมวดเรื่อง")
        verbose_name_plural = _("หมวดเรื่อง")
        ordering = ["position", "name_th"]

    def __str__(self) -> str:
        return localised_name(self)


class Role(models.TextChoices):
    ADMIN = "admin", _("ผู้ดูแลระบบของหน่วยงาน")
    EXECUTIVE = "executive", _("ผู้บริหาร (นายก/ปลัด)")
    OFFICER = "officer", _("เจ้าหน้าที่กอง/สำนัก")
    CLERK = "clerk", _("เจ้าหน้าที่รับเรื่อง")


class StaffMember(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(_("บทบาท"), max_length=12, choices=Role.choices)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="staff", db_index=False)

    class Meta:
        verbose_name = _("เจ้าหน้าที่")
        verbose_name_plural = _("เจ้าหน้าที่")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


def public_id_new() -> str:
    """A case's id on the public report pages: random (64 bits), so neither the tracking code
    (the citizen's key) nor the number of cases can be read from it or guessed."""
    return secrets.token_hex(8)


class Complaint(models.Model):
    tracking_code = models.CharField(_("เลขติดตามเรื่อง"), max_length=12)
    # Codes the case was followed by before: a merge of bodies gives a case whose code the receiving
    # body already used a new one, and the citizen's old code still finds it (selectors).
    former_codes = ArrayField(models.CharField(max_length=12), default=list, blank=True)
    # Second factor for citizen look-ups: the phone's last 4 digits, or a PIN given at intake.
    phone_last4 = models.CharField(max_length=4, blank=True)
    pin_hash = models.CharField(max_length=128, blank=True)
    # A case filed on the web, by phone or at the counter can be followed in the body's LINE chat: the
    # receipt shows a one-time link code (apps.complaints.linking), kept here only as a keyed hash.
    line_link_hash = models.CharField(max_length=64, blank=True, default="")

    channel = models.CharField(_("ช่องทาง"), max_length=12, choices=Channel.choices)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+", db_index=False)
    national_category = models.CharField(max_length=40)
    sla_class = models.CharField(max_length=12)
    description = models.TextField(_("รายละเอียด"))

    subdistrict_code = models.CharField(_("ตำบล"), max_length=6, blank=True)
    moo = models.CharField(_("หมู่ที่"), max_length=20, blank=True)
    location_text = models.CharField(_("สถานที่เกิดเหตุ"), max_length=300, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    is_anonymous = models.BooleanField(_("ไม่ประสงค์ออกนาม"), default=False)
    complainant_name = models.CharField(_("ชื่อผู้ร้อง"), max_length=200, blank=True)
    complainant_phone = models.CharField(_("โทรศัพท์"), max_length=20, blank=True)
    complainant_email = models.EmailField(_("อีเมล"), blank=True)
    complainant_national_id = models.CharField(_("เลขประจำตัวประชาชน"), max_length=13, blank=True)
    complainant_address = models.CharField(_("ที่อยู่ผู้ร้อง"), max_length=300, blank=True)
    complainant_line_id = models.CharField(max_length=64, blank=True)
    contact_allowed = ArrayField(models.CharField(max_length=8, choices=ContactChannel.choices), default=list,
                                 blank=True)  # whom the handling officers may reach how (policies.can_contact)
    # What the citizen reads (receipts, SMS, e-mail, LINE, the public timeline) is in this language,
    # never in the language of the officer who acted: Thai unless the citizen chose English.
    complainant_language = models.CharField(_("ภาษาของผู้ร้อง"), max_length=5, default="th", choices=settings.LANGUAGES)
    is_confidential = models.BooleanField(_("ปกปิดข้อมูลผู้ร้อง"), default=False)
    privacy_notice_version = models.CharField(max_length=20, blank=True)
    privacy_notice_shown_at = models.DateTimeField(null=True, blank=True)
    # PDPA: when the complainant's identity and contact data were removed (retention or erasure).
    anonymised_at = models.DateTimeField(_("ลบข้อมูลระบุตัวผู้ร้องเมื่อ"), null=True, blank=True)

    status = models.CharField(_("สถานะ"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", db_index=False)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", db_index=False)
    # Conduct/corruption: handled by the district office; no body role sees the case.
    routed_to_oversight = models.BooleanField(default=False)
    # About the district office's own people: the provincial office handles it instead.
    about_district_office = models.BooleanField(default=False)

    received_at = models.DateTimeField(_("วันที่รับเรื่อง"))
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    routed_at = models.DateTimeField(null=True, blank=True)
    first_reply_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    cycle_started_at = models.DateTimeField()
    reopen_count = models.PositiveSmallIntegerField(default=0)
    resolution = models.TextField(_("ผลการดำเนินการ"), blank=True)
    reject_reason = models.TextField(_("เหตุผลที่ไม่รับเรื่อง"), blank=True)

    # Transfers (ส่งต่อ): to another body on the platform, or to an outside agency.
    # Public-schema references carry no database constraint (see Category.national_category).
    transferred_to_body = models.ForeignKey("tenants.LocalBody", null=True, blank=True, on_delete=models.PROTECT,
                                            related_name="+", db_index=False, db_constraint=False)
    transferred_to_agency = models.CharField(max_length=120, blank=True)
    transfer_origin_body = models.ForeignKey("tenants.LocalBody", null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+", db_index=False,
                                             db_constraint=False)
    transfer_origin_complaint_id = models.BigIntegerField(null=True, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="merged", db_index=False)

    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.TextField(blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    # The SLA in force at receipt (agreement or framework), snapshotted: later edits never move it.
    sla_snapshot = models.JSONField(default=dict, blank=True)
    # The intake's Idempotency-Key, scoped by sender (apps.complaints.idempotency); empty for most.
    idempotency_key = models.CharField(max_length=100, blank=True, default="")
    # The case's id in the system it came from (Traffy Fondue, a provincial app), given through
    # Open311 or the staff API: unique per source, copied to the fact, searchable.
    external_source = models.CharField(_("ระบบต้นทาง"), max_length=40, blank=True, default="")
    external_id = models.CharField(_("เลขอ้างอิงของระบบต้นทาง"), max_length=80, blank=True, default="")
    public_id = models.CharField(max_length=16, unique=True, default=public_id_new, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("เรื่องร้องทุกข์")
        verbose_name_plural = _("เรื่องร้องทุกข์")
        constraints = [
            models.UniqueConstraint(fields=["tracking_code"], name="complaint_tracking_code_unique"),
            # Partial: only the few cases that came with a key are in it.
            models.UniqueConstraint(fields=["idempotency_key"], name="complaint_idempotency_key_unique",
                                    condition=~models.Q(idempotency_key="")),
            models.UniqueConstraint(fields=["external_source", "external_id"], name="complaint_external_ref_unique",
                                    condition=~models.Q(external_id="")),
            # Partial: only cases with a link code not yet used are in it.
            models.UniqueConstraint(fields=["line_link_hash"], name="complaint_line_link_unique",
                                    condition=~models.Q(line_link_hash="")),
        ]
        indexes = [
            # The inbox's newest-first order (scanned backwards) and its keyset of (received_at, id).
            models.Index(fields=["received_at", "id"], name="complaint_received"),
            models.Index(fields=["status", "received_at"], name="complaint_status_received"),
            models.Index(fields=["department", "status"], name="complaint_department_status"),
            GinIndex(fields=["former_codes"], name="complaint_former_codes"),
        ]

    def __str__(self) -> str:
        return self.tracking_code


class EventKind(models.TextChoices):
    CREATED = "created", _("รับเรื่อง")
    STATUS = "status", _("เปลี่ยนสถานะ")
    REPLY = "reply", _("ตอบผู้ร้อง")
    NOTE = "note", _("บันทึกภายใน")
    ASSIGN = "assign", _("มอบหมาย")
    TRANSFER = "transfer", _("ส่งต่อ")
    MERGE = "merge", _("รวมเรื่องซ้ำ")
    ATTACHMENT = "attachment", _("แนบไฟล์")
    RATING = "rating", _("ประเมินความพึงพอใจ")
    SLA_WARNING = "sla_warning", _("เตือนใกล้ครบกำหนด")
    SLA_ESCALATION = "sla_escalation", _("เกินกำหนด แจ้งผู้บริหาร")
    NOTIFICATION = "notification", _("แจ้งผู้ร้อง")
    BODY_NOTICE = "body_notice", _("แจ้งหน่วยงานที่ถูกร้องเรียน")
    CONSENT = "consent", _("ผู้ร้องถอนความยินยอมให้ติดต่อ")


class ComplaintEvent(models.Model):
    """The case timeline: every change, reply and note. The SLA clock is rebuilt from it."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", db_index=False)
    actor_label = models.CharField(max_length=120, blank=True, help_text="citizen, system, another body")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    text = models.TextField(blank=True)
    is_public = models.BooleanField(default=False)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def to_status_label(self) -> str:
        """The status a change moved to, by its label (the page's language), never its code; "" for a
        new case's "received", which only repeats the event's own name."""
        if not self.to_status or (self.kind == EventKind.CREATED and self.to_status == Status.RECEIVED):
            return ""
        return str(Status(self.to_status).label) if self.to_status in Status.values else self.to_status


def attachment_path(instance: Attachment, filename: str) -> str:
    # Each body's files under its own prefix; the stored name is random, never the citizen's.
    return f"bodies/{current_schema()}/complaints/{instance.complaint_id}/{filename}"


class Attachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(ComplaintEvent, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="attachments", db_index=False)
    file = models.FileField(upload_to=attachment_path, max_length=300)
    # A photo's small JPEG beside it (apps.complaints.attachments.THUMBNAIL_SIDE), shown on the
    # pages in place of the photo; empty for a document, and for a photo stored before
    # thumbnails until `rongthuk thumbnails` makes it (the pages show the photo meanwhile).
    thumbnail = models.FileField(upload_to=attachment_path, max_length=300, blank=True)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    original_name = models.CharField(max_length=200, blank=True)
    is_public = models.BooleanField(default=False, help_text="shown to the citizen on the tracking page")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name or self.file.name or ""


class IdentityAccess(models.Model):
    """PDPA: every view of a complainant's identity, readable by the body's admin (and, for a
    conduct or corruption case, by the office handling it, never by the body)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    # A body's staff member; empty when an oversight officer (a public-schema user) looked.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", db_index=False)
    office_user_id = models.BigIntegerField(null=True, blank=True, help_text="the officer's public-schema id")
    actor_label = models.CharField(max_length=120, blank=True, help_text="the officer's name and office")
    context = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        who = self.user_id if self.user_id is not None else f"office user {self.office_user_id}"
        return f"{who} viewed {self.complaint_id} ({self.context})"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("รอส่ง")
    SENDING = "sending", _("กำลังส่ง")
    SENT = "sent", _("ส่งแล้ว")
    FAILED = "failed", _("ส่งไม่สำเร็จ")


class DeliveryStatus(models.TextChoices):
    ACCEPTED = "accepted", _("ผู้ให้บริการรับแล้ว")
    DELIVERED = "delivered", _("ถึงผู้รับแล้ว")
    UNDELIVERED = "undelivered", _("ส่งไม่ถึงผู้รับ")
    EXPIRED = "expired", _("หมดเวลาส่ง")
    REJECTED = "rejected", _("ผู้ให้บริการปฏิเสธ")


class Notification(models.Model):
    """Outbox: written in the case's transaction, delivered by Celery with retries."""

    complaint = models.ForeignKey(Complaint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  db_index=False)
    channel = models.CharField(max_length=10)  # email, sms, line
    recipient = models.CharField(max_length=200)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # The provider that took it (apps.complaints.providers), its own id for the message, and what
    # its delivery report said last: the staff's notification log shows these.
    provider = models.CharField(max_length=20, blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True)
    delivery_status = models.CharField(max_length=12, choices=DeliveryStatus.choices, blank=True)
    delivery_detail = models.CharField(max_length=200, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # Class A (danger to life or property) goes out at night too; everything else waits for the
    # morning (quiet hours, apps.complaints.quiet).
    urgent = models.BooleanField(default=False)
    language = models.CharField(max_length=5, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["next_attempt_at"], name="notification_pending", condition=models.Q(status="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.channel} to complaint {self.complaint_id} ({self.status})"

    @property
    def channel_label(self) -> str:
        labels = {"email": _("อีเมล"), "sms": _("ข้อความ SMS"), "line": "LINE", "line_menu": _("เมนู LINE")}
        return str(labels.get(self.channel, self.channel))

class NotificationSettings(models.Model):
    """The body's own choices for its citizens' notifications (one row; none: the national
    settings). A provider named here must be one the platform configured (settings
    NOTIFICATION_PROVIDERS); quiet hours are local time, start and end in whole hours."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sms_provider = models.CharField(_("ผู้ให้บริการ SMS"), max_length=20, blank=True)
    email_provider = models.CharField(_("ผู้ให้บริการอีเมล"), max_length=20, blank=True)
    quiet_start = models.PositiveSmallIntegerField(_("งดส่งข้อความตั้งแต่ (นาฬิกา)"), null=True, blank=True)
    quiet_end = models.PositiveSmallIntegerField(_("ส่งข้อความได้อีกครั้งเมื่อ (นาฬิกา)"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("การแจ้งผู้ร้อง")
        verbose_name_plural = _("การแจ้งผู้ร้อง")

    def __str__(self) -> str:
        return "notification settings"


class PhoneCode(models.Model):
    """A one-time code sent by SMS so a citizen can see all their cases by phone number
    (apps.complaints.phone_access): keyed hashes of the number and the code, no number in clear.
    Fixed-width columns only: two relations per body (no TOAST table)."""

    phone_key = models.CharField(max_length=64, primary_key=True)
    code_hash = models.CharField(max_length=64)
    tries = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"phone code …{self.phone_key[:6]}"


class CaseFollower(models.Model):
    """A citizen who follows a public report instead of filing the same case again: one contact
    given with consent, told of the case's status changes in their language until they stop (the
    link in every message) or the case ends. Keyed by that stop key (a random capability, like the
    tracking code); fixed-width columns (no TOAST table): three relations per body."""

    stop_key = models.CharField(max_length=43, primary_key=True)
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=10)  # sms, email
    address = models.CharField(max_length=200)
    language = models.CharField(max_length=5, default="th")
    # The portal's address the citizen followed from (the links in the messages).
    site = models.CharField(max_length=120)
    privacy_notice_version = models.CharField(max_length=20, blank=True)
    consented_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"follower of #{self.complaint_id} by {self.channel}"
