"""The second factor: TOTP (django-otp) with one-time recovery codes (django-otp static tokens).

Who must use it: every account that can sign in. On a body's host each staff role can reveal a
complainant's identity (admin, executive and clerk every case's, an officer the cases assigned to
them: apps.complaints.policies.can_view_identity) or administers the body; on the platform domain
the oversight officers and the national admins. So a password alone never opens a page.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.audit import AuthEventKind, auth_event_record
from apps.accounts.models import User

TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def second_factor_required(user: User) -> bool:
    """Every account that can sign in (see the module's note); kept as the one place to decide."""
    return bool(user.is_authenticated)


def is_verified(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and getattr(user, "is_verified", lambda: False)())


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    secret: str  # base32, for typing into an app by hand
    qr_svg: str


def totp_enrolment_start(*, user: User) -> Enrolment:
    """The pending (unconfirmed) authenticator of this user, made once and shown until confirmed."""
    if has_second_factor(user):
        raise ValueError("already enrolled")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    secret = base64.b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m")
    return Enrolment(device=device, secret=secret,
                     qr_svg=qr.svg_inline(scale=4, title=settings.OTP_TOTP_ISSUER))


@transaction.atomic
def totp_enrolment_confirm(*, request: HttpRequest, user: User, token: str) -> list[str] | None:
    """Confirm the pending authenticator with a code from it; returns the new recovery codes, or
    None when the code is wrong (audited as a failure)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("id").first()
    if device is None or has_second_factor(user) or not device.verify_token(_digits(token)):
        auth_event_record(request=request, kind=AuthEventKind.OTP_FAILED, user=user)
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    codes = recovery_codes_replace(user=user)
    _verified(request, device)
    auth_event_record(request=request, kind=AuthEventKind.OTP_ENROLLED, user=user)
    return codes


@transaction.atomic
def recovery_codes_replace(*, user: User) -> list[str]:
    """A fresh set of recovery codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def second_factor_verify(*, request: HttpRequest, user: User, token: str) -> bool:
    """A code from the authenticator, or a recovery code (which then stops working). Each device
    throttles repeated failures itself (django-otp), so guessing is slowed down per device."""
    token = _digits(token)
    # Authenticator codes are 6 digits, recovery codes 8 letters and digits: one kind is tried.
    if len(token) == 6 and token.isdigit():
        with transaction.atomic():
            for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
                if device.verify_token(token):
                    _verified(request, device)
                    auth_event_record(request=request, kind=AuthEventKind.OTP_VERIFIED, user=user)
                    return True
    elif token:
        with transaction.atomic():
            for static in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
                if static.verify_token(token.lower()):
                    _verified(request, static)
                    auth_event_record(request=request, kind=AuthEventKind.RECOVERY_CODE_USED, user=user)
                    return True
    auth_event_record(request=request, kind=AuthEventKind.OTP_FAILED, user=user)
    return False


def recovery_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _digits(token: str) -> str:
    return "".join((token or "").split()).replace("-", "")


def _verified(request: HttpRequest, device: TOTPDevice | StaticDevice) -> None:
    # A new session key once the second factor is passed: a key seen before it is worth nothing.
    request.session.cycle_key()
    otp_login(request, device)


@transaction.atomic
def second_factor_reset(*, request: HttpRequest | None, user: User, actor: User) -> None:
    """For someone who lost their authenticator, by the one who administers their account (a body's
    admin for its staff, the national admin for oversight and national users): the authenticator
    and the recovery codes are removed, so the next sign-in must enrol a new one (the setup page),
    and a session the user still has loses its second factor at its next request (django-otp
    finds no device for it). Audited in the account's own schema."""
    authenticator = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    codes = recovery_codes_left(user=user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    auth_event_record(request=request, kind=AuthEventKind.OTP_RESET, user=user, actor=actor,
                      changes={"before": {"authenticator": authenticator, "recovery_codes": codes},
                               "after": {"authenticator": False, "recovery_codes": 0}})
