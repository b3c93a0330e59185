"""A case's life inside the body: acknowledge, assign, reply, ask the citizen and hear back,
resolve, close or reject; the citizen's rating and reopening; a finished case from an old
register. Each is one transaction through apps.complaints.services.record."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.complaints import linking, notifications
from apps.complaints.attachments import clean_uploads
from apps.complaints.errors import ComplaintError, NotAllowed, WorkflowError
from apps.complaints.models import Complaint, ComplaintEvent, Department, EventKind, Role, StaffMember
from apps.complaints.policies import Actor, can_close
from apps.complaints.services.record import (
    CITIZEN,
    case_locked,
    case_sync,
    citizen_text,
    event_add,
    files_store,
    staff_require,
    status_set,
)
from apps.complaints.status import Status
from apps.complaints.validation import MAX_DESCRIPTION, clean_text
from apps.complaints.workflow import REPLY_STATUSES


@transaction.atomic
def complaint_acknowledge(*, complaint: Complaint, actor: Actor, text: str = "") -> Complaint:
    staff_require(actor)
    text = clean_text(text, field="text", label=_("ข้อความแจ้งรับเรื่อง"), max_length=MAX_DESCRIPTION)
    complaint = case_locked(complaint)
    now = timezone.now()
    status_set(complaint, Status.ACKNOWLEDGED, actor=actor,
               text=text or citizen_text(complaint, _("หน่วยงานได้รับเรื่องของท่านแล้ว")), at=now)
    complaint.acknowledged_at = complaint.acknowledged_at or now
    complaint.save(update_fields=["status", "acknowledged_at", "updated_at"])
    case_sync(complaint)
    notifications.queue(complaint, "acknowledged")
    return complaint


@transaction.atomic
def complaint_assign(*, complaint: Complaint, actor: Actor, department: Department | None,
                     assignee: User | None = None) -> Complaint:
    """Route to a department (and optionally a person); work starts: status in progress."""
    staff_require(actor, Role.ADMIN, Role.EXECUTIVE, Role.CLERK, Role.OFFICER)
    complaint = case_locked(complaint)
    if department is None and assignee is None:
        raise ComplaintError(_("กรุณาเลือกกอง/สำนักหรือผู้รับผิดชอบ"), field="department")
    if assignee is not None and not StaffMember.objects.filter(user=assignee).exists():
        raise ComplaintError(_("ผู้รับผิดชอบต้องเป็นเจ้าหน้าที่ของหน่วยงานนี้"), field="assignee")
    now = timezone.now()
    if complaint.status == Status.RECEIVED:
        status_set(complaint, Status.ACKNOWLEDGED, actor=actor,
                   text=citizen_text(complaint, _("หน่วยงานได้รับเรื่องของท่านแล้ว")), at=now)
        complaint.acknowledged_at = complaint.acknowledged_at or now
    if complaint.status in (Status.ACKNOWLEDGED,):
        status_set(complaint, Status.IN_PROGRESS, actor=actor, text=citizen_text(complaint, _("อยู่ระหว่างดำเนินการ")),
                   at=now)
    elif complaint.status not in (Status.IN_PROGRESS, Status.WAITING):
        raise WorkflowError(_("มอบหมายเรื่องที่อยู่ในสถานะ “%(status)s” ไม่ได้")
                            % {"status": Status(complaint.status).label})
    if department is not None:
        complaint.department = department
    complaint.assignee = assignee
    complaint.routed_at = complaint.routed_at or now
    complaint.save(update_fields=["status", "acknowledged_at", "department", "assignee", "routed_at", "updated_at"])
    event_add(complaint, EventKind.ASSIGN, actor=actor, at=now, data={
        "department": complaint.department_id, "assignee": getattr(assignee, "pk", None)})
    case_sync(complaint)
    return complaint


@transaction.atomic
def complaint_reply(*, complaint: Complaint, actor: Actor, text: str,
                    uploads: Sequence[UploadedFile[bytes]] = ()) -> ComplaintEvent:
    """A public reply to the citizen (the first one is the "first substantive reply" stage)."""
    staff_require(actor)
    text = clean_text(text, field="text", label=_("ข้อความตอบผู้ร้อง"), max_length=MAX_DESCRIPTION, required=True)
    files = clean_uploads(list(uploads))
    complaint = case_locked(complaint)
    if complaint.status not in REPLY_STATUSES:
        raise WorkflowError(_("เรื่องนี้ปิดแล้ว ตอบผู้ร้องไม่ได้"))
    now = timezone.now()
    event = event_add(complaint, EventKind.REPLY, actor=actor, text=text, is_public=True, at=now)
    files_store(complaint, files, event=event, uploaded_by=actor, is_public=True)
    if complaint.first_reply_at is None:
        complaint.first_reply_at = now
        complaint.save(update_fields=["first_reply_at", "updated_at"])
    case_sync(complaint)
    notifications.queue(complaint, "reply", text=text)
    return event


@transaction.atomic
def complaint_note(*, complaint: Complaint, actor: Actor, text: str) -> ComplaintEvent:
    staff_require(actor)
    text = clean_text(text, field="text", label=_("บันทึกภายใน"), max_length=MAX_DESCRIPTION, required=True)
    return event_add(case_locked(complaint), EventKind.NOTE, actor=actor, text=text, is_public=False)


@transaction.atomic
def complaint_request_info(*, complaint: Complaint, actor: Actor, text: str) -> Complaint:
    """Ask the citizen for more: the case waits, and the SLA clock pauses until they answer."""
    staff_require(actor)
    text = clean_text(text, field="text", label=_("ข้อมูลที่ต้องการ"), max_length=MAX_DESCRIPTION, required=True)
    complaint = case_locked(complaint)
    if complaint.status == Status.RECEIVED:
        raise WorkflowError(_("กรุณาแจ้งรับเรื่องก่อนขอข้อมูลเพิ่มเติม"))
    status_set(complaint, Status.WAITING, actor=actor, text=text)
    complaint.save(update_fields=["status", "updated_at"])
    # One message: the request itself says the clock waits (messages.message_text), not a second
    # "new deadlines" listing every stage as paused.
    case_sync(complaint, pause_told=True)
    notifications.queue(complaint, "request_info", text=text)
    return complaint


@transaction.atomic
def complaint_citizen_respond(*, complaint: Complaint, text: str,
                              uploads: Sequence[UploadedFile[bytes]] = ()) -> Complaint:
    """The citizen answers a request for information: the clock runs again."""
    text = clean_text(text, field="text", label=_("ข้อมูลเพิ่มเติม"), max_length=MAX_DESCRIPTION, required=True)
    files = clean_uploads(list(uploads))
    complaint = case_locked(complaint)
    if complaint.status != Status.WAITING:
        raise WorkflowError(_("หน่วยงานไม่ได้ขอข้อมูลเพิ่มเติมสำหรับเรื่องนี้"))
    event = status_set(complaint, Status.IN_PROGRESS, actor_label=CITIZEN, text=text)
    files_store(complaint, files, event=event, uploaded_by=None, is_public=False)
    complaint.save(update_fields=["status", "updated_at"])
    case_sync(complaint)
    return complaint


@transaction.atomic
def complaint_resume(*, complaint: Complaint, actor: Actor, text: str = "") -> Complaint:
    """Staff end a wait themselves (the citizen answered by phone, say)."""
    staff_require(actor)
    complaint = case_locked(complaint)
    if complaint.status == Status.RECEIVED:
        # received → in progress is the assign path; resuming would skip the acknowledgement.
        raise WorkflowError(_("กรุณาแจ้งรับเรื่องก่อน"))
    status_set(complaint, Status.IN_PROGRESS, actor=actor, text=text, is_public=bool(text))
    complaint.save(update_fields=["status", "updated_at"])
    case_sync(complaint)  # the pause ended: the deadlines moved by its length, and the citizen is told (case_sync)
    return complaint


@transaction.atomic
def complaint_resolve(*, complaint: Complaint, actor: Actor, resolution: str,
                      uploads: Sequence[UploadedFile[bytes]] = ()) -> Complaint:
    staff_require(actor)
    resolution = clean_text(resolution, field="resolution", label=_("ผลการดำเนินการ"),
                            max_length=MAX_DESCRIPTION, required=True)
    files = clean_uploads(list(uploads))
    complaint = case_locked(complaint)
    now = timezone.now()
    event = status_set(complaint, Status.RESOLVED, actor=actor, text=resolution, at=now)
    files_store(complaint, files, event=event, uploaded_by=actor, is_public=True)
    complaint.resolution = resolution
    complaint.resolved_at = now
    complaint.save(update_fields=["status", "resolution", "resolved_at", "updated_at"])
    case_sync(complaint)
    notifications.queue(complaint, "resolved", text=resolution)
    return complaint


@transaction.atomic
def complaint_close(*, complaint: Complaint, actor: Actor, text: str = "") -> Complaint:
    """Close a resolved case (the closure notice). Complex, conduct and corruption cases need an
    executive's approval: only executives and admins may close them."""
    complaint = case_locked(complaint)
    if not can_close(actor, complaint):
        raise NotAllowed(_("การปิดเรื่องประเภทนี้ต้องได้รับอนุมัติจากผู้บริหาร (นายก/ปลัด)"))
    now = timezone.now()
    status_set(complaint, Status.CLOSED, actor=actor, text=text or citizen_text(complaint, _("ปิดเรื่องแล้ว")), at=now)
    complaint.closed_at = now
    complaint.save(update_fields=["status", "closed_at", "updated_at"])
    case_sync(complaint)
    notifications.queue(complaint, "closed", text=complaint.resolution)
    return complaint


@transaction.atomic
def complaint_reject(*, complaint: Complaint, actor: Actor, reason: str) -> Complaint:
    staff_require(actor, Role.ADMIN, Role.EXECUTIVE, Role.CLERK, Role.OFFICER)
    reason = clean_text(reason, field="reason", label=_("เหตุผลที่ไม่รับเรื่อง"), max_length=2000, required=True)
    complaint = case_locked(complaint)
    status_set(complaint, Status.REJECTED, actor=actor, text=reason)
    complaint.reject_reason = reason
    complaint.save(update_fields=["status", "reject_reason", "updated_at"])
    case_sync(complaint, rejected_at=timezone.now())
    notifications.queue(complaint, "rejected", text=reason)
    return complaint


@transaction.atomic
def complaint_finish_historical(*, complaint: Complaint, actor: Actor, status: str, resolution: str,
                                finished_at: datetime) -> Complaint:
    """A case imported from a body's old register that was already finished: the workflow is walked
    with the register's date (the timeline and the fact say when), and nobody is notified."""
    staff_require(actor, Role.ADMIN)
    if status not in (Status.RESOLVED, Status.CLOSED):
        raise ComplaintError(_("สถานะไม่ถูกต้อง"), field="status")
    resolution = clean_text(resolution, field="resolution", label=_("ผลการดำเนินการ"),
                            max_length=MAX_DESCRIPTION, required=True)
    complaint = case_locked(complaint)
    at = max(finished_at, complaint.received_at)
    if at > timezone.now():
        raise ComplaintError(_("วันที่ปิดเรื่องอยู่ในอนาคต"), field="closed")
    for target in (Status.ACKNOWLEDGED, Status.IN_PROGRESS):
        if complaint.status != target:
            status_set(complaint, target, actor=actor, at=at)
    status_set(complaint, Status.RESOLVED, actor=actor, text=resolution, at=at)
    complaint.acknowledged_at = complaint.acknowledged_at or at
    complaint.routed_at = complaint.routed_at or at
    complaint.resolved_at = at
    complaint.resolution = resolution
    fields = ["status", "acknowledged_at", "routed_at", "resolved_at", "resolution", "updated_at"]
    if status == Status.CLOSED:
        status_set(complaint, Status.CLOSED, actor=actor, at=at)
        complaint.closed_at = at
        fields.append("closed_at")
    complaint.save(update_fields=fields)
    case_sync(complaint)
    return complaint


REOPEN_WINDOW_DAYS = 30


@transaction.atomic
def complaint_rate(*, complaint: Complaint, rating: int, comment: str = "") -> Complaint:
    complaint = case_locked(complaint)
    if complaint.status not in (Status.RESOLVED, Status.CLOSED):
        raise WorkflowError(_("ประเมินความพึงพอใจได้เมื่อดำเนินการแล้วเสร็จ"))
    if complaint.rating is not None:
        raise WorkflowError(_("เรื่องนี้ได้รับการประเมินแล้ว"))
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ComplaintError(_("คะแนนต้องเป็น 1 ถึง 5"), field="rating")
    comment = clean_text(comment, field="comment", label=_("ความคิดเห็น"), max_length=2000)
    complaint.rating = rating
    complaint.rating_comment = comment
    complaint.rated_at = timezone.now()
    complaint.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
    event_add(complaint, EventKind.RATING, actor_label=CITIZEN, text=comment, data={"rating": rating})
    case_sync(complaint)
    return complaint


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, reason: str, actor: Actor = None,
                     window_days: int = REOPEN_WINDOW_DAYS) -> Complaint:
    """Reopen within the window: a new SLA cycle starts; "ever breached" is kept."""
    reason = clean_text(reason, field="reason", label=_("เหตุผลที่ขอเปิดเรื่องใหม่"), max_length=2000, required=True)
    complaint = case_locked(complaint)
    if complaint.status not in (Status.RESOLVED, Status.CLOSED):
        raise WorkflowError(_("เปิดเรื่องใหม่ได้เฉพาะเรื่องที่ดำเนินการแล้วเสร็จหรือปิดแล้ว"))
    finished = complaint.closed_at or complaint.resolved_at or complaint.updated_at
    now = timezone.now()
    if actor is None and now - finished > timedelta(days=window_days):
        raise WorkflowError(_("เกินกำหนด %(days)d วันที่จะขอเปิดเรื่องใหม่ได้") % {"days": window_days})
    status_set(complaint, Status.RECEIVED, actor=actor, actor_label="" if actor else CITIZEN, text=reason,
               data={"reopen": True}, at=now)
    complaint.reopen_count += 1
    complaint.cycle_started_at = now
    complaint.acknowledged_at = complaint.resolved_at = complaint.closed_at = None
    complaint.first_reply_at = None
    complaint.rating = None
    complaint.save(update_fields=["status", "reopen_count", "cycle_started_at", "acknowledged_at", "resolved_at",
                                  "closed_at", "first_reply_at", "rating", "updated_at"])
    case_sync(complaint)
    if actor is not None:  # staff reopened it: the citizen is told (they know when they asked themselves)
        notifications.queue(complaint, "reopened", text=reason)
    return complaint


@transaction.atomic
def complaint_line_link_by_code(*, code: str, line_user_id: str) -> Complaint | None:
    """The citizen sent the receipt's link code in the body's LINE chat: the case is theirs (the
    code was shown only to them) and follows on LINE from now on. The code works once."""
    digest = linking.link_hash(code) if linking.is_link_code(code) else ""
    complaint = (Complaint.objects.select_for_update().filter(line_link_hash=digest)
                 .exclude(status=Status.TRANSFER_OFFERED).first()) if digest else None
    if complaint is None:
        return None
    complaint.line_link_hash = ""
    complaint.save(update_fields=["line_link_hash", "updated_at"])
    return complaint_line_link(complaint=complaint, line_user_id=line_user_id)


@transaction.atomic
def complaint_line_link(*, complaint: Complaint, line_user_id: str) -> Complaint:
    """The citizen proved in the body's LINE chat that the case is theirs (tracking code and second
    factor): its updates go to that LINE user from now on. Anonymous cases are never linked: the
    body's account could read the LINE profile and so learn who filed it."""
    complaint = case_locked(complaint)
    if complaint.is_anonymous:
        raise WorkflowError(_("เรื่องที่ไม่ประสงค์ออกนามติดตามทาง LINE ไม่ได้ เพื่อไม่ให้เปิดเผยตัวผู้ร้อง"))
    if complaint.complainant_line_id != line_user_id:
        complaint.complainant_line_id = line_user_id
        complaint.save(update_fields=["complainant_line_id", "updated_at"])
        event_add(complaint, EventKind.NOTIFICATION, actor_label=CITIZEN, data={"line_linked": True})
    return complaint
