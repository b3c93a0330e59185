"""Real providers behind the one notification interface (apps.complaints.notifications.Backend):
e-mail through SMTP and SMS through ANTS (ants.co.th), a Thai gateway used by government bodies.

Which provider a channel uses is the platform's setting (NOTIFICATION_BACKENDS, by name from
NOTIFICATION_PROVIDERS), and a body's admin may choose another configured one for the body
(NotificationSettings). Each `send` returns the provider's id for the message (recorded on the
notification) and raises on any failure: the outbox keeps the message and retries it with backoff.

ANTS (https://apidoc.ants.co.th/, "SMS → Send Message" and "Callback Delivery Report"):
POST {ANTS_SMS_URL} (https://api-service.ants.co.th/sms/send), HTTP Basic authentication,
JSON `{"messages": [{"from", "destinations": [{"to", "messageId"}], "text", "notifyUrl",
"notifyContentType", "callbackData"}]}` with numbers in international form (66…). We give our
own `messageId` (the outbox's idempotency key: the same on every attempt), so a delivery report
names the notification it is about. ANTS posts delivery reports to `notifyUrl`
(`{"bulkId", "details": [{"messageId", "to", "status": {"groupId", "groupName", …}, "doneDate",
"callbackData"}]}`; groups 1 PENDING, 2 UNDELIVERED, 3 DELIVERED, 4 EXPIRED, 5 REJECTED); our
`notifyUrl` carries a keyed signature of the message id, checked before anything is recorded.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.request
from email.utils import formatdate

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from apps.complaints.context import current_body
from apps.complaints.models import DeliveryStatus, Notification

# ANTS's general status groups (Status and Error codes) onto our delivery statuses.
ANTS_GROUPS = {
    1: DeliveryStatus.ACCEPTED,  # PENDING
    2: DeliveryStatus.UNDELIVERED,
    3: DeliveryStatus.DELIVERED,
    4: DeliveryStatus.EXPIRED,
    5: DeliveryStatus.REJECTED,
    6: DeliveryStatus.DELIVERED,  # COMPLETED
}
ANTS_CALLBACK_PATH = "/notifications/sms/ants/"


class ProviderError(ConnectionError):
    """The provider refused or did not answer: retried later."""


def international_msisdn(phone: str) -> str:
    """0812345678 → 66812345678 (the gateways want the country code, no plus sign)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("66"):
        return digits
    if digits.startswith("0"):
        return "66" + digits[1:]
    return digits


def callback_signature(message_id: str) -> str:
    key = str(settings.SMS_CALLBACK_SECRET or settings.SECRET_KEY).encode()
    return hmac.new(key, f"ants:{message_id}".encode(), hashlib.sha256).hexdigest()[:32]


def ants_notify_url(message_id: str) -> str:
    body = current_body()
    scheme = "https" if settings.PRODUCTION else settings.SMS_CALLBACK_SCHEME
    host = settings.SMS_CALLBACK_HOST or f"{body.slug}.{settings.PLATFORM_DOMAIN}"
    return f"{scheme}://{host}{ANTS_CALLBACK_PATH}?sig={callback_signature(message_id)}"


class AntsSms:
    name = "ants"

    def send(self, notification: Notification, *, idempotency_key: str) -> str:
        payload = {"messages": [{
            "from": settings.ANTS_SMS_SENDER,
            "destinations": [{"to": international_msisdn(notification.recipient), "messageId": idempotency_key}],
            "text": notification.body[:1600],
            "notifyUrl": ants_notify_url(idempotency_key),
            "notifyContentType": "application/json",
            "callbackData": idempotency_key,
        }]}
        credentials = f"{settings.ANTS_SMS_USERNAME}:{settings.ANTS_SMS_PASSWORD}".encode()
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
            settings.ANTS_SMS_URL, data=json.dumps(payload).encode(), method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json",
                     "Authorization": "Basic " + base64.b64encode(credentials).decode()})
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as response:  # noqa: S310
                answer = json.loads(response.read(65536) or b"{}")
        except urllib.error.HTTPError as error:
            raise ProviderError(f"ANTS answered {error.code}: {error.read(300).decode('utf-8', 'replace')}") from error
        except (OSError, ValueError) as error:
            raise ProviderError(f"ANTS: {error}") from error
        for message in answer.get("messages") or []:
            status = message.get("status") or {}
            group = status.get("groupId")
            if group in (2, 4, 5):  # refused at once (bad number, sender, credit): retried, never lost
                raise ProviderError(f"ANTS refused the message: {status.get('groupName')} {status.get('name')}")
            if message.get("messageId"):
                return str(message["messageId"])
        raise ProviderError("ANTS answered without the message")


class SmtpEmail:
    """E-mail through the SMTP server of the settings (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
    EMAIL_HOST_PASSWORD, EMAIL_USE_TLS/SSL), whatever EMAIL_BACKEND the rest of the site uses.
    The Message-ID is the outbox's key: a retried message is recognisably the same one."""

    name = "smtp"

    def send(self, notification: Notification, *, idempotency_key: str) -> str:
        message_id = f"<{idempotency_key}@{settings.PLATFORM_DOMAIN}>"
        connection = get_connection("django.core.mail.backends.smtp.EmailBackend", fail_silently=False,
                                    timeout=settings.EMAIL_TIMEOUT)
        message = EmailMessage(notification.subject, notification.body, None, [notification.recipient],
                               connection=connection,
                               headers={"Message-ID": message_id, "Date": formatdate(localtime=True),
                                        "Content-Language": notification.language or "th"})
        try:
            message.send()
        except OSError as error:  # smtplib's errors are OSErrors: refused, down, timed out
            raise ProviderError(f"SMTP: {error}") from error
        return message_id
