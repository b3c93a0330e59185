"""Celery tasks of the oversight app. Thin: each calls one service."""

from __future__ import annotations

# `mypy platform` names platform/celery.py (rongthuk.celery) top-level `celery`, hiding the library.
from celery import shared_task  # type: ignore[attr-defined]

from apps.oversight import services
from apps.oversight.models import Directive
from apps.oversight.sweep import stage_clocks_sweep


@shared_task(name="oversight.directive_reminders")
def directive_reminders_task() -> int:
    """Beat: refresh measurable compliance, then remind bodies whose directives fall due soon."""
    services.directives_compliance_refresh_all()
    return len(services.directive_reminders_send())


@shared_task(name="oversight.directive_compliance_refresh")
def directive_compliance_refresh_task(directive_id: int) -> int:
    directive = Directive.objects.filter(pk=directive_id).first()
    if directive is None:
        return 0
    return services.directive_compliance_refresh(directive=directive)


@shared_task(name="sla.sweep", acks_late=True)
def sla_sweep() -> dict[str, int]:
    """Every minute (beat): warnings and escalations across all bodies; safe to run twice or at
    the same time as another sweep (rows are claimed with SKIP LOCKED in the writing transaction)."""
    report = stage_clocks_sweep()
    return {"claimed": report.claimed, "warnings": report.warnings, "escalations": report.escalations,
            "district_escalations": report.district_escalations, "notifications": report.notifications}
