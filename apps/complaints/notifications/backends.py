"""The providers the outbox delivers through, and which one serves a channel in the current body.
Settings name them by dotted path (NOTIFICATION_PROVIDERS, NOTIFY_*_BACKEND); the package
`apps.complaints.notifications` exports the ones defined here under its own name too."""

from __future__ import annotations

import json
import logging
import urllib.request
from importlib import import_module
from typing import Protocol

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.complaints.models import Notification, NotificationSettings

logger = logging.getLogger("apps.complaints.notifications")


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


# What a body's admin reads for each provider name of settings.NOTIFICATION_PROVIDERS.
PROVIDER_LABELS = {
    "console": _("ทดสอบ (บันทึกไว้ในระบบ ไม่ส่งจริง)"),
    "smtp": _("เซิร์ฟเวอร์ SMTP"),
    "ants": "ANTS (ants.co.th)",
    "http": _("เกตเวย์ HTTP"),
    "line": "LINE",
}


def provider_label(name_or_path: str) -> str:
    """A provider by its name or its dotted path (the national setting may be either), as a person
    reads it; a provider we do not know is called so, never shown by its code."""
    by_path = {path: name for name, path in settings.NOTIFICATION_PROVIDERS.items()}
    name = by_path.get(name_or_path, name_or_path)
    return str(PROVIDER_LABELS.get(name, _("ผู้ให้บริการอื่นที่ตั้งค่าไว้")))


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
    backend: Backend = getattr(import_module(module), name)()
    label = configured if configured in settings.NOTIFICATION_PROVIDERS else name
    return label[:20], backend


def backend_for(channel: str) -> Backend:
    return provider_for(channel)[1]
