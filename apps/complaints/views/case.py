"""One case's staff page: the timeline, the complainant's identity (audited), files, and each
action's form. A refused action (ComplaintError) is shown next to its form with status 400 and
changes nothing: the services are atomic."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.complaints.access import StaffRequest, staff_view
from apps.complaints.case_actions import CASE_ACTIONS, ActionInput, case_action_run
from apps.complaints.context import current_body
from apps.complaints.deadlines import case_deadlines
from apps.complaints.downloads import attachment_response
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
from apps.complaints.models import Complaint, ComplaintEvent, EventKind
from apps.complaints.policies import (
    can_close,
    can_contact,
    can_view_identity,
    complainant_contact,
    complainant_identity,
    contact_allowed_channels,
    get_complaint_for_user,
)
from apps.complaints.selectors import (
    departments_active,
    duplicate_candidates,
    staff_choices,
    transfer_targets,
)
from apps.complaints.status import OPEN_STATUSES, ContactChannel, Status
from apps.complaints.workflow import available_actions
from apps.ui.csp import allow_tiles_from
from tenants.models import LocalBody, Subdistrict
from tenants.service_areas import bodies_serving


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


# Each action's form (the case page's, by its prefix); transfer_accept takes none.
_FORMS: dict[str, type[forms.Form]] = {
    "acknowledge": TextForm, "resume": TextForm, "close": TextForm, "note": RequiredTextForm,
    "request_info": RequiredTextForm, "reply": ReplyForm, "resolve": ResolveForm, "reject": ReasonForm,
    "reopen": ReasonForm, "transfer_return": ReasonForm, "transfer": TransferForm, "merge": MergeForm,
}


def _serving_elsewhere(complaint: Complaint) -> list[LocalBody]:
    """The bodies whose service area holds the case's ตำบล (and หมู่ที่) when this body's does not:
    the case came to the wrong body, and one button sends it on."""
    if not complaint.subdistrict_code or complaint.status not in OPEN_STATUSES:
        return []
    moo = complaint.moo.strip()
    serving = bodies_serving(subdistrict_code=complaint.subdistrict_code,
                             moo=int(moo) if moo.isdigit() and len(moo) <= 2 else None)
    here = current_body()
    return [] if any(b.pk == here.pk for b in serving) else serving


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
        "serving": _serving_elsewhere(complaint),
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
        # The channels' names only (what the complainant allowed), never their contacts.
        "contact_allowed": [ContactChannel(c).label for c in contact_allowed_channels(complaint)],
        "contact": contact,
        "errors": errors or {},
        "f_assign": forms.get("assign") or AssignForm(prefix="assign", departments=departments, people=staff_choices(),
                                                      initial={"department": complaint.department_id,
                                                               "assignee": complaint.assignee_id}),
        **{f"f_{name}": forms.get(name) or form_class(prefix=name) for name, form_class in _FORMS.items()},
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
    return _reveal(request, pk, "identity", complainant_identity, context="staff case page",
                   refusal=_("บทบาทของท่านไม่มีสิทธิ์ดูข้อมูลผู้ร้องของเรื่องนี้"))


@staff_view(hide=True)
@require_POST
def contact_view(request: StaffRequest, pk: int) -> HttpResponse:
    """The contact the complainant allowed, for the officers handling the case; audited like a reveal."""
    complaint = get_complaint_for_user(request.user, pk)
    refusal = _("ผู้ร้องไม่ได้ยินยอมให้เจ้าหน้าที่ติดต่อ") \
        if can_contact(request.user, complaint) and not contact_allowed_channels(complaint) \
        else _("ท่านไม่ได้รับผิดชอบเรื่องนี้ จึงดูช่องทางติดต่อผู้ร้องไม่ได้")
    return _reveal(request, pk, "contact", complainant_contact, context="staff case page: contact", refusal=refusal)


def _reveal(request: StaffRequest, pk: int, what: str,
            reveal: Callable[..., dict[str, str] | None], *, context: str, refusal: str) -> HttpResponse:
    """The case page with the complainant's `what` (identity, contact) shown, or the refusal (403)."""
    complaint = get_complaint_for_user(request.user, pk)
    shown = reveal(request.user, complaint, context=context)
    if shown is None:
        return _page(request, _case_context(request, complaint, errors={what: refusal}), status=403)
    return _page(request, _case_context(request, complaint, **{what: shown}))


def _form(request: HttpRequest, action: str) -> forms.Form | None:
    """The action's form, bound to what the officer sent (shown again beside a refusal: text kept)."""
    if action == "assign":
        return AssignForm(request.POST, prefix=action, departments=departments_active(), people=staff_choices())
    form_class = _FORMS.get(action)
    return form_class(request.POST, request.FILES, prefix=action) if form_class else None


def _input(action: str, form: forms.Form | None) -> ActionInput:
    """The form's values for the action (apps.complaints.case_actions); the choice lists' own refusals."""
    if form is None:
        return ActionInput()
    valid = form.is_valid()  # the service validates the text and says what is wrong, in the user's language
    data = form.cleaned_data
    if isinstance(form, AssignForm):
        if not valid:
            raise ComplaintError(_("กรุณาเลือกกอง/สำนักหรือผู้รับผิดชอบจากรายการ"), field="department")
        return ActionInput(department_id=data["department"], assignee_id=data["assignee"])
    if isinstance(form, TransferForm):
        if not valid:
            raise ComplaintError(_("กรุณาเลือกหน่วยงานปลายทางจากรายการ"), field="to_body")
        return ActionInput(text=data["reason"], to_body_id=data["to_body"] or None, to_agency=form.target_agency())
    if isinstance(form, MergeForm):
        return ActionInput(into_code=form.target_code())
    field = CASE_ACTIONS[action].field
    return ActionInput(text=data.get(field, ""), uploads=data.get("attachments", []))


@staff_view(hide=True)
@require_POST
def case_action_view(request: StaffRequest, pk: int, action: str) -> HttpResponse:
    complaint = get_complaint_for_user(request.user, pk)
    if action not in CASE_ACTIONS:
        raise Http404
    form = _form(request, action)
    try:
        into = case_action_run(action, complaint=complaint, actor=request.user, given=_input(action, form))
    except ComplaintError as exc:
        fresh = get_complaint_for_user(request.user, pk)
        return _page(request, _case_context(
            request, fresh, forms={action: form} if form is not None else {}, errors={action: str(exc.message)}),
            status=400)
    done = str(CASE_ACTIONS[action].done)
    messages.success(request, done % {"code": into.tracking_code} if into is not None else done)
    return redirect("staff:case", pk=complaint.pk)


@staff_view(hide=True)
@require_GET
def attachment_view(request: StaffRequest, pk: int, attachment_id: int, thumbnail: bool = False) -> HttpResponseBase:
    """Files are never on a public URL: each download (a photo's thumbnail too: the same view)
    checks that the user may see the case."""
    complaint = get_complaint_for_user(request.user, pk)
    attachment = complaint.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return attachment_response(complaint, attachment, thumbnail=thumbnail)


@staff_view
@require_GET
def transfer_targets_view(request: StaffRequest) -> JsonResponse:
    query = (request.GET.get("q") or "").strip()
    bodies = transfer_targets(body=current_body(), query=query)
    return JsonResponse({"results": [{"id": b.pk, "name": b.display_name, "dla_code": b.dla_code} for b in bodies]})
