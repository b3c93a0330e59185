"""The complaint write path: every change to a case goes through one of these functions.

Each is one transaction that changes the case, appends its timeline event, writes the reporting
fact (public schema, no personal data) and the SLA clocks, and queues citizen notifications in
the outbox; side effects (delivery tasks) run only after commit. A failure anywhere leaves
nothing half done.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context

from apps.accounts.actors import OfficeActor
from apps.accounts.models import User
from apps.categories.models import OVERSIGHT_CLASSES
from apps.complaints import idempotency, notifications
from apps.complaints.attachments import CleanFile, clean_uploads
from apps.complaints.conduct import handling_office
from apps.complaints.context import current_body
from apps.complaints.errors import ComplaintError, NotAllowed, WorkflowError
from apps.complaints.models import (
    Attachment,
    Category,
    Complaint,
    ComplaintEvent,
    Department,
    EventKind,
    Role,
    StaffMember,
)
from apps.complaints.policies import Actor, can_close, may_act_on, staff_role
from apps.complaints.validation import (
    MAX_DESCRIPTION,
    Complainant,
    clean_complainant,
    clean_coordinates,
    clean_media_url,
    clean_text,
)
from apps.complaints.workflow import check_transition
from apps.reporting.models import Channel, ComplaintFact, Status
from apps.reporting.services import fact_prepare, fact_save
from tenants.models import BodyStatus, LocalBody, Subdistrict

PRIVACY_NOTICE_VERSION = "2026-1"
# Crockford-like alphabet without 0/O, 1/I/L: easy to read out over the phone.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SYSTEM = "ระบบ"
logger = logging.getLogger(__name__)
CITIZEN = "ผู้ร้อง"


@dataclass(frozen=True)
class SubmitResult:
    complaint: Complaint
    # Shown once on the receipt: the phone's last 4 digits, or the PIN for anonymous complaints.
    second_factor: str
    second_factor_kind: str  # "phone" or "pin"
    # The original names of photos the file store could not take (the case is stored without them).
    failed_files: tuple[str, ...] = ()
    # True when an Idempotency-Key matched a case filed earlier: nothing new was created.
    replayed: bool = False


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def _user_or_none(user: Actor) -> User | None:
    # A User is always authenticated; AnonymousUser is not.
    return user if isinstance(user, User) else None


def _event(complaint: Complaint, kind: str, *, actor: Actor = None, actor_label: str = "", text: str = "",
           is_public: bool = False, from_status: str = "", to_status: str = "", data: dict | None = None,
           at: datetime | None = None) -> ComplaintEvent:
    # Every change to a case passes here: a conduct case takes only its office's hand (and the
    # citizen's), and the office takes no other case. Filing is not acting on a case.
    if kind != EventKind.CREATED and not may_act_on(actor, complaint):
        raise NotAllowed(_("บทบาทของท่านไม่มีสิทธิ์ทำรายการนี้"))
    if isinstance(actor, OfficeActor):
        actor_label, data = actor.label, {**(data or {}), "office_user": actor.user_id}
    return ComplaintEvent.objects.create(
        complaint=complaint, kind=kind, actor=_user_or_none(actor), actor_label=actor_label,
        text=text, is_public=is_public, from_status=from_status, to_status=to_status,
        data=data or {}, created_at=at or timezone.now(),
    )


def _set_status(complaint: Complaint, target: str, *, actor: Actor = None, actor_label: str = "",
                text: str = "", is_public: bool = True, data: dict | None = None,
                at: datetime | None = None) -> ComplaintEvent:
    check_transition(complaint.status, target)
    previous = complaint.status
    complaint.status = target
    return _event(complaint, EventKind.STATUS, actor=actor, actor_label=actor_label, text=text,
                  is_public=is_public, from_status=previous, to_status=target, data=data, at=at)


def _sync(complaint: Complaint, *, body: LocalBody | None = None, new: bool = False,
          **fact_extra: object) -> ComplaintFact:
    """The same-transaction writes that follow every case change: the fact with its SLA columns
    (one INSERT or UPDATE) and the SLA stage clocks."""
    body = body or current_body()
    fact, changed = fact_prepare(complaint=complaint, body=body, new=new, **fact_extra)
    try:
        from apps.sla.services import complaint_clock_update  # noqa: PLC0415 - the SLA app is optional here
    except ImportError:
        return fact_save(fact, changed)
    complaint_clock_update(complaint=complaint, fact=fact, save_fields=changed)
    return fact


def _sla_snapshot(body: LocalBody, sla_class: str, at: datetime) -> dict:
    try:
        from apps.sla.services import sla_snapshot_for  # noqa: PLC0415 - the SLA app is optional here
    except ImportError:
        return {}
    return sla_snapshot_for(body=body, sla_class=sla_class, at=at)


def _locked(complaint: Complaint) -> Complaint:
    """Re-read the case under a row lock: two officers acting at once are applied one after the other."""
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def _require_staff(user: Actor, *roles: str) -> str:
    if isinstance(user, OfficeActor) and not roles:
        return "office"  # the handling office on a conduct case: _event checks the case is one
    role = staff_role(user)
    if role is None or (roles and role not in roles):
        raise NotAllowed(_("บทบาทของท่านไม่มีสิทธิ์ทำรายการนี้"))
    return role


# --- intake ---------------------------------------------------------------------------------------

@transaction.atomic
def complaint_submit(
    *,
    channel: str,
    category: Category | int,
    description: str,
    complainant: Complainant | None = None,
    subdistrict_code: str = "",
    moo: str = "",
    location_text: str = "",
    latitude: object = None,
    longitude: object = None,
    is_confidential: bool = False,
    about_district_office: bool = False,
    privacy_notice_shown: bool = True,
    uploads: Sequence[UploadedFile] = (),
    actor: Actor = None,
    received_at: datetime | None = None,
    notify: bool = True,
    idempotency_key: str = "",
    source_label: str = "",
    media_url: str = "",
) -> SubmitResult:
    """File a complaint from any channel: the citizen on the portal, staff for walk-in, phone,
    letter, LINE, e-mail and 1111 forwards, or another system through Open311 (the caller has
    checked its API key; `source_label` names it on the timeline). `complainant=None` is an
    anonymous complaint. `media_url`: a photo the other system holds (kept as a link, never fetched).
    `idempotency_key` (already scoped, apps.complaints.idempotency) returns the case filed earlier
    with the same key instead of a second one. Conduct and corruption complaints go to the
    oversight office at receipt (the provincial one when `about_district_office`), never to the
    body's inbox."""
    if channel not in Channel.values or channel == Channel.TRANSFER:
        raise ComplaintError(_("ช่องทางรับเรื่องไม่ถูกต้อง"), field="channel")
    # The citizen files on the portal or in the body's LINE chat (apps.line); other channels are staff's,
    # except Open311, whose caller has checked the integration's API key.
    citizen = actor is None and channel in (Channel.WEB, Channel.LINE)
    if not citizen and channel not in (Channel.WEB, Channel.OPEN311):
        _require_staff(actor, Role.ADMIN, Role.EXECUTIVE, Role.OFFICER, Role.CLERK)
    if (earlier := idempotency.existing(idempotency_key)) is not None:
        return _replayed(earlier)
    media_url = clean_media_url(media_url)
    category_obj = _active_category(category)
    description = clean_text(description, field="description", label=_("รายละเอียด"),
                             max_length=MAX_DESCRIPTION, required=True)
    person = clean_complainant(complainant)
    latitude, longitude = clean_coordinates(latitude, longitude)
    subdistrict_code = clean_text(subdistrict_code, field="subdistrict", label=_("ตำบล"), max_length=6, kind="code")
    if subdistrict_code and not Subdistrict.objects.filter(code=subdistrict_code).exists():
        raise ComplaintError(_("ไม่พบตำบลที่เลือก"), field="subdistrict")
    moo = clean_text(moo, field="moo", label=_("หมู่ที่"), max_length=20, kind="code")
    location_text = clean_text(location_text, field="location_text", label=_("สถานที่"), max_length=300,
                               kind="name")
    files = clean_uploads(list(uploads))
    if channel == Channel.WEB and not privacy_notice_shown:
        raise ComplaintError(_("กรุณารับทราบประกาศความเป็นส่วนตัวก่อนส่งเรื่อง"), field="privacy")

    body = current_body()
    now = received_at or timezone.now()
    national = category_obj.national_category
    routed = national.sla_class in OVERSIGHT_CLASSES
    pin = "" if person and person.phone else f"{secrets.randbelow(10**6):06d}"
    complaint = Complaint(
        channel=channel, category=category_obj, national_category=national.code, sla_class=national.sla_class,
        description=description, subdistrict_code=subdistrict_code, moo=moo, location_text=location_text,
        latitude=latitude, longitude=longitude, is_anonymous=person is None,
        is_confidential=is_confidential or routed, routed_to_oversight=routed,
        about_district_office=routed and about_district_office,
        privacy_notice_version=PRIVACY_NOTICE_VERSION if privacy_notice_shown else "",
        privacy_notice_shown_at=now if privacy_notice_shown else None,
        phone_last4=person.phone[-4:] if person and person.phone else "",
        pin_hash=make_password(pin) if pin else "",
        received_at=now, cycle_started_at=now, status=Status.RECEIVED,
        sla_snapshot=_sla_snapshot(body, national.sla_class, now), idempotency_key=idempotency_key,
    )
    if person:
        complaint.complainant_name = person.name
        complaint.complainant_phone = person.phone
        complaint.complainant_email = person.email
        complaint.complainant_national_id = person.national_id
        complaint.complainant_address = person.address
        complaint.complainant_line_id = person.line_id
    auto_route = not routed and category_obj.department_id is not None
    if auto_route:
        # Default routing per category: the department sees it in its inbox at once.
        complaint.department_id = category_obj.department_id
    if auto_route or routed:
        complaint.routed_at = now
    try:
        _save_with_unique_code(complaint)
    except IntegrityError as error:
        if not idempotency.is_clash(error):
            raise
        # Another request with the same key won the race: its case is the answer.
        return _replayed(Complaint.objects.get(idempotency_key=idempotency_key))
    actor_label = source_label[:120] or (CITIZEN if channel == Channel.WEB or citizen else "")
    created_data: dict[str, object] = {"channel": channel}
    if media_url:
        created_data["media_url"] = media_url
    created = _event(complaint, EventKind.CREATED, actor=actor, actor_label=actor_label, is_public=True,
                     to_status=Status.RECEIVED, data=created_data, at=now)
    failed = _store_files(complaint, files, event=created, uploaded_by=actor, is_public=False)
    if auto_route:
        _event(complaint, EventKind.ASSIGN, actor_label=SYSTEM, data={"department": category_obj.department_id,
                                                                      "automatic": True}, at=now)
    elif routed:  # the route stage is met at receipt: the case is the office's from the start
        office = handling_office(body, about_district_office=complaint.about_district_office)[0]
        _event(complaint, EventKind.ASSIGN, actor_label=SYSTEM, data={"office": office, "automatic": True}, at=now)
    _sync_new(complaint, body)
    if notify:  # False only for historical imports: the citizen was told at the time
        notifications.queue(complaint, "received", body=body)
    if pin:
        return SubmitResult(complaint, pin, "pin", failed_files=failed)
    return SubmitResult(complaint, complaint.phone_last4, "phone", failed_files=failed)


def _replayed(complaint: Complaint) -> SubmitResult:
    factor, kind = idempotency.second_factor(complaint)
    return SubmitResult(complaint, factor, kind, replayed=True)


def _active_category(category: Category | int) -> Category:
    category_id = category.pk if isinstance(category, Category) else category
    found = Category.objects.select_related("national_category").filter(pk=category_id, is_active=True).first()
    if found is None:
        raise ComplaintError(_("กรุณาเลือกหมวดเรื่อง"), field="category")
    return found


_CODE_ATTEMPTS = 8


def _is_code_clash(error: IntegrityError) -> bool:
    constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
    return constraint in {"complaint_tracking_code_unique", "fact_tracking_code_unique"}


def _save_with_unique_code(complaint: Complaint) -> None:
    """A fresh code, unique in the body (its own unique index)."""
    for _attempt in range(_CODE_ATTEMPTS):
        complaint.tracking_code = new_tracking_code()
        try:
            with transaction.atomic():
                complaint.save()
            return
        except IntegrityError as error:
            if not _is_code_clash(error):
                raise
            complaint.pk = None
            complaint._state.adding = True
    raise ComplaintError(_("ระบบไม่สามารถออกเลขติดตามเรื่องได้ กรุณาลองใหม่"))


def _sync_new(complaint: Complaint, body: LocalBody) -> None:
    """The first fact of a new case. Codes are unique across the platform, and the fact's unique
    index is the arbiter: on a clash (about one in 10^11) the case takes another code."""
    for _attempt in range(_CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                _sync(complaint, body=body, new=True)
            return
        except IntegrityError as error:
            if not _is_code_clash(error):
                raise
            complaint.tracking_code = new_tracking_code()
            complaint.save(update_fields=["tracking_code"])
    raise ComplaintError(_("ระบบไม่สามารถออกเลขติดตามเรื่องได้ กรุณาลองใหม่"))


def _store_files(complaint: Complaint, files: list[CleanFile], *, event: ComplaintEvent | None,
                 uploaded_by: Actor, is_public: bool) -> tuple[str, ...]:
    """Store the files; return the names of those the file store refused (unwritable, full).
    A storage failure never loses the case or its text: the file is left out, and the timeline
    says so, for staff to ask the citizen again."""
    failed: list[str] = []
    for clean in files:
        try:
            with transaction.atomic():
                Attachment.objects.create(
                    complaint=complaint, event=event, file=clean.content, content_type=clean.content_type,
                    size=clean.content.size, original_name=clean.original_name, is_public=is_public,
                    uploaded_by=_user_or_none(uploaded_by),
                )
        except OSError as error:
            logger.error("attachment of complaint %s not stored: %s", complaint.pk, error)
            failed.append(clean.original_name or clean.content.name or "")
    if failed:
        _event(complaint, EventKind.ATTACHMENT, actor_label=SYSTEM,
               text=_("ระบบจัดเก็บไฟล์ขัดข้อง ไม่ได้รับไฟล์แนบ %(count)d ไฟล์: %(names)s")
               % {"count": len(failed), "names": ", ".join(failed)},
               data={"failed": failed})
    return tuple(failed)


# --- staff actions --------------------------------------------------------------------------------

@transaction.atomic
def complaint_acknowledge(*, complaint: Complaint, actor: Actor, text: str = "") -> Complaint:
    _require_staff(actor)
    complaint = _locked(complaint)
    now = timezone.now()
    _set_status(complaint, Status.ACKNOWLEDGED, actor=actor, text=text or str(_("หน่วยงานได้รับเรื่องของท่านแล้ว")),
                at=now)
    complaint.acknowledged_at = complaint.acknowledged_at or now
    complaint.save(update_fields=["status", "acknowledged_at", "updated_at"])
    _sync(complaint)
    notifications.queue(complaint, "acknowledged")
    return complaint


@transaction.atomic
def complaint_assign(*, complaint: Complaint, actor: Actor, department: Department | None,
                     assignee: User | None = None) -> Complaint:
    """Route to a department (and optionally a person); work starts: status in progress."""
    _require_staff(actor, Role.ADMIN, Role.EXECUTIVE, Role.CLERK, Role.OFFICER)
    complaint = _locked(complaint)
    if department is None and assignee is None:
        raise ComplaintError(_("กรุณาเลือกกอง/สำนักหรือผู้รับผิดชอบ"), field="department")
    if assignee is not None and not StaffMember.objects.filter(user=assignee).exists():
        raise ComplaintError(_("ผู้รับผิดชอบต้องเป็นเจ้าหน้าที่ของหน่วยงานนี้"), field="assignee")
    now = timezone.now()
    if complaint.status == Status.RECEIVED:
        _set_status(complaint, Status.ACKNOWLEDGED, actor=actor, text=str(_("หน่วยงานได้รับเรื่องของท่านแล้ว")),
                    at=now)
        complaint.acknowledged_at = complaint.acknowledged_at or now
    if complaint.status in (Status.ACKNOWLEDGED,):
        _set_status(complaint, Status.IN_PROGRESS, actor=actor, text=str(_("อยู่ระหว่างดำเนินการ")), at=now)
    elif complaint.status not in (Status.IN_PROGRESS, Status.WAITING):
        raise WorkflowError(_("มอบหมายเรื่องที่อยู่ในสถานะ “%(status)s” ไม่ได้")
                            % {"status": Status(complaint.status).label})
    if department is not None:
        complaint.department = department
    complaint.assignee = assignee
    complaint.routed_at = complaint.routed_at or now
    complaint.save(update_fields=["status", "acknowledged_at", "department", "assignee", "routed_at", "updated_at"])
    _event(complaint, EventKind.ASSIGN, actor=actor, at=now, data={
        "department": complaint.department_id, "assignee": getattr(assignee, "pk", None)})
    _sync(complaint)
    return complaint


@transaction.atomic
def complaint_reply(*, complaint: Complaint, actor: Actor, text: str,
                    uploads: Sequence[UploadedFile] = ()) -> ComplaintEvent:
    """A public reply to the citizen (the first one is the "first substantive reply" stage)."""
    _require_staff(actor)
    text = clean_text(text, field="text", label=_("ข้อความตอบผู้ร้อง"), max_length=MAX_DESCRIPTION, required=True)
    files = clean_uploads(list(uploads))
    complaint = _locked(complaint)
    if complaint.status in (Status.CLOSED, Status.REJECTED, Status.MERGED, Status.TRANSFERRED,
                            Status.TRANSFER_OFFERED):
        raise WorkflowError(_("เรื่องนี้ปิดแล้ว ตอบผู้ร้องไม่ได้"))
    now = timezone.now()
    event = _event(complaint, EventKind.REPLY, actor=actor, text=text, is_public=True, at=now)
    _store_files(complaint, files, event=event, uploaded_by=actor, is_public=True)
    if complaint.first_reply_at is None:
        complaint.first_reply_at = now
        complaint.save(update_fields=["first_reply_at", "updated_at"])
    _sync(complaint)
    notifications.queue(complaint, "reply", text=text)
    return event


@transaction.atomic
def complaint_note(*, complaint: Complaint, actor: Actor, text: str) -> ComplaintEvent:
    _require_staff(actor)
    text = clean_text(text, field="text", label=_("บันทึกภายใน"), max_length=MAX_DESCRIPTION, required=True)
    return _event(_locked(complaint), EventKind.NOTE, actor=actor, text=text, is_public=False)


@transaction.atomic
def complaint_request_info(*, complaint: Complaint, actor: Actor, text: str) -> Complaint:
    """Ask the citizen for more: the case waits, and the SLA clock pauses until they answer."""
    _require_staff(actor)
    text = clean_text(text, field="text", label=_("ข้อมูลที่ต้องการ"), max_length=MAX_DESCRIPTION, required=True)
    complaint = _locked(complaint)
    if complaint.status == Status.RECEIVED:
        raise WorkflowError(_("กรุณาแจ้งรับเรื่องก่อนขอข้อมูลเพิ่มเติม"))
    _set_status(complaint, Status.WAITING, actor=actor, text=text)
    complaint.save(update_fields=["status", "updated_at"])
    _sync(complaint)
    notifications.queue(complaint, "request_info", text=text)
    return complaint


@transaction.atomic
def complaint_citizen_respond(*, complaint: Complaint, text: str, uploads: Sequence[UploadedFile] = ()) -> Complaint:
    """The citizen answers a request for information: the clock runs again."""
    text = clean_text(text, field="text", label=_("ข้อมูลเพิ่มเติม"), max_length=MAX_DESCRIPTION, required=True)
    files = clean_uploads(list(uploads))
    complaint = _locked(complaint)
    if complaint.status != Status.WAITING:
        raise WorkflowError(_("หน่วยงานไม่ได้ขอข้อมูลเพิ่มเติมสำหรับเรื่องนี้"))
    event = _set_status(complaint, Status.IN_PROGRESS, actor_label=CITIZEN, text=text)
    _store_files(complaint, files, event=event, uploaded_by=None, is_public=False)
    complaint.save(update_fields=["status", "updated_at"])
    _sync(complaint)
    return complaint


@transaction.atomic
def complaint_resume(*, complaint: Complaint, actor: Actor, text: str = "") -> Complaint:
    """Staff end a wait themselves (the citizen answered by phone, say)."""
    _require_staff(actor)
    complaint = _locked(complaint)
    if complaint.status == Status.RECEIVED:
        # received → in progress is the assign path; resuming would skip the acknowledgement.
        raise WorkflowError(_("กรุณาแจ้งรับเรื่องก่อน"))
    _set_status(complaint, Status.IN_PROGRESS, actor=actor, text=text, is_public=bool(text))
    complaint.save(update_fields=["status", "updated_at"])
    _sync(complaint)
    return complaint


@transaction.atomic
def complaint_resolve(*, complaint: Complaint, actor: Actor, resolution: str,
                      uploads: Sequence[UploadedFile] = ()) -> Complaint:
    _require_staff(actor)
    resolution = clean_text(resolution, field="resolution", label=_("ผลการดำเนินการ"),
                            max_length=MAX_DESCRIPTION, required=True)
    files = clean_uploads(list(uploads))
    complaint = _locked(complaint)
    now = timezone.now()
    event = _set_status(complaint, Status.RESOLVED, actor=actor, text=resolution, at=now)
    _store_files(complaint, files, event=event, uploaded_by=actor, is_public=True)
    complaint.resolution = resolution
    complaint.resolved_at = now
    complaint.save(update_fields=["status", "resolution", "resolved_at", "updated_at"])
    _sync(complaint)
    notifications.queue(complaint, "resolved", text=resolution)
    return complaint


@transaction.atomic
def complaint_close(*, complaint: Complaint, actor: Actor, text: str = "") -> Complaint:
    """Close a resolved case (the closure notice). Complex, conduct and corruption cases need an
    executive's approval: only executives and admins may close them."""
    complaint = _locked(complaint)
    if not can_close(actor, complaint):
        raise NotAllowed(_("การปิดเรื่องประเภทนี้ต้องได้รับอนุมัติจากผู้บริหาร (นายก/ปลัด)"))
    now = timezone.now()
    _set_status(complaint, Status.CLOSED, actor=actor, text=text or str(_("ปิดเรื่องแล้ว")), at=now)
    complaint.closed_at = now
    complaint.save(update_fields=["status", "closed_at", "updated_at"])
    _sync(complaint)
    notifications.queue(complaint, "closed", text=complaint.resolution)
    return complaint


@transaction.atomic
def complaint_reject(*, complaint: Complaint, actor: Actor, reason: str) -> Complaint:
    _require_staff(actor, Role.ADMIN, Role.EXECUTIVE, Role.CLERK, Role.OFFICER)
    reason = clean_text(reason, field="reason", label=_("เหตุผลที่ไม่รับเรื่อง"), max_length=2000, required=True)
    complaint = _locked(complaint)
    _set_status(complaint, Status.REJECTED, actor=actor, text=reason)
    complaint.reject_reason = reason
    complaint.save(update_fields=["status", "reject_reason", "updated_at"])
    _sync(complaint, rejected_at=timezone.now())
    notifications.queue(complaint, "rejected", text=reason)
    return complaint


@transaction.atomic
def complaint_finish_historical(*, complaint: Complaint, actor: Actor, status: str, resolution: str,
                                finished_at: datetime) -> Complaint:
    """A case imported from a body's old register that was already finished: the workflow is walked
    with the register's date (the timeline and the fact say when), and nobody is notified."""
    _require_staff(actor, Role.ADMIN)
    if status not in (Status.RESOLVED, Status.CLOSED):
        raise ComplaintError(_("สถานะไม่ถูกต้อง"), field="status")
    resolution = clean_text(resolution, field="resolution", label=_("ผลการดำเนินการ"),
                            max_length=MAX_DESCRIPTION, required=True)
    complaint = _locked(complaint)
    at = max(finished_at, complaint.received_at)
    if at > timezone.now():
        raise ComplaintError(_("วันที่ปิดเรื่องอยู่ในอนาคต"), field="closed")
    for target in (Status.ACKNOWLEDGED, Status.IN_PROGRESS):
        if complaint.status != target:
            _set_status(complaint, target, actor=actor, at=at)
    _set_status(complaint, Status.RESOLVED, actor=actor, text=resolution, at=at)
    complaint.acknowledged_at = complaint.acknowledged_at or at
    complaint.routed_at = complaint.routed_at or at
    complaint.resolved_at = at
    complaint.resolution = resolution
    fields = ["status", "acknowledged_at", "routed_at", "resolved_at", "resolution", "updated_at"]
    if status == Status.CLOSED:
        _set_status(complaint, Status.CLOSED, actor=actor, at=at)
        complaint.closed_at = at
        fields.append("closed_at")
    complaint.save(update_fields=fields)
    _sync(complaint)
    return complaint


# --- citizen actions after closure ----------------------------------------------------------------

REOPEN_WINDOW_DAYS = 30


@transaction.atomic
def complaint_rate(*, complaint: Complaint, rating: int, comment: str = "") -> Complaint:
    complaint = _locked(complaint)
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
    _event(complaint, EventKind.RATING, actor_label=CITIZEN, text=comment, data={"rating": rating})
    _sync(complaint)
    return complaint


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, reason: str, actor: Actor = None,
                     window_days: int = REOPEN_WINDOW_DAYS) -> Complaint:
    """Reopen within the window: a new SLA cycle starts; "ever breached" is kept."""
    reason = clean_text(reason, field="reason", label=_("เหตุผลที่ขอเปิดเรื่องใหม่"), max_length=2000, required=True)
    complaint = _locked(complaint)
    if complaint.status not in (Status.RESOLVED, Status.CLOSED):
        raise WorkflowError(_("เปิดเรื่องใหม่ได้เฉพาะเรื่องที่ดำเนินการแล้วเสร็จหรือปิดแล้ว"))
    finished = complaint.closed_at or complaint.resolved_at or complaint.updated_at
    now = timezone.now()
    if actor is None and now - finished > timedelta(days=window_days):
        raise WorkflowError(_("เกินกำหนด %(days)d วันที่จะขอเปิดเรื่องใหม่ได้") % {"days": window_days})
    _set_status(complaint, Status.RECEIVED, actor=actor, actor_label="" if actor else CITIZEN, text=reason,
                data={"reopen": True}, at=now)
    complaint.reopen_count += 1
    complaint.cycle_started_at = now
    complaint.acknowledged_at = complaint.resolved_at = complaint.closed_at = None
    complaint.first_reply_at = None
    complaint.rating = None
    complaint.save(update_fields=["status", "reopen_count", "cycle_started_at", "acknowledged_at", "resolved_at",
                                  "closed_at", "first_reply_at", "rating", "updated_at"])
    _sync(complaint)
    return complaint


# --- duplicates -----------------------------------------------------------------------------------

@transaction.atomic
def complaint_merge(*, duplicate: Complaint, into: Complaint, actor: Actor) -> Complaint:
    """Merge a duplicate into the case that goes on; both timelines stay; both citizens are told."""
    _require_staff(actor)
    if duplicate.pk == into.pk:
        raise ComplaintError(_("ไม่สามารถรวมเรื่องเข้ากับตัวเองได้"), field="into")
    first, second = sorted([duplicate.pk, into.pk])
    locked = {c.pk: c for c in Complaint.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk")}
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    if into.status in (Status.MERGED, Status.REJECTED, Status.TRANSFERRED, Status.CLOSED):
        raise WorkflowError(_("รวมเข้ากับเรื่องที่ปิดหรือส่งต่อแล้วไม่ได้"))
    text = str(_("รวมกับเรื่องเลขที่ %(code)s ซึ่งเป็นเรื่องเดียวกัน") % {"code": into.tracking_code})
    _set_status(duplicate, Status.MERGED, actor=actor, text=text, data={"into": into.pk})
    duplicate.merged_into = into
    duplicate.save(update_fields=["status", "merged_into", "updated_at"])
    _event(into, EventKind.MERGE, actor=actor, is_public=True,
           text=str(_("รวมเรื่องซ้ำเลขที่ %(code)s เข้ากับเรื่องนี้") % {"code": duplicate.tracking_code}),
           data={"merged": duplicate.pk})
    into_fact = _sync(into)
    _sync(duplicate, merged_into=into_fact)
    notifications.queue(duplicate, "merged", text=text)
    notifications.queue(into, "merged_into", text=duplicate.tracking_code)
    return into


# --- transfers (ส่งต่อ) ----------------------------------------------------------------------------

@transaction.atomic
def complaint_transfer(*, complaint: Complaint, actor: Actor, reason: str, to_body: LocalBody | None = None,
                       to_agency: str = "") -> Complaint:
    """Hand the case to another body on the platform (it appears in their inbox to accept or
    return) or to an outside agency. The sender's route stage stops here (time to transfer)."""
    _require_staff(actor, Role.ADMIN, Role.EXECUTIVE, Role.CLERK, Role.OFFICER)
    reason = clean_text(reason, field="reason", label=_("เหตุผลการส่งต่อ"), max_length=2000, required=True)
    to_agency = clean_text(to_agency, field="to_agency", label=_("หน่วยงานปลายทาง"), max_length=120, kind="name")
    if (to_body is None) == (not to_agency):
        raise ComplaintError(_("กรุณาเลือกหน่วยงานปลายทางหนึ่งแห่ง"), field="to_body")
    sender = current_body()
    if to_body is not None:
        to_body = LocalBody.objects.bodies().filter(pk=to_body.pk, status=BodyStatus.ACTIVE).first()
        if to_body is None or to_body.pk == sender.pk:
            raise ComplaintError(_("หน่วยงานปลายทางไม่ถูกต้อง"), field="to_body")
    complaint = _locked(complaint)
    now = timezone.now()
    target_name = to_body.display_name if to_body else to_agency
    _set_status(complaint, Status.TRANSFERRED, actor=actor,
                text=str(_("ส่งต่อเรื่องไปยัง %(target)s: %(reason)s") % {"target": target_name, "reason": reason}),
                data={"to_body": getattr(to_body, "pk", None), "to_agency": to_agency}, at=now)
    complaint.transferred_to_body = to_body
    complaint.transferred_to_agency = to_agency
    complaint.routed_at = complaint.routed_at or now
    complaint.save(update_fields=["status", "transferred_to_body", "transferred_to_agency", "routed_at",
                                  "updated_at"])
    _event(complaint, EventKind.TRANSFER, actor=actor, text=reason, data={"to_body": getattr(to_body, "pk", None),
                                                                          "to_agency": to_agency}, at=now)
    _sync(complaint, body=sender, transferred_at=now)
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
            "updated_at", "routed_at", "acknowledged_at", "first_reply_at", "resolved_at", "closed_at"}
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
        _event(offer, EventKind.TRANSFER, actor_label=sender.display_name, text=reason, is_public=True,
               data={"from_body": sender.pk, "from_complaint": complaint.pk}, at=at)
        for attachment in attachments:
            Attachment.objects.create(complaint=offer, file=attachment.file.name, content_type=attachment.content_type,
                                      size=attachment.size, original_name=attachment.original_name,
                                      is_public=attachment.is_public)


@transaction.atomic
def complaint_transfer_accept(*, complaint: Complaint, actor: Actor) -> Complaint:
    """The receiver takes the case: its own SLA cycle starts now; the citizen's code is unchanged."""
    _require_staff(actor, Role.ADMIN, Role.EXECUTIVE, Role.CLERK)
    complaint = _locked(complaint)
    if complaint.status != Status.TRANSFER_OFFERED:
        raise WorkflowError(_("เรื่องนี้ไม่ได้รอการรับโอน"))
    body = current_body()
    now = timezone.now()
    _set_status(complaint, Status.RECEIVED, actor=actor, text=str(_("รับโอนเรื่องแล้ว")), at=now)
    complaint.received_at = complaint.cycle_started_at = now
    complaint.sla_snapshot = _sla_snapshot(body, complaint.sla_class, now)
    if complaint.category.department_id:
        complaint.department_id = complaint.category.department_id
    complaint.save(update_fields=["status", "received_at", "cycle_started_at", "sla_snapshot", "department",
                                  "updated_at"])
    # An offer always records where it came from; both are set together in _offer_transfer.
    origin_id = complaint.transfer_origin_complaint_id
    origin_fact = ComplaintFact.objects.filter(body_id=complaint.transfer_origin_body_id,
                                               complaint_id=origin_id).first() if origin_id is not None else None
    _sync(complaint, body=body, transferred_from=origin_fact)
    origin = complaint.transfer_origin_body
    if origin is not None and origin_id is not None:
        with schema_context(origin.schema_name):
            sent = Complaint.objects.filter(pk=origin_id).first()
            if sent is not None:
                _event(sent, EventKind.TRANSFER, actor_label=body.display_name, is_public=True,
                       text=str(_("%(body)s รับเรื่องแล้ว") % {"body": body.display_name}),
                       data={"accepted_by": body.pk, "complaint": complaint.pk})
    return complaint


@transaction.atomic
def complaint_transfer_return(*, complaint: Complaint, actor: Actor, reason: str) -> Complaint:
    """The receiver declines: the offer is closed here and the case is back in the sender's queue."""
    _require_staff(actor, Role.ADMIN, Role.EXECUTIVE, Role.CLERK)
    reason = clean_text(reason, field="reason", label=_("เหตุผลที่ส่งคืน"), max_length=2000, required=True)
    complaint = _locked(complaint)
    if complaint.status != Status.TRANSFER_OFFERED:
        raise WorkflowError(_("เรื่องนี้ไม่ได้รอการรับโอน"))
    body = current_body()
    _set_status(complaint, Status.REJECTED, actor=actor, text=reason, is_public=False)
    complaint.reject_reason = reason
    complaint.save(update_fields=["status", "reject_reason", "updated_at"])
    origin, origin_id = complaint.transfer_origin_body, complaint.transfer_origin_complaint_id
    if origin is not None and origin_id is not None:
        with schema_context(origin.schema_name):
            sent = Complaint.objects.select_for_update().filter(pk=origin_id).first()
            if sent is not None and sent.status == Status.TRANSFERRED:
                _set_status(sent, Status.IN_PROGRESS, actor_label=body.display_name, is_public=False,
                            text=str(_("%(body)s ส่งเรื่องคืน: %(reason)s") % {"body": body.display_name,
                                                                             "reason": reason}),
                            data={"returned_by": body.pk})
                sent.transferred_to_body = None
                sent.save(update_fields=["status", "transferred_to_body", "updated_at"])
                _sync(sent, body=origin)
    return complaint

