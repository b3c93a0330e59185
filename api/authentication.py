"""`Authorization: Api-Key <key>` (or `X-Api-Key: <key>`) for the national reporting API, and
`Authorization: Bearer <token>` (a staff member's token) for the staff API on a body's sub-domain."""

from __future__ import annotations

import hmac
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from api.models import PREFIX_LENGTH, ApiKey, hash_key
from apps.oversight.scoping import Scope
from apps.tokens.models import StaffToken
from apps.tokens.services import staff_token_for_raw


class ApiClient:
    """request.user for an API key: authenticated, no personal identity, carries its scope."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False

    def __init__(self, key: ApiKey) -> None:
        self.key = key
        self.pk = key.pk
        self.scope = Scope.parse(key.scope)

    def __str__(self) -> str:
        return f"api:{self.key.prefix}"


def raw_key_from_headers(request: Request) -> str | None:
    """From `Authorization: Api-Key <key>` or `X-Api-Key` (Open311 also takes the `api_key` field)."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header.startswith("Api-Key "):
        return header[len("Api-Key "):].strip()
    return request.META.get("HTTP_X_API_KEY") or None


def key_for_raw(raw: str) -> ApiKey | None:
    """The active key for a raw key, or None (unknown, wrong secret, revoked: one answer). Marks it
    used at most once a minute."""
    prefix = raw.split(".", 1)[0][:PREFIX_LENGTH]
    key = ApiKey.objects.active().select_related("body").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.key_hash, hash_key(raw)):
        return None
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """The national reporting API: national keys only (a body's Open311 key has no scope here)."""

    def authenticate(self, request: Request) -> tuple[ApiClient, ApiKey] | None:
        raw = raw_key_from_headers(request)
        if raw is None:
            return None
        key = key_for_raw(raw)
        if key is None or key.body_id is not None:
            raise exceptions.AuthenticationFailed("invalid or revoked API key")
        return ApiClient(key), key

    def authenticate_header(self, request: Request) -> str:
        return "Api-Key"


def client_scope(request: Any) -> Scope:
    return request.user.scope


class StaffTokenAuthentication(authentication.BaseAuthentication):
    """The staff API on a body's sub-domain: `Authorization: Bearer <token>`, a staff member's
    personal access token (apps.tokens), found only in this body's schema. request.user is the
    token's user (their role applies) and request.auth the token (its read or write scope)."""

    def authenticate(self, request: Request) -> tuple[Any, StaffToken] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header.startswith("Bearer "):
            return None
        token = staff_token_for_raw(header[len("Bearer "):].strip())
        if token is None:
            raise exceptions.AuthenticationFailed(_("โทเคนไม่ถูกต้อง หมดอายุ หรือถูกยกเลิกแล้ว"))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="staff"'


class StaffTokenScheme(OpenApiAuthenticationExtension):
    """The staff API's Bearer token in the OpenAPI document."""

    target_class = "api.authentication.StaffTokenAuthentication"
    name = "staffToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer",
                "description": "A staff member's personal access token or a body integration key (`rtk_…`), "
                               "made at /staff/tokens/ on the body"}
