"""Open311 keys: who may read and post where, how often, and a body admin's own keys.

A key is given as the spec's `api_key` field (POST body or query) or in the `X-Api-Key` /
`Authorization: Api-Key` header. A body's key works only on that body's sub-domain; a national key
works on the national endpoint and on every body within its scope. Reading needs no key (the spec
leaves GET open), at the anonymous rate per address; a key reads at its own rate."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

from api.authentication import key_for_raw, raw_key_from_headers
from api.models import Access, ApiKey, api_key_create, api_key_revoke
from apps.audit.services import audit_record
from apps.complaints.access import staff_role
from apps.complaints.errors import ComplaintError, NotAllowed
from apps.complaints.models import Role
from apps.complaints.policies import Actor
from apps.oversight.scoping import Scope
from tenants.models import LocalBody


class KeyRefused(Exception):
    """No key where one is needed, or a key that is unknown, revoked, read-only or for elsewhere (403)."""


class RateLimited(Exception):
    """Too many requests for this key (or address) in the current window (429)."""


@dataclass(frozen=True)
class Caller:
    key: ApiKey | None
    ident: str


def raw_key(request: Any) -> str | None:
    data = getattr(request, "data", None)
    raw = data.get("api_key") if isinstance(data, Mapping) else None
    raw = raw or request.query_params.get("api_key") or raw_key_from_headers(request)
    return str(raw).strip() if raw else None


def _client_address(request: Any) -> str:
    # As the portal counts visitors: behind N trusted proxies the client is the Nth address from the end.
    trusted = int(getattr(settings, "PORTAL_TRUSTED_PROXIES", 0))
    if trusted:
        chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(chain) >= trusted:
            return chain[-trusted]
    return str(request.META.get("REMOTE_ADDR", ""))


def key_allows_body(key: ApiKey, body: LocalBody | None) -> bool:
    """A body's key: that body only. A national key: the national endpoint, and bodies in its scope."""
    if key.body_id is not None:
        return body is not None and key.body_id == body.pk
    if body is None:
        return True
    try:
        scope = Scope.parse(key.scope)
    except ValueError:
        return False
    return scope.contains(Scope("district", body.district_id or "")) if scope.level != "nation" else True


def caller_for(request: Any, *, body: LocalBody | None, write: bool) -> Caller:
    """Checks the key (when given, or required for a write) and counts the request against its rate."""
    raw = raw_key(request)
    key = None
    if raw is not None:
        key = key_for_raw(raw)
        if key is None or not key_allows_body(key, body):
            raise KeyRefused(_("api_key ไม่ถูกต้องหรือถูกยกเลิกแล้ว"))
    if write and key is None:
        raise KeyRefused(_("ต้องระบุ api_key เพื่อส่งเรื่อง"))
    if write and key is not None and not key.can_write:
        raise KeyRefused(_("api_key นี้อ่านได้อย่างเดียว ส่งเรื่องไม่ได้"))
    ident = f"key:{key.pk}" if key is not None else f"ip:{_client_address(request)}"
    if key is None:
        rate, group = settings.OPEN311_ANONYMOUS_RATE, "open311.anonymous"
    elif write:
        rate, group = settings.OPEN311_WRITE_RATE, "open311.write"
    else:
        rate, group = settings.OPEN311_READ_RATE, "open311.read"
    django_request: HttpRequest = getattr(request, "_request", request)
    if is_ratelimited(django_request, group=group, key=lambda _group, _request: ident, rate=rate, increment=True):
        raise RateLimited(_("ส่งคำขอถี่เกินกำหนด กรุณารอสักครู่แล้วลองใหม่"))
    return Caller(key=key, ident=ident)


# --- a body admin's keys (staff pages) ---------------------------------------------------------------

def _require_admin(actor: Actor) -> None:
    if staff_role(actor) != Role.ADMIN:
        raise NotAllowed(_("เฉพาะผู้ดูแลระบบของหน่วยงานเท่านั้น"))


def body_api_keys(*, body: LocalBody) -> list[ApiKey]:
    return list(ApiKey.objects.filter(body=body).order_by("-created_at"))


@transaction.atomic
def body_api_key_issue(*, actor: Actor, body: LocalBody, name: str, access: str) -> tuple[ApiKey, str]:
    """A new Open311 key of this body; the raw key is returned once and never stored."""
    _require_admin(actor)
    name = (name or "").strip()
    if not name:
        raise ComplaintError(_("กรุณาตั้งชื่อระบบที่จะใช้กุญแจนี้"), field="name")
    if access not in Access.values:
        raise ComplaintError(_("สิทธิ์ไม่ถูกต้อง"), field="access")
    key, raw = api_key_create(name=name, body=body, access=access)
    audit_record(kind="api_key.create", actor=actor, target=key, target_label=f"{key.name} ({key.prefix}…)",
                 changes={"access": access})
    return key, raw


@transaction.atomic
def body_api_key_revoke(*, actor: Actor, body: LocalBody, key_id: int) -> ApiKey:
    _require_admin(actor)
    key = ApiKey.objects.filter(body=body, pk=key_id).first()
    if key is None:
        raise ComplaintError(_("ไม่พบกุญแจ"), field="key")
    api_key_revoke(key=key)
    audit_record(kind="api_key.revoke", actor=actor, target=key, target_label=f"{key.name} ({key.prefix}…)",
                 changes={"after": {"revoked_at": key.revoked_at}})
    return key
