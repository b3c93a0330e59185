"""Celery tasks of onboarding. Thin: each calls one service and is safe to run twice."""

from __future__ import annotations

# `mypy platform` names platform/celery.py (rongthuk.celery) top-level `celery`, hiding the library.
from celery import shared_task  # type: ignore[attr-defined]

from apps.onboarding import selectors, services


@shared_task(name="onboarding.reminders_mail")
def reminders_mail(reminder_ids: list[int]) -> int:
    return services.reminders_mail(reminder_ids=reminder_ids)


@shared_task(name="onboarding.setup_refresh")
def setup_refresh(limit: int = 2000) -> int:
    """Beat: the e-mails of reminders a broker outage left unwritten, then the checklist facts of
    claimed bodies not yet configured (visited one by one, off the request path)."""
    services.reminders_mail()
    return services.setups_refresh(bodies=selectors.bodies_to_refresh(limit=limit))
