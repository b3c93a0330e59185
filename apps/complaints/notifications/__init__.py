"""Citizen notifications through an outbox.

`queue()` runs inside the case's transaction: it writes the messages to the body's Notification
table and a pointer (no content) to the public OutboxEntry table. After commit a task delivers
them; if the broker is down or hung the task is not sent within TASK_PUBLISH_TIMEOUT, and the
periodic sweep (`notifications_sweep`, every minute) finds the pointer and delivers later.
Nothing is lost.

Modules by noun, all exported here (callers and settings name `apps.complaints.notifications.X`):
`outbox` (queueing: queue, queue_messages, queue_staff, queue_mail, queue_sms, queue_direct, the deadline-moved
message), `channels` (the citizen channels other apps lend, LINE), `messages` (what a citizen is
told, in their language, and at which addresses), `backends` (the providers and which one serves
a channel), `delivery` (claim, send, record; the providers' delivery reports).
"""

from apps.complaints.notifications.backends import (
    Backend,
    ConsoleBackend,
    EmailBackend,
    FailingBackend,
    HttpSmsBackend,
    backend_for,
    provider_for,
    provider_names,
)
from apps.complaints.notifications.channels import (
    CitizenChannel,
    citizen_channel,
    citizen_channel_register,
    citizen_channels,
)
from apps.complaints.notifications.delivery import (
    deliver,
    idempotency_key,
    notification_delivery_record,
)
from apps.complaints.notifications.outbox import (
    CaseMessage,
    Deadlines,
    StaffNotice,
    deadline_moved_queue,
    deadlines_stored,
    dispatch,
    queue,
    queue_direct,
    queue_mail,
    queue_messages,
    queue_sms,
    queue_staff,
)

__all__ = [
    "Backend",
    "CaseMessage",
    "CitizenChannel",
    "ConsoleBackend",
    "Deadlines",
    "EmailBackend",
    "FailingBackend",
    "HttpSmsBackend",
    "StaffNotice",
    "backend_for",
    "citizen_channel",
    "citizen_channel_register",
    "citizen_channels",
    "deadline_moved_queue",
    "deadlines_stored",
    "deliver",
    "dispatch",
    "idempotency_key",
    "notification_delivery_record",
    "provider_for",
    "provider_names",
    "queue",
    "queue_direct",
    "queue_mail",
    "queue_messages",
    "queue_sms",
    "queue_staff",
]
