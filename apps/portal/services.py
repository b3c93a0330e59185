"""Writes of the portal: intake rate limits and the body's public profile. Complaints themselves
are written only by apps.complaints.services."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.encoding import force_bytes

from apps.audit.services import audit_diff, audit_record, audit_snapshot
from tenants.models import LocalBody

from .models import BodyProfile, IntakeThrottle


@dataclass(frozen=True)
class Limit:
    scope: str  # "ip", "phone", "track"
    count: int
    window: dt.timedelta


# Generous for a family sharing one phone or a village sharing one mobile IP; hostile for a script.
INTAKE_LIMITS = (
    Limit("ip", 10, dt.timedelta(hours=1)),
    Limit("ip", 30, dt.timedelta(days=1)),
    Limit("phone", 3, dt.timedelta(hours=1)),
    Limit("phone", 10, dt.timedelta(days=1)),
)
TRACK_LIMITS = (Limit("track", 20, dt.timedelta(minutes=15)),)
# Following a public report sends a first message to the contact given: bounded like filing.
FOLLOW_LIMITS = (
    Limit("follow-ip", 10, dt.timedelta(hours=1)),  # its own allowance: filing does not use it up
    Limit("follow-phone", 3, dt.timedelta(hours=1)),
)


def throttle_key(scope: str, value: str, window: dt.timedelta) -> str:
    """A keyed hash: the table never holds an IP address or a phone number."""
    digest = hmac.new(force_bytes(settings.SECRET_KEY), f"{scope}:{value}".encode(), hashlib.sha256).hexdigest()
    return f"{scope}:{int(window.total_seconds())}:{digest[:40]}"


def _window_start(now: dt.datetime, window: dt.timedelta) -> dt.datetime:
    seconds = int(window.total_seconds())
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % seconds, tz=dt.UTC)


def throttle_exceeded(*, values: dict[str, str], limits: tuple[Limit, ...], now: dt.datetime | None = None) -> bool:
    """True when any (scope, value) has already used its allowance in the current window."""
    now = now or timezone.now()
    for limit in limits:
        value = values.get(limit.scope)
        if not value:
            continue
        used = IntakeThrottle.objects.filter(
            key=throttle_key(limit.scope, value, limit.window), window_start=_window_start(now, limit.window)
        ).values_list("count", flat=True).first()
        if used is not None and used >= limit.count:
            return True
    return False


def throttle_record(*, values: dict[str, str], limits: tuple[Limit, ...], now: dt.datetime | None = None) -> None:
    """Count one use for each (scope, value): one upsert per row, safe with concurrent workers."""
    now = now or timezone.now()
    table = IntakeThrottle._meta.db_table
    with connection.cursor() as cursor:
        for limit in limits:
            value = values.get(limit.scope)
            if not value:
                continue
            cursor.execute(
                f'INSERT INTO public."{table}" (key, window_start, count) VALUES (%s, %s, 1) '  # noqa: S608
                "ON CONFLICT (key, window_start) DO UPDATE SET count = EXCLUDED.count + "
                f'public."{table}".count',
                [throttle_key(limit.scope, value, limit.window), _window_start(now, limit.window)],
            )


def throttle_purge(*, older_than: dt.timedelta = dt.timedelta(days=2)) -> int:
    deleted, _ = IntakeThrottle.objects.filter(window_start__lt=timezone.now() - older_than).delete()
    return deleted


@transaction.atomic
def body_profile_update(
    *,
    body: LocalBody,
    phone: str = "",
    email: str = "",
    line_id: str = "",
    office_hours: str = "",
    reopen_window_days: int = 30,
    tile_url: str = "",
    logo: UploadedFile[bytes] | None = None,
    remove_logo: bool = False,
    retention_years: int | None | object = ...,
    actor: object = None,
) -> BodyProfile:
    """`retention_years`: None for the national default; left out: unchanged. Audited in the
    body's log: the profile's changed fields, and the retention period as its own entry."""
    profile, _created = BodyProfile.objects.select_for_update().get_or_create(body=body)
    before = audit_snapshot(profile, PROFILE_FIELDS)
    retention_before = profile.retention_years
    profile.phone, profile.email, profile.line_id = phone, email, line_id
    profile.office_hours, profile.reopen_window_days, profile.tile_url = office_hours, reopen_window_days, tile_url
    if remove_logo and profile.logo:
        profile.logo.delete(save=False)
        profile.logo = ""
    if logo is not None:
        profile.logo = logo
    if retention_years is not ...:
        profile.retention_years = retention_years  # type: ignore[assignment]
    profile.full_clean()
    profile.save()
    changes = audit_diff(before, audit_snapshot(profile, PROFILE_FIELDS))
    if changes:
        audit_record(kind="profile.update", actor=actor, target=profile, body=body, changes=changes)
    if profile.retention_years != retention_before:
        audit_record(kind="retention.update", actor=actor, target=profile, body=body, changes={
            "before": {"retention_years": retention_before}, "after": {"retention_years": profile.retention_years},
            "national_default": settings.PDPA_RETENTION_YEARS})
    return profile


PROFILE_FIELDS = ("logo", "phone", "email", "line_id", "office_hours", "reopen_window_days", "tile_url")
