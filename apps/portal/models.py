"""The portal's public-schema data: each body's public profile, and intake rate-limit counters.

Both live in the public schema: a profile is public information about the body, and the
throttle holds only keyed hashes of IP addresses and phone numbers, never the values.
"""

from __future__ import annotations

from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import LocalBody


def logo_path(instance: BodyProfile, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"bodies/{instance.body.schema_name}/logo.{extension}"


class BodyProfile(models.Model):
    """What a body's admin shows on its portal: emblem, contacts, and portal settings."""

    body = models.OneToOneField(LocalBody, on_delete=models.CASCADE, related_name="profile", primary_key=True)
    logo = models.ImageField(
        _("ตราสัญลักษณ์"), upload_to=logo_path, blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"])],
    )
    phone = models.CharField(_("โทรศัพท์"), max_length=40, blank=True)
    email = models.EmailField(_("อีเมล"), blank=True)
    line_id = models.CharField(_("LINE Official Account"), max_length=64, blank=True)
    office_hours = models.CharField(_("เวลาทำการ"), max_length=120, blank=True)
    reopen_window_days = models.PositiveSmallIntegerField(
        _("ขอเปิดเรื่องใหม่ได้ภายใน (วัน)"), default=30,
        validators=[MinValueValidator(0), MaxValueValidator(365)],
        help_text=_("จำนวนวันหลังปิดเรื่องที่ผู้ร้องขอให้พิจารณาใหม่ได้"),
    )
    tile_url = models.CharField(
        _("แผนที่พื้นหลัง (tile server URL)"), max_length=300, blank=True,
        help_text=_("เช่น https://tiles.example/{z}/{x}/{y}.png เว้นว่างเพื่อใช้ค่าของระบบ"),
    )
    # PDPA: years after closure that a case keeps the complainant's identity; NULL: the national
    # default (settings.PDPA_RETENTION_YEARS).
    retention_years = models.PositiveSmallIntegerField(
        _("เก็บข้อมูลระบุตัวผู้ร้องหลังปิดเรื่อง (ปี)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("เว้นว่างเพื่อใช้ค่ากลางของประเทศ"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ข้อมูลหน่วยงานบนหน้าเว็บ")
        verbose_name_plural = _("ข้อมูลหน่วยงานบนหน้าเว็บ")

    def __str__(self) -> str:
        return str(self.body)


class IntakeThrottle(models.Model):
    """Counts of complaints filed per key (a keyed hash of an IP or a phone number) per window.

    A table rather than the process-local cache: every web worker must see the same counts."""

    key = models.CharField(max_length=80)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="intake_throttle_key_window"),
        ]
        indexes = [models.Index(fields=["window_start"], name="intake_throttle_window")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
