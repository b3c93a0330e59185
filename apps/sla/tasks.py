from __future__ import annotations

# `mypy platform` names platform/celery.py (rongthuk.celery) top-level `celery`, hiding the library.
from celery import shared_task  # type: ignore[attr-defined]

from apps.sla.sweep import stage_clocks_sweep


@shared_task(name="sla.sweep", acks_late=True)
def sla_sweep() -> dict[str, int]:
    """Every minute (beat): warnings and escalations across all bodies; safe to run twice or at
    the same time as another sweep (rows are claimed with SKIP LOCKED in the writing transaction)."""
    report = stage_clocks_sweep()
    return {"claimed": report.claimed, "warnings": report.warnings, "escalations": report.escalations,
            "district_escalations": report.district_escalations, "notifications": report.notifications}
