from __future__ import annotations

# `mypy platform` names platform/celery.py (rongthuk.celery) top-level `celery`, hiding the library.
from celery import shared_task  # type: ignore[attr-defined]

from apps.line import client, rich_menu


@shared_task(name="line.rich_menu_setup", bind=True, acks_late=True, max_retries=5)
def rich_menu_setup(self) -> str:  # type: ignore[no-untyped-def]
    """Runs in the body's schema (tenant-schemas-celery); LINE down: retried with backoff."""
    try:
        return rich_menu.line_rich_menu_setup()
    except client.LineUnavailable as exc:
        raise self.retry(exc=exc, countdown=60 * 2 ** self.request.retries) from exc
