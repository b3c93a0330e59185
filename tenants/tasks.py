from __future__ import annotations

from uuid import UUID

# `mypy platform` names platform/celery.py (rongthuk.celery) top-level `celery`, hiding the library.
from celery import shared_task  # type: ignore[attr-defined]
from django.utils import timezone

from tenants.db import current_schema
from tenants.domains import domain_claims_check_pending
from tenants.models import WorkerProbe


@shared_task(name="tenants.worker_probe")
def worker_probe(token: str) -> None:
    """Record which schema this task ran in (tenant-schemas-celery sets it from the sender)."""
    WorkerProbe.objects.filter(token=UUID(token)).update(ran_in_schema=current_schema(), ran_at=timezone.now())


@shared_task(name="tenants.domain_claims_check")
def domain_claims_check() -> int:
    """Look for the token of every pending body domain (beat, every 10 minutes); returns how many
    were verified. Idempotent: a verified claim is left as it is."""
    return sum(1 for _claim, verified in domain_claims_check_pending() if verified)
