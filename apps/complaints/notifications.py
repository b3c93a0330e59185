"""Citizen notifications through an outbox.

`queue()` runs inside the case's transaction: it writes the messages to the body's Notification
table and a pointer (no content) to the public OutboxEntry table. After commit a task delivers
them; if the broker is down the task is simply not sent, and the periodic sweep
(`notifications_sweep`, every minute) finds the pointer and delivers later. Nothing is lost.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from importlib import import_module
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.complaints.context import current_body
from apps.complaints.models import Complaint, Notification, OutboxStatus
from apps.reporting.models import OutboxEntry
from tenants.db import current_schema
from tenants.models import LocalBody

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def _messages(key: str, complaint: Complaint, text: str, body: LocalBody) -> str | None:
    code = complaint.tracking_code
    name = body.display_name
    templates = {
        "received": _("%(body)s ได้รับเรื่องร้องทุกข์ของท่านแล้ว เลขติดตามเรื่อง %(code)s"),
        "acknowledged": _("%(body)s แจ้งรับเรื่อง %(code)s แล้ว และจะดำเนินการตามข้อตกลงระดับการให้บริการ"),
        "reply": _("%(body)s ตอบเรื่อง %(code)s: %(text)s"),
        "request_info": _("%(body)s ขอข้อมูลเพิ่มเติมสำหรับเรื่อง %(code)s: %(text)s"),
        "transferred": _("เรื่อง %(code)s ถูกส่งต่อไปยัง %(text)s ท่านติดตามได้ด้วยเลขเดิม"),
        "resolved": _("%(body)s ดำเนินการเรื่อง %(code)s แล้วเสร็จ: %(text)s"),
        "closed": _("%(body)s ปิดเรื่อง %(code)s แล้ว กรุณาประเมินความพึงพอใจ"),
        "rejected": _("%(body)s ไม่รับเรื่อง %(code)s: %(text)s"),
        "merged": _("เรื่อง %(code)s ถูกรวมกับเรื่องเดียวกันที่มีผู้แจ้งไว้แล้ว: %(text)s"),
        "merged_into": _("มีผู้แจ้งเรื่องเดียวกับเรื่อง %(code)s ของท่าน (%(text)s) หน่วยงานจะดำเนินการรวมกัน"),
    }
    template = templates.get(key)
    if template is None:
        return None
    return template % {"body": name, "code": code, "text": text[:500]}


def _recipients(complaint: Complaint) -> list[tuple[str, str]]:
    if complaint.is_anonymous:
        return []
    found = []
    if complaint.complainant_email:
        found.append(("email", complaint.complainant_email))
    if complaint.complainant_phone:
        found.append(("sms", complaint.complainant_phone))
    if complaint.complainant_line_id:
        found.append(("line", complaint.complainant_line_id))
    return found


def queue(complaint: Complaint, key: str, *, text: str = "", body: LocalBody | None = None) -> list[Notification]:
    body = body or current_body()
    message = _messages(key, complaint, text, body)
    if message is None:
        return []
    now = timezone.now()
    created = [
        Notification.objects.create(complaint=complaint, channel=channel, recipient=recipient,
                                    subject=_("เรื่องร้องทุกข์ %(code)s") % {"code": complaint.tracking_code},
                                    body=message, next_attempt_at=now)
        for channel, recipient in _recipients(complaint)
    ]
    if created:
        OutboxEntry.objects.bulk_create(
            [OutboxEntry(body=body, notification_id=n.pk, due_at=now) for n in created], ignore_conflicts=True
        )
        ids = [n.pk for n in created]
        schema = current_schema()
        transaction.on_commit(lambda: _dispatch(schema, ids))
    return created


def _dispatch(schema: str, ids: list[int]) -> None:
    from django_tenants.utils import schema_context  # noqa: PLC0415

    from apps.complaints.tasks import notifications_deliver  # noqa: PLC0415

    try:
        with schema_context(schema):
            notifications_deliver.delay(ids)
    except Exception:  # the broker is down: the sweep delivers from the outbox later
        logger.warning("notification dispatch deferred to the outbox sweep", exc_info=True)


class Backend(Protocol):
    def send(self, notification: Notification) -> None: ...


class ConsoleBackend:
    """Development: writes the message to the log."""

    def send(self, notification: Notification) -> None:
        # Logs leave the body's schema: the recipient is masked to its last 4 characters.
        logger.info("notification %s #%s to …%s: %s", notification.channel, notification.pk,
                    notification.recipient[-4:], notification.body)


class EmailBackend:
    def send(self, notification: Notification) -> None:
        from django.core.mail import send_mail  # noqa: PLC0415

        send_mail(notification.subject, notification.body, None, [notification.recipient])


class FailingBackend:
    """For outage drills and tests: always fails."""

    def send(self, notification: Notification) -> None:
        raise ConnectionError("provider unavailable")


def backend_for(channel: str) -> Backend:
    path = settings.NOTIFICATION_BACKENDS.get(channel, "apps.complaints.notifications.ConsoleBackend")
    module, _sep, name = path.rpartition(".")
    return getattr(import_module(module), name)()


def deliver(notification_ids: list[int]) -> int:
    """Send what is due among these (in the current body's schema); retry later on failure."""
    body = current_body()
    sent = 0
    for notification_id in notification_ids:
        with transaction.atomic():
            notification = (Notification.objects.select_for_update(skip_locked=True)
                            .filter(pk=notification_id, status=OutboxStatus.PENDING).first())
            if notification is None:
                OutboxEntry.objects.filter(body=body, notification_id=notification_id).delete()
                continue
            now = timezone.now()
            try:
                backend_for(notification.channel).send(notification)
            except Exception as exc:  # provider failure: back off and keep the message
                notification.attempts += 1
                notification.last_error = str(exc)[:500]
                if notification.attempts >= MAX_ATTEMPTS:
                    notification.status = OutboxStatus.FAILED
                    OutboxEntry.objects.filter(body=body, notification_id=notification.pk).delete()
                else:
                    delay = timedelta(minutes=2 ** notification.attempts)
                    notification.next_attempt_at = now + delay
                    OutboxEntry.objects.filter(body=body, notification_id=notification.pk).update(
                        due_at=now + delay)
                notification.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
                continue
            notification.status = OutboxStatus.SENT
            notification.sent_at = now
            notification.attempts += 1
            notification.save(update_fields=["status", "sent_at", "attempts"])
            OutboxEntry.objects.filter(body=body, notification_id=notification.pk).delete()
            sent += 1
    return sent
