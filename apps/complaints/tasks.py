from __future__ import annotations

# `mypy platform` names platform/celery.py (rongthuk.celery) top-level `celery`, hiding the library.
from celery import shared_task  # type: ignore[attr-defined]
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.complaints import notifications, retention
from apps.reporting.models import OutboxEntry


@shared_task(name="complaints.notifications_deliver", acks_late=True)
def notifications_deliver(notification_ids: list[int]) -> int:
    """Runs in the body's schema (tenant-schemas-celery); safe to run twice."""
    return notifications.deliver(notification_ids)


@shared_task(name="complaints.notifications_sweep")
def notifications_sweep(limit: int = 5000) -> int:
    """Every minute: deliver what the outbox holds past due, body by body (one indexed query finds
    them; only bodies with something to send are visited)."""
    due = (OutboxEntry.objects.filter(due_at__lte=timezone.now()).order_by("due_at")
           .values_list("body__schema_name", "notification_id")[:limit])
    by_schema: dict[str, list[int]] = {}
    for schema, notification_id in due:
        by_schema.setdefault(schema, []).append(notification_id)
    for schema, ids in by_schema.items():
        with schema_context(schema):
            notifications_deliver.delay(ids)
    return sum(len(ids) for ids in by_schema.values())


@shared_task(name="complaints.retention_sweep")
def retention_sweep() -> int:
    """Every 6 hours: anonymise closed cases past their body's retention period (PDPA), in
    batches across all bodies (apps.complaints.retention). Safe to run twice."""
    return retention.retention_sweep().complaints
