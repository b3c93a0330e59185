"""The SLA sweep (beat, every minute): claim the due stage clocks across all bodies
(apps.sla.sweep), decide who is told, and hand each body's alerts to the complaint service
(complaint_sla_alerts_record), which writes the events and the e-mails through the one
notification queue. A batch is one transaction; its public-schema reads (bodies, calendars, the
oversight offices' officers) are one query each, whatever the number of bodies in it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.complaints.services.escalation import Offices, SlaAlert, complaint_sla_alerts_record
from apps.oversight.models import OversightProfile
from apps.sla.selectors import bodies_calendars
from apps.sla.sweep import Claimed, stage_clocks_claim, when_to_notify
from tenants.models import LocalBody


@dataclass
class SweepReport:
    claimed: int = 0
    warnings: int = 0
    escalations: int = 0
    district_escalations: int = 0
    notifications: int = 0
    deferred_notifications: int = 0
    bodies: set[int] = field(default_factory=set)


def _offices(bodies: list[LocalBody]) -> dict[int, Offices]:
    """Each body's district and provincial officers' e-mail addresses, for a whole batch in one
    query (read in the public schema, before any switch to a body's, whose accounts_user is the
    body's own staff table)."""
    districts = {b.district_id for b in bodies if b.district_id}
    provinces = {b.province_id for b in bodies if b.province_id}
    by_district: dict[str, list[str]] = defaultdict(list)
    by_province: dict[str, list[str]] = defaultdict(list)
    rows = (OversightProfile.objects.filter(level="district", district_id__in=districts)
            | OversightProfile.objects.filter(level="province", province_id__in=provinces))
    for level, district, province, email in rows.values_list("level", "district_id", "province_id", "user__email"):
        if not email:
            continue
        if level == "district" and district:
            by_district[district].append(email)
        elif level == "province" and province:
            by_province[province].append(email)
    return {b.pk: Offices(district=by_district.get(b.district_id or "", []),
                          province=by_province.get(b.province_id or "", [])) for b in bodies}


def stage_clocks_sweep(*, now: dt.datetime | None = None, batch: int = 5000, max_batches: int = 100) -> SweepReport:
    """Claim and act on every due action, a batch per transaction."""
    now = now or timezone.now()
    report = SweepReport()
    for _ in range(max_batches):
        with transaction.atomic():
            claims = stage_clocks_claim(now=now, limit=batch)
            if not claims:
                break
            report.claimed += len(claims)
            by_body: dict[int, list[Claimed]] = defaultdict(list)
            for claim in claims:
                by_body[claim.body_id].append(claim)
            bodies = LocalBody.objects.in_bulk(list(by_body))
            calendars = bodies_calendars(body_ids=by_body, around=now)
            offices = _offices(list(bodies.values()))
            for body_id, body_claims in by_body.items():
                body = bodies.get(body_id)
                if body is None:
                    continue
                report.bodies.add(body_id)
                alerts = [SlaAlert(complaint_id=c.complaint_id, stage=c.stage, cycle=c.cycle, seq=c.seq,
                                   due_at=c.due_at, warn=c.warn, escalate=c.escalate, district=c.district,
                                   send_at=when_to_notify(c, calendars[body_id], now)) for c in body_claims]
                with schema_context(body.schema_name):
                    counts = complaint_sla_alerts_record(body=body, alerts=alerts, offices=offices[body_id], now=now)
                report.warnings += counts.warnings
                report.escalations += counts.escalations
                report.district_escalations += counts.district_escalations
                report.notifications += counts.notifications
                report.deferred_notifications += counts.deferred_notifications
        if len(claims) < batch:
            break
    return report
