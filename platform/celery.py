"""The Celery app. tenant-schemas-celery carries the body's schema with every task."""

from __future__ import annotations

import os
from typing import Any

import django
from django.apps import apps as django_apps
from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongthuk.settings")


class RongthukCelery(CeleryApp):
    def send_task(self, *args: Any, **kwargs: Any) -> Any:
        # The schema header reads Django's connection; `celery call` sends without ever having set
        # Django up (a worker does it on start), so do it here.
        if not django_apps.ready:
            django.setup()
        return super().send_task(*args, **kwargs)


app = RongthukCelery("rongthuk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
