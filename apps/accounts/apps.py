from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "apps.accounts"
    label = "accounts"
    verbose_name = _("บัญชีผู้ใช้")


class PlatformAdminConfig(admin_apps.AdminConfig):
    """The Django admin, behind the second factor (apps.accounts.admin_site.PlatformAdminSite)."""

    default = False
    default_site = "apps.accounts.admin_site.PlatformAdminSite"
