"""Who may see and do what inside a body. Access helpers hide existence: a case the user may not
see is a 404, exactly like a case that does not exist."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from apps.categories.models import SlaClass
from apps.complaints.models import Complaint, IdentityAccess, Role, StaffMember

# Closing these needs an executive's approval (นายก/ปลัด).
EXECUTIVE_CLOSURE_CLASSES = frozenset({SlaClass.COMPLEX, SlaClass.CONDUCT, SlaClass.CORRUPTION})


def staff_member(user: object) -> StaffMember | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    cached = getattr(user, "_staff_member", False)
    if cached is False:
        cached = StaffMember.objects.select_related("department").filter(user=user).first()
        user._staff_member = cached  # type: ignore[attr-defined]
    return cached


def staff_role(user: object) -> str | None:
    member = staff_member(user)
    return member.role if member else None


def visible_complaints(user: object) -> QuerySet[Complaint]:
    """Admins, executives and intake clerks see every case; officers their department's and their own."""
    member = staff_member(user)
    if member is None:
        return Complaint.objects.none()
    cases = Complaint.objects.all()
    if member.role == Role.OFFICER:
        cases = cases.filter(Q(department_id=member.department_id) | Q(assignee=user)) if member.department_id \
            else cases.filter(assignee=user)
    return cases


def get_complaint_for_user(user: object, pk: object) -> Complaint:
    try:
        return visible_complaints(user).select_related("category", "department", "assignee").get(pk=int(str(pk)))
    except (Complaint.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def can_close(user: object, complaint: Complaint) -> bool:
    role = staff_role(user)
    if role in (Role.ADMIN, Role.EXECUTIVE):
        return True
    return role == Role.OFFICER and complaint.sla_class not in EXECUTIVE_CLOSURE_CLASSES


def can_view_identity(user: object, complaint: Complaint) -> bool:
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


def complainant_identity(user: object, complaint: Complaint, *, context: str) -> dict[str, str] | None:
    """The complainant's identity for this user, or None; every disclosure is audited."""
    if not can_view_identity(user, complaint):
        return None
    IdentityAccess.objects.create(complaint=complaint, user=user, context=context[:60])
    return {
        "name": complaint.complainant_name,
        "phone": complaint.complainant_phone,
        "email": complaint.complainant_email,
        "national_id": complaint.complainant_national_id,
        "address": complaint.complainant_address,
        "line_id": complaint.complainant_line_id,
    }
