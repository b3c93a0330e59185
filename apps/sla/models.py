"""SLA data (public schema): the national framework, each body's published agreement, the
calendars, and one clock row per complaint stage and cycle.

The framework and the agreements are public documents, so they live beside the registry. Stage
clocks sit beside the reporting facts so that one indexed query finds every due-soon and breached
stage across all bodies (the sweep), without looping over schemas.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.categories.models import SlaClass
from tenants.models import LocalBody


class Stage(models.TextChoices):
    ACK = "ack", _("แจ้งรับเรื่อง")
    ROUTE = "route", _("ส่งต่อหน่วยงานที่รับผิดชอบ")
    REPLY = "reply", _("แจ้งผลเบื้องต้น")
    RESOLVE = "resolve", _("ดำเนินการแล้วเสร็จ")
    PROGRESS = "progress", _("รายงานความคืบหน้า")
    CLOSURE = "closure", _("แจ้งผลการดำเนินการ/ปิดเรื่อง")


class DayType(models.TextChoices):
    WORKING = "working", _("วันทำการ")
    CALENDAR = "calendar", _("วัน")


class Framework(models.Model):
    """A version of the national minimum standard (กรอบข้อตกลงระดับการให้บริการ)."""

    name = models.CharField(_("ชื่อ"), max_length=200)
    effective_from = models.DateField(_("มีผลตั้งแต่"))
    is_default = models.BooleanField(
        _("ค่าเริ่มต้น (รอตัวเลขทางการ)"), default=False,
        help_text=_("ค่าตั้งต้นของระบบ ใช้จนกว่าจะนำเข้าตัวเลขจากเอกสารทางการ"),
    )
    note = models.TextField(_("หมายเหตุ"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("กรอบข้อตกลงระดับการให้บริการ (ระดับประเทศ)")
        verbose_name_plural = _("กรอบข้อตกลงระดับการให้บริการ (ระดับประเทศ)")
        ordering = ["-effective_from", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from:%Y-%m-%d})"


class FrameworkRow(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="rows")
    sla_class = models.CharField(_("ประเภทเรื่อง"), max_length=12, choices=SlaClass.choices)
    stage = models.CharField(_("ขั้นตอน"), max_length=10, choices=Stage.choices)
    days = models.PositiveSmallIntegerField(_("ระยะเวลาสูงสุด"))
    day_type = models.CharField(_("นับเป็น"), max_length=10, choices=DayType.choices)

    class Meta:
        verbose_name = _("เกณฑ์ระดับประเทศ")
        verbose_name_plural = _("เกณฑ์ระดับประเทศ")
        constraints = [models.UniqueConstraint(fields=["framework", "sla_class", "stage"],
                                               name="sla_framework_row_unique")]

    def __str__(self) -> str:
        return f"{self.sla_class}/{self.stage}: {self.days} {self.day_type}"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("ร่าง")
    PUBLISHED = "published", _("ประกาศแล้ว")
    SUPERSEDED = "superseded", _("ถูกแทนที่แล้ว")


class Agreement(models.Model):
    """A body's own SLA (ข้อตกลงระดับการให้บริการ). Published versions are never edited or deleted."""

    body = models.ForeignKey(LocalBody, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("สถานะ"), max_length=12, choices=AgreementStatus.choices,
                              default=AgreementStatus.DRAFT)
    number = models.CharField(_("เลขที่ประกาศ"), max_length=40, blank=True)
    title = models.CharField(pgettext_lazy("letter subject", "เรื่อง"), max_length=300, blank=True)
    effective_from = models.DateField(_("มีผลตั้งแต่"), null=True, blank=True)
    announced_on = models.DateField(_("ประกาศ ณ วันที่"), null=True, blank=True)
    signatory_name = models.CharField(_("ผู้ลงนาม"), max_length=200, blank=True)
    signatory_position = models.CharField(_("ตำแหน่งผู้ลงนาม"), max_length=200, blank=True)
    # The announcement as signed and scanned (PDF or image), published beside the generated one.
    signed_copy = models.FileField(_("ประกาศฉบับลงนาม"), upload_to="sla/signed/", blank=True, max_length=200)
    # The framework it was checked against at publication.
    framework = models.ForeignKey(Framework, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ข้อตกลงระดับการให้บริการของหน่วยงาน")
        verbose_name_plural = _("ข้อตกลงระดับการให้บริการของหน่วยงาน")
        ordering = ["body_id", "-effective_from", "-id"]
        indexes = [models.Index(fields=["body", "status", "effective_from"], name="sla_agreement_in_force")]

    def __str__(self) -> str:
        return f"{self.body_id} {self.number or self.pk} ({self.status})"


class AgreementRow(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="rows")
    sla_class = models.CharField(_("ประเภทเรื่อง"), max_length=12, choices=SlaClass.choices)
    stage = models.CharField(_("ขั้นตอน"), max_length=10, choices=Stage.choices)
    days = models.PositiveSmallIntegerField(_("ระยะเวลา"))
    day_type = models.CharField(_("นับเป็น"), max_length=10, choices=DayType.choices)

    class Meta:
        verbose_name = _("ระยะเวลาตามข้อตกลง")
        verbose_name_plural = _("ระยะเวลาตามข้อตกลง")
        constraints = [models.UniqueConstraint(fields=["agreement", "sla_class", "stage"],
                                               name="sla_agreement_row_unique")]

    def __str__(self) -> str:
        return f"{self.sla_class}/{self.stage}: {self.days} {self.day_type}"


class NationalDayOff(models.Model):
    """An extra day off announced by the cabinet (วันหยุดราชการเพิ่มเป็นกรณีพิเศษ)."""

    date = models.DateField(_("วันที่"), unique=True)
    name = models.CharField(_("ชื่อวันหยุด"), max_length=200)
    reference = models.CharField(_("อ้างอิงมติคณะรัฐมนตรี"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("วันหยุดราชการเพิ่มเติม (มติ ครม.)")
        verbose_name_plural = _("วันหยุดราชการเพิ่มเติม (มติ ครม.)")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class BodyClosure(models.Model):
    """A day a body's office is closed (local festival, flood, relocation)."""

    body = models.ForeignKey(LocalBody, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("วันที่"))
    reason = models.CharField(_("เหตุผล"), max_length=200)

    class Meta:
        verbose_name = _("วันปิดทำการของหน่วยงาน")
        verbose_name_plural = _("วันปิดทำการของหน่วยงาน")
        ordering = ["body_id", "date"]
        constraints = [models.UniqueConstraint(fields=["body", "date"], name="sla_body_closure_unique")]

    def __str__(self) -> str:
        return f"{self.body_id} {self.date} {self.reason}"


WEEKDAYS_DEFAULT = "12345"  # ISO weekday numbers: 1 is Monday


class BodyOfficeHours(models.Model):
    """A body's office hours and working days (some open a Saturday service point), in which the
    SLA calendar counts working time. No row: 08:30–16:30, Monday to Friday (settings.SLA_OFFICE_HOURS).
    Public schema: office hours are public information, and the sweep reads every body's at once."""

    body = models.OneToOneField(LocalBody, on_delete=models.CASCADE, primary_key=True, related_name="+")
    opens_at = models.TimeField(_("เวลาเปิดทำการ"))
    closes_at = models.TimeField(_("เวลาปิดทำการ"))
    weekdays = models.CharField(_("วันทำการ"), max_length=7, default=WEEKDAYS_DEFAULT,
                                help_text="ISO weekday numbers, 1 = Monday … 7 = Sunday")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("เวลาทำการของหน่วยงาน")
        verbose_name_plural = _("เวลาทำการของหน่วยงาน")
        constraints = [models.CheckConstraint(condition=models.Q(opens_at__lt=models.F("closes_at")),
                                              name="sla_office_hours_order")]

    def __str__(self) -> str:
        return f"{self.body_id} {self.opens_at:%H:%M}–{self.closes_at:%H:%M} {self.weekdays}"


class StageClock(models.Model):
    """One stage of one complaint in one cycle (progress reports: one row per period, `seq`).

    `next_action_at` is the earliest of the actions still owed (warning at 75%, escalation at the
    due time, district escalation N working days later); NULL once the stage is done or nothing
    is owed. The sweep's whole scan is one range read of the partial index on it.
    """

    fact = models.ForeignKey("reporting.ComplaintFact", on_delete=models.CASCADE, related_name="+",
                             db_index=False)
    # Denormalised from the fact so the sweep needs no join to know the schema and the class.
    body = models.ForeignKey(LocalBody, on_delete=models.CASCADE, related_name="+", db_index=False)
    complaint_id = models.BigIntegerField()
    sla_class = models.CharField(max_length=12)
    stage = models.CharField(max_length=10, choices=Stage.choices)
    cycle = models.PositiveSmallIntegerField(default=0)
    seq = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    warn_at = models.DateTimeField(null=True, blank=True)
    district_due_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    met = models.BooleanField(null=True, blank=True)
    paused = models.BooleanField(default=False)
    warned_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    district_escalated_at = models.DateTimeField(null=True, blank=True)
    next_action_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("นาฬิกาขั้นตอน")
        verbose_name_plural = _("นาฬิกาขั้นตอน")
        constraints = [models.UniqueConstraint(fields=["fact", "stage", "cycle", "seq"],
                                               name="sla_stageclock_unique")]
        indexes = [
            models.Index(fields=["next_action_at"], name="sla_stageclock_sweep",
                         condition=models.Q(next_action_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.fact_id} {self.stage} c{self.cycle}.{self.seq}"
