"""The setup facts: the body-schema ticks of the first-run checklist, kept in the public schema
for the offices' adoption view."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.onboarding.checklist import schema_ticks
from apps.onboarding.models import BodySetup
from tenants.models import LocalBody


def setup_record(*, body: LocalBody) -> BodySetup:
    """Copy the body-schema ticks of the checklist to the public schema (call in the body's
    schema). Idempotent; a fact, not an audited change."""
    ticks = schema_ticks()
    setup, _created = BodySetup.objects.update_or_create(body=body, defaults={
        "departments": ticks.departments, "categories": ticks.categories, "staff": ticks.staff, "line": ticks.line,
        "admins": ticks.admins, "refreshed_at": timezone.now()})
    return setup


def setups_refresh(*, bodies: Iterable[LocalBody]) -> int:
    """The periodic job's part: visit each body (one fan-out, restoring the schema) and record."""
    count = 0
    for body in bodies:
        with schema_context(body.schema_name), transaction.atomic():
            setup_record(body=body)
        count += 1
    return count
