"""Thai display helpers: Buddhist-era dates, Thai digits and "time left" to a deadline.

The Buddhist era is a display concern only: everything is stored in UTC and shown in the local
time zone (Asia/Bangkok). English pages show the Common Era, as Thai agencies do in English.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

BUDDHIST_ERA_OFFSET = 543
MONTHS_TH_ABBR = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
                  "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
MONTHS_TH = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
             "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
MONTHS_EN_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def is_english(language: str | None = None) -> bool:
    return (language or get_language() or "th").startswith("en")


class Named(Protocol):
    name_th: str
    name_en: str


def localised_name(named: Named | None, language: str | None = None) -> str:
    """A place's, category's or department's name in the page's language: the English name on
    English pages when it has one, otherwise the Thai name."""
    if named is None:
        return ""
    return named.name_en if is_english(language) and named.name_en else named.name_th


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def buddhist_year(year: int) -> int:
    return year + BUDDHIST_ERA_OFFSET


def thai_digits(value: object) -> str:
    return str(value).translate(_THAI_DIGITS)


def format_date(
    value: dt.date | dt.datetime | None, *, long: bool = False, language: str | None = None
) -> str:
    """27 พ.ย. 2569 (long: 27 พฤศจิกายน 2569); in English 27 Nov 2026."""
    if value is None:
        return ""
    local = _local(value)
    if is_english(language):
        return f"{local.day} {MONTHS_EN_ABBR[local.month - 1]} {local.year}"
    months = MONTHS_TH if long else MONTHS_TH_ABBR
    return f"{local.day} {months[local.month - 1]} {buddhist_year(local.year)}"


def format_datetime(value: dt.datetime | None, *, language: str | None = None) -> str:
    """27 พ.ย. 2569 14:05 น.; in English 27 Nov 2026, 14:05."""
    if value is None:
        return ""
    local = _local(value)
    assert isinstance(local, dt.datetime)
    if is_english(language):
        return f"{format_date(local, language='en')}, {local:%H:%M}"
    return f"{format_date(local, language='th')} {local:%H:%M} น."


def _span(seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(ngettext("%(n)d วัน", "%(n)d วัน", days) % {"n": days})
    if hours and days < 7:
        parts.append(ngettext("%(n)d ชั่วโมง", "%(n)d ชั่วโมง", hours) % {"n": hours})
    if not days and not hours:
        parts.append(ngettext("%(n)d นาที", "%(n)d นาที", max(minutes, 1)) % {"n": max(minutes, 1)})
    return " ".join(parts)


def time_left(deadline: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """"เหลือ 2 วัน 3 ชั่วโมง" before the deadline, "เกินกำหนด 1 วัน" after it."""
    if deadline is None:
        return ""
    now = now or timezone.now()
    seconds = int((deadline - now).total_seconds())
    if seconds >= 0:
        return _("เหลือ %(span)s") % {"span": _span(seconds)}
    return _("เกินกำหนด %(span)s") % {"span": _span(-seconds)}


def deadline_state(deadline: dt.datetime | None, now: dt.datetime | None = None, *,
                   soon: dt.timedelta = dt.timedelta(days=1)) -> str:
    """ok / soon / overdue: a CSS hint beside time_left."""
    if deadline is None:
        return ""
    now = now or timezone.now()
    if deadline < now:
        return "overdue"
    if deadline - now <= soon:
        return "soon"
    return "ok"


def fiscal_year_of(day: dt.date) -> int:
    """The Thai government fiscal year (Common Era number) a day falls in: 1 Oct – 30 Sep."""
    return day.year + 1 if day.month >= 10 else day.year
