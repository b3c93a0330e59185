from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("หน่วยงาน (องค์กรปกครองส่วนท้องถิ่น)")

    def ready(self) -> None:
        from rongthuk import celery  # noqa: F401 - makes the platform's Celery app current
        from tenants import cache  # noqa: F401 - connects cache invalidation
