"""The SLA sweep: warn at 75 % of a stage, escalate to the body's executives at breach, and to the
district office when a breach is N working days old, each exactly once.

One statement claims the work across all bodies: a range read of the partial index on
StageClock.next_action_at, locked with FOR UPDATE SKIP LOCKED and marked in the same UPDATE. The
events and notifications are then written in each body's schema *in the same transaction*, so a
sweep that dies midway rolls its claims back with its writes (the next sweep redoes them), and
two sweeps at once never take the same row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.complaints.conduct import PROVINCE, handling_office
from apps.sla.calendar import BANGKOK, Calendar
from apps.sla.models import Stage
from apps.sla.selectors import bodies_calendars
from tenants.models import LocalBody

SYSTEM_LABEL = "ระบบ"
URGENT_CLASSES = frozenset({"A"})

CLAIM_SQL = """
WITH due AS (
    SELECT id FROM sla_stageclock
    WHERE next_action_at IS NOT NULL AND next_action_at <= %(now)s
    ORDER BY next_action_at
    LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
)
UPDATE sla_stageclock AS s SET
    warned_at = CASE WHEN s.warned_at IS NULL AND s.warn_at <= %(now)s THEN %(now)s ELSE s.warned_at END,
    escalated_at = CASE WHEN s.escalated_at IS NULL AND s.due_at <= %(now)s THEN %(now)s ELSE s.escalated_at END,
    district_escalated_at = CASE WHEN s.district_escalated_at IS NULL AND s.district_due_at <= %(now)s
                                 THEN %(now)s ELSE s.district_escalated_at END,
    next_action_at = CASE
        WHEN s.warned_at IS NULL AND s.warn_at > %(now)s THEN s.warn_at
        WHEN s.escalated_at IS NULL AND s.due_at > %(now)s THEN s.due_at
        WHEN s.district_escalated_at IS NULL AND s.district_due_at > %(now)s THEN s.district_due_at
        ELSE NULL END
FROM due WHERE s.id = due.id
RETURNING s.id, s.body_id, s.complaint_id, s.stage, s.cycle, s.seq, s.sla_class, s.due_at,
    s.warned_at = %(now)s, s.escalated_at = %(now)s, s.district_escalated_at = %(now)s
"""


@dataclass(frozen=True)
class Claimed:
    clock_id: int
    body_id: int
    complaint_id: int
    stage: str
    cycle: int
    seq: int
    sla_class: str
    due_at: dt.datetime
    warn: bool
    escalate: bool
    district: bool


@dataclass
class SweepReport:
    claimed: int = 0
    warnings: int = 0
    escalations: int = 0
    district_escalations: int = 0
    notifications: int = 0
    deferred_notifications: int = 0
    bodies: set[int] = field(default_factory=set)


def stage_clocks_claim(*, now: dt.datetime, limit: int) -> list[Claimed]:
    with connection.cursor() as cursor:
        cursor.execute(CLAIM_SQL, {"now": now, "limit": limit})
        return [Claimed(*row) for row in cursor.fetchall()]


def _when_to_notify(claim: Claimed, calendar: Calendar, now: dt.datetime) -> dt.datetime:
    # Nobody is woken at night or on a holiday for a non-urgent stage: the state is recorded now,
    # the message waits for the next office opening.
    if claim.sla_class in URGENT_CLASSES:
        return now
    return calendar.next_office_opening(now)


def _thai_time(at: dt.datetime) -> str:
    local = at.astimezone(BANGKOK)
    return f"{local:%d/%m}/{local.year + 543} {local:%H:%M} น."


def _district_offices(district_codes: set[str]) -> dict[str, list[str]]:
    """E-mail addresses of each district office's officers, for a whole batch in one query."""
    from apps.oversight.models import OversightProfile  # noqa: PLC0415

    offices: dict[str, list[str]] = {code: [] for code in district_codes}
    rows = OversightProfile.objects.filter(level="district", district_id__in=district_codes) \
        .values_list("district_id", "user__email")
    for code, email in rows:
        if code and email:
            offices[code].append(email)
    return offices


def _write_for_body(*, body: LocalBody, claims: list[Claimed], calendar: Calendar, now: dt.datetime,
                    report: SweepReport, district_office: list[str]) -> None:
    from apps.complaints.models import Complaint, ComplaintEvent, Notification, StaffMember  # noqa: PLC0415
    from apps.oversight.models import OversightProfile  # noqa: PLC0415
    from apps.reporting.models import OutboxEntry  # noqa: PLC0415

    labels = dict(Stage.choices)
    # The district office's officers, read in the public schema before switching to the body's
    # (where accounts_user is the body's own staff table).
    district_office = [e for e in OversightProfile.objects.filter(level="district", district_id=body.district_id)
                       .values_list("user__email", flat=True) if e] if body.district_id else []
    # Conduct cases are the handling office's: its officers are told, never the body's people.
    province_office = [e for e in OversightProfile.objects.filter(level="province", province_id=body.province_id)
                       .values_list("user__email", flat=True) if e] if body.province_id else []
    with schema_context(body.schema_name):
        complaints = {c.pk: c for c in Complaint.objects.filter(pk__in={c.complaint_id for c in claims})
                      .select_related("assignee").only("pk", "tracking_code", "assignee__email",
                                                       "routed_to_oversight", "about_district_office")}
        executives = [e for e in StaffMember.objects.filter(role="executive").select_related("user")
                      .values_list("user__email", flat=True) if e]
        events: list[Any] = []
        notices: list[Any] = []
        for claim in claims:
            complaint = complaints.get(claim.complaint_id)
            if complaint is None:
                continue
            stage = str(labels.get(claim.stage, claim.stage))
            data = {"stage": claim.stage, "cycle": claim.cycle, "seq": claim.seq, "due_at": claim.due_at.isoformat()}
            send_at = _when_to_notify(claim, calendar, now)
            recipients: list[str] = []
            if claim.warn and not claim.escalate:
                text = f"ขั้นตอน “{stage}” ใกล้ครบกำหนด ({_thai_time(claim.due_at)})"
                events.append(ComplaintEvent(complaint=complaint, kind="sla_warning", actor_label=SYSTEM_LABEL,
                                             text=text, data={**data, "level": "assignee"}, created_at=now))
                assignee = getattr(complaint.assignee, "email", "") if complaint.assignee_id else ""
                recipients = [assignee] if assignee else executives
                report.warnings += 1
            if claim.escalate:
                text = f"ขั้นตอน “{stage}” เกินกำหนด ({_thai_time(claim.due_at)}) แจ้งผู้บริหาร"
                events.append(ComplaintEvent(complaint=complaint, kind="sla_escalation", actor_label=SYSTEM_LABEL,
                                             text=text, data={**data, "level": "executive"}, created_at=now))
                recipients = executives
                report.escalations += 1
            if claim.district:
                text = f"ขั้นตอน “{stage}” เกินกำหนดมาแล้ว แจ้งท้องถิ่นอำเภอ"
                events.append(ComplaintEvent(complaint=complaint, kind="sla_escalation", actor_label=SYSTEM_LABEL,
                                             text=text, data={**data, "level": "district"}, created_at=now))
                # Tracking code and stage only: the complainant's identity never goes to the office.
                recipients = [*recipients, *district_office]
                report.district_escalations += 1
            if complaint.routed_to_oversight:
                level = handling_office(body, about_district_office=complaint.about_district_office)[0]
                recipients = province_office if level == PROVINCE else district_office
            for recipient in dict.fromkeys(recipients):
                subject = f"เรื่องร้องทุกข์ {complaint.tracking_code}: {text}"[:200]
                notices.append(Notification(complaint=complaint, channel="email", recipient=recipient,
                                            subject=subject, body=text, next_attempt_at=send_at))
                if send_at > now:
                    report.deferred_notifications += 1
        ComplaintEvent.objects.bulk_create(events)
        created = Notification.objects.bulk_create(notices)
        report.notifications += len(created)
    OutboxEntry.objects.bulk_create(
        [OutboxEntry(body=body, notification_id=n.pk, due_at=n.next_attempt_at) for n in created],
        ignore_conflicts=True)


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
            # Read in the public schema, before any switch to a body's (whose accounts_user is the
            # body's own staff table).
            offices = _district_offices({b.district_id for b in bodies.values() if b.district_id})
            for body_id, body_claims in by_body.items():
                body = bodies.get(body_id)
                if body is None:
                    continue
                report.bodies.add(body_id)
                _write_for_body(body=body, claims=body_claims, calendar=calendars[body_id], now=now, report=report,
                                district_office=offices.get(body.district_id or "", []))
        if len(claims) < batch:
            break
    return report
