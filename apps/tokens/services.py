"""Issuing, using and revoking staff tokens. A staff member issues their own; the body's admin
issues one for any staff member and revokes any. Each issue and revocation is in the body's
audit log; each use is attributable: the token acts as its user (the case timeline names the
user) and the staff API marks the events it writes with the token's prefix."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.audit.services import audit_record
from apps.tokens.models import PREFIX_LENGTH, TOKEN_MARK, StaffToken, TokenKind, TokenScope, hash_token

MAX_DAYS = 365
DEFAULT_DAYS = 90


class TokenError(Exception):
    def __init__(self, message: object, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


def _label(token: StaffToken) -> str:
    return f"{token.name} ({token.prefix}…)"


@transaction.atomic
def staff_token_issue(*, actor: User, user: User, name: str, scope: str, days: int = DEFAULT_DAYS,
                      may_issue_for_others: bool = False, kind: str = TokenKind.PERSONAL,
                      personal_data: bool = False, audit: dict[str, object] | None = None) -> tuple[StaffToken, str]:
    """A new token for `user`; returns it and the raw token, which is stored nowhere. Only the
    user themself, or (with `may_issue_for_others`: the body's admin) for another staff member.
    An integration key (`kind`, api.integration_keys) carries its personal-data scope."""
    if user.pk != actor.pk and not may_issue_for_others:
        raise TokenError(_("ออกโทเคนให้ผู้อื่นได้เฉพาะผู้ดูแลระบบของหน่วยงาน"), field="user")
    name = " ".join((name or "").split())
    if not name:
        raise TokenError(_("กรุณาตั้งชื่อโทเคน (เช่น ชื่อระบบที่จะใช้)"), field="name")
    if len(name) > 120:
        raise TokenError(_("ชื่อโทเคนยาวเกิน 120 ตัวอักษร"), field="name")
    if scope not in TokenScope.values:
        raise TokenError(_("สิทธิ์ไม่ถูกต้อง"), field="scope")
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise TokenError(_("อายุโทเคนต้องเป็น 1 ถึง %(max)d วัน") % {"max": MAX_DAYS}, field="days")
    now = timezone.now()
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    raw = f"{TOKEN_MARK}_{prefix}_{secrets.token_urlsafe(32)}"
    token = StaffToken.objects.create(user=user, name=name, scope=scope, prefix=prefix,
                                      token_hash=hash_token(raw), created_by=actor, created_at=now,
                                      expires_at=now + dt.timedelta(days=days), kind=kind,
                                      personal_data=personal_data and kind == TokenKind.INTEGRATION)
    after: dict[str, object] = {"user": user.username, "scope": scope, "expires_at": token.expires_at}
    if kind == TokenKind.INTEGRATION:
        after.update({"kind": kind, "personal_data": token.personal_data, **(audit or {})})
    audit_record(kind="token.create", actor=actor, target=token, target_label=_label(token),
                 changes={"after": after})
    return token, raw


@transaction.atomic
def staff_token_revoke(*, actor: User, token: StaffToken) -> StaffToken:
    """Revoked tokens keep their row (who used what stays answerable) and never work again."""
    token = StaffToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(kind="token.revoke", actor=actor, target=token, target_label=_label(token),
                     changes={"after": {"user_id": token.user_id, "revoked_at": token.revoked_at}})
    return token


def staff_token_for_raw(raw: str) -> StaffToken | None:
    """The usable token for a raw token in this body's schema, or None (unknown, wrong secret,
    expired, revoked, inactive user: one answer). Marks it used at most once a minute."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_MARK or len(parts[1]) != PREFIX_LENGTH:
        return None
    token = StaffToken.objects.select_related("user").filter(prefix=parts[1]).first()
    now = timezone.now()
    if token is None or not hmac.compare_digest(token.token_hash, hash_token(raw)) or not token.is_usable(now) \
            or not token.user.is_active:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        StaffToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def staff_tokens(*, user: User | None = None, kind: str = TokenKind.PERSONAL) -> list[StaffToken]:
    tokens = StaffToken.objects.select_related("user").filter(kind=kind).order_by("-created_at")
    return list(tokens.filter(user=user) if user is not None else tokens)
