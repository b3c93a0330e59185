"""Merging a duplicate into the case that goes on: both timelines stay, both citizens are told."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.complaints import notifications
from apps.complaints.errors import ComplaintError, WorkflowError
from apps.complaints.models import Complaint, EventKind
from apps.complaints.policies import Actor
from apps.complaints.services.record import case_sync, citizen_text, event_add, staff_require, status_set
from apps.complaints.status import Status


@transaction.atomic
def complaint_merge(*, duplicate: Complaint, into: Complaint, actor: Actor) -> Complaint:
    """Merge a duplicate into the case that goes on; both timelines stay; both citizens are told."""
    staff_require(actor)
    if duplicate.pk == into.pk:
        raise ComplaintError(_("ไม่สามารถรวมเรื่องเข้ากับตัวเองได้"), field="into")
    first, second = sorted([duplicate.pk, into.pk])
    locked = {c.pk: c for c in Complaint.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk")}
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    if into.status in (Status.MERGED, Status.REJECTED, Status.TRANSFERRED, Status.CLOSED):
        raise WorkflowError(_("รวมเข้ากับเรื่องที่ปิดหรือส่งต่อแล้วไม่ได้"))
    text = citizen_text(duplicate, _("รวมกับเรื่องเลขที่ %(code)s ซึ่งเป็นเรื่องเดียวกัน"), code=into.tracking_code)
    status_set(duplicate, Status.MERGED, actor=actor, text=text, data={"into": into.pk})
    duplicate.merged_into = into
    duplicate.save(update_fields=["status", "merged_into", "updated_at"])
    event_add(into, EventKind.MERGE, actor=actor, is_public=True,
              text=citizen_text(into, _("รวมเรื่องซ้ำเลขที่ %(code)s เข้ากับเรื่องนี้"), code=duplicate.tracking_code),
              data={"merged": duplicate.pk})
    into_fact = case_sync(into)
    case_sync(duplicate, merged_into=into_fact)
    notifications.queue(duplicate, "merged", text=text)
    notifications.queue(into, "merged_into", text=duplicate.tracking_code)
    return into
