"""What the SLA sweep decided, written to the cases: the warning and escalation events on each
timeline and the e-mails to the assignee, the executives or the oversight office, through the one
notification queue. The sweep (apps.oversight.sweep) claims and decides; this writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from apps.complaints import notifications, webhooks
from apps.complaints.conduct import PROVINCE, handling_office
from apps.complaints.models import Complaint, ComplaintEvent, EventKind, Role, StaffMember
from apps.complaints.services.record import SYSTEM
from apps.sla.models import Stage
from apps.ui.thai import format_datetime
from tenants.models import LocalBody


@dataclass(frozen=True)
class SlaAlert:
    """One stage clock's due actions, as the sweep claimed them."""

    complaint_id: int
    stage: str
    cycle: int
    seq: int
    due_at: dt.datetime
    warn: bool
    escalate: bool
    district: bool
    send_at: dt.datetime  # now, or the next office opening for a non-urgent class


@dataclass(frozen=True)
class Offices:
    """E-mail addresses of the body's district and provincial offices' officers."""

    district: Sequence[str] = ()
    province: Sequence[str] = ()


@dataclass
class AlertCounts:
    warnings: int = 0
    escalations: int = 0
    district_escalations: int = 0
    notifications: int = 0
    deferred_notifications: int = 0


@transaction.atomic
def complaint_sla_alerts_record(*, body: LocalBody, alerts: Sequence[SlaAlert], offices: Offices,
                                now: dt.datetime) -> AlertCounts:
    """In the body's schema: every alert's events and e-mails, in a fixed number of statements
    whatever the number of alerts (the cases, the executives, the events, the e-mails)."""
    counts = AlertCounts()
    complaints = {c.pk: c for c in Complaint.objects.filter(pk__in={a.complaint_id for a in alerts})
                  .select_related("assignee").only("pk", "tracking_code", "assignee__email",
                                                   "routed_to_oversight", "about_district_office")}
    executives = [e for e in StaffMember.objects.filter(role=Role.EXECUTIVE)
                  .values_list("user__email", flat=True) if e]
    events: list[ComplaintEvent] = []
    notices: list[notifications.StaffNotice] = []
    # Timeline text is stored once and read by every officer: the platform's language, not the
    # language of whoever's request happened to run the sweep.
    with translation.override(settings.LANGUAGE_CODE):
        labels = dict(Stage.choices)
        for alert in alerts:
            complaint = complaints.get(alert.complaint_id)
            if complaint is None:
                continue
            stage = str(labels.get(alert.stage, alert.stage))
            due = format_datetime(alert.due_at)
            data = {"stage": alert.stage, "cycle": alert.cycle, "seq": alert.seq, "due_at": alert.due_at.isoformat()}
            recipients: list[str] = []
            text = ""
            if alert.warn and not alert.escalate:
                text = _("ขั้นตอน “%(stage)s” ใกล้ครบกำหนด (%(due)s)") % {"stage": stage, "due": due}
                events.append(_event(complaint, EventKind.SLA_WARNING, text, {**data, "level": "assignee"}, now))
                assignee = complaint.assignee.email if complaint.assignee_id and complaint.assignee else ""
                recipients = [assignee] if assignee else executives
                counts.warnings += 1
            if alert.escalate:
                text = _("ขั้นตอน “%(stage)s” เกินกำหนด (%(due)s) แจ้งผู้บริหาร") % {"stage": stage, "due": due}
                events.append(_event(complaint, EventKind.SLA_ESCALATION, text, {**data, "level": "executive"}, now))
                recipients = executives
                counts.escalations += 1
            if alert.district:
                text = _("ขั้นตอน “%(stage)s” เกินกำหนดมาแล้ว แจ้งท้องถิ่นอำเภอ") % {"stage": stage}
                events.append(_event(complaint, EventKind.SLA_ESCALATION, text, {**data, "level": "district"}, now))
                recipients = [*recipients, *offices.district]
                counts.district_escalations += 1
            if complaint.routed_to_oversight:
                # Conduct cases are the handling office's: its officers are told, never the body's people.
                level = handling_office(body, about_district_office=complaint.about_district_office)[0]
                recipients = list(offices.province if level == PROVINCE else offices.district)
            subject = _("เรื่องร้องทุกข์ %(code)s: %(text)s") % {"code": complaint.tracking_code, "text": text}
            notices.append(notifications.StaffNotice(complaint=complaint, recipients=recipients, subject=subject,
                                                     text=text, send_at=alert.send_at))
    ComplaintEvent.objects.bulk_create(events)
    webhooks.events_queue(events)
    created = notifications.queue_staff(notices, body=body)
    counts.notifications = len(created)
    counts.deferred_notifications = sum(1 for n in created if n.next_attempt_at > now)
    return counts


def _event(complaint: Complaint, kind: str, text: str, data: dict[str, object], at: dt.datetime) -> ComplaintEvent:
    return ComplaintEvent(complaint=complaint, kind=kind, actor_label=SYSTEM, text=text, data=data, created_at=at)
