"""The one-time code on a receipt that binds a web, phone or counter case to the citizen's LINE
user when sent in the body's LINE chat: "L" and 8 digits (easy to read out and to type on a
phone), stored only as a keyed hash (it is a credential), cleared when used or on anonymisation.
Tries are throttled in the chat like the code-and-PIN link (5 per 15 minutes per LINE user)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from urllib.parse import quote

from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext

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


# What a citizen sends in the body's LINE chat to follow a public report: the word and its public id
# (or the report's link, shared into the chat).
_REPORT_LINK = re.compile(r"/reports/([0-9a-f]{16})\b", re.IGNORECASE)
_REPORT_CODE = re.compile(r"\s*(?P<word>\S*?)\s*#?(?P<id>[0-9a-f]{16})\s*", re.IGNORECASE)


def line_follow_word(language: str) -> str:
    with translation.override(language):
        return pgettext("the word before a report's public id in the LINE chat", "ติดตาม")


def report_in_text(text: str) -> str:
    """The public id of the report a chat message names ("ติดตาม 1a2b…", or its page's link); ""."""
    link = _REPORT_LINK.search(text or "")
    if link:
        return link.group(1).lower()
    code = _REPORT_CODE.fullmatch(text or "")
    words = {"", line_follow_word("th").casefold(), line_follow_word("en").casefold()}
    return code.group("id").lower() if code and code.group("word").casefold() in words else ""


def line_follow_text(public_id: str, language: str) -> str:
    return f"{line_follow_word(language)} {public_id}"


def line_follow_url(line_id: str, public_id: str, language: str) -> str:
    """https://line.me/R/oaMessage/%40<basic id>/?<text>: opens the body's chat in LINE with the
    follow message typed in, for the citizen to send."""
    basic = (line_id or "").strip().lstrip("@")
    if not basic:
        return ""
    return f"https://line.me/R/oaMessage/%40{quote(basic)}/?{quote(line_follow_text(public_id, language))}"
