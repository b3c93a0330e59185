"""One user model, with a table in the public schema (national and oversight users, operators)
and one in every body's schema (that body's staff).

It has no groups or per-user permission tables: those would add dozens of relations to every
body's schema (x7,850). Roles are data: a body's staff role lives in the body's schema, an
oversight scope in the public schema.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **extra: Any) -> User:
        if not username:
            raise ValueError("username is required")
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(username, password, **extra)


class User(AbstractBaseUser):
    username = models.CharField(_("ชื่อผู้ใช้"), max_length=150, unique=True)
    full_name = models.CharField(_("ชื่อ-นามสกุล"), max_length=200, blank=True)
    email = models.EmailField(_("อีเมล"), blank=True)
    phone = models.CharField(_("โทรศัพท์"), max_length=20, blank=True)
    is_active = models.BooleanField(_("ใช้งานได้"), default=True)
    # May sign in to the Django admin (public schema only).
    is_staff = models.BooleanField(_("เข้าหน้าผู้ดูแลระบบได้"), default=False)
    is_superuser = models.BooleanField(_("ผู้ดูแลระบบสูงสุด"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("ผู้ใช้")
        verbose_name_plural = _("ผู้ใช้")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.username

    # The admin asks these; only active superusers administer the platform.
    def has_perm(self, perm: str, obj: object = None) -> bool:
        return self.is_active and self.is_superuser

    def has_perms(self, perm_list: Any, obj: object = None) -> bool:
        return self.is_active and self.is_superuser

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_active and self.is_superuser

