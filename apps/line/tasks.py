from __future__ import annotations

# `mypy platform` names platform/celery.py (rongthuk.celery) top-level `celery`, hiding the library.
from celery import shared_task  # type: ignore[attr-defined]
from django.conf import settings

from apps.line import client, photos

FETCH_TRIES = 8  # with the backoff below: about two hours at the default 30 s (LINE keeps content longer)


@shared_task(name=photos.FETCH_TASK, bind=True, acks_late=True, max_retries=FETCH_TRIES - 1)
def photo_fetch(self, user_id: str, message_id: str, complaint_id: int | None) -> str:  # type: ignore[no-untyped-def]
    """Runs in the body's schema (tenant-schemas-celery); LINE down: retried with backoff, and
    after the last try the citizen is told. Safe to run twice."""
    try:
        return photos.line_photo_fetch(user_id=user_id, message_id=message_id, complaint_id=complaint_id,
                                       last_try=self.request.retries >= FETCH_TRIES - 1)
    except client.LineUnavailable as exc:
        raise self.retry(exc=exc, countdown=settings.LINE_CONTENT_RETRY_SECONDS * 2 ** self.request.retries) from exc
