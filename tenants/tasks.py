from __future__ import annotations

from uuid import UUID

# `mypy platform` names platform/celery.py (rongthuk.celery) top-level `celery`, hiding the library.
from celery import shared_task  # type: ignore[attr-defined]
from django.utils import timezone

from tenants.db import current_schema
from tenants.models import WorkerProbe


@shared_task(name="tenants.worker_probe")
def worker_probe(token: str) -> None:
    """Record which schema this task ran in (tenant-schemas-celery sets it from the sender)."""
    WorkerProbe.objects.filter(token=UUID(token)).update(ran_in_schema=current_schema(), ran_at=timezone.now())
