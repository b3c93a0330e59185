"""LINE reads (in the current body's schema)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.complaints.models import Complaint
from apps.complaints.status import Status
from apps.line.models import LineUser
from apps.sla.selectors import PendingDeadline, pending_deadlines
from apps.ui import thai

MY_CASES_SHOWN = 10
_OPEN = (Status.RECEIVED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.WAITING)


def line_recipient(*, complaint: Complaint) -> LineUser | None:
    """The LINE user who filed the case here and still follows the body's account (a LINE ID a
    citizen typed into the web form is a handle, not a user id: it matches no row)."""
    if not complaint.complainant_line_id or complaint.is_anonymous:
        return None
    return LineUser.objects.filter(pk=complaint.complainant_line_id, is_following=True).first()


def waiting_case(*, user_id: str) -> Complaint | None:
    """The newest of the citizen's cases waiting for their answer."""
    return (Complaint.objects.filter(complainant_line_id=user_id, status=Status.WAITING)
            .order_by("-updated_at", "-id").first())


def deadlines(*, complaint: Complaint) -> list[PendingDeadline]:

    if complaint.status not in _OPEN:
        return []
    return list(pending_deadlines(complaint=complaint))


def my_cases_text(*, user_id: str) -> str:
    """"เรื่องของฉัน": the citizen's cases in this body, newest first, with status and next deadline."""
    cases = list(Complaint.objects.filter(complainant_line_id=user_id).order_by("-received_at", "-id")
                 [:MY_CASES_SHOWN])
    if not cases:
        return _("ท่านยังไม่มีเรื่องที่แจ้งผ่าน LINE กับหน่วยงานนี้")
    lines = [_("เรื่องของท่าน %(n)d เรื่องล่าสุด") % {"n": len(cases)}]
    for complaint in cases:
        received = thai.format_date(complaint.received_at)
        line = f"• {complaint.tracking_code} {Status(complaint.status).label} ({received})"
        pending = deadlines(complaint=complaint)
        if pending:
            line += "\n  " + _("กำหนดถัดไป: %(stage)s ภายใน %(due)s") % {
                "stage": pending[0].stage_label, "due": thai.format_datetime(pending[0].due_at)}
        lines.append(line)
    return "\n".join(lines)
