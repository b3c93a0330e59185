"""Signing in as the platform requires: a password session that has passed the second factor.

`verified_login` is the shortcut for tests about something else (force_login, a confirmed
authenticator, the session marked verified); `password_and_code` goes through the real pages."""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.accounts.signin import SESSION_SCHEMA


def authenticator(user: User) -> TOTPDevice:
    """The user's confirmed authenticator (made when missing), in the current schema."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def totp_code(device: TOTPDevice, *, step_offset: int = 0) -> str:
    """What the phone shows now (or `step_offset` steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + step_offset * device.step
    return f"{totp.token():0{device.digits}d}"


def verified_login(client: Client, user: User, *, schema: str = "public") -> Client:
    with schema_context(schema):
        device = authenticator(user)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        if schema != "public":
            session[SESSION_SCHEMA] = schema
        session.save()
    return client


def password_and_code(client: Client, *, username: str, password: str, schema: str, prefix: str = "/staff",
                      **extra: str) -> Client:
    """Sign in through the pages: the password form, then a code from the user's authenticator."""
    response = client.post(f"{prefix}/login/", {"username": username, "password": password}, **extra)
    assert response.status_code == 302, response.content.decode()[:500]
    with schema_context(schema):
        device = authenticator(User.objects.get(username=username))
        code = totp_code(device)
    response = client.post(f"{prefix}/second-factor/", {"token": code}, **extra)
    assert response.status_code == 302, response.content.decode()[:500]
    return client


# Audit entries up to these ids (per schema) are ignored by account_events (set per test).
AUDIT_BASELINE: dict[str, int] = {}


def account_events(schema: str, username: str) -> list[str]:
    """The audit kinds of `username`'s account events in `schema`, oldest first."""
    from apps.audit.models import AuditEntry  # noqa: PLC0415

    with schema_context(schema):
        return list(AuditEntry.objects.filter(actor_label=username, kind__startswith="account.",
                                              id__gt=AUDIT_BASELINE.get(schema, 0))
                    .order_by("id").values_list("kind", flat=True))


def code_for(user: User, *, schema: str = "public") -> str:
    """What `user`'s phone shows now (a confirmed authenticator is made when missing): for browser
    tests that type the code into the page."""
    with schema_context(schema):
        return totp_code(authenticator(user))
