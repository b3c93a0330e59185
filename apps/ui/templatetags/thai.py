"""{% load thai %}: Buddhist-era dates, Thai digits, time left to a deadline."""

from __future__ import annotations

import datetime as dt

from django import template

from apps.ui import thai as fmt

register = template.Library()


@register.filter
def thai_date(value: dt.date | dt.datetime | None) -> str:
    return fmt.format_date(value)


@register.filter
def thai_date_long(value: dt.date | dt.datetime | None) -> str:
    return fmt.format_date(value, long=True)


@register.filter
def thai_datetime(value: dt.datetime | None) -> str:
    return fmt.format_datetime(value)


@register.filter
def thai_digits(value: object) -> str:
    return fmt.thai_digits(value)


@register.filter
def buddhist_year(value: int | str) -> str:
    try:
        return str(fmt.buddhist_year(int(value)))
    except (TypeError, ValueError):
        return ""


@register.filter
def time_left(value: dt.datetime | None) -> str:
    return fmt.time_left(value)


@register.filter
def deadline_state(value: dt.datetime | None) -> str:
    return fmt.deadline_state(value)


@register.filter
def localised(value: fmt.Named | None) -> str:
    """{{ category|localised }}: the name in the page's language."""
    return fmt.localised_name(value)
