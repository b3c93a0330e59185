"""The conduct and corruption case desk (/oversight/conduct/): reads.

A case is found through its reporting fact (public schema, no personal data), and only among the
cases the officer's own office handles (apps.complaints.conduct.handled_by): a case of another
district, or one about the officer's own district office, is the same 404 as a missing one. The
case itself is read in the accused body's schema, and everything the page shows is read there and
handed back as plain values, so nothing is fetched later on the public schema by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from apps.accounts.actors import OfficeActor
from apps.accounts.models import User
from apps.complaints.conduct import DISTRICT, PROVINCE, handled_by, identity_reveals, office_name
from apps.complaints.models import Attachment, Complaint, EventKind
from apps.complaints.status import OPEN_STATUSES, Status
from apps.complaints.workflow import can_transition
from apps.oversight.scoping import Scope
from apps.reporting.models import ComplaintFact
from apps.sla.selectors import pending_deadlines
from apps.ui.thai import localised_name
from tenants.models import LocalBody

OFFICE_LEVELS = (DISTRICT, PROVINCE)


def office_actor(*, user: User, scope: Scope) -> OfficeActor:
    """The signed-in officer as the actor on a case their office handles."""
    if scope.level not in OFFICE_LEVELS:
        raise Http404("no desk for this scope")
    return OfficeActor(user_id=user.pk, name=user.get_full_name(), office=office_name(scope.level, scope.code))


def get_conduct_fact_for_officer(scope: Scope, fact_id: object) -> ComplaintFact:
    """The fact of a case this officer's office handles, or 404 (missing and not yours alike)."""
    if scope.level not in OFFICE_LEVELS:
        raise Http404("no desk for this scope")
    try:
        pk = int(str(fact_id))
    except ValueError as exc:
        raise Http404("no such case") from exc
    fact = ComplaintFact.objects.select_related("body").filter(handled_by(scope.level, scope.code), pk=pk).first()
    if fact is None:
        raise Http404("no such case")
    return fact


def desk_complaint(fact: ComplaintFact) -> Complaint:
    """The case behind a fact; call inside the body's schema."""
    complaint = Complaint.objects.select_related("category").filter(pk=fact.complaint_id,
                                                                     routed_to_oversight=True).first()
    if complaint is None:
        raise Http404("no such case")
    return complaint


def desk_actions(status: str) -> set[str]:
    actions = {"note", "notify_body"}
    if can_transition(status, Status.ACKNOWLEDGED):
        actions.add("acknowledge")
    if status in (Status.ACKNOWLEDGED, Status.WAITING):
        actions.add("resume")
    if status in (Status.ACKNOWLEDGED, Status.IN_PROGRESS):
        actions.add("request_info")
    if status in (*OPEN_STATUSES, Status.RESOLVED):
        actions.add("reply")
    if can_transition(status, Status.RESOLVED):
        actions.add("resolve")
    if status == Status.RESOLVED:
        actions.add("close")
    return actions


@dataclass
class DeskCase:
    fact: ComplaintFact
    body: LocalBody
    complaint: Complaint
    category: str
    status_label: str
    events: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    deadlines: list[Any] = field(default_factory=list)
    reveals: list[dict[str, Any]] = field(default_factory=list)
    actions: set[str] = field(default_factory=set)


def desk_case(fact: ComplaintFact) -> DeskCase:
    body = fact.body
    with schema_context(body.schema_name):
        complaint = desk_complaint(fact)
        events = [{
            "kind": e.kind, "kind_label": EventKind(e.kind).label if e.kind in EventKind.values else e.kind,
            "to_status": Status(e.to_status).label if e.to_status in Status.values else e.to_status,
            "who": e.actor.get_full_name() if e.actor else (_(e.actor_label) if e.actor_label else _("ระบบ")),
            "text": e.text, "is_public": e.is_public, "created_at": e.created_at,
        } for e in complaint.events.select_related("actor").order_by("created_at", "id")]
        attachments = [dict(a) for a in Attachment.objects.filter(complaint=complaint).order_by("created_at", "id")
                       .values("id", "original_name", "content_type", "size", "is_public")]
        reveals = [{"created_at": r.created_at, "who": r.actor_label or (r.user.get_full_name() if r.user else ""),
                    "context": r.context} for r in identity_reveals(complaint=complaint).select_related("user")]
        deadlines = list(pending_deadlines(complaint=complaint))
        category = localised_name(complaint.category)
    return DeskCase(fact=fact, body=body, complaint=complaint, category=category,
                    status_label=str(Status(complaint.status).label), events=events, attachments=attachments,
                    deadlines=deadlines, reveals=reveals, actions=desk_actions(complaint.status))
