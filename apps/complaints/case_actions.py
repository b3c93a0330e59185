"""The staff's actions on one case: one table for the staff desk (apps.complaints.views.case) and
the staff REST API (api.staff_case_actions).

Each front end parses its own input (the desk's forms, the API's serializers) into an
`ActionInput`, in which `text` is the action's input field `CaseAction.field` (the same name in the
form, the serializer and the service's keyword). The table says which service the action calls
with which of those values, and how what the input names is found (a department, a staff member,
a body, the case a duplicate goes into), refusing in Thai what is not there. Who may do it is the
service's own rule (staff_require, can_close, may_act_on), checked there for every caller; which
actions a status offers is apps.complaints.workflow.available_actions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.complaints.errors import ComplaintError
from apps.complaints.models import Complaint, Department, StaffMember
from apps.complaints.policies import Actor, visible_complaints
from apps.complaints.selectors import by_code, normalise_code
from apps.complaints.services.merge import complaint_merge
from apps.complaints.services.transfer import (
    complaint_transfer,
    complaint_transfer_accept,
    complaint_transfer_return,
)
from apps.complaints.services.workflow import (
    complaint_acknowledge,
    complaint_assign,
    complaint_close,
    complaint_note,
    complaint_reject,
    complaint_reopen,
    complaint_reply,
    complaint_request_info,
    complaint_resolve,
    complaint_resume,
)
from tenants.models import LocalBody


@dataclass(frozen=True)
class ActionInput:
    text: str = ""  # the value of the action's `field` (a reply, a note, a resolution, a reason)
    uploads: Sequence[UploadedFile] = ()
    department_id: int | None = None
    assignee_id: int | None = None  # a staff member's user id
    to_body_id: int | None = None  # the receiving body by id (the desk's list) …
    to_body_code: str = ""  # … or by DLA code (the API)
    to_agency: str = ""
    into_code: str = ""  # the tracking code of the case a duplicate goes into


# What an action does: it returns the other case it changed (a merge's target), or None.
Run = Callable[[Complaint, Actor, ActionInput], Complaint | None]


@dataclass(frozen=True)
class CaseAction:
    run: Run
    field: str  # the input field that becomes ActionInput.text ("" for none)
    files: bool  # takes attachments
    done: Promise  # the desk's confirmation (%(code)s: the case a merge went into)


def _text(service: Callable[..., object], field: str, *, files: bool = False) -> Run:
    def run(complaint: Complaint, actor: Actor, given: ActionInput) -> None:
        extra: dict[str, object] = {"uploads": list(given.uploads)} if files else {}
        if field:
            extra[field] = given.text
        service(complaint=complaint, actor=actor, **extra)
    return run


def _assign(complaint: Complaint, actor: Actor, given: ActionInput) -> None:
    department = None
    if given.department_id is not None:
        department = Department.objects.filter(pk=given.department_id, is_active=True).first()
        if department is None:
            raise ComplaintError(_("กรุณาเลือกกอง/สำนักหรือผู้รับผิดชอบจากรายการ"), field="department")
    assignee = None
    if given.assignee_id is not None:
        member = StaffMember.objects.select_related("user").filter(user_id=given.assignee_id,
                                                                   user__is_active=True).first()
        if member is None:
            raise ComplaintError(_("ผู้รับผิดชอบต้องเป็นเจ้าหน้าที่ของหน่วยงานนี้"), field="assignee")
        assignee = member.user
    complaint_assign(complaint=complaint, actor=actor, department=department, assignee=assignee)


def _transfer(complaint: Complaint, actor: Actor, given: ActionInput) -> None:
    to_body = None
    if given.to_body_id is not None or given.to_body_code:
        live = LocalBody.objects.live()
        found = live.filter(pk=given.to_body_id) if given.to_body_id is not None else \
            live.filter(dla_code=given.to_body_code)
        to_body = found.first()
        if to_body is None:
            raise ComplaintError(_("หน่วยงานปลายทางไม่ถูกต้อง"), field="to_body")
    complaint_transfer(complaint=complaint, actor=actor, reason=given.text, to_body=to_body,
                       to_agency=given.to_agency)


def _merge(complaint: Complaint, actor: Actor, given: ActionInput) -> Complaint:
    code = normalise_code(given.into_code)
    # The code the other complainant follows: its own, or one a merge of bodies re-issued.
    into = by_code(visible_complaints(actor), code).first() if code else None
    if into is None:
        raise ComplaintError(_("ไม่พบเรื่องเลขที่ที่ระบุ"), field="into")
    complaint_merge(duplicate=complaint, into=into, actor=actor)
    return into


def _text_action(service: Callable[..., object], field: str, done: Promise, *, files: bool = False) -> CaseAction:
    return CaseAction(run=_text(service, field, files=files), field=field, files=files, done=done)


# By the desk's name (the form's prefix); the API's path is the name with hyphens.
CASE_ACTIONS: dict[str, CaseAction] = {
    "acknowledge": _text_action(complaint_acknowledge, "text", gettext_lazy("แจ้งรับเรื่องแล้ว")),
    "assign": CaseAction(run=_assign, field="", files=False, done=gettext_lazy("มอบหมายแล้ว")),
    "reply": _text_action(complaint_reply, "text", gettext_lazy("ส่งคำตอบถึงผู้ร้องแล้ว"), files=True),
    "note": _text_action(complaint_note, "text", gettext_lazy("บันทึกภายในแล้ว")),
    "request_info": _text_action(complaint_request_info, "text", gettext_lazy("ขอข้อมูลเพิ่มเติมจากผู้ร้องแล้ว")),
    "resume": _text_action(complaint_resume, "text", gettext_lazy("ดำเนินการต่อแล้ว")),
    "resolve": _text_action(complaint_resolve, "resolution", gettext_lazy("บันทึกผลการดำเนินการแล้ว"), files=True),
    "close": _text_action(complaint_close, "text", gettext_lazy("ปิดเรื่องแล้ว")),
    "reject": _text_action(complaint_reject, "reason", gettext_lazy("บันทึกไม่รับเรื่องแล้ว")),
    "reopen": _text_action(complaint_reopen, "reason", gettext_lazy("เปิดเรื่องใหม่แล้ว")),
    "transfer": CaseAction(run=_transfer, field="reason", files=False, done=gettext_lazy("ส่งต่อเรื่องแล้ว")),
    "transfer_accept": _text_action(complaint_transfer_accept, "", gettext_lazy("รับโอนเรื่องแล้ว")),
    "transfer_return": _text_action(complaint_transfer_return, "reason",
                                    gettext_lazy("ส่งเรื่องคืนหน่วยงานต้นทางแล้ว")),
    "merge": CaseAction(run=_merge, field="", files=False, done=gettext_lazy("รวมเข้ากับเรื่อง %(code)s แล้ว")),
}


def case_action_run(name: str, *, complaint: Complaint, actor: Actor, given: ActionInput) -> Complaint | None:
    """Do action `name` on the case (KeyError: no such action); the other case it changed, or None."""
    return CASE_ACTIONS[name].run(complaint, actor, given)
