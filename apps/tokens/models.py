"""Tokens of the staff API (the body's schema): `Authorization: Bearer <token>`. Only a SHA-256
of the token is stored; the token is shown once. A token acts as its user, with that user's role,
and no more: `read` may only read, `write` may also act on cases.

Two kinds. A staff member's personal token acts as them. A body integration key (issued by the
body's admin for another system: Traffy Fondue, a GIS desk) acts as a user of its own, made with
the key and named after the integration, with the role the admin gave it (api.integration_keys),
so the timeline and the audit log name the integration; it sees the complainant, the description,
the place and the files only with `personal_data`. One table, a primary key and the prefix's
unique index (6 relations per body)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX_LENGTH = 8
TOKEN_MARK = "rtk"  # noqa: S105 - the tokens' visible mark, not a secret


def hash_token(raw: str) -> str:
    # 32 random bytes: a fast hash is enough (there is no dictionary to guess from).
    return hashlib.sha256(raw.encode()).hexdigest()


class TokenScope(models.TextChoices):
    READ = "read", _("อ่านอย่างเดียว")
    WRITE = "write", _("อ่านและดำเนินการกับเรื่อง")


class TokenKind(models.TextChoices):
    PERSONAL = "personal", _("โทเคนส่วนตัวของเจ้าหน้าที่")
    INTEGRATION = "integration", _("กุญแจเชื่อมต่อระบบของหน่วยงาน")


class StaffToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             db_index=False)
    name = models.CharField(_("ชื่อโทเคน"), max_length=120)
    scope = models.CharField(_("สิทธิ์"), max_length=5, choices=TokenScope.choices, default=TokenScope.READ)
    prefix = models.CharField(max_length=PREFIX_LENGTH, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", db_index=False)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(_("หมดอายุเมื่อ"))
    revoked_at = models.DateTimeField(_("ยกเลิกเมื่อ"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("ใช้ล่าสุด"), null=True, blank=True)
    kind = models.CharField(max_length=12, choices=TokenKind.choices, default=TokenKind.PERSONAL)
    # An integration key's scope for citizens' personal data; a personal token has its user's.
    personal_data = models.BooleanField(_("เข้าถึงข้อมูลส่วนบุคคลของผู้ร้อง"), default=False)

    class Meta:
        verbose_name = _("โทเคนสำหรับ API")
        verbose_name_plural = _("โทเคนสำหรับ API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE

    @property
    def is_integration(self) -> bool:
        return self.kind == TokenKind.INTEGRATION

    @property
    def sees_personal_data(self) -> bool:
        """Whether the complainant, the description, the place and the files may be shown."""
        return not self.is_integration or self.personal_data

    def is_usable(self, now: object = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now  # type: ignore[operator]
