"""Onboarding (public schema): invitations of a body's first administrator, the setup facts the
adoption view reads, and the reminders oversight offices send.

An invitation is data about the body: the name, position, official e-mail and mobile of the
official who will administer it, not a citizen's. The token is kept only as its SHA-256; the
account it creates lives in the body's own schema. Nothing here is copied out of a body's schema
except the few yes/no facts of its first-run checklist (`BodySetup`), so oversight pages never
read a body's schema.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import LocalBody


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("รอรับคำเชิญ")
    CLAIMED = "claimed", _("รับคำเชิญแล้ว")
    REVOKED = "revoked", _("ยกเลิกแล้ว")
    EXPIRED = "expired", _("หมดอายุ")


class InvitationBatch(models.Model):
    """One spreadsheet upload and its per-row report. The same file uploaded again makes a new
    batch whose rows already done are reported as skipped."""

    file_name = models.CharField(_("ไฟล์"), max_length=200)
    file_sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scope_level = models.CharField(max_length=10)
    scope_code = models.CharField(max_length=4, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # [{"line": 2, "dla_code": "...", "outcome": "invited|skipped|refused", "message": "..."}]
    report = models.JSONField(default=list)

    class Meta:
        verbose_name = _("การเชิญจากไฟล์")
        verbose_name_plural = _("การเชิญจากไฟล์")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name


class Invitation(models.Model):
    body = models.ForeignKey(LocalBody, on_delete=models.PROTECT, related_name="+")
    full_name = models.CharField(_("ชื่อ-นามสกุล"), max_length=200)
    position = models.CharField(_("ตำแหน่ง"), max_length=200)
    email = models.EmailField(_("อีเมลทางราชการ"))
    mobile = models.CharField(_("โทรศัพท์มือถือ"), max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(_("สถานะ"), max_length=10, choices=InvitationStatus.choices,
                              default=InvitationStatus.PENDING)
    expires_at = models.DateTimeField(_("หมดอายุ"))
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    invited_by_label = models.CharField(max_length=200, blank=True)
    batch = models.ForeignKey(InvitationBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    # The e-mail in the body's outbox (a row of the body's schema).
    notification_id = models.BigIntegerField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_username = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = _("คำเชิญผู้ดูแลระบบของหน่วยงาน")
        verbose_name_plural = _("คำเชิญผู้ดูแลระบบของหน่วยงาน")
        ordering = ["-created_at"]
        constraints = [
            # One live invitation per body, and a body is claimed once: enforced by the database,
            # so two offices inviting at once, or two tabs claiming at once, cannot both win.
            models.UniqueConstraint(fields=["body"], condition=models.Q(status__in=["pending", "claimed"]),
                                    name="invitation_one_live_per_body"),
        ]

    def __str__(self) -> str:
        return f"{self.body_id}: {self.email}"

    @property
    def is_expired(self) -> bool:
        return self.status == InvitationStatus.EXPIRED or (
            self.status == InvitationStatus.PENDING and self.expires_at <= timezone.now())

    @property
    def shown_status(self) -> str:
        if self.status == InvitationStatus.PENDING and self.is_expired:
            return InvitationStatus.EXPIRED
        return self.status


class BodySetup(models.Model):
    """What a body's first-run checklist found in the body's schema, copied here so the adoption
    view reads public tables only. Refreshed when the body's admin opens the checklist, at claim,
    and by the periodic job (`onboarding.setup_refresh`) for bodies not yet configured."""

    body = models.OneToOneField(LocalBody, on_delete=models.CASCADE, primary_key=True, related_name="+")
    departments = models.BooleanField(default=False)
    categories = models.BooleanField(default=False)
    staff = models.BooleanField(default=False)
    line = models.BooleanField(default=False)
    admins = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ความพร้อมของหน่วยงาน")
        verbose_name_plural = _("ความพร้อมของหน่วยงาน")

    def __str__(self) -> str:
        return str(self.body_id)


class ReminderTopic(models.TextChoices):
    INVITED = "invited", _("ยังไม่ได้รับเชิญ")
    CLAIMED = "claimed", _("ยังไม่รับคำเชิญ")
    CONFIGURED = "configured", _("ยังตั้งค่าไม่ครบ")
    SLA = "sla", _("ยังไม่ประกาศ SLA ที่ไม่ต่ำกว่ามาตรฐานกลาง")
    ACTIVE = "active", _("ไม่มีเรื่องร้องทุกข์ใน 30 วัน")


class SetupReminder(models.Model):
    """An oversight office's reminder to a body: shown on the body's staff pages, e-mailed to the
    body's invited administrator through the body's outbox."""

    body = models.ForeignKey(LocalBody, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(max_length=12, choices=ReminderTopic.choices)
    office_name = models.CharField(max_length=200)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_to = models.EmailField(blank=True)
    # When the e-mail was written to the body's outbox (by the task or the periodic job).
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("การเตือนหน่วยงาน")
        verbose_name_plural = _("การเตือนหน่วยงาน")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["body", "created_at"], name="reminder_body")]

    def __str__(self) -> str:
        return f"{self.body_id}: {self.topic}"
