"""The one-time code on a receipt that binds a web, phone or counter case to the citizen's LINE
user when sent in the body's LINE chat: "L" and 8 digits (easy to read out and to type on a
phone), stored only as a keyed hash (it is a credential), cleared when used or on anonymisation.
Tries are throttled in the chat like the code-and-PIN link (5 per 15 minutes per LINE user)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from django.conf import settings

from apps.ui.normalise import ascii_digits
from tenants.models import LocalBody

_LINK_CODE = re.compile(r"[Ll][\s-]*(\d{4})[\s-]*(\d{4})")


def new_link_code() -> str:
    return f"L{secrets.randbelow(10**8):08d}"


def is_link_code(text: str) -> bool:
    return bool(_LINK_CODE.fullmatch(ascii_digits(text or "").strip()))


def link_hash(code: str) -> str:
    found = _LINK_CODE.fullmatch(ascii_digits(code or "").strip())
    digits = "".join(found.groups()) if found else ""
    return hmac.new(str(settings.SECRET_KEY).encode(), f"line-link:{digits}".encode(), hashlib.sha256).hexdigest()



def line_account_of(body: LocalBody) -> str:
    """The body's LINE Official Account id (@…) from its public profile, read afresh: the body
    object of a request comes from the host cache and may hold an outdated profile."""
    return LocalBody.objects.filter(pk=body.pk).values_list("profile__line_id", flat=True).first() or ""
