"""What every change to a case writes, in the change's own transaction: the timeline event, the
status through the workflow, the reporting fact (public schema, no personal data) with its SLA
stage clocks. The services in this package call these and nothing else writes a case."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from apps.accounts.actors import OfficeActor
from apps.accounts.models import User
from apps.complaints import followers, notifications, webhooks
from apps.complaints.access import staff_role
from apps.complaints.attachments import CleanFile
from apps.complaints.context import current_body
from apps.complaints.errors import NotAllowed
from apps.complaints.models import Attachment, Complaint, ComplaintEvent, EventKind
from apps.complaints.policies import Actor, may_act_on
from apps.complaints.validation import MAX_DESCRIPTION, clean_text
from apps.complaints.workflow import check_transition
from apps.reporting.models import ComplaintFact
from apps.reporting.services import fact_prepare
from apps.sla.services import complaint_clock_update
from tenants.models import LocalBody

# Timeline labels for actors that are not a signed-in user.
SYSTEM = gettext_noop("ระบบ")
CITIZEN = gettext_noop("ผู้ร้อง")
logger = logging.getLogger(__name__)


def citizen_text(complaint: Complaint, text: str | Promise, **params: object) -> str:
    """Text stored for the citizen to read (the public timeline), rendered in their language,
    never in that of the officer whose action wrote it."""
    with translation.override(complaint.complainant_language or "th"):
        return str(text) % params if params else str(text)


def user_or_none(user: Actor) -> User | None:
    # A User is always authenticated; AnonymousUser is not.
    return user if isinstance(user, User) else None


def event_add(complaint: Complaint, kind: str, *, actor: Actor = None, actor_label: str = "", text: str = "",
              is_public: bool = False, from_status: str = "", to_status: str = "",
              data: Mapping[str, object] | None = None, at: datetime | None = None) -> ComplaintEvent:
    # Every change to a case passes here: a conduct case takes only its office's hand (and the
    # citizen's), and the office takes no other case. Filing is not acting on a case.
    if kind != EventKind.CREATED and not may_act_on(actor, complaint):
        raise NotAllowed(_("บทบาทของท่านไม่มีสิทธิ์ทำรายการนี้"))
    if isinstance(actor, OfficeActor):
        actor_label, data = actor.label, {**(data or {}), "office_user": actor.user_id}
    # Every event's text passes the one normalisation step and a bound, whichever service wrote it.
    text = clean_text(text, field="text", label=_("ข้อความ"), max_length=2 * MAX_DESCRIPTION)
    event = ComplaintEvent.objects.create(
        complaint=complaint, kind=kind, actor=user_or_none(actor), actor_label=actor_label,
        text=text, is_public=is_public, from_status=from_status, to_status=to_status,
        data=dict(data or {}), created_at=at or timezone.now(),
    )
    # The body's webhook endpoints hear of it through the outbox, in this same transaction.
    webhooks.events_queue([event])
    return event


def status_set(complaint: Complaint, target: str, *, actor: Actor = None, actor_label: str = "",
               text: str = "", is_public: bool = True, data: Mapping[str, object] | None = None,
               at: datetime | None = None) -> ComplaintEvent:
    check_transition(complaint.status, target)
    previous = complaint.status
    complaint.status = target
    event = event_add(complaint, EventKind.STATUS, actor=actor, actor_label=actor_label, text=text,
                      is_public=is_public, from_status=previous, to_status=target, data=data, at=at)
    # Citizens following the public report hear of every status change, whichever service made it.
    followers.followers_status_queue(complaint, previous=previous, target=target)
    return event


def case_sync(complaint: Complaint, *, body: LocalBody | None = None, new: bool = False,
              pause_told: bool = False, **fact_extra: object) -> ComplaintFact:
    """The same-transaction writes that follow every case change: the fact with its SLA columns
    (one INSERT or UPDATE) and the SLA stage clocks. `pause_told`: the change's own message already
    tells the citizen the clock waits for them (a request for information), so no second message."""
    body = body or current_body()
    fact, changed = fact_prepare(complaint=complaint, body=body, new=new, **fact_extra)
    # A new case's deadlines are on its receipt; any later change that moves them is told here
    # (a transfer offer has no clocks until it is accepted: its first deadlines are news too).
    before = None if new else notifications.deadlines_stored(fact) if fact.pk else {}
    result = complaint_clock_update(complaint=complaint, fact=fact, save_fields=changed)
    if before is not None and not pause_told:
        notifications.deadline_moved_queue(complaint, before=before, result=result, body=body)
    return fact


def case_locked(complaint: Complaint) -> Complaint:
    """Re-read the case under a row lock: two officers acting at once are applied one after the other."""
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def staff_require(user: Actor, *roles: str) -> str:
    if isinstance(user, OfficeActor) and not roles:
        return "office"  # the handling office on a conduct case: event_add checks the case is one
    role = staff_role(user)
    if role is None or (roles and role not in roles):
        raise NotAllowed(_("บทบาทของท่านไม่มีสิทธิ์ทำรายการนี้"))
    return role


def files_store(complaint: Complaint, files: list[CleanFile], *, event: ComplaintEvent | None,
                uploaded_by: Actor, is_public: bool) -> tuple[str, ...]:
    """Store the files; return the names of those the file store refused (unwritable, full).
    A storage failure never loses the case or its text: the file is left out, and the timeline
    says so, for staff to ask the citizen again."""
    failed: list[str] = []
    for clean in files:
        try:
            with transaction.atomic():
                # The photo's thumbnail is written with it (the same row): a page never finds one without the other.
                Attachment.objects.create(
                    complaint=complaint, event=event, file=clean.content, thumbnail=clean.thumbnail or "",
                    content_type=clean.content_type,
                    size=clean.content.size, original_name=clean.original_name, is_public=is_public,
                    uploaded_by=user_or_none(uploaded_by),
                )
        except OSError as error:
            logger.error("attachment of complaint %s not stored: %s", complaint.pk, error)
            failed.append(clean.original_name or clean.content.name or "")
    if failed:
        event_add(complaint, EventKind.ATTACHMENT, actor_label=SYSTEM,
                  text=_("ระบบจัดเก็บไฟล์ขัดข้อง ไม่ได้รับไฟล์แนบ %(count)d ไฟล์: %(names)s")
                  % {"count": len(failed), "names": ", ".join(failed)},
                  data={"failed": failed})
    return tuple(failed)
