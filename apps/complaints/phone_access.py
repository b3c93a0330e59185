"""A citizen who gave a phone number sees all their cases in the body after a one-time code sent
by SMS, so a lost tracking code is not a lost case.

The code (6 digits) is stored only as a keyed hash, beside a keyed hash of the phone number (the
row's key), expires after PHONE_CODE_MINUTES and allows PHONE_CODE_TRIES wrong tries; a new
request replaces it. Requests are throttled by the portal (django-ratelimit, per address and per
number). Whether a number has cases is never told: the page says the same in both cases, and
only a number with cases is sent an SMS. Anonymous cases are never listed."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.complaints import notifications
from apps.complaints.context import current_body
from apps.complaints.models import Complaint, PhoneCode
from apps.complaints.status import Status
from apps.complaints.validation import clean_phone
from apps.ui.normalise import ascii_digits


def _keyed(value: str) -> str:
    return hmac.new(str(settings.SECRET_KEY).encode(), value.encode(), hashlib.sha256).hexdigest()


def phone_key(phone: str) -> str:
    return _keyed(f"phone:{phone}")


def _cases(phone: str):  # type: ignore[no-untyped-def]
    return (Complaint.objects.filter(complainant_phone=phone, is_anonymous=False)
            .exclude(status=Status.TRANSFER_OFFERED))


@transaction.atomic
def citizen_phone_code_send(*, phone: str) -> bool:
    """Send a code to `phone` if it has cases here (True); `phone` is checked (ComplaintError)."""
    phone = clean_phone(phone)
    if not phone or not _cases(phone).exists():
        return False
    code = f"{secrets.randbelow(10**6):06d}"
    key = phone_key(phone)
    now = timezone.now()
    PhoneCode.objects.update_or_create(phone_key=key, defaults={
        "code_hash": _keyed(f"code:{key}:{code}"), "tries": 0, "created_at": now,
        "expires_at": now + timedelta(minutes=settings.PHONE_CODE_MINUTES)})
    body = current_body()
    notifications.queue_sms(body=body, recipient=phone, text=_(
        "รหัส %(code)s สำหรับดูเรื่องร้องทุกข์ของท่านกับ %(body)s ใช้ได้ %(minutes)d นาที อย่าบอกรหัสนี้แก่ผู้อื่น")
        % {"code": code, "body": body.display_name, "minutes": settings.PHONE_CODE_MINUTES})
    return True


@transaction.atomic
def citizen_phone_code_verify(*, phone: str, code: str) -> str | None:
    """The phone number when `code` is its current code (used up then), else None."""
    try:
        phone = clean_phone(phone)
    except Exception:  # noqa: BLE001 - a malformed number is a wrong answer, not an error here
        return None
    digits = "".join(ch for ch in ascii_digits(code or "") if ch.isdigit())
    row = PhoneCode.objects.select_for_update().filter(phone_key=phone_key(phone)).first() if phone else None
    if row is None or row.expires_at <= timezone.now() or row.tries >= settings.PHONE_CODE_TRIES:
        return None
    if len(digits) == 6 and hmac.compare_digest(row.code_hash, _keyed(f"code:{row.phone_key}:{digits}")):
        row.delete()
        return phone
    row.tries += 1
    row.save(update_fields=["tries"])
    return None


def complaints_for_phone(*, phone: str) -> list[Complaint]:
    return list(_cases(phone).select_related("category").order_by("-received_at", "-id")[:100])
