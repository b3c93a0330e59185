"""The Celery app. tenant-schemas-celery carries the body's schema with every task."""

from __future__ import annotations

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongthuk.settings")

app = CeleryApp("rongthuk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
