"""Oversight (public schema): officers' scopes, directives to bodies, and roll-ups of the reporting
facts that keep district, provincial and national figures fast at 7,850 bodies.

Nothing here holds a complainant's personal data: the roll-ups are counts, the overdue list and the
conduct queue read the facts (which hold none).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tenants.models import District, LocalBody, Province


class ScopeLevel(models.TextChoices):
    NATION = "nation", _("ระดับประเทศ")
    PROVINCE = "province", _("ท้องถิ่นจังหวัด")
    DISTRICT = "district", _("ท้องถิ่นอำเภอ")


class OversightProfile(models.Model):
    """What a public-schema user oversees: the whole country, one province or one district."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="oversight_profile")
    level = models.CharField(_("ระดับ"), max_length=10, choices=ScopeLevel.choices)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    office_name = models.CharField(_("ชื่อสำนักงาน"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ขอบเขตการกำกับดูแล")
        verbose_name_plural = _("ขอบเขตการกำกับดูแล")
        constraints = [
            models.CheckConstraint(
                name="oversight_profile_scope_matches_level",
                condition=(
                    models.Q(level="nation", province__isnull=True, district__isnull=True)
                    | models.Q(level="province", province__isnull=False, district__isnull=True)
                    | models.Q(level="district", district__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_level_display()})"


class DirectiveMeasure(models.TextChoices):
    """What a directive requires of a body. A directive may require several together; each is
    decided by the platform where it can measure it (an SLA in force that meets the minimum, no
    overdue case left unanswered), the acknowledgement by the body's admin."""

    ACKNOWLEDGEMENT = "ack", _("ตอบรับทราบ")
    SLA_PUBLISHED = "sla_published", _("ประกาศข้อตกลงระดับการให้บริการ (SLA) แล้ว")
    OVERDUE_ANSWERED = "overdue_answered", _("ตอบเรื่องที่เกินกำหนดครบแล้ว")


class Directive(models.Model):
    """หนังสือสั่งการ from a district or provincial office (or the nation) to bodies in its scope."""

    number = models.CharField(_("เลขที่หนังสือ"), max_length=60, blank=True)
    title = models.CharField(pgettext_lazy("letter subject", "เรื่อง"), max_length=300)
    text = models.TextField(_("รายละเอียด"), blank=True)
    requirements = ArrayField(
        models.CharField(max_length=20, choices=DirectiveMeasure.choices), verbose_name=_("สิ่งที่ต้องปฏิบัติ"),
        default=list, help_text=_("หน่วยงานปฏิบัติครบเมื่อทำได้ทุกข้อ"))
    due_date = models.DateField(_("กำหนดเสร็จ"))
    attachment = models.FileField(_("เอกสารแนบ"), upload_to="oversight/directives/%Y/", blank=True)
    remind_days_before = models.PositiveSmallIntegerField(_("เตือนล่วงหน้า (วัน)"), default=3)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The issuing office's scope when issued: who may see the directive afterwards.
    scope_level = models.CharField(max_length=10, choices=ScopeLevel.choices)
    scope_code = models.CharField(max_length=4, blank=True)
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("หนังสือสั่งการ")
        verbose_name_plural = _("หนังสือสั่งการ")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.title

    def requirement_labels(self) -> list[str]:
        labels = dict(DirectiveMeasure.choices)
        return [str(labels.get(r, r)) for r in self.requirements]


class DirectiveTarget(models.Model):
    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="targets")
    body = models.ForeignKey(LocalBody, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(_("ตอบรับเมื่อ"), null=True, blank=True)
    acknowledged_by_name = models.CharField(_("ผู้ตอบรับ"), max_length=200, blank=True)
    # When the body met each measured requirement (the acknowledgement's is acknowledged_at): the
    # moment it happened (the agreement's publication, the last overdue case's answer), not when
    # the platform looked. complied_at is the latest of the required ones, once all are met.
    sla_met_at = models.DateTimeField(_("ประกาศ SLA ตามมาตรฐานเมื่อ"), null=True, blank=True)
    overdue_met_at = models.DateTimeField(_("ตอบเรื่องเกินกำหนดครบเมื่อ"), null=True, blank=True)
    complied_at = models.DateTimeField(_("ปฏิบัติแล้วเมื่อ"), null=True, blank=True)
    compliance_source = models.CharField(max_length=12, blank=True, help_text="auto or ack")
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("หน่วยงานที่ได้รับหนังสือสั่งการ")
        verbose_name_plural = _("หน่วยงานที่ได้รับหนังสือสั่งการ")
        constraints = [models.UniqueConstraint(fields=["directive", "body"], name="directive_target_unique")]
        indexes = [models.Index(fields=["body", "complied_at"], name="directive_target_body")]

    def __str__(self) -> str:
        return f"{self.directive_id}:{self.body_id}"

    def met_at(self, requirement: str) -> dt.datetime | None:
        return {DirectiveMeasure.ACKNOWLEDGEMENT: self.acknowledged_at, DirectiveMeasure.SLA_PUBLISHED: self.sla_met_at,
                DirectiveMeasure.OVERDUE_ANSWERED: self.overdue_met_at}.get(DirectiveMeasure(requirement))


class _RollupMetrics(models.Model):
    """Counts kept by the database trigger (migrations 0002, 0003) from reporting_complaintfact.

    A trigger (not a service call) because every writer of facts must keep these in the same
    transaction, and the complaint service that writes facts belongs to another app: the roll-up
    then can never disagree with the facts, whoever writes them.

    updated_at is deliberately not indexed: every trigger upsert changes it, and an index on it
    would rule out heap-only (HOT) updates, so each complaint write would touch every index of the
    roll-up. "Last changed" reads max(updated_at) over a scope's few hundred rows instead.
    """

    received = models.IntegerField(default=0)
    open = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    breached = models.IntegerField(default=0)
    routed_to_oversight = models.IntegerField(default=0)
    ack_met = models.IntegerField(default=0)
    ack_late = models.IntegerField(default=0)
    route_met = models.IntegerField(default=0)
    route_late = models.IntegerField(default=0)
    reply_met = models.IntegerField(default=0)
    reply_late = models.IntegerField(default=0)
    resolve_met = models.IntegerField(default=0)
    resolve_late = models.IntegerField(default=0)
    resolve_days_sum = models.FloatField(default=0)
    ch_web = models.IntegerField(default=0)
    ch_walk_in = models.IntegerField(default=0)
    ch_phone = models.IntegerField(default=0)
    ch_letter = models.IntegerField(default=0)
    ch_line = models.IntegerField(default=0)
    ch_email = models.IntegerField(default=0)
    ch_1111 = models.IntegerField(default=0)
    ch_transfer = models.IntegerField(default=0)
    st_received = models.IntegerField(default=0)
    st_acknowledged = models.IntegerField(default=0)
    st_in_progress = models.IntegerField(default=0)
    st_waiting = models.IntegerField(default=0)
    st_resolved = models.IntegerField(default=0)
    st_closed = models.IntegerField(default=0)
    st_rejected = models.IntegerField(default=0)
    st_transferred = models.IntegerField(default=0)
    st_merged = models.IntegerField(default=0)
    st_transfer_offered = models.IntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AreaRollup(_RollupMetrics):
    """Per district, month of receipt and national category: province and nation figures sum a few
    hundred thousand rows at most instead of ten million facts."""

    province_code = models.CharField(max_length=2)
    district_code = models.CharField(max_length=4)
    month = models.DateField()
    national_category = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["province_code", "district_code", "month", "national_category"], name="area_rollup_key")]
        indexes = [
            models.Index(fields=["month", "province_code"], name="area_rollup_month"),
            models.Index(fields=["district_code", "month"], name="area_rollup_district"),
        ]

    def __str__(self) -> str:
        return f"{self.district_code} {self.month:%Y-%m} {self.national_category}"


class BodyRollup(_RollupMetrics):
    """Per body and month of receipt: the per-body tables, rankings and body drill-down."""

    body = models.ForeignKey(LocalBody, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    province_code = models.CharField(max_length=2)
    district_code = models.CharField(max_length=4)
    month = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "month"], name="body_rollup_key")]
        indexes = [
            models.Index(fields=["province_code", "month"], name="body_rollup_province"),
            models.Index(fields=["district_code", "month"], name="body_rollup_district"),
        ]

    def __str__(self) -> str:
        return f"{self.body_id} {self.month:%Y-%m}"


class AreaResolveDays(models.Model):
    """How many complaints of a district and month took N whole days to resolve: medians by area
    without reading the facts."""

    province_code = models.CharField(max_length=2)
    district_code = models.CharField(max_length=4)
    month = models.DateField()
    days = models.IntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["province_code", "district_code", "month", "days"], name="area_days_key")]
        indexes = [models.Index(fields=["district_code", "month"], name="area_days_district")]

    def __str__(self) -> str:
        return f"{self.district_code} {self.month:%Y-%m} {self.days}d"


class ProvinceRollup(_RollupMetrics):
    """Per province, month of receipt and national category: national figures (by province,
    category or month) sum about 8,000 rows for a year instead of 100,000 district rows."""

    province_code = models.CharField(max_length=2)
    month = models.DateField()
    national_category = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["province_code", "month", "national_category"], name="province_rollup_key")]
        indexes = [models.Index(fields=["month", "province_code"], name="province_rollup_month")]

    def __str__(self) -> str:
        return f"{self.province_code} {self.month:%Y-%m} {self.national_category}"


class ProvinceResolveDays(models.Model):
    """How many complaints of a province and month took N whole days (0..400) to resolve: national
    and provincial medians read at most 77 x 12 x 401 small rows, not the per-district histogram."""

    province_code = models.CharField(max_length=2)
    month = models.DateField()
    days = models.IntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        # No index holds count (nor updated_at on the roll-ups): the trigger's upserts stay HOT.
        constraints = [models.UniqueConstraint(fields=["province_code", "month", "days"], name="province_days_key")]

    def __str__(self) -> str:
        return f"{self.province_code} {self.month:%Y-%m} {self.days}d"
