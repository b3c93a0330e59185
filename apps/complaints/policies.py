"""Who may see and do what inside a body. Access helpers hide existence: a case the user may not
see is a 404, exactly like a case that does not exist."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

# Who is acting (apps.accounts.actors), re-exported: the services take it from here.
from apps.accounts.actors import Actor as Actor
from apps.accounts.actors import OfficeActor
from apps.accounts.models import User
from apps.categories.models import SlaClass
from apps.complaints.access import staff_member, staff_role
from apps.complaints.models import Complaint, IdentityAccess, Role
from apps.complaints.status import CONTACT_FIELDS, ContactChannel

# Closing these needs an executive's approval (นายก/ปลัด).
EXECUTIVE_CLOSURE_CLASSES = frozenset({SlaClass.COMPLEX, SlaClass.CONDUCT, SlaClass.CORRUPTION})


def visible_complaints(user: Actor) -> QuerySet[Complaint]:
    """Admins, executives and intake clerks see every case; officers their department's and their own.
    Conduct and corruption cases are nobody's at the body (the oversight office handles them)."""
    member = staff_member(user)
    if member is None:
        return Complaint.objects.none()
    cases = Complaint.objects.filter(routed_to_oversight=False)
    if member.role == Role.OFFICER:
        cases = cases.filter(Q(department_id=member.department_id) | Q(assignee_id=member.user_id)) \
            if member.department_id else cases.filter(assignee_id=member.user_id)
    return cases


def get_complaint_for_user(user: Actor, pk: object) -> Complaint:
    try:
        return visible_complaints(user).select_related("category", "department", "assignee").get(pk=int(str(pk)))
    except (Complaint.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def may_act_on(user: Actor, complaint: Complaint) -> bool:
    """A conduct or corruption case is the handling office's alone, and the office acts on nothing
    else; the citizen and the system (None) act on any case."""
    if isinstance(user, OfficeActor):
        return complaint.routed_to_oversight
    return not complaint.routed_to_oversight or user is None or isinstance(user, AnonymousUser)


def can_close(user: Actor, complaint: Complaint) -> bool:
    if isinstance(user, OfficeActor):
        return complaint.routed_to_oversight
    role = staff_role(user)
    if role in (Role.ADMIN, Role.EXECUTIVE):
        return True
    return role == Role.OFFICER and complaint.sla_class not in EXECUTIVE_CLOSURE_CLASSES


def can_view_identity(user: Actor, complaint: Complaint) -> bool:
    """PDPA: only the roles that need it. Conduct and corruption complaints (handled by the district
    office) never show the complainant to the body; confidential ones only to executives."""
    if complaint.is_anonymous or complaint.routed_to_oversight:
        return False
    member = staff_member(user)
    if member is None:
        return False
    if complaint.is_confidential:
        return member.role == Role.EXECUTIVE
    if member.role in (Role.ADMIN, Role.EXECUTIVE, Role.CLERK):
        return True
    return complaint.assignee_id == getattr(user, "pk", None)


def complainant_identity(user: Actor, complaint: Complaint, *, context: str) -> dict[str, str] | None:
    """The complainant's identity for this user, or None; every disclosure is audited."""
    return _disclosed(user, complaint, context=context, allowed=can_view_identity(user, complaint),
                      fields=("name", "phone", "email", "national_id", "address", "line_id"))


def can_contact(user: Actor, complaint: Complaint) -> bool:
    """The privacy notice's rule: the officers who handle the case (its assignee, or staff of the
    department it is assigned to) may reach the complainant, by the channels the complainant allowed
    (contact_allowed_channels) and nothing else of their identity. Confidential, anonymous and
    conduct cases: never (the identity rule of can_view_identity alone applies)."""
    if complaint.is_anonymous or complaint.routed_to_oversight or complaint.is_confidential:
        return False
    if complaint.anonymised_at is not None:
        return False
    member = staff_member(user)
    if member is None:
        return False
    if complaint.assignee_id is not None and complaint.assignee_id == member.user_id:
        return True
    return complaint.department_id is not None and complaint.department_id == member.department_id


def contact_allowed_channels(complaint: Complaint) -> list[str]:
    """The channels the complainant allows the handling officers to use and still has a contact for
    (an anonymised case has none), in ContactChannel's order."""
    if complaint.is_anonymous or complaint.anonymised_at is not None:
        return []
    return [c for c in ContactChannel.values
            if c in complaint.contact_allowed and getattr(complaint, f"complainant_{CONTACT_FIELDS[c]}")]


def complainant_contact(user: Actor, complaint: Complaint, *, context: str) -> dict[str, str] | None:
    """For the officer handling the case, the complainant's name and the contacts of the channels they
    allowed, nothing else; None when they allowed none (PDPA: with no way to reach them allowed the
    officer has no purpose for their name). Each reveal is an IdentityAccess row, like a reveal of
    the whole identity."""
    channels = contact_allowed_channels(complaint)
    return _disclosed(user, complaint, context=context, allowed=bool(channels) and can_contact(user, complaint),
                      fields=("name", *(CONTACT_FIELDS[c] for c in channels)))


def _disclosed(user: Actor, complaint: Complaint, *, context: str, allowed: bool,
               fields: tuple[str, ...]) -> dict[str, str] | None:
    """These of the complainant's details (`complainant_<field>`), with the IdentityAccess row that
    audits the disclosure; None if the rule does not allow it."""
    # isinstance: only staff (Users) pass the rules; it also tells mypy so.
    if not allowed or not isinstance(user, User):
        return None
    IdentityAccess.objects.create(complaint=complaint, user=user, context=context[:60])
    return {field: getattr(complaint, f"complainant_{field}") for field in fields}
