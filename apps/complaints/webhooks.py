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
from apps.complaints.status import Status
from apps.reporting.models import OutboxEntry
from apps.webhooks.models import WebhookEndpoint, WebhookEvent
from apps.webhooks.services import webhook_endpoints_active
from tenants.db import current_schema
from tenants.models import LocalBody

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


def event_types(event: ComplaintEvent) -> list[str]:
    """The webhook events a timeline event is. A transfer is seen from both bodies: the sender's
    `transfer` event (case.transferred), the offer in the receiver's schema (case.transfer_offered),
    the receiver accepting or returning it (its status change out of the offer) and the line each
    writes on the sender's case (case.transfer_accepted, case.transfer_returned); a status change
    is also case.status_changed."""
    kind = _BY_KIND.get(EventKind(event.kind)) if event.kind in EventKind.values else None
    if kind is None:
        return []
    data = event.data or {}
    if event.kind == EventKind.TRANSFER and "from_body" in data:
        return [WebhookEvent.TRANSFER_OFFERED]
    if event.kind == EventKind.TRANSFER and "accepted_by" in data:
        return [WebhookEvent.TRANSFER_ACCEPTED]
    if event.kind == EventKind.STATUS and event.from_status == Status.TRANSFER_OFFERED:
        if event.to_status == Status.RECEIVED:
            return [WebhookEvent.STATUS, WebhookEvent.TRANSFER_ACCEPTED]
        if event.to_status == Status.REJECTED:
            return [WebhookEvent.STATUS, WebhookEvent.TRANSFER_RETURNED]
    if event.kind == EventKind.STATUS and "returned_by" in data:
        return [WebhookEvent.STATUS, WebhookEvent.TRANSFER_RETURNED]
    return [kind]


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


# What of an event's data a payload carries: SLA steps, the rating, and a transfer's other body
# (its DLA code: the partner looks it up; the registry's ids are ours).
_DATA_KEYS = ("stage", "cycle", "due_at", "level", "rating", "reopen", "to_agency")
_BODY_KEYS = ("to_body", "from_body", "accepted_by", "returned_by")


def _event_data(event: ComplaintEvent) -> dict[str, Any]:
    data = event.data or {}
    out = {k: v for k, v in data.items() if k in _DATA_KEYS}
    named = [k for k in _BODY_KEYS if isinstance(data.get(k), int)]
    if named:
        codes = dict(LocalBody.objects.filter(pk__in=[data[k] for k in named]).values_list("pk", "dla_code"))
        out.update({k: codes.get(data[k]) for k in named})
    return out


def _identity_sent(endpoint: WebhookEndpoint, complaint: Complaint) -> bool:
    return endpoint.personal_data and not (complaint.is_anonymous or complaint.is_confidential)


def events_queue(events: Sequence[ComplaintEvent], *, endpoints: list[WebhookEndpoint] | None = None) -> list[int]:
    """Outbox rows for these events (inside the caller's transaction); returns their ids."""
    wanted = [(e, str(t)) for e in events if not e.complaint.routed_to_oversight for t in event_types(e)]
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
        event_data = _event_data(event) if any(kind in e.events for e in endpoints) else {}
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
                          "data": event_data},
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


# What a payload holds of the person and the case's content (case_payload's personal-data part).
_PERSONAL = ("description", "location_text", "moo", "latitude", "longitude", "complainant")


def webhook_rows_depersonalise(*, complaint_ids: list[int]) -> list[int]:
    """For the PDPA job, before it blanks these cases' outbox rows: a webhook event not yet
    delivered keeps its endpoint and its event id and still goes out, with what an endpoint
    without the personal-data scope would have got (no complainant, description or place, and no
    internal text). Returns the rows kept, which the job leaves alone."""
    rows = list(Notification.objects.select_for_update().filter(
        complaint_id__in=complaint_ids, channel=CHANNEL, status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]))
    kept: list[Notification] = []
    for row in rows:
        try:
            payload = json.loads(row.body)
            case, event = payload["case"], payload["event"]
        except (ValueError, KeyError, TypeError):
            continue  # not one of ours: the job blanks it with the rest
        was_personal = any(name in case for name in _PERSONAL)
        for name in _PERSONAL:
            case.pop(name, None)
        if was_personal and event.get("text") is not None and not ComplaintEvent.objects.filter(
                pk=event.get("id"), is_public=True).exists():
            event["text"] = None
        row.body = json.dumps(payload, ensure_ascii=False)
        kept.append(row)
    Notification.objects.bulk_update(kept, ["body"])
    return [row.pk for row in kept]



@transaction.atomic
def webhook_delivery_redeliver(*, notification_id: int, endpoint: WebhookEndpoint) -> Notification | None:
    """Send a delivery again, now (the admin's button): the same event id and body."""
    row = Notification.objects.select_for_update().filter(pk=notification_id, channel=CHANNEL,
                                                          recipient=str(endpoint.pk)).first()
    if row is None or not row.body:
        return None  # emptied by the PDPA job: there is nothing left to send
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


__all__ = ["CHANNEL", "deliveries", "events_queue", "webhook_delivery_redeliver", "webhook_rows_depersonalise"]
