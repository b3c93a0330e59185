"""One case's staff page: the timeline, the complainant's identity (audited), files, and each
action's form. A refused action (ComplaintError) is shown next to its form with status 400 and
changes nothing: the services are atomic."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from apps.complaints.access import StaffRequest, staff_view
from apps.complaints.context import current_body
from apps.complaints.deadlines import case_deadlines
from apps.complaints.errors import ComplaintError
from apps.complaints.forms import (
    AssignForm,
    MergeForm,
    ReasonForm,
    ReplyForm,
    RequiredTextForm,
    ResolveForm,
    TextForm,
    TransferForm,
)
from apps.complaints.maps import tile_url_for
from apps.complaints.models import Complaint, ComplaintEvent, Department, EventKind, StaffMember
from apps.complaints.policies import (
    can_close,
    can_contact,
    can_view_identity,
    complainant_contact,
    complainant_identity,
    get_complaint_for_user,
    visible_complaints,
)
from apps.complaints.selectors import (
    departments_active,
    duplicate_candidates,
    normalise_code,
    staff_choices,
    transfer_targets,
)
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
from apps.complaints.status import OPEN_STATUSES, Status
from apps.complaints.workflow import available_actions
from apps.ui.csp import allow_tiles_from
from apps.ui.downloads import user_file_response
from tenants.models import LocalBody, Subdistrict


def _threads(events: list[ComplaintEvent]) -> list[dict[str, Any]]:
    """The timeline with each request for information holding the answer that ended it (the
    citizen's, or an officer's resume), shown beside it rather than further down."""
    items: list[dict[str, Any]] = []
    asking: dict[str, Any] | None = None
    for event in events:
        if event.kind == EventKind.STATUS and event.to_status == Status.WAITING:
            asking = {"event": event, "answer": None}
            items.append(asking)
            continue
        if asking is not None and event.kind == EventKind.STATUS and event.from_status == Status.WAITING:
            asking["answer"] = event
            asking = None
            continue
        items.append({"event": event, "answer": None})
    return items


def _case_context(request: HttpRequest, complaint: Complaint, *, forms: dict[str, Any] | None = None,
                  errors: dict[str, str] | None = None, identity: dict[str, str] | None = None,
                  contact: dict[str, str] | None = None) -> dict[str, Any]:
    forms = forms or {}
    departments = departments_active()
    events = list(complaint.events.select_related("actor").prefetch_related("attachments"))
    attachments = list(complaint.attachments.order_by("created_at", "id"))
    photos = [a for a in attachments if a.content_type.startswith("image/")]
    tq = (request.GET.get("tq") or "").strip()
    targets = transfer_targets(body=current_body(), query=tq)
    candidates = duplicate_candidates(user=request.user, national_category=complaint.national_category,
                                      latitude=complaint.latitude, longitude=complaint.longitude,
                                      subdistrict_code=complaint.subdistrict_code, exclude_id=complaint.pk) \
        if complaint.status in OPEN_STATUSES else []
    subdistrict = Subdistrict.objects.filter(code=complaint.subdistrict_code).first() \
        if complaint.subdistrict_code else None
    merged = list(complaint.merged.all().only("id", "tracking_code")) if complaint.pk else []
    return {
        "complaint": complaint,
        "timeline": _threads(events),
        "photos": photos,
        "documents": [a for a in attachments if a not in photos],
        "deadlines": case_deadlines(complaint=complaint),
        "is_open": complaint.status in OPEN_STATUSES,
        # The map (and its tile server, from the body's profile: one query) only for a pinned case.
        "tile_url": tile_url_for(body=current_body()) if complaint.latitude is not None else "",
        # A refused action's form stays on the page with its message, even if no longer offered.
        "available": available_actions(complaint.status) | set(errors or {}),
        "can_close": can_close(request.user, complaint),
        "can_view_identity": can_view_identity(request.user, complaint),
        "identity": identity,
        "can_contact": can_contact(request.user, complaint),
        "contact": contact,
        "errors": errors or {},
        "f_acknowledge": forms.get("acknowledge") or TextForm(prefix="acknowledge"),
        "f_assign": forms.get("assign") or AssignForm(prefix="assign", departments=departments, people=staff_choices(),
                                                      initial={"department": complaint.department_id,
                                                               "assignee": complaint.assignee_id}),
        "f_reply": forms.get("reply") or ReplyForm(prefix="reply"),
        "f_note": forms.get("note") or RequiredTextForm(prefix="note"),
        "f_request_info": forms.get("request_info") or RequiredTextForm(prefix="request_info"),
        "f_resume": forms.get("resume") or TextForm(prefix="resume"),
        "f_resolve": forms.get("resolve") or ResolveForm(prefix="resolve"),
        "f_close": forms.get("close") or TextForm(prefix="close"),
        "f_reject": forms.get("reject") or ReasonForm(prefix="reject"),
        "f_transfer": forms.get("transfer") or TransferForm(prefix="transfer"),
        "f_merge": forms.get("merge") or MergeForm(prefix="merge"),
        "f_transfer_return": forms.get("transfer_return") or ReasonForm(prefix="transfer_return"),
        "f_reopen": forms.get("reopen") or ReasonForm(prefix="reopen"),
        "targets": targets,
        "tq": tq,
        "candidates": candidates,
        "subdistrict": subdistrict,
        "merged": merged,
    }


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """The case page, its map's tile server allowed by the Content-Security-Policy."""
    return allow_tiles_from(render(request, "complaints/case.html", context, status=status), context["tile_url"])


@staff_view(hide=True)
@require_GET
def case_view(request: StaffRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_user(request.user, pk)
    return _page(request, _case_context(request, complaint))


@staff_view(hide=True)
@require_POST
def identity_view(request: StaffRequest, pk: int) -> HttpResponse:
    """Reveal the complainant to a role allowed to see them; the policy writes the audit row."""
    complaint = get_complaint_for_user(request.user, pk)
    identity = complainant_identity(request.user, complaint, context="staff case page")
    if identity is None:
        return _page(request, _case_context(
            request, complaint, errors={"identity": _("บทบาทของท่านไม่มีสิทธิ์ดูข้อมูลผู้ร้องของเรื่องนี้")}),
            status=403)
    return _page(request, _case_context(request, complaint, identity=identity))


@staff_view(hide=True)
@require_POST
def contact_view(request: StaffRequest, pk: int) -> HttpResponse:
    """The contact the complainant allowed, for the officers handling the case; audited like a reveal."""
    complaint = get_complaint_for_user(request.user, pk)
    contact = complainant_contact(request.user, complaint, context="staff case page: contact")
    if contact is None:
        return _page(request, _case_context(
            request, complaint, errors={"contact": _("ท่านไม่ได้รับผิดชอบเรื่องนี้ จึงดูช่องทางติดต่อผู้ร้องไม่ได้")}),
            status=403)
    return _page(request, _case_context(request, complaint, contact=contact))


def _visible_by_code(request: HttpRequest, value: str) -> Complaint | None:
    code = normalise_code(value)
    if not code:
        return None
    return visible_complaints(request.user).filter(tracking_code=code).first()


# Actions that take one text from their form (and the form's files, if it has them): the form,
# the service, the form field handed to the service under the same name, the success message.
_TEXT_ACTIONS: dict[str, tuple[type[forms.Form], Callable[..., object], str, Promise]] = {
    "acknowledge": (TextForm, complaint_acknowledge, "text", gettext_lazy("แจ้งรับเรื่องแล้ว")),
    "reply": (ReplyForm, complaint_reply, "text", gettext_lazy("ส่งคำตอบถึงผู้ร้องแล้ว")),
    "note": (RequiredTextForm, complaint_note, "text", gettext_lazy("บันทึกภายในแล้ว")),
    "request_info": (RequiredTextForm, complaint_request_info, "text",
                     gettext_lazy("ขอข้อมูลเพิ่มเติมจากผู้ร้องแล้ว")),
    "resume": (TextForm, complaint_resume, "text", gettext_lazy("ดำเนินการต่อแล้ว")),
    "resolve": (ResolveForm, complaint_resolve, "resolution", gettext_lazy("บันทึกผลการดำเนินการแล้ว")),
    "close": (TextForm, complaint_close, "text", gettext_lazy("ปิดเรื่องแล้ว")),
    "reject": (ReasonForm, complaint_reject, "reason", gettext_lazy("บันทึกไม่รับเรื่องแล้ว")),
    "reopen": (ReasonForm, complaint_reopen, "reason", gettext_lazy("เปิดเรื่องใหม่แล้ว")),
    "transfer_return": (ReasonForm, complaint_transfer_return, "reason",
                        gettext_lazy("ส่งเรื่องคืนหน่วยงานต้นทางแล้ว")),
}


def _run_action(request: HttpRequest, complaint: Complaint, action: str) -> tuple[Any, str]:
    """Bind the action's form and call its service; return (form, success message)."""
    user = request.user
    post, files = request.POST, request.FILES
    form: forms.Form
    if action in _TEXT_ACTIONS:
        form_class, service, field, done = _TEXT_ACTIONS[action]
        form = form_class(post, files, prefix=action)
        form.is_valid()  # the service validates the text and says what is wrong, in the user's language
        uploads = {"uploads": form.cleaned_data.get("attachments", [])} if "attachments" in form.fields else {}
        service(complaint=complaint, actor=user, **{field: form.cleaned_data.get(field, "")}, **uploads)
        return form, str(done)
    if action == "assign":
        form = AssignForm(post, prefix=action, departments=departments_active(), people=staff_choices())
        if not form.is_valid():
            raise ComplaintError(_("กรุณาเลือกกอง/สำนักหรือผู้รับผิดชอบจากรายการ"), field="department")
        department = Department.objects.filter(pk=form.cleaned_data["department"]).first() \
            if form.cleaned_data["department"] else None
        assignee_id = form.cleaned_data["assignee"]
        assignee = StaffMember.objects.select_related("user").get(user_id=assignee_id).user if assignee_id else None
        complaint_assign(complaint=complaint, actor=user, department=department, assignee=assignee)
        return form, _("มอบหมายแล้ว")
    if action == "transfer":
        transfer = TransferForm(post, prefix=action)
        if not transfer.is_valid():
            raise ComplaintError(_("กรุณาเลือกหน่วยงานปลายทางจากรายการ"), field="to_body")
        to_body = None
        if transfer.cleaned_data["to_body"]:
            to_body = LocalBody.objects.live().filter(pk=transfer.cleaned_data["to_body"]).first()
            if to_body is None:
                raise ComplaintError(_("หน่วยงานปลายทางไม่ถูกต้อง"), field="to_body")
        complaint_transfer(complaint=complaint, actor=user, reason=transfer.cleaned_data["reason"],
                           to_body=to_body, to_agency=transfer.target_agency())
        return transfer, _("ส่งต่อเรื่องแล้ว")
    if action == "merge":
        merge = MergeForm(post, prefix=action)
        merge.is_valid()
        into = _visible_by_code(request, merge.target_code())
        if into is None:
            raise ComplaintError(_("ไม่พบเรื่องเลขที่ที่ระบุ"), field="into")
        complaint_merge(duplicate=complaint, into=into, actor=user)
        return merge, _("รวมเข้ากับเรื่อง %(code)s แล้ว") % {"code": into.tracking_code}
    if action == "transfer_accept":
        complaint_transfer_accept(complaint=complaint, actor=user)
        return None, _("รับโอนเรื่องแล้ว")
    raise Http404


ACTIONS = frozenset({*_TEXT_ACTIONS, "assign", "transfer", "merge", "transfer_accept"})


@staff_view(hide=True)
@require_POST
def case_action_view(request: StaffRequest, pk: int, action: str) -> HttpResponse:
    complaint = get_complaint_for_user(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    form = None
    try:
        form, done = _run_action(request, complaint, action)
    except ComplaintError as exc:
        if form is None:
            form = _rebind(request, action)
        fresh = get_complaint_for_user(request.user, pk)
        return _page(request, _case_context(
            request, fresh, forms={action: form} if form is not None else {}, errors={action: str(exc.message)}),
            status=400)
    messages.success(request, done)
    return redirect("staff:case", pk=complaint.pk)


def _rebind(request: HttpRequest, action: str) -> Any:
    """The form the officer filled in, to show it again beside the refusal (text kept, files not)."""
    post = request.POST
    simple = {"acknowledge": TextForm, "resume": TextForm, "close": TextForm, "note": RequiredTextForm,
              "request_info": RequiredTextForm, "reply": ReplyForm, "resolve": ResolveForm, "reject": ReasonForm,
              "reopen": ReasonForm, "transfer_return": ReasonForm, "transfer": TransferForm, "merge": MergeForm}
    if action == "assign":
        return AssignForm(post, prefix=action, departments=departments_active(), people=staff_choices())
    cls = simple.get(action)
    return cls(post, prefix=action) if cls else None


@staff_view(hide=True)
@require_GET
def attachment_view(request: StaffRequest, pk: int, attachment_id: int) -> HttpResponseBase:
    """Files are never on a public URL: each download checks that the user may see the case."""
    complaint = get_complaint_for_user(request.user, pk)
    attachment = complaint.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    extension = mimetypes.guess_extension(attachment.content_type) or ""
    return user_file_response(handle, content_type=attachment.content_type,
                              filename=f"{complaint.tracking_code}-{attachment.pk}{extension}")


@staff_view
@require_GET
def transfer_targets_view(request: StaffRequest) -> JsonResponse:
    query = (request.GET.get("q") or "").strip()
    bodies = transfer_targets(body=current_body(), query=query)
    return JsonResponse({"results": [{"id": b.pk, "name": b.display_name, "dla_code": b.dla_code} for b in bodies]})
