"""Writing messages to the outbox: in the caller's transaction, the message in the body's
Notification table and a pointer (no content) in the public OutboxEntry table; after commit a
task delivers it (`dispatch`), and the sweep finds whatever that task did not send."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from celery import current_app  # type: ignore[attr-defined]
from django.db import transaction
from django.utils import timezone, translation

from apps.categories.models import SlaClass
from apps.complaints import quiet
from apps.complaints.context import current_body
from apps.complaints.models import Complaint, Notification
from apps.complaints.notifications.messages import message_in, message_text, recipients
from apps.complaints.publish import publish_after_commit
from apps.reporting.models import ComplaintFact, OutboxEntry
from apps.sla.clock import ClockResult
from apps.sla.models import StageClock
from tenants.db import current_schema
from tenants.models import LocalBody


def queue(complaint: Complaint, key: str, *, text: str = "", body: LocalBody | None = None) -> list[Notification]:
    body = body or current_body()
    if message_text(key, complaint, text, body) is None:
        return []
    messages = [CaseMessage(channel, recipient, language, *message_in(language, key, complaint, text, body))
                for channel, recipient, language in recipients(complaint)]
    return queue_messages(complaint, messages, body=body)


@dataclass(frozen=True)
class CaseMessage:
    """One message about a case, already rendered in its reader's language."""

    channel: str
    recipient: str
    language: str
    subject: str
    text: str


def queue_messages(complaint: Complaint, messages: Sequence[CaseMessage], *, body: LocalBody) -> list[Notification]:
    """Messages about a case (to its complainant, or to the citizens following its public report:
    apps.complaints.followers) in the case's transaction: quiet hours hold all but urgent cases'."""
    now = timezone.now()
    urgent = complaint.sla_class == SlaClass.URGENT
    window = quiet.quiet_window()
    created = []
    for m in messages:
        created.append(Notification.objects.create(
            complaint=complaint, channel=m.channel, recipient=m.recipient, subject=m.subject, body=m.text,
            language=m.language, urgent=urgent,
            next_attempt_at=quiet.held_until(channel=m.channel, urgent=urgent, at=now, window=window) or now))
    if created:
        _point(body, created)
        # What quiet hours hold is left to the outbox sweep, which sends it when the window ends.
        _dispatch_after_commit([n.pk for n in created if n.next_attempt_at <= now])
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
    _point(body, created)
    return created


def queue_mail(*, body: LocalBody, recipient: str, subject: str, text: str) -> Notification:
    """An e-mail about the body, not about a case (an invitation, an office's reminder), through
    the same outbox: written in the caller's transaction in the body's schema, sent after commit,
    retried by the sweep. Call it inside the body's schema."""
    notification = Notification.objects.create(channel="email", recipient=recipient, subject=subject[:200],
                                               body=text, next_attempt_at=timezone.now())
    _point(body, [notification])
    _dispatch_after_commit([notification.pk])
    return notification


def queue_sms(*, body: LocalBody, recipient: str, text: str) -> Notification:
    """An SMS the citizen asked for just now (a one-time code), not about a case: sent at once,
    quiet hours or not, through the same outbox and provider."""
    return queue_direct(body=body, channel="sms", recipient=recipient, text=text)


def queue_direct(*, body: LocalBody, channel: str, recipient: str, text: str, language: str = "") -> Notification:
    """A message not about a case, answering what the citizen (or the body's admin) did just now
    (a one-time code, a LINE photo refused, the body's LINE menu): in the caller's transaction,
    sent after commit, quiet hours or not, retried by the sweep with backoff."""
    notification = Notification.objects.create(channel=channel, recipient=recipient, body=text,
                                               next_attempt_at=timezone.now(), urgent=True,
                                               language=language or translation.get_language() or "th")
    _point(body, [notification])
    _dispatch_after_commit([notification.pk])
    return notification


def _point(body: LocalBody, created: Sequence[Notification]) -> None:
    """The outbox's pointers to these rows, due when each is next to be tried."""
    OutboxEntry.objects.bulk_create(
        [OutboxEntry(body=body, notification_id=n.pk, due_at=n.next_attempt_at) for n in created],
        ignore_conflicts=True)


def _dispatch_after_commit(ids: list[int]) -> None:
    # robust: nothing after the commit can turn the stored change into an error.
    if ids:
        schema = current_schema()
        transaction.on_commit(lambda: dispatch(schema, ids), robust=True)


def dispatch(schema: str, ids: list[int]) -> None:
    """Deliver these rows now (after commit). Bounded in time and never raising: a hung or absent
    broker leaves the rows to the sweep. The task by name: apps.complaints.tasks calls this
    package, which never imports it."""
    publish_after_commit(current_app.signature("complaints.notifications_deliver"), schema=schema, args=[ids])
