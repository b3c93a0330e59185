"""Quiet hours: no SMS and no LINE push reach a citizen at night, except about an urgent (class A:
danger to life or property) case. A message due in the window waits and goes at its end.

The window is the platform's (QUIET_HOURS_START, QUIET_HOURS_END: whole hours, local time,
Asia/Bangkok) unless the body's admin set its own (NotificationSettings). E-mail is not held:
it does not ring a phone."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from apps.complaints.models import NotificationSettings

HELD_CHANNELS = ("sms", "line")


def quiet_window() -> tuple[int, int] | None:
    """(start hour, end hour) in the current body, or None when the window is empty."""
    own = NotificationSettings.objects.filter(pk=1).values_list("quiet_start", "quiet_end").first()
    start, end = settings.QUIET_HOURS_START, settings.QUIET_HOURS_END
    if own is not None and own[0] is not None and own[1] is not None:
        start, end = own
    if start == end:
        return None
    return start, end


def held_until(*, channel: str, urgent: bool, at: datetime | None = None,
               window: tuple[int, int] | None | bool = True) -> datetime | None:
    """When a message on `channel` may go if it is due `at` (None: now, it may go at once).
    `window=True` reads the body's window; pass one already read to avoid the query."""
    if channel not in HELD_CHANNELS or urgent:
        return None
    if window is True:
        window = quiet_window()
    if not window:
        return None
    start, end = window
    local = timezone.localtime(at or timezone.now())
    hour = local.hour
    inside = start <= hour < end if start < end else (hour >= start or hour < end)
    if not inside:
        return None
    release = timezone.make_aware(datetime.combine(local.date(), time(end)), local.tzinfo)
    if release <= local:
        release += timedelta(days=1)
    return release
