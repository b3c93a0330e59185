"""Citizen notifications through an outbox.

`queue()` runs inside the case's transaction: it writes the messages to the body's Notification
table and a pointer (no content) to the public OutboxEntry table. After commit a task delivers
them; if the broker is down or hung the task is not sent within TASK_PUBLISH_TIMEOUT, and the
periodic sweep (`notifications_sweep`, every minute) finds the pointer and delivers later.

Delivery claims a row in a committed transaction before calling the provider, so a worker that
dies after sending cannot leave a "pending" row that looks unsent without a lease running out;
a retried send carries the same idempotency key. A failure always keeps the row, with backoff.
Nothing is lost.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module
from typing import Protocol

from celery import current_app  # type: ignore[attr-defined]
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.categories.models import SlaClass
from apps.complaints import quiet
from apps.complaints.conduct import handling_office_name
from apps.complaints.context import current_body
from apps.complaints.models import (
    Complaint,
    DeliveryStatus,
    Notification,
    NotificationSettings,
    OutboxStatus,
)
from apps.complaints.publish import publish_after_commit
from apps.reporting.models import ComplaintFact, OutboxEntry
from apps.sla.clock import ClockResult
from apps.sla.models import StageClock
from apps.sla.selectors import pending_deadlines
from apps.ui import thai
from tenants.db import current_schema
from tenants.models import LocalBody

logger = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(hours=6)


@dataclass(frozen=True)
class CitizenChannel:
    """A channel a citizen follows a case on besides the case's own e-mail and phone (LINE), lent
    by the app that runs it from its AppConfig.ready() (apps.line sits above complaints, so the
    outbox never imports it): `follower` gives the address and chat language of whoever follows a
    case there (None: nobody); `forget` deletes the channel's record of these users (the case's
    `complainant_line_id`s whose last identified case is gone, PDPA) and says how many it held."""

    name: str
    follower: Callable[[Complaint], tuple[str, str] | None]
    forget: Callable[[set[str]], int]


_citizen_channels: dict[str, CitizenChannel] = {}


def citizen_channel_register(channel: CitizenChannel) -> None:
    _citizen_channels[channel.name] = channel


def citizen_channels() -> list[CitizenChannel]:
    return list(_citizen_channels.values())


def _messages(key: str, complaint: Complaint, text: str, body: LocalBody) -> str | None:
    code = complaint.tracking_code
    # A conduct case speaks in the handling office's name: the accused body is not handling it.
    name = handling_office_name(body, complaint) if complaint.routed_to_oversight else body.display_name
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
        "reopened": _("%(body)s เปิดเรื่อง %(code)s ใหม่เพื่อดำเนินการต่อ: %(text)s"),
        "deadline_moved": _("%(body)s แจ้งกำหนดเวลาใหม่ของเรื่อง %(code)s: %(text)s"),
    }
    template = templates.get(key)
    if template is None:
        return None
    if key == "deadline_moved":
        # The deadlines as they now stand (a pause ended), written in the language being rendered.
        paused = _("หยุดนับเวลาระหว่างรอข้อมูลจากท่าน")
        text = "; ".join(f"{d.stage_label} ({paused})" if d.paused else
                         f"{d.stage_label} {thai.format_datetime(d.due_at)}"
                         for d in pending_deadlines(complaint=complaint))
    return template % {"body": name, "code": code, "text": text[:500]}


def _recipients(complaint: Complaint) -> list[tuple[str, str, str]]:
    """(channel, recipient, the language the citizen reads it in). Never the acting officer's:
    the case's language for SMS and e-mail, the LINE user's own chat language on LINE."""
    if complaint.is_anonymous:
        return []
    language = complaint.complainant_language or "th"
    found: list[tuple[str, str, str]] = []
    if complaint.complainant_email:
        found.append(("email", complaint.complainant_email, language))
    if complaint.complainant_phone:
        found.append(("sms", complaint.complainant_phone, language))
    # LINE: only a user of the body's own account (who filed it in the chat), in their language.
    for channel in _citizen_channels.values():
        follower = channel.follower(complaint)
        if follower is not None:
            address, own_language = follower
            found.append((channel.name, address, own_language or language))
    return found


def _message_in(language: str, key: str, complaint: Complaint, text: str, body: LocalBody) -> tuple[str, str]:
    """(subject, text) rendered in `language`."""
    with translation.override(language):
        subject = _("เรื่องร้องทุกข์ %(code)s") % {"code": complaint.tracking_code}
        return subject, _messages(key, complaint, text, body) or ""


def queue(complaint: Complaint, key: str, *, text: str = "", body: LocalBody | None = None) -> list[Notification]:
    body = body or current_body()
    if _messages(key, complaint, text, body) is None:
        return []
    now = timezone.now()
    urgent = complaint.sla_class == SlaClass.URGENT
    window = quiet.quiet_window()
    created = []
    for channel, recipient, language in _recipients(complaint):
        subject, message = _message_in(language, key, complaint, text, body)
        created.append(Notification.objects.create(
            complaint=complaint, channel=channel, recipient=recipient, subject=subject, body=message,
            language=language, urgent=urgent,
            next_attempt_at=quiet.held_until(channel=channel, urgent=urgent, at=now, window=window) or now))
    if created:
        OutboxEntry.objects.bulk_create(
            [OutboxEntry(body=body, notification_id=n.pk, due_at=n.next_attempt_at) for n in created],
            ignore_conflicts=True)
        # What quiet hours hold is left to the outbox sweep, which sends it when the window ends.
        ids = [n.pk for n in created if n.next_attempt_at <= now]
        schema = current_schema()
        # robust: nothing after the commit can turn the stored case into an error.
        if ids:
            transaction.on_commit(lambda: dispatch(schema, ids), robust=True)
    return created


# A case's citizen-visible deadlines: (stage, cycle, period) -> due time, None while the clock waits.
Deadlines = dict[tuple[str, int, int], datetime | None]


def deadlines_stored(fact: ComplaintFact) -> Deadlines:
    """The deadlines as the case's last change left them (its fact's stage clocks)."""
    rows = list(StageClock.objects.filter(fact=fact).values_list("stage", "cycle", "seq", "due_at", "paused",
                                                                   "completed_at"))
    cycle = max((row[1] for row in rows), default=0)
    return {(stage, c, seq): None if paused else due for stage, c, seq, due, paused, done in rows
            if c == cycle and done is None}


def deadline_moved_queue(complaint: Complaint, *, before: Deadlines, result: ClockResult,
                         body: LocalBody) -> list[Notification]:
    """The one place that decides "deadline moved" (called by every case change, with the deadlines
    before it and the clock after it): a pending deadline of the current cycle now due at another
    time, paused or running again, or a new cycle's deadlines (reopened, transfer accepted). A
    stage done, or a finished case with nothing pending, moves nothing."""
    after: Deadlines = {(s.stage, s.cycle, s.seq): None if s.paused else s.due_at
                        for s in result.stages if s.pending and s.cycle == result.cycles - 1}
    cycles = {cycle for _stage, cycle, _seq in before}
    moved = bool(after) and any(key[1] not in cycles or (key in before and before[key] != due)
                                for key, due in after.items())
    return queue(complaint, "deadline_moved", body=body) if moved else []


@dataclass(frozen=True)
class StaffNotice:
    """An e-mail about a case to the body's staff or an oversight office: tracking code and stage
    only, never the complainant's data."""

    complaint: Complaint
    recipients: Sequence[str]
    subject: str
    text: str
    send_at: datetime


def queue_staff(notices: Sequence[StaffNotice], *, body: LocalBody) -> list[Notification]:
    """SLA warnings and escalations for staff and offices: the same outbox as the citizen's
    messages, written in the case's transaction (two statements for any number of notices), and
    delivered by the outbox sweep from each notice's `send_at`."""
    created = Notification.objects.bulk_create([
        Notification(complaint=n.complaint, channel="email", recipient=recipient, subject=n.subject[:200],
                     body=n.text, next_attempt_at=n.send_at)
        for n in notices for recipient in dict.fromkeys(r for r in n.recipients if r)])
    OutboxEntry.objects.bulk_create(
        [OutboxEntry(body=body, notification_id=n.pk, due_at=n.next_attempt_at) for n in created],
        ignore_conflicts=True)
    return created


def queue_mail(*, body: LocalBody, recipient: str, subject: str, text: str) -> Notification:
    """An e-mail about the body, not about a case (an invitation, an office's reminder), through
    the same outbox: written in the caller's transaction in the body's schema, sent after commit,
    retried by the sweep. Call it inside the body's schema."""
    now = timezone.now()
    notification = Notification.objects.create(channel="email", recipient=recipient, subject=subject[:200],
                                               body=text, next_attempt_at=now)
    OutboxEntry.objects.bulk_create([OutboxEntry(body=body, notification_id=notification.pk, due_at=now)],
                                    ignore_conflicts=True)
    schema = current_schema()
    ids = [notification.pk]
    transaction.on_commit(lambda: dispatch(schema, ids), robust=True)
    return notification


def queue_sms(*, body: LocalBody, recipient: str, text: str) -> Notification:
    """An SMS the citizen asked for just now (a one-time code), not about a case: sent at once,
    quiet hours or not, through the same outbox and provider."""
    return queue_direct(body=body, channel="sms", recipient=recipient, text=text)


def queue_direct(*, body: LocalBody, channel: str, recipient: str, text: str, language: str = "") -> Notification:
    """A message not about a case, answering what the citizen (or the body's admin) did just now
    (a one-time code, a LINE photo refused, the body's LINE menu): in the caller's transaction,
    sent after commit, quiet hours or not, retried by the sweep with backoff."""
    now = timezone.now()
    notification = Notification.objects.create(channel=channel, recipient=recipient, body=text, next_attempt_at=now,
                                               urgent=True, language=language or translation.get_language() or "th")
    OutboxEntry.objects.bulk_create([OutboxEntry(body=body, notification_id=notification.pk, due_at=now)],
                                    ignore_conflicts=True)
    schema = current_schema()
    ids = [notification.pk]
    transaction.on_commit(lambda: dispatch(schema, ids), robust=True)
    return notification


def dispatch(schema: str, ids: list[int]) -> None:
    """Deliver these rows now (after commit). Bounded in time and never raising: a hung or absent
    broker leaves the rows to the sweep. The task by name: apps.complaints.tasks calls this
    module, which never imports it."""
    publish_after_commit(current_app.signature("complaints.notifications_deliver"), schema=schema, args=[ids])


class Backend(Protocol):
    """A provider. `idempotency_key` is the same on every attempt of one notification: a provider
    that supports it (the SMS gateway's Idempotency-Key header or message id, an e-mail's
    Message-ID) delivers a retried message once even when our record of the first send was lost.
    Returns the provider's id for the message when it gives one; raises on any failure."""

    def send(self, notification: Notification, *, idempotency_key: str) -> str | None: ...


class ConsoleBackend:
    """Development: writes the message to the log."""

    def send(self, notification: Notification, *, idempotency_key: str) -> str | None:
        # Logs leave the body's schema: the recipient is masked to its last 4 characters.
        logger.info("notification %s #%s to …%s: %s", notification.channel, notification.pk,
                    notification.recipient[-4:], notification.body)
        return None


class EmailBackend:
    """E-mail through Django's EMAIL_BACKEND (the "smtp" provider always speaks SMTP)."""

    def send(self, notification: Notification, *, idempotency_key: str) -> str | None:
        from django.core.mail import EmailMessage

        message_id = f"<{idempotency_key}@{settings.PLATFORM_DOMAIN}>"
        EmailMessage(notification.subject, notification.body, None, [notification.recipient],
                     headers={"Message-ID": message_id}).send()
        return message_id


class HttpSmsBackend:
    """An HTTP SMS gateway (SMS_GATEWAY_URL): POST JSON {to, message} with an Idempotency-Key
    header; any answer other than 2xx, or no answer within SMS_GATEWAY_TIMEOUT, is a failure."""

    def send(self, notification: Notification, *, idempotency_key: str) -> str | None:
        payload = json.dumps({"to": notification.recipient, "message": notification.body}).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
            settings.SMS_GATEWAY_URL, data=payload, method="POST",
            headers={"Content-Type": "application/json", "Idempotency-Key": idempotency_key})
        with urllib.request.urlopen(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as response:  # noqa: S310
            if not 200 <= response.status < 300:
                raise ConnectionError(f"SMS gateway answered {response.status}")
        return None


class FailingBackend:
    """For outage drills and tests: always fails."""

    def send(self, notification: Notification, *, idempotency_key: str) -> str | None:
        raise ConnectionError("provider unavailable")


def provider_names(channel: str) -> list[str]:
    """The configured providers a body's admin may choose for `channel`."""
    return [name for name, channels in settings.NOTIFICATION_PROVIDER_CHANNELS.items()
            if channel in channels and name in settings.NOTIFICATION_PROVIDERS]


def provider_for(channel: str) -> tuple[str, Backend]:
    """(name, provider) for `channel` in the current body: the body's own choice when it made one
    among the configured providers, otherwise the national setting."""
    chosen = ""
    if channel in ("sms", "email"):
        own = NotificationSettings.objects.filter(pk=1).values_list(f"{channel}_provider", flat=True).first()
        if own and own in provider_names(channel):
            chosen = own
    configured = chosen or settings.NOTIFICATION_BACKENDS.get(channel) or "console"
    path = settings.NOTIFICATION_PROVIDERS.get(configured, configured)
    module, _sep, name = path.rpartition(".")
    backend = getattr(import_module(module), name)()
    label = configured if configured in settings.NOTIFICATION_PROVIDERS else name
    return label[:20], backend


def backend_for(channel: str) -> Backend:
    return provider_for(channel)[1]


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
