"""The audit log: one table, the same shape in the public schema (the platform's log: bodies, API
keys, directives, the national framework and days off, oversight and national accounts) and in
every body's schema (that body's log: staff and roles, departments, categories, calendar, SLA
drafts and publication, profile, retention, data-subject requests, sign-ins).

A body's relation budget is ≤ 150 (README, "Architecture"): this table costs five relations per
body (table, primary key, sequence, TOAST table and its index) and deliberately no other index;
the staff page reads newest first along the primary key.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.audit.kinds import kind_label


class AuditEntry(models.Model):
    created_at = models.DateTimeField(_("เวลา"))
    kind = models.CharField(_("ประเภท"), max_length=40)
    # The user in the same schema as the entry; the label keeps who it was if the account goes.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", db_index=False, verbose_name=_("ผู้ดำเนินการ"))
    actor_label = models.CharField(_("ผู้ดำเนินการ"), max_length=150, blank=True)
    target_type = models.CharField(_("ประเภทข้อมูล"), max_length=60, blank=True)
    target_id = models.CharField(_("รหัสข้อมูล"), max_length=40, blank=True)
    target_label = models.CharField(_("ข้อมูล"), max_length=200, blank=True)
    # {"before": {field: value}, "after": {field: value}} of the changed fields, or an event's details.
    changes = models.JSONField(_("การเปลี่ยนแปลง"), default=dict, blank=True)

    class Meta:
        verbose_name = _("บันทึกการเปลี่ยนแปลง")
        verbose_name_plural = _("บันทึกการเปลี่ยนแปลง")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.kind} {self.target_label}"

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)
