"""Delivering the outbox's messages, and the providers' reports on them.

Delivery claims a row in a committed transaction before calling the provider, so a worker that
dies after sending cannot leave a "pending" row that looks unsent without a lease running out;
a retried send carries the same idempotency key. A failure always keeps the row, with backoff.
Nothing is lost.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.complaints import quiet
from apps.complaints.context import current_body
from apps.complaints.models import DeliveryStatus, Notification, OutboxStatus
from apps.complaints.notifications.backends import provider_for
from apps.reporting.models import OutboxEntry
from tenants.db import current_schema
from tenants.models import LocalBody

logger = logging.getLogger("apps.complaints.notifications")
MAX_BACKOFF = timedelta(hours=6)


def idempotency_key(schema: str, notification_id: int) -> str:
    return f"rongthuk-{schema}-{notification_id}"


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** min(attempts, 12)), MAX_BACKOFF)


def _claim(body: LocalBody, notification_id: int) -> Notification | None:
    """Take one notification for sending, in a transaction of its own that commits before the
    provider is called. A row another worker holds is skipped (SKIP LOCKED), and so is one whose
    claim has not expired: a second dispatch of the same id while the first is sending does
    nothing. The claim is a lease: if this worker dies before recording the outcome, the sweep
    finds the row again when the lease ends, and the provider gets the same idempotency key."""
    now = timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(Q(status=OutboxStatus.PENDING) | Q(status=OutboxStatus.SENDING, next_attempt_at__lte=now),
                    pk=notification_id)
            .first()
        )
        if notification is None:
            if not Notification.objects.filter(pk=notification_id,
                                               status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]).exists():
                # Sent already (or gone): nothing left to point at.
                OutboxEntry.objects.filter(body=body, notification_id=notification_id).delete()
            return None
        held = quiet.held_until(channel=notification.channel, urgent=notification.urgent, at=now)
        if held is not None:
            # Quiet hours began after it was queued (or a retry fell in them): it waits for the morning.
            notification.next_attempt_at = held
            notification.save(update_fields=["next_attempt_at"])
            OutboxEntry.objects.update_or_create(body=body, notification_id=notification.pk,
                                                 defaults={"due_at": held})
            return None
        lease = now + timedelta(seconds=settings.NOTIFICATION_CLAIM_SECONDS)
        notification.status = OutboxStatus.SENDING
        notification.attempts += 1
        notification.next_attempt_at = lease
        notification.save(update_fields=["status", "attempts", "next_attempt_at"])
        OutboxEntry.objects.update_or_create(body=body, notification_id=notification.pk,
                                             defaults={"due_at": lease})
    return notification


def _record(body: LocalBody, notification: Notification, error: Exception | None, *, provider: str = "",
            message_id: str | None = None) -> bool:
    now = timezone.now()
    with transaction.atomic():
        if error is None:
            # Only a claim still held is recorded: a case anonymised meanwhile stays failed.
            # A delivery report may have come before this line: it is not overwritten.
            Notification.objects.filter(pk=notification.pk, status=OutboxStatus.SENDING).update(
                status=OutboxStatus.SENT, sent_at=now, last_error="", provider=provider,
                provider_message_id=(message_id or "")[:200])
            Notification.objects.filter(pk=notification.pk, delivery_status="").update(
                delivery_status=DeliveryStatus.ACCEPTED)
            OutboxEntry.objects.filter(body=body, notification_id=notification.pk).delete()
            return True
        # A failure always leaves a pending row and its outbox pointer: retried with backoff
        # (2, 4, 8 … minutes, at most MAX_BACKOFF apart), never dropped.
        due = now + _backoff(notification.attempts)
        held = Notification.objects.filter(pk=notification.pk, status=OutboxStatus.SENDING).update(
            status=OutboxStatus.PENDING, next_attempt_at=due, last_error=str(error)[:500])
        if held:
            OutboxEntry.objects.update_or_create(body=body, notification_id=notification.pk,
                                                 defaults={"due_at": due})
        else:
            OutboxEntry.objects.filter(body=body, notification_id=notification.pk).delete()
    return False


def deliver(notification_ids: list[int]) -> int:
    """Send these (in the current body's schema): claim, commit, call the provider, record.
    At least once, and once in effect where the provider honours the idempotency key."""
    body = current_body()
    schema = current_schema()
    sent = 0
    for notification_id in notification_ids:
        notification = _claim(body, notification_id)
        if notification is None:
            continue
        provider = ""
        try:
            provider, backend = provider_for(notification.channel)
            message_id = backend.send(notification, idempotency_key=idempotency_key(schema, notification.pk))
        except Exception as exc:  # noqa: BLE001 - any provider failure: back off and keep the message
            logger.warning("notification #%s not sent (attempt %s): %s", notification.pk, notification.attempts, exc)
            _record(body, notification, exc)
            continue
        sent += _record(body, notification, None, provider=provider, message_id=message_id)
    return sent


# Later reports never undo a final one (a PENDING that arrives after DELIVERED changes nothing).
_FINAL = (DeliveryStatus.DELIVERED, DeliveryStatus.UNDELIVERED, DeliveryStatus.EXPIRED, DeliveryStatus.REJECTED)


@transaction.atomic
def notification_delivery_record(*, message_id: str, status: str, detail: str = "",
                                 at: datetime | None = None) -> Notification | None:
    """A provider's delivery report for one of this body's messages (`message_id` is the outbox's
    idempotency key we gave it). Unknown ids change nothing; reports are idempotent."""
    prefix = f"rongthuk-{current_schema()}-"
    if not message_id.startswith(prefix) or not message_id[len(prefix):].isdigit() or \
            status not in DeliveryStatus.values:
        return None
    notification = (Notification.objects.select_for_update()
                    .filter(pk=int(message_id[len(prefix):]), channel="sms").first())
    if notification is None or notification.delivery_status in _FINAL:
        return notification
    notification.delivery_status = status
    notification.delivery_detail = detail[:200]
    fields = ["delivery_status", "delivery_detail"]
    if status == DeliveryStatus.DELIVERED:
        notification.delivered_at = at or timezone.now()
        fields.append("delivered_at")
    notification.save(update_fields=fields)
    return notification
