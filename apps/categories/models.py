"""The national complaint taxonomy (public schema). Each body maps its own subcategories onto it
(apps.complaints.Category); oversight and national figures count by these codes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.ui.thai import localised_name


class SlaClass(models.TextChoices):
    URGENT = "A", _("ก เร่งด่วน (อันตรายต่อชีวิต/ทรัพย์สิน)")
    GENERAL = "B", _("ข บริการทั่วไป")
    COORDINATION = "C", _("ค ต้องประสานหลายหน่วย")
    COMPLEX = "D", _("ง ซับซ้อน/ต้องใช้งบประมาณ")
    CONDUCT = "conduct", _("พฤติกรรมเจ้าหน้าที่")
    CORRUPTION = "corruption", _("ทุจริตและประพฤติมิชอบ")


# Complaints of these classes go to the district office's queue, identity withheld from the body.
OVERSIGHT_CLASSES = frozenset({SlaClass.CONDUCT, SlaClass.CORRUPTION})


class NationalCategory(models.Model):
    code = models.SlugField(_("รหัส"), max_length=40, primary_key=True)
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=120)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=120)
    sla_class = models.CharField(_("ประเภทตามข้อตกลง"), max_length=12, choices=SlaClass.choices)
    icon = models.CharField(_("ไอคอน"), max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("หมวดเรื่องร้องทุกข์ระดับประเทศ")
        verbose_name_plural = _("หมวดเรื่องร้องทุกข์ระดับประเทศ")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return localised_name(self)

    @property
    def goes_to_oversight(self) -> bool:
        return self.sla_class in OVERSIGHT_CLASSES
