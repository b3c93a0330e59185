"""API clients (public schema): keys of the national reporting API and of Open311.

A key is national (no body: the reporting API within its scope, and Open311 on the national
endpoint and every body's) or a body's own (issued by the body's admin: Open311 on that body's
sub-domain only). `access` says whether it may only read or also post service requests."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.oversight.scoping import Scope
from tenants.models import LocalBody

PREFIX_LENGTH = 8


def hash_key(raw: str) -> str:
    # The key is 32 random bytes: a fast hash is enough (no dictionary to guess from).
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def active(self) -> ApiKeyQuerySet:
        return self.filter(revoked_at__isnull=True)


class Access(models.TextChoices):
    READ = "read", _("อ่านอย่างเดียว")
    WRITE = "write", _("อ่านและส่งเรื่อง")


class ApiKey(models.Model):
    """An API client's key. Only its SHA-256 is stored; the raw key is shown once."""

    name = models.CharField(_("ชื่อผู้ใช้ API"), max_length=200)
    scope = models.CharField(_("ขอบเขต"), max_length=20, blank=True,
                             help_text=_("nation, province:XX หรือ district:XXXX"))
    body = models.ForeignKey("tenants.LocalBody", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("หน่วยงาน"),
                             help_text=_("เว้นว่างสำหรับกุญแจระดับประเทศ"))
    access = models.CharField(_("สิทธิ์"), max_length=5, choices=Access.choices, default=Access.READ)
    prefix = models.CharField(max_length=PREFIX_LENGTH, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("ยกเลิกเมื่อ"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("กุญแจ API ระดับประเทศ")
        verbose_name_plural = _("กุญแจ API ระดับประเทศ")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…, {self.scope or self.body_id})"

    @property
    def can_write(self) -> bool:
        return self.access == Access.WRITE

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])


def api_key_create(*, name: str, scope: str = "", body: LocalBody | None = None,
                   access: str = Access.READ) -> tuple[ApiKey, str]:
    """A new key; returns the row and the raw key (`<prefix>.<secret>`), which is never stored.
    A national key has a scope (`nation`, `province:XX`, `district:XXXX`); a body's key has none."""
    if body is None:
        Scope.parse(scope)
    elif scope:
        raise ValueError("a body's key has no scope")
    if access not in Access.values:
        raise ValueError(f"invalid access {access!r}")
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    raw = f"{prefix}.{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(name=name.strip()[:200], scope=scope, body=body, access=access, prefix=prefix,
                                key_hash=hash_key(raw))
    return key, raw


def api_key_revoke(*, key: ApiKey) -> ApiKey:
    """Revoked keys keep their row (who used what stays answerable); a revoked key never works again."""
    if key.revoked_at is None:
        key.revoke()
    return key
