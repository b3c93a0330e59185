"""Case events for the body's webhook endpoints, written into the outbox in the case's own
transaction (so an event is never lost: it commits with the change or not at all), delivered
after commit by the outbox's `webhook` provider (apps.webhooks.delivery) with its retries.

Every timeline event passes here (record.event_add, and the SLA sweep's bulk events): an event
kind an endpoint subscribed to becomes one outbox row per endpoint, all carrying the same event id.
Conduct and corruption cases are no body role's business and are never sent. Without the
personal-data scope a payload carries the case's reference, category, status, department, dates
and the public text of the event, never the complainant, the description or the place; an
endpoint with the scope also gets those (not the identity of a confidential or anonymous case),
and each such delivery is recorded as a view of the complainant's identity."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.complaints.context import current_body
from apps.complaints.models import Complaint, ComplaintEvent, EventKind, IdentityAccess, Notification, OutboxStatus
from apps.complaints.notifications import dispatch
from apps.reporting.models import OutboxEntry
from apps.webhooks.models import WebhookEndpoint, WebhookEvent
from apps.webhooks.services import webhook_endpoints_active
from tenants.db import current_schema

CHANNEL = "webhook"

_BY_KIND = {
    EventKind.CREATED: WebhookEvent.CREATED,
    EventKind.STATUS: WebhookEvent.STATUS,
    EventKind.ASSIGN: WebhookEvent.ASSIGNED,
    EventKind.REPLY: WebhookEvent.REPLIED,
    EventKind.NOTE: WebhookEvent.NOTE,
    EventKind.TRANSFER: WebhookEvent.TRANSFERRED,
    EventKind.MERGE: WebhookEvent.MERGED,
    EventKind.RATING: WebhookEvent.RATED,
    EventKind.SLA_WARNING: WebhookEvent.DEADLINE_WARNING,
    EventKind.SLA_ESCALATION: WebhookEvent.DEADLINE_BREACHED,
}


def event_type(event: ComplaintEvent) -> str | None:
    kind = _BY_KIND.get(EventKind(event.kind)) if event.kind in EventKind.values else None
    return str(kind) if kind is not None else None


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def case_payload(complaint: Complaint, *, personal_data: bool) -> dict[str, Any]:
    body = current_body()
    case: dict[str, Any] = {
        "id": complaint.pk,
        "service_request_id": f"{body.dla_code}-{complaint.pk}",
        "tracking_code": complaint.tracking_code,
        "status": complaint.status,
        "channel": complaint.channel,
        "category": complaint.category_id,
        "national_category": complaint.national_category,
        "sla_class": complaint.sla_class,
        "department": complaint.department_id,
        "assignee": complaint.assignee_id,
        "subdistrict_code": complaint.subdistrict_code,
        "received_at": _iso(complaint.received_at),
        "updated_at": _iso(complaint.updated_at),
        "external_source": complaint.external_source or None,
        "external_id": complaint.external_id or None,
    }
    if personal_data:
        case.update({"description": complaint.description, "location_text": complaint.location_text,
                     "moo": complaint.moo,
                     "latitude": str(complaint.latitude) if complaint.latitude is not None else None,
                     "longitude": str(complaint.longitude) if complaint.longitude is not None else None})
        if not (complaint.is_anonymous or complaint.is_confidential):
            case["complainant"] = {"name": complaint.complainant_name, "phone": complaint.complainant_phone,
                                   "email": complaint.complainant_email}
    return case


def _identity_sent(endpoint: WebhookEndpoint, complaint: Complaint) -> bool:
    return endpoint.personal_data and not (complaint.is_anonymous or complaint.is_confidential)


def events_queue(events: Sequence[ComplaintEvent], *, endpoints: list[WebhookEndpoint] | None = None) -> list[int]:
    """Outbox rows for these events (inside the caller's transaction); returns their ids."""
    wanted = [(e, t) for e in events if (t := event_type(e)) and not e.complaint.routed_to_oversight]
    if not wanted:
        return []
    endpoints = webhook_endpoints_active() if endpoints is None else endpoints
    if not endpoints:
        return []
    body = current_body()
    now = timezone.now()
    rows: list[Notification] = []
    reveals: list[IdentityAccess] = []
    for event, kind in wanted:
        complaint = event.complaint
        event_id = f"evt_{uuid.uuid4().hex}"
        for endpoint in endpoints:
            if kind not in endpoint.events:
                continue
            payload = {
                "id": event_id, "type": kind, "created_at": _iso(event.created_at),
                "body": {"dla_code": body.dla_code, "name": body.display_name},
                "case": case_payload(complaint, personal_data=endpoint.personal_data),
                "event": {"id": event.pk, "kind": event.kind, "from_status": event.from_status or None,
                          "to_status": event.to_status or None, "at": _iso(event.created_at),
                          "text": event.text if (event.is_public or endpoint.personal_data) else None,
                          "data": {k: v for k, v in (event.data or {}).items()
                                   if k in ("stage", "cycle", "due_at", "level", "rating", "reopen")}},
            }
            rows.append(Notification(complaint=complaint, channel=CHANNEL, recipient=str(endpoint.pk),
                                     subject=event_id, body=json.dumps(payload, ensure_ascii=False),
                                     next_attempt_at=now))
            if _identity_sent(endpoint, complaint):
                reveals.append(IdentityAccess(complaint=complaint, user=None, context=f"webhook {endpoint.pk}",
                                              actor_label=f"webhook: {endpoint.name}"[:120]))
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    if reveals:
        IdentityAccess.objects.bulk_create(reveals)
    OutboxEntry.objects.bulk_create([OutboxEntry(body=body, notification_id=n.pk, due_at=now) for n in created],
                                    ignore_conflicts=True)
    ids = [n.pk for n in created]
    schema = current_schema()
    transaction.on_commit(lambda: dispatch(schema, ids), robust=True)
    return ids



@transaction.atomic
def webhook_delivery_redeliver(*, notification_id: int, endpoint: WebhookEndpoint) -> Notification | None:
    """Send a delivery again, now (the admin's button): the same event id and body."""
    row = Notification.objects.select_for_update().filter(pk=notification_id, channel=CHANNEL,
                                                          recipient=str(endpoint.pk)).first()
    if row is None:
        return None
    now = timezone.now()
    row.status = OutboxStatus.PENDING
    row.next_attempt_at = now
    row.save(update_fields=["status", "next_attempt_at"])
    OutboxEntry.objects.update_or_create(body=current_body(), notification_id=row.pk, defaults={"due_at": now})
    schema = current_schema()
    transaction.on_commit(lambda: dispatch(schema, [row.pk]), robust=True)
    return row


def deliveries(*, endpoint: WebhookEndpoint, limit: int = 200) -> list[Notification]:
    return list(Notification.objects.filter(channel=CHANNEL, recipient=str(endpoint.pk))
                .select_related("complaint").order_by("-created_at", "-id")[:limit])


__all__ = ["CHANNEL", "deliveries", "events_queue", "webhook_delivery_redeliver"]
