"""Reporting facts (public schema): one row per complaint, with no personal data.

The complaint service writes a complaint's fact in the same database transaction as the case
change (every schema is in one database), so oversight and national figures can never disagree
with the cases. District, provincial and national queries read only this table (and the SLA
stage clocks beside it); they never loop over the bodies' schemas.

Never add a column that could identify a complainant: names, phone numbers, national ids,
addresses, descriptions, notes. tests/apps/reporting scans the table for such data.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from tenants.models import LocalBody


class ComplaintFact(models.Model):
    body = models.ForeignKey(LocalBody, on_delete=models.PROTECT, related_name="+")
    # Denormalised from the body so district/province aggregates need no join.
    province_code = models.CharField(max_length=2)
    district_code = models.CharField(max_length=4, blank=True)
    subdistrict_code = models.CharField(max_length=6, blank=True)
    complaint_id = models.BigIntegerField(help_text="the complaint's id in the body's schema")
    tracking_code = models.CharField(max_length=12)
    # Open311 ids (`<DLA code>-<case id>`) the case had in bodies merged into the one holding it now:
    # a partner's stored id still finds it (api.open311).
    former_ids = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    national_category = models.CharField(max_length=40)
    sla_class = models.CharField(max_length=12)
    # apps.complaints.status.Channel and Status: the complaint service owns their meaning.
    channel = models.CharField(max_length=12)
    status = models.CharField(max_length=20)
    # Conduct and corruption complaints: routed to the district office's queue.
    routed_to_oversight = models.BooleanField(default=False)
    # Routed to the provincial office: the complaint is about the district office's own people.
    about_district_office = models.BooleanField(default=False)

    received_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    routed_at = models.DateTimeField(null=True, blank=True)
    first_reply_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)
    # The case's id in the system it came from (e.g. Traffy Fondue's ticket): an id, not content.
    external_source = models.CharField(max_length=40, blank=True, default="")
    external_id = models.CharField(max_length=80, blank=True, default="")
    transferred_at = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    # The current cycle (a reopen starts a new one).
    cycle_started_at = models.DateTimeField()

    transferred_to_body = models.ForeignKey(LocalBody, null=True, blank=True, on_delete=models.PROTECT,
                                            related_name="+")
    transferred_to_agency = models.CharField(max_length=120, blank=True)
    transferred_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    # SLA, kept current by apps.sla in the same transaction as the case change.
    sla_source = models.CharField(max_length=12, blank=True, help_text="agreement or framework")
    sla_version = models.PositiveIntegerField(null=True, blank=True)
    ack_due_at = models.DateTimeField(null=True, blank=True)
    route_due_at = models.DateTimeField(null=True, blank=True)
    reply_due_at = models.DateTimeField(null=True, blank=True)
    resolve_due_at = models.DateTimeField(null=True, blank=True)
    progress_due_at = models.DateTimeField(null=True, blank=True)
    # None while a stage is pending; True/False once it is done (met on time or not).
    ack_met = models.BooleanField(null=True, blank=True)
    route_met = models.BooleanField(null=True, blank=True)
    reply_met = models.BooleanField(null=True, blank=True)
    resolve_met = models.BooleanField(null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0)
    ever_breached = models.BooleanField(default=False)

    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    # PDPA: when the case's complainant identity was removed in the body's schema (same transaction).
    anonymised_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ข้อมูลสถิติเรื่องร้องทุกข์")
        verbose_name_plural = _("ข้อมูลสถิติเรื่องร้องทุกข์")
        constraints = [
            # A transfer gives the receiver's case the same code (the citizen's code follows the
            # case); codes are otherwise unique across the platform.
            models.UniqueConstraint(fields=["tracking_code"], name="fact_tracking_code_unique",
                                    condition=models.Q(transferred_from__isnull=True)),
            models.UniqueConstraint(fields=["body", "complaint_id"], name="fact_body_complaint_unique"),
            # Unique per source within a body (a transferred case's copy in the receiving body
            # keeps the reference); the national Open311 endpoint looks it up by this index.
            models.UniqueConstraint(fields=["external_source", "external_id", "body"], name="fact_external_ref_unique",
                                    condition=~models.Q(external_id="")),
        ]
        indexes = [
            models.Index(fields=["province_code", "district_code", "received_at"], name="fact_area_received"),
            models.Index(fields=["body", "received_at"], name="fact_body_received"),
            # The national Open311 list: newest first across every body (scanned backwards).
            models.Index(fields=["received_at", "id"], name="fact_received"),
            # The retention job's one scan: finished cases not yet anonymised, by when they finished
            # (apps.complaints.retention.FINISHED_AT; a merged duplicate's last change).
            models.Index(Coalesce("closed_at", "rejected_at", "transferred_at", "updated_at"),
                         name="fact_retention_due",
                         condition=models.Q(anonymised_at__isnull=True,
                                            status__in=["closed", "rejected", "transferred", "merged"])),
            models.Index(fields=["national_category", "received_at"], name="fact_category_received"),
            GinIndex(fields=["former_ids"], name="fact_former_ids"),
        ]

    def __str__(self) -> str:
        return self.tracking_code


class OutboxEntry(models.Model):
    """Where undelivered citizen notifications wait, by body (no content, no recipient: those stay in
    the body's schema). Lets a periodic task find every body with something to send in one query,
    so a broker outage delays notifications but never loses them."""

    body = models.ForeignKey(LocalBody, on_delete=models.CASCADE, related_name="+")
    notification_id = models.BigIntegerField()
    due_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "notification_id"], name="outbox_body_notification_unique"),
        ]
        indexes = [models.Index(fields=["due_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.body_id}:{self.notification_id}"
