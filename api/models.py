"""API clients of the national reporting API (public schema)."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX_LENGTH = 8


def hash_key(raw: str) -> str:
    # The key is 32 random bytes: a fast hash is enough (no dictionary to guess from).
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def active(self) -> ApiKeyQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """A national API client's key. Only its SHA-256 is stored; the raw key is shown once."""

    name = models.CharField(_("ชื่อผู้ใช้ API"), max_length=200)
    scope = models.CharField(_("ขอบเขต"), max_length=20,
                             help_text=_("nation, province:XX หรือ district:XXXX"))
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
        return f"{self.name} ({self.prefix}…, {self.scope})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])


def api_key_create(*, name: str, scope: str) -> tuple[ApiKey, str]:
    """A new key; returns the row and the raw key (`<prefix>.<secret>`), which is never stored."""
    from apps.oversight.scoping import Scope  # noqa: PLC0415

    Scope.parse(scope)
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    raw = f"{prefix}.{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(name=name, scope=scope, prefix=prefix, key_hash=hash_key(raw))
    return key, raw
