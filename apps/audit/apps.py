from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"

    def ready(self) -> None:
        from django.contrib import admin
        from django.contrib.auth.models import Group

        # Groups and per-user permissions are not used (roles are data: README, "Architecture"); a
        # page that changes them would be an unaudited way to grant rights, so the admin omits it.
        # Here, after the admin's autodiscovery has registered it.
        if admin.site.is_registered(Group):
            admin.site.unregister(Group)
