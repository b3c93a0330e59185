"""Which bodies in an area published an SLA meeting the national minimum (public schema)."""

from __future__ import annotations

from dataclasses import dataclass

from apps.oversight.scoping import Scope, bodies_in_scope_for
from apps.oversight.sla_status import SlaStatus, sla_status_for
from tenants.models import LocalBody


@dataclass(frozen=True)
class BodySla:
    body: LocalBody
    sla: SlaStatus


def sla_compliance(scope: Scope, *, not_published_only: bool = False) -> list[BodySla]:
    """Per body in scope: published or not, since when, meets the national minimum, tighter rows."""
    bodies = list(bodies_in_scope_for(scope).order_by("district_id", "dla_code"))
    status = sla_status_for([b.pk for b in bodies])
    rows = [BodySla(b, status[b.pk]) for b in bodies]
    if not_published_only:
        rows = [r for r in rows if not r.sla.published]
    return rows
