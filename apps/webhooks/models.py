"""A body's webhook endpoints (the body's schema): where its case events are sent, signed.

The deliveries themselves are rows of the body's one outbox (apps.complaints.models.Notification,
channel `webhook`): written in the case's transaction, claimed, retried with backoff and never
dropped, like every message the body sends. So an endpoint costs one table (5 relations per body),
and its delivery log is the outbox's rows for it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WebhookEvent(models.TextChoices):
    CREATED = "case.created", _("รับเรื่องใหม่")
    STATUS = "case.status_changed", _("เปลี่ยนสถานะ")
    ASSIGNED = "case.assigned", _("มอบหมายงาน")
    REPLIED = "case.replied", _("ตอบผู้ร้อง")
    NOTE = "case.note_added", _("บันทึกภายใน")
    TRANSFERRED = "case.transferred", _("ส่งต่อเรื่อง")
    TRANSFER_OFFERED = "case.transfer_offered", _("มีหน่วยงานอื่นส่งต่อเรื่องมาให้")
    TRANSFER_ACCEPTED = "case.transfer_accepted", _("รับโอนเรื่องแล้ว")
    TRANSFER_RETURNED = "case.transfer_returned", _("ส่งคืนเรื่องที่ได้รับโอน")
    MERGED = "case.merged", _("รวมเรื่องซ้ำ")
    RATED = "case.rated", _("ผู้ร้องประเมินความพึงพอใจ")
    DEADLINE_WARNING = "case.deadline_warning", _("ใกล้ครบกำหนดตามข้อตกลง")
    DEADLINE_BREACHED = "case.deadline_breached", _("เกินกำหนดตามข้อตกลง")


class WebhookEndpoint(models.Model):
    name = models.CharField(_("ชื่อปลายทาง"), max_length=120)
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("เหตุการณ์"), default=list)
    # The signing secret, encrypted at rest (apps.ui.secrets); shown once when created.
    secret_encrypted = models.TextField()
    # Scope: the complainant's identity and the case's description and place are sent only to an
    # endpoint granted this, and each such delivery is recorded as an identity access.
    personal_data = models.BooleanField(_("ส่งข้อมูลส่วนบุคคลของผู้ร้อง"), default=False)
    is_active = models.BooleanField(_("ใช้งาน"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", db_index=False)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ปลายทาง webhook")
        verbose_name_plural = _("ปลายทาง webhook")

    def __str__(self) -> str:
        return self.name
