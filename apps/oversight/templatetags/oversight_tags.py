"""Display helpers: Buddhist-era dates and percentages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from apps.ui.thai import MONTHS_EN_ABBR as MONTHS_EN
from apps.ui.thai import MONTHS_TH_ABBR as MONTHS

register = template.Library()


def _month_year(month: int, year: int) -> str:
    """ต.ค. 2568 (Buddhist era); on English pages Oct 2025, as Thai agencies write in English."""
    if (get_language() or "th").startswith("en"):
        return f"{MONTHS_EN[month - 1]} {year}"
    return f"{MONTHS[month - 1]} {year + 543}"


@register.filter
def thai_date(value: Any) -> str:
    """5 ต.ค. 2568 (and 14:05 for a datetime, in local time)."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{local.day} {_month_year(local.month, local.year)} {local:%H:%M}"
    if isinstance(value, dt.date):
        return f"{value.day} {_month_year(value.month, value.year)}"
    return str(value)


@register.filter
def thai_month(value: Any) -> str:
    """2025-10 or a date → ต.ค. 2568."""
    if isinstance(value, str) and len(value) == 7:
        year, month = int(value[:4]), int(value[5:])
    elif isinstance(value, dt.date):
        year, month = value.year, value.month
    else:
        return str(value or "")
    return _month_year(month, year)


@register.filter
def pct(value: Any) -> str:
    return "–" if value is None else f"{value:.1f}%"


@register.filter
def get(mapping: Any, key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None
