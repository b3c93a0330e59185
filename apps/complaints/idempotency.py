"""Idempotent intake: a client that retries after a timeout gets the case it already filed.

The key (the `Idempotency-Key` header of the staff and portal intake, or the portal form's hidden
field) is stored on the complaint in the body's schema, scoped by who sent it, under a partial
unique index: one column and one index, not a table (every relation is multiplied by 7,850).
Two requests racing with the same key meet at the index; the second reads the first's case.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError
from django.utils.translation import gettext_lazy as _

from apps.complaints.errors import ComplaintError
from apps.complaints.models import Complaint

MAX_KEY = 80
CONSTRAINT = "complaint_idempotency_key_unique"


def scoped_key(raw: str, *, scope: str) -> str:
    """The stored key: the client's, within its sender's scope (a staff user, or the portal).
    Empty when no key was sent; a malformed key is refused."""
    key = (raw or "").strip()
    if not key:
        return ""
    if len(key) > MAX_KEY or not all(33 <= ord(ch) < 127 for ch in key):
        raise ComplaintError(
            _("Idempotency-Key ต้องเป็นอักขระ ASCII ที่มองเห็นได้ ไม่เกิน %(max)d ตัว") % {"max": MAX_KEY},
            field="idempotency_key")
    return f"{scope}:{key}"


def existing(key: str) -> Complaint | None:
    return Complaint.objects.filter(idempotency_key=key).first() if key else None


def is_clash(error: IntegrityError) -> bool:
    return getattr(getattr(error.__cause__, "diag", None), "constraint_name", None) == CONSTRAINT


def second_factor(complaint: Complaint) -> tuple[str, str]:
    """The receipt's second factor for a replayed intake. The phone's last 4 digits are stored; a
    PIN is stored only as a hash, so a replay issues a new PIN (the first answer never arrived,
    which is why the client retried) and the old one stops working."""
    if complaint.phone_last4:
        return complaint.phone_last4, "phone"
    pin = f"{secrets.randbelow(10**6):06d}"
    complaint.pin_hash = make_password(pin)
    complaint.save(update_fields=["pin_hash", "updated_at"])
    return pin, "pin"
