"""Complaints made directly (model rows and events) so each test controls the timeline exactly."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction

from apps.complaints.models import Category, Complaint, ComplaintEvent
from apps.reporting.models import ComplaintFact
from apps.reporting.services import fact_sync
from apps.sla.calendar import BANGKOK
from apps.sla.services import complaint_clock_update, sla_snapshot_for
from tenants.models import LocalBody


def at(day: str, hm: str = "09:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hm}").replace(tzinfo=BANGKOK)


def complaint_make(body: LocalBody, received: dt.datetime, *, national: str = "road",
                   sla_class: str = "B") -> Complaint:
    """Call inside the body's schema_context."""
    category = Category.objects.filter(national_category_id=national).first() or Category.objects.create(
        national_category_id=national, name_th=national)
    complaint = Complaint.objects.create(
        tracking_code=secrets.token_hex(5).upper(), channel="web", category=category, national_category=national,
        sla_class=sla_class, description="ทดสอบ", received_at=received, cycle_started_at=received,
        sla_snapshot=sla_snapshot_for(body=body, sla_class=sla_class, at=received),
    )
    ComplaintEvent.objects.create(complaint=complaint, kind="created", to_status="received", is_public=True,
                                  created_at=received)
    return complaint


def event_add(complaint: Complaint, kind: str, when: dt.datetime, *, to_status: str = "", is_public: bool = True,
              **data: object) -> None:
    ComplaintEvent.objects.create(complaint=complaint, kind=kind, to_status=to_status, is_public=is_public,
                                  data=data, created_at=when)
    if to_status:
        complaint.status = to_status
        complaint.save(update_fields=["status"])


def clock_sync(body: LocalBody, complaint: Complaint, now: dt.datetime) -> ComplaintFact:
    with transaction.atomic():  # as in the complaint service
        fact = fact_sync(complaint=complaint, body=body)
        complaint_clock_update(complaint=complaint, fact=fact, now=now)
    fact.refresh_from_db()
    return fact
