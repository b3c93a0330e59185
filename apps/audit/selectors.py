"""Reads of the audit log for the body admin's page."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.audit.kinds import GROUPS
from apps.audit.models import AuditEntry


def audit_entries(*, group: str = "") -> QuerySet[AuditEntry]:
    """Newest first (along the primary key); `group` is a kind's noun (GROUPS), '' for all."""
    entries = AuditEntry.objects.select_related("actor").order_by("-id")
    if group in GROUPS:
        entries = entries.filter(kind__startswith=f"{group}.")
    return entries
