"""Transfers (ส่งต่อ): to another body on the platform, which accepts or returns the offer, or to an
outside agency. The sender's route stage stops at the transfer; the receiver starts its own cycle;
the citizen keeps the tracking code. Both bodies' schemas are in one database, so the offer is
written in the sender's transaction."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context

from apps.complaints import notifications
from apps.complaints.context import current_body
from apps.complaints.errors import ComplaintError, WorkflowError
from apps.complaints.models import Attachment, Category, Complaint, EventKind, Role
from apps.complaints.policies import Actor
from apps.complaints.services.record import (
    case_locked,
    case_sync,
    citizen_text,
    event_add,
    staff_require,
    status_set,
)
from apps.complaints.status import Channel, Status
from apps.complaints.validation import clean_text
from apps.reporting.models import ComplaintFact
from apps.sla.services import sla_snapshot_for
from tenants.models import BodyStatus, LocalBody


@transaction.atomic
def complaint_transfer(*, complaint: Complaint, actor: Actor, reason: str, to_body: LocalBody | None = None,
                       to_agency: str = "") -> Complaint:
    """Hand the case to another body on the platform (it appears in their inbox to accept or
    return) or to an outside agency. The sender's route stage stops here (time to transfer)."""
    staff_require(actor, Role.ADMIN, Role.EXECUTIVE, Role.CLERK, Role.OFFICER)
    reason = clean_text(reason, field="reason", label=_("เหตุผลการส่งต่อ"), max_length=2000, required=True)
    to_agency = clean_text(to_agency, field="to_agency", label=_("หน่วยงานปลายทาง"), max_length=120, kind="name")
    if (to_body is None) == (not to_agency):
        raise ComplaintError(_("กรุณาเลือกหน่วยงานปลายทางหนึ่งแห่ง"), field="to_body")
    sender = current_body()
    if to_body is not None:
        to_body = LocalBody.objects.bodies().filter(pk=to_body.pk, status=BodyStatus.ACTIVE).first()
        if to_body is None or to_body.pk == sender.pk:
            raise ComplaintError(_("หน่วยงานปลายทางไม่ถูกต้อง"), field="to_body")
    complaint = case_locked(complaint)
    now = timezone.now()
    target_name = to_body.display_name if to_body else to_agency
    status_set(complaint, Status.TRANSFERRED, actor=actor,
               text=citizen_text(complaint, _("ส่งต่อเรื่องไปยัง %(target)s: %(reason)s"), target=target_name,
                                 reason=reason),
               data={"to_body": getattr(to_body, "pk", None), "to_agency": to_agency}, at=now)
    complaint.transferred_to_body = to_body
    complaint.transferred_to_agency = to_agency
    complaint.routed_at = complaint.routed_at or now
    complaint.save(update_fields=["status", "transferred_to_body", "transferred_to_agency", "routed_at",
                                  "updated_at"])
    event_add(complaint, EventKind.TRANSFER, actor=actor, text=reason, data={"to_body": getattr(to_body, "pk", None),
                                                                          "to_agency": to_agency}, at=now)
    case_sync(complaint, body=sender, transferred_at=now)
    if to_body is not None:
        _offer_transfer(complaint, sender=sender, receiver=to_body, reason=reason, at=now)
    notifications.queue(complaint, "transferred", text=target_name, body=sender)
    return complaint


def _offer_transfer(complaint: Complaint, *, sender: LocalBody, receiver: LocalBody, reason: str,
                    at: datetime) -> None:
    """Copy the case into the receiver's schema as an offer (same transaction, same database)."""
    attachments = list(complaint.attachments.all())
    skip = {"id", "category", "department", "assignee", "merged_into", "status", "channel", "transferred_to_body",
            "transferred_to_agency", "transfer_origin_body", "transfer_origin_complaint_id", "created_at",
            "updated_at", "routed_at", "acknowledged_at", "first_reply_at", "resolved_at", "closed_at",
            "public_id"}  # the receiver's case is its own public report
    copied = {f.attname: getattr(complaint, f.attname) for f in Complaint._meta.concrete_fields if f.name not in skip}
    with schema_context(receiver.schema_name):
        category = (Category.objects.filter(national_category_id=complaint.national_category, is_active=True)
                    .order_by("position").first() or Category.objects.order_by("position").first())
        assert category is not None, "every body is provisioned with categories"
        # The code is unique in the receiver's schema too: an offer it returned earlier is offered
        # anew (same row, timeline kept); any other case with the code there cannot be offered twice.
        offer = Complaint.objects.select_for_update().filter(tracking_code=complaint.tracking_code).first()
        if offer is not None and not (offer.status == Status.REJECTED and offer.transfer_origin_body_id == sender.pk):
            raise ComplaintError(_("%(body)s มีเรื่องเลขที่นี้อยู่แล้ว จึงส่งต่อซ้ำไม่ได้")
                                 % {"body": receiver.display_name}, field="to_body")
        if offer is None:
            offer = Complaint.objects.create(
                **copied, category=category, status=Status.TRANSFER_OFFERED, channel=Channel.TRANSFER,
                transfer_origin_body=sender, transfer_origin_complaint_id=complaint.pk,
            )
        else:
            for name, value in copied.items():
                setattr(offer, name, value)
            offer.category = category
            offer.status = Status.TRANSFER_OFFERED
            offer.reject_reason = ""
            offer.transfer_origin_complaint_id = complaint.pk
            offer.save()
            offer.attachments.all().delete()
        event_add(offer, EventKind.TRANSFER, actor_label=sender.display_name, text=reason, is_public=True,
                  data={"from_body": sender.pk, "from_complaint": complaint.pk}, at=at)
        for attachment in attachments:
            Attachment.objects.create(complaint=offer, file=attachment.file.name, thumbnail=attachment.thumbnail.name,
                                      content_type=attachment.content_type,
                                      size=attachment.size, original_name=attachment.original_name,
                                      is_public=attachment.is_public)


@transaction.atomic
def complaint_transfer_accept(*, complaint: Complaint, actor: Actor) -> Complaint:
    """The receiver takes the case: its own SLA cycle starts now; the citizen's code is unchanged."""
    staff_require(actor, Role.ADMIN, Role.EXECUTIVE, Role.CLERK)
    complaint = case_locked(complaint)
    if complaint.status != Status.TRANSFER_OFFERED:
        raise WorkflowError(_("เรื่องนี้ไม่ได้รอการรับโอน"))
    body = current_body()
    now = timezone.now()
    status_set(complaint, Status.RECEIVED, actor=actor, text=citizen_text(complaint, _("รับโอนเรื่องแล้ว")), at=now)
    complaint.received_at = complaint.cycle_started_at = now
    complaint.sla_snapshot = sla_snapshot_for(body=body, sla_class=complaint.sla_class, at=now)
    if complaint.category.department_id:
        complaint.department_id = complaint.category.department_id
    complaint.save(update_fields=["status", "received_at", "cycle_started_at", "sla_snapshot", "department",
                                  "updated_at"])
    # An offer always records where it came from; both are set together in _offer_transfer.
    origin_id = complaint.transfer_origin_complaint_id
    origin_fact = ComplaintFact.objects.filter(body_id=complaint.transfer_origin_body_id,
                                               complaint_id=origin_id).first() if origin_id is not None else None
    case_sync(complaint, body=body, transferred_from=origin_fact)
    origin = complaint.transfer_origin_body
    if origin is not None and origin_id is not None:
        with schema_context(origin.schema_name):
            sent = Complaint.objects.filter(pk=origin_id).first()
            if sent is not None:
                event_add(sent, EventKind.TRANSFER, actor_label=body.display_name, is_public=True,
                          text=citizen_text(sent, _("%(body)s รับเรื่องแล้ว"), body=body.display_name),
                          data={"accepted_by": body.pk, "complaint": complaint.pk})
    return complaint


@transaction.atomic
def complaint_transfer_return(*, complaint: Complaint, actor: Actor, reason: str) -> Complaint:
    """The receiver declines: the offer is closed here and the case is back in the sender's queue."""
    staff_require(actor, Role.ADMIN, Role.EXECUTIVE, Role.CLERK)
    reason = clean_text(reason, field="reason", label=_("เหตุผลที่ส่งคืน"), max_length=2000, required=True)
    complaint = case_locked(complaint)
    if complaint.status != Status.TRANSFER_OFFERED:
        raise WorkflowError(_("เรื่องนี้ไม่ได้รอการรับโอน"))
    body = current_body()
    status_set(complaint, Status.REJECTED, actor=actor, text=reason, is_public=False)
    complaint.reject_reason = reason
    complaint.save(update_fields=["status", "reject_reason", "updated_at"])
    origin, origin_id = complaint.transfer_origin_body, complaint.transfer_origin_complaint_id
    if origin is not None and origin_id is not None:
        with schema_context(origin.schema_name):
            sent = Complaint.objects.select_for_update().filter(pk=origin_id).first()
            if sent is not None and sent.status == Status.TRANSFERRED:
                status_set(sent, Status.IN_PROGRESS, actor_label=body.display_name, is_public=False,
                           text=str(_("%(body)s ส่งเรื่องคืน: %(reason)s") % {"body": body.display_name,
                                                                             "reason": reason}),
                            data={"returned_by": body.pk})
                sent.transferred_to_body = None
                sent.save(update_fields=["status", "transferred_to_body", "updated_at"])
                case_sync(sent, body=origin)
    return complaint
