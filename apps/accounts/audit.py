"""One function records every sign-in and second-factor event: an entry of the audit log
(apps.audit) in the schema the request is on — a body's staff in the body's log, oversight and
national users in the platform's log."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from apps.accounts.lockout import client_ip
from apps.accounts.models import User
from apps.audit.services import audit_record


class AuthEventKind:
    """The audit kinds of account events (apps.audit.kinds.KINDS)."""

    LOGIN = "account.login"
    LOGIN_FAILED = "account.login_failed"
    LOCKED_OUT = "account.locked"
    LOGOUT = "account.logout"
    SESSION_EXPIRED = "account.session_expired"
    OTP_ENROLLED = "account.otp_enable"
    OTP_VERIFIED = "account.otp_verify"
    OTP_FAILED = "account.otp_failed"
    RECOVERY_CODE_USED = "account.recovery_code_use"
    OTP_RESET = "account.otp_reset"  # by the account's administrator
    PASSWORD_RESET_REQUESTED = "account.password_reset_request"  # noqa: S105 - a kind, not a password
    PASSWORD_RESET_DONE = "account.password_reset"  # noqa: S105


def auth_event_record(*, request: HttpRequest | None, kind: str, user: User | None = None,
                      username: str = "", actor: User | None = None, changes: dict[str, Any] | None = None) -> None:
    """`username`: what was typed, for a failed sign-in that may name no account. `actor`: who did
    it when it is not the account's owner (an administrator's reset). The client's IP is kept with
    the entry (the address django-axes counts)."""
    name = (user.get_username() if user is not None else username)[:150]
    ip = client_ip(request) if request is not None else None
    data = {**(changes or {}), **({"ip": ip} if ip else {})}
    audit_record(kind=kind, actor=actor or user, actor_label=actor.get_username() if actor else name, target=user,
                 target_label=name, target_type="accounts.user" if user is None else "", changes=data)
