"""Staff pages of a body (/staff/ on the body's subdomain).

Thin: parse the request, call one service or selector, render. Every case is fetched through
policies.get_complaint_for_user (a case of another body, or of another department for an
officer, is the same 404 as a missing one). A refused action (ComplaintError) is shown next to
its form with status 400 and changes nothing: the services are atomic.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET, require_POST

from apps.complaints import body_admin, resources, services
from apps.complaints.errors import ComplaintError
from apps.complaints.forms import (
    AssignForm,
    BulkForm,
    CategoryForm,
    DepartmentForm,
    InboxFilterForm,
    IntakeForm,
    MergeForm,
    ReasonForm,
    RegisterImportForm,
    ReplyForm,
    RequiredTextForm,
    ResolveForm,
    StaffUserForm,
    TextForm,
    TransferForm,
)
from apps.complaints.models import (
    Category,
    Complaint,
    Department,
    IdentityAccess,
    Notification,
    OutboxStatus,
    Role,
    StaffMember,
)
from apps.complaints.policies import (
    can_close,
    can_view_identity,
    complainant_identity,
    get_complaint_for_user,
    staff_member,
    visible_complaints,
)
from apps.complaints.selectors import (
    InboxFilters,
    duplicate_candidates,
    inbox,
    inbox_due_dates,
    normalise_code,
    transfer_targets,
)
from apps.complaints.validation import Complainant, clean_coordinates
from apps.complaints.workflow import can_transition
from apps.reporting.models import Status
from apps.ui.downloads import user_file_response
from tenants.db import current_schema
from tenants.models import LocalBody, Subdistrict

logger = logging.getLogger(__name__)
SESSION_SCHEMA = "staff_schema"
PAGE_SIZES = (25, 50, 100)

View = Callable[..., HttpResponseBase]


# --- access ---------------------------------------------------------------------------------------

def _signed_in_here(request: HttpRequest) -> bool:
    """Sessions live in the body's schema already; the schema stamp is a second lock, so a session
    can never be honoured on another body's host."""
    return request.user.is_authenticated and request.session.get(SESSION_SCHEMA) == current_schema()


def staff_view(view: View | None = None, *, hide: bool = False, roles: tuple[str, ...] = ()) -> Any:
    """Signed-in staff of this body only. `hide`: for pages about one case, an anonymous visitor
    gets the same 404 as anyone else (with a sign-in link), never a hint that the case exists."""

    def decorate(func: View) -> View:
        @wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not _signed_in_here(request):
                if request.user.is_authenticated:
                    auth_logout(request)
                if hide:
                    return render(request, "complaints/not_found.html", {"next": request.get_full_path()},
                                  status=404)
                return redirect_to_login(request.get_full_path(), reverse("staff:login"))
            member = staff_member(request.user)
            if member is None:
                if hide:
                    raise Http404
                raise PermissionDenied
            if roles and member.role not in roles:
                raise PermissionDenied
            request.staff = member  # type: ignore[attr-defined]
            return func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or reverse("staff:inbox")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = reverse("staff:inbox")
    form = AuthenticationForm(request, data=request.POST or None)
    not_staff = ""
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if staff_member(user) is None:
            not_staff = _("บัญชีนี้ไม่ใช่เจ้าหน้าที่ของหน่วยงานนี้")
            form.add_error(None, not_staff)
        else:
            auth_login(request, user)
            request.session[SESSION_SCHEMA] = current_schema()
            return redirect(next_url)
    return render(request, "complaints/login.html", {"form": form, "next": next_url, "not_staff": not_staff},
                  status=400 if request.method == "POST" else 200)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    return redirect("staff:login")


# --- inbox ----------------------------------------------------------------------------------------

def _departments() -> list[Department]:
    return list(Department.objects.filter(is_active=True))


def _filters(form: InboxFilterForm) -> InboxFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return InboxFilters(status=data.get("status") or "", department=data.get("department"),
                        category=data.get("category"), channel=data.get("channel") or "",
                        due=data.get("due") or "", query=(data.get("q") or "").strip())


@staff_view
@require_GET
def inbox_view(request: HttpRequest) -> HttpResponse:
    departments = _departments()
    categories = list(Category.objects.all())
    form = InboxFilterForm(request.GET or None, departments=departments, categories=categories)
    filters = _filters(form)
    try:
        per_page = int(request.GET.get("per", "50"))
    except ValueError:
        per_page = 50
    per_page = per_page if per_page in PAGE_SIZES else 50
    cases = inbox(user=request.user, filters=filters)
    # Page over narrow ids first (a top-N over one column), then fetch that page's rows with their
    # joins: sorting 50,000 wide joined rows to keep 50 costs ten times more.
    page = Paginator(cases.values_list("pk", flat=True), per_page).get_page(request.GET.get("page"))
    ids = list(page.object_list)
    by_id = {c.pk: c for c in cases.filter(pk__in=ids).order_by()}
    rows = [by_id[pk] for pk in ids if pk in by_id]
    due = inbox_due_dates(complaint_ids=[c.pk for c in rows])
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "complaints/inbox.html", {
        "form": form, "page": page, "rows": [(c, due.get(c.pk)) for c in rows], "departments": departments,
        "query": query.urlencode(), "per_page": per_page, "page_sizes": PAGE_SIZES,
        "offered": filters.status == Status.TRANSFER_OFFERED,
    })


@staff_view
@require_POST
def bulk_view(request: HttpRequest) -> HttpResponse:
    """Each case goes through the service on its own: one refusal does not stop the others."""
    departments = _departments()
    form = BulkForm(request.POST, departments=departments)
    back = request.POST.get("next") or reverse("staff:inbox")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("staff:inbox")
    if not form.is_valid() or not form.cleaned_data["ids"]:
        messages.error(request, _("กรุณาเลือกเรื่องอย่างน้อยหนึ่งเรื่อง"))
        return redirect(back)
    action = form.cleaned_data["action"]
    department = next((d for d in departments if d.pk == form.cleaned_data["department"]), None)
    if action == "assign" and department is None:
        messages.error(request, _("กรุณาเลือกกอง/สำนักที่จะมอบหมาย"))
        return redirect(back)
    done = 0
    for pk in form.cleaned_data["ids"]:
        try:
            complaint = get_complaint_for_user(request.user, pk)
        except Http404:
            messages.error(request, _("ไม่พบเรื่องหมายเลข %(id)s") % {"id": pk})
            continue
        try:
            if action == "assign":
                services.complaint_assign(complaint=complaint, actor=request.user, department=department)
            else:
                services.complaint_close(complaint=complaint, actor=request.user, text=form.cleaned_data["text"])
        except ComplaintError as exc:
            messages.error(request, f"{complaint.tracking_code}: {exc.message}")
            continue
        done += 1
    if done:
        label = _("มอบหมาย") if action == "assign" else pgettext("action", "ปิดเรื่อง")
        messages.success(request, _("%(action)sแล้ว %(count)d เรื่อง") % {"action": label, "count": done})
    return redirect(back)


# --- case page ------------------------------------------------------------------------------------

def _people() -> list[tuple[int, str]]:
    return [(m.user_id, f"{m.user.get_full_name()} ({m.get_role_display()})")
            for m in StaffMember.objects.select_related("user").filter(user__is_active=True)
            .order_by("user__full_name", "user__username")]


def _pending_deadlines(complaint: Complaint) -> list:
    try:
        from apps.sla.selectors import pending_deadlines  # noqa: PLC0415 - built in parallel by the SLA app
    except ImportError:
        return []
    try:
        return list(pending_deadlines(complaint=complaint))
    except Exception:  # a clock error must not hide the case from the officer
        logger.exception("pending deadlines failed for complaint %s", complaint.pk)
        return []


def _available(complaint: Complaint) -> set[str]:
    status = complaint.status
    actions: set[str] = {"note"}
    if status == Status.TRANSFER_OFFERED:
        return {"transfer_accept", "transfer_return", "note"}
    if can_transition(status, Status.ACKNOWLEDGED):
        actions.add("acknowledge")
    if status in (Status.RECEIVED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.WAITING):
        actions |= {"assign", "reply", "merge"}
    if status not in (Status.RECEIVED, Status.RESOLVED, Status.CLOSED) and can_transition(status, Status.WAITING):
        actions.add("request_info")
    if status in (Status.WAITING, Status.TRANSFERRED, Status.RESOLVED):
        actions.add("resume")
    if can_transition(status, Status.RESOLVED):
        actions.add("resolve")
    if status == Status.RESOLVED:
        actions |= {"close", "reply"}
    if can_transition(status, Status.REJECTED):
        actions.add("reject")
    if can_transition(status, Status.TRANSFERRED):
        actions.add("transfer")
    if status in (Status.RESOLVED, Status.CLOSED):
        actions.add("reopen")
    return actions


def _case_context(request: HttpRequest, complaint: Complaint, *, forms: dict[str, Any] | None = None,
                  errors: dict[str, str] | None = None, identity: dict[str, str] | None = None) -> dict[str, Any]:
    forms = forms or {}
    departments = _departments()
    events = list(complaint.events.select_related("actor").prefetch_related("attachments"))
    attachments = list(complaint.attachments.order_by("created_at", "id"))
    tq = (request.GET.get("tq") or "").strip()
    body: LocalBody = request.tenant  # type: ignore[attr-defined]
    targets = transfer_targets(body=body, query=tq)
    visible = visible_complaints(request.user)
    candidates = []
    if complaint.status in (Status.RECEIVED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.WAITING):
        found = duplicate_candidates(national_category=complaint.national_category, latitude=complaint.latitude,
                                     longitude=complaint.longitude, subdistrict_code=complaint.subdistrict_code,
                                     exclude_id=complaint.pk)
        allowed = set(visible.filter(pk__in=[c.pk for c in found]).values_list("pk", flat=True))
        candidates = [c for c in found if c.pk in allowed]
    subdistrict = Subdistrict.objects.filter(code=complaint.subdistrict_code).first() \
        if complaint.subdistrict_code else None
    origin_code = ""
    merged = list(complaint.merged.all().only("id", "tracking_code")) if complaint.pk else []
    return {
        "complaint": complaint,
        "events": events,
        "attachments": attachments,
        "deadlines": _pending_deadlines(complaint),
        # A refused action's form stays on the page with its message, even if no longer offered.
        "available": _available(complaint) | set(errors or {}),
        "can_close": can_close(request.user, complaint),
        "can_view_identity": can_view_identity(request.user, complaint),
        "identity": identity,
        "errors": errors or {},
        "f_acknowledge": forms.get("acknowledge") or TextForm(prefix="acknowledge"),
        "f_assign": forms.get("assign") or AssignForm(prefix="assign", departments=departments, people=_people(),
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
        "origin_code": origin_code,
    }


@staff_view(hide=True)
@require_GET
def case_view(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_user(request.user, pk)
    return render(request, "complaints/case.html", _case_context(request, complaint))


@staff_view(hide=True)
@require_POST
def identity_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Reveal the complainant to a role allowed to see them; the policy writes the audit row."""
    complaint = get_complaint_for_user(request.user, pk)
    identity = complainant_identity(request.user, complaint, context="staff case page")
    if identity is None:
        return render(request, "complaints/case.html", _case_context(
            request, complaint, errors={"identity": _("บทบาทของท่านไม่มีสิทธิ์ดูข้อมูลผู้ร้องของเรื่องนี้")}),
            status=403)
    return render(request, "complaints/case.html", _case_context(request, complaint, identity=identity))


def _visible_by_code(request: HttpRequest, value: str) -> Complaint | None:
    code = normalise_code(value)
    if not code:
        return None
    return visible_complaints(request.user).filter(tracking_code=code).first()


# Actions that take one text from their form (and the form's files, if it has them): the form,
# the service, the form field handed to the service under the same name, the success message.
_TEXT_ACTIONS: dict[str, tuple[type[forms.Form], Callable[..., object], str, Promise]] = {
    "acknowledge": (TextForm, services.complaint_acknowledge, "text", gettext_lazy("แจ้งรับเรื่องแล้ว")),
    "reply": (ReplyForm, services.complaint_reply, "text", gettext_lazy("ส่งคำตอบถึงผู้ร้องแล้ว")),
    "note": (RequiredTextForm, services.complaint_note, "text", gettext_lazy("บันทึกภายในแล้ว")),
    "request_info": (RequiredTextForm, services.complaint_request_info, "text",
                     gettext_lazy("ขอข้อมูลเพิ่มเติมจากผู้ร้องแล้ว")),
    "resume": (TextForm, services.complaint_resume, "text", gettext_lazy("ดำเนินการต่อแล้ว")),
    "resolve": (ResolveForm, services.complaint_resolve, "resolution", gettext_lazy("บันทึกผลการดำเนินการแล้ว")),
    "close": (TextForm, services.complaint_close, "text", gettext_lazy("ปิดเรื่องแล้ว")),
    "reject": (ReasonForm, services.complaint_reject, "reason", gettext_lazy("บันทึกไม่รับเรื่องแล้ว")),
    "reopen": (ReasonForm, services.complaint_reopen, "reason", gettext_lazy("เปิดเรื่องใหม่แล้ว")),
    "transfer_return": (ReasonForm, services.complaint_transfer_return, "reason",
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
        form = AssignForm(post, prefix=action, departments=_departments(), people=_people())
        if not form.is_valid():
            raise ComplaintError(_("กรุณาเลือกกอง/สำนักหรือผู้รับผิดชอบจากรายการ"), field="department")
        department = Department.objects.filter(pk=form.cleaned_data["department"]).first() \
            if form.cleaned_data["department"] else None
        assignee_id = form.cleaned_data["assignee"]
        assignee = StaffMember.objects.select_related("user").get(user_id=assignee_id).user if assignee_id else None
        services.complaint_assign(complaint=complaint, actor=user, department=department, assignee=assignee)
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
        services.complaint_transfer(complaint=complaint, actor=user, reason=transfer.cleaned_data["reason"],
                                    to_body=to_body, to_agency=transfer.target_agency())
        return transfer, _("ส่งต่อเรื่องแล้ว")
    if action == "merge":
        merge = MergeForm(post, prefix=action)
        merge.is_valid()
        into = _visible_by_code(request, merge.target_code())
        if into is None:
            raise ComplaintError(_("ไม่พบเรื่องเลขที่ที่ระบุ"), field="into")
        services.complaint_merge(duplicate=complaint, into=into, actor=user)
        return merge, _("รวมเข้ากับเรื่อง %(code)s แล้ว") % {"code": into.tracking_code}
    if action == "transfer_accept":
        services.complaint_transfer_accept(complaint=complaint, actor=user)
        return None, _("รับโอนเรื่องแล้ว")
    raise Http404


ACTIONS = frozenset({*_TEXT_ACTIONS, "assign", "transfer", "merge", "transfer_accept"})


@staff_view(hide=True)
@require_POST
def case_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
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
        return render(request, "complaints/case.html", _case_context(
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
        return AssignForm(post, prefix=action, departments=_departments(), people=_people())
    cls = simple.get(action)
    return cls(post, prefix=action) if cls else None


@staff_view(hide=True)
@require_GET
def attachment_view(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponseBase:
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
def transfer_targets_view(request: HttpRequest) -> JsonResponse:
    query = (request.GET.get("q") or "").strip()
    bodies = transfer_targets(body=request.tenant, query=query)  # type: ignore[attr-defined]
    return JsonResponse({"results": [{"id": b.pk, "name": b.display_name, "dla_code": b.dla_code} for b in bodies]})


# --- intake ---------------------------------------------------------------------------------------

def _subdistricts(body: LocalBody) -> list[tuple[str, str]]:
    if not body.district_id:
        return []
    return [(s.code, s.name_th) for s in Subdistrict.objects.filter(district_id=body.district_id)]


INTAKE_FIELDS = {"channel", "category", "description", "subdistrict", "moo", "location_text", "name", "phone",
                 "email", "national_id", "address", "line_id", "attachments"}


def _intake_error(form: IntakeForm, exc: ComplaintError) -> None:
    field = {"location": "latitude", "privacy": None}.get(exc.field or "", exc.field)
    form.add_error(field if field in INTAKE_FIELDS or field == "latitude" else None, str(exc.message))


@staff_view
def intake_view(request: HttpRequest) -> HttpResponse:
    body: LocalBody = request.tenant  # type: ignore[attr-defined]
    categories = list(Category.objects.filter(is_active=True).select_related("national_category"))
    form = IntakeForm(request.POST or None, request.FILES or None, categories=categories,
                      subdistricts=_subdistricts(body), initial={"channel": "walk_in"})
    duplicates: list[Complaint] = []
    if request.method != "POST" or not form.is_valid():
        return render(request, "complaints/intake.html", {"form": form, "duplicates": duplicates},
                      status=400 if request.method == "POST" else 200)
    data = form.cleaned_data
    category = next((c for c in categories if c.pk == data["category"]), None)
    try:
        if category is not None and not data["confirm"]:
            latitude, longitude = clean_coordinates(data["latitude"], data["longitude"])
            found = duplicate_candidates(national_category=category.national_category_id, latitude=latitude,
                                         longitude=longitude, subdistrict_code=data["subdistrict"])
            allowed = set(visible_complaints(request.user).filter(pk__in=[c.pk for c in found])
                          .values_list("pk", flat=True))
            duplicates = [c for c in found if c.pk in allowed]
        if duplicates:
            # The form is bound to request.POST (immutable): show it again with the confirmation ticked.
            confirmed = request.POST.copy()
            confirmed["confirm"] = "1"
            form.data = confirmed
            return render(request, "complaints/intake.html", {"form": form, "duplicates": duplicates,
                                                              "had_files": bool(data["attachments"])})
        complainant = None if data["anonymous"] else Complainant(
            name=data["name"], phone=data["phone"], email=data["email"], national_id=data["national_id"],
            address=data["address"], line_id=data["line_id"])
        result = services.complaint_submit(
            channel=data["channel"], category=data["category"] or 0, description=data["description"],
            complainant=complainant, subdistrict_code=data["subdistrict"], moo=data["moo"],
            location_text=data["location_text"], latitude=data["latitude"], longitude=data["longitude"],
            is_confidential=data["confidential"], about_district_office=data["about_district_office"],
            uploads=data["attachments"], actor=request.user)
    except ComplaintError as exc:
        _intake_error(form, exc)
        return render(request, "complaints/intake.html", {"form": form, "duplicates": duplicates}, status=400)
    # The PIN is shown once, on this page, and stored nowhere but as a hash.
    return render(request, "complaints/intake_done.html", {"result": result, "complaint": result.complaint})


# --- register (ทะเบียนรับเรื่องร้องทุกข์) ---------------------------------------------------------------

@staff_view(roles=(Role.ADMIN, Role.EXECUTIVE, Role.CLERK, Role.OFFICER))
@require_GET
def register_export_view(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        raise Http404
    departments = _departments()
    form = InboxFilterForm(request.GET or None, departments=departments, categories=list(Category.objects.all()))
    cases = inbox(user=request.user, filters=_filters(form)).order_by("received_at", "id")
    content, content_type = resources.register_export(user=request.user, complaints=cases, fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="register-{current_schema()}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_view(roles=(Role.ADMIN,))
def register_import_view(request: HttpRequest) -> HttpResponse:
    """Dry run first (a per-row report, nothing saved), then confirm to import the valid rows."""
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and request.POST.get("confirm"):
        token = request.session.get("register_import")
        if not token or token != request.POST.get("token"):
            messages.error(request, _("ไม่พบไฟล์ที่ตรวจสอบไว้ กรุณาอัปโหลดใหม่"))
            return redirect("staff:register-import")
        try:
            report = resources.register_import(user=request.user, token=token, dry_run=False)
        except ComplaintError as exc:
            messages.error(request, str(exc.message))
            return redirect("staff:register-import")
        request.session.pop("register_import", None)
        messages.success(request, _("นำเข้าแล้ว %(count)d เรื่อง") % {"count": report.imported})
        return render(request, "complaints/register_import.html", {"form": RegisterImportForm(), "report": report,
                                                                   "done": True})
    if request.method == "POST" and form.is_valid():
        try:
            token = resources.register_import_stage(upload=form.cleaned_data["file"])
            report = resources.register_import(user=request.user, token=token, dry_run=True)
        except ComplaintError as exc:
            form.add_error("file", str(exc.message))
            return render(request, "complaints/register_import.html", {"form": form}, status=400)
        request.session["register_import"] = token
        return render(request, "complaints/register_import.html", {"form": form, "report": report, "token": token})
    return render(request, "complaints/register_import.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


# --- body admin -------------------------------------------------------------------------------

def _admin_save(request: HttpRequest, form: Any, save: Callable[[], object], done: str) -> bool:
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save()
    except ComplaintError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        return False
    messages.success(request, done)
    return True


@staff_view(roles=(Role.ADMIN,))
def departments_view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    department = Department.objects.filter(pk=pk).first() if pk else None
    if pk and department is None:
        raise Http404
    form = DepartmentForm(request.POST or None, instance=department)
    form.validate_unique = lambda: None  # type: ignore[method-assign]  # uniqueness is the service's

    def save() -> object:
        d = form.cleaned_data
        return body_admin.department_save(actor=request.user, department=department, code=d["code"],
                                          name_th=d["name_th"], name_en=d["name_en"], is_active=d["is_active"],
                                          position=d["position"] or 0)

    if _admin_save(request, form, save, _("บันทึกกอง/สำนักแล้ว")):
        return redirect("staff:departments")
    return render(request, "complaints/admin_departments.html", {
        "form": form, "department": department, "departments": Department.objects.all()},
        status=400 if request.method == "POST" else 200)


@staff_view(roles=(Role.ADMIN,))
def categories_view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    category = Category.objects.filter(pk=pk).first() if pk else None
    if pk and category is None:
        raise Http404
    form = CategoryForm(request.POST or None, instance=category)

    def save() -> object:
        d = form.cleaned_data
        return body_admin.category_save(actor=request.user, category=category, name_th=d["name_th"],
                                        name_en=d["name_en"], national_category=d["national_category"],
                                        department=d["department"], is_active=d["is_active"],
                                        position=d["position"] or 0)

    if _admin_save(request, form, save, _("บันทึกหมวดเรื่องแล้ว")):
        return redirect("staff:categories")
    categories = Category.objects.select_related("national_category", "department")
    return render(request, "complaints/admin_categories.html", {
        "form": form, "category": category, "categories": categories},
        status=400 if request.method == "POST" else 200)


@staff_view(roles=(Role.ADMIN,))
def staff_users_view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    member = StaffMember.objects.select_related("user").filter(user_id=pk).first() if pk else None
    if pk and member is None:
        raise Http404
    initial = {}
    if member is not None:
        initial = {"username": member.user.username, "full_name": member.user.full_name, "email": member.user.email,
                   "role": member.role, "department": member.department_id, "is_active": member.user.is_active}
    form = StaffUserForm(request.POST or None, initial=initial)
    if member is not None:
        form.fields["username"].disabled = True

    def save() -> object:
        d = form.cleaned_data
        return body_admin.staff_user_save(actor=request.user, user=member.user if member else None,
                                          username=d["username"], full_name=d["full_name"], email=d["email"],
                                          role=d["role"], department=d["department"], is_active=d["is_active"],
                                          password=d["password"])

    if _admin_save(request, form, save, _("บันทึกบัญชีเจ้าหน้าที่แล้ว")):
        return redirect("staff:staff-users")
    members = StaffMember.objects.select_related("user", "department").order_by("role", "user__username")
    return render(request, "complaints/admin_staff.html", {"form": form, "member": member, "members": members},
                  status=400 if request.method == "POST" else 200)


@staff_view(roles=(Role.ADMIN,))
@require_GET
def audit_view(request: HttpRequest) -> HttpResponse:
    # Reveals on conduct cases are the handling office's record, never the body's.
    entries = (IdentityAccess.objects.select_related("user", "complaint")
               .exclude(complaint__routed_to_oversight=True).order_by("-created_at", "-id"))
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "complaints/admin_audit.html", {"page": page})


@staff_view(roles=(Role.ADMIN,))
@require_GET
def outbox_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    # A conduct case's messages to its citizen are not the body's to read, nor to count.
    outbox = Notification.objects.exclude(complaint__routed_to_oversight=True)
    notifications = outbox.select_related("complaint").order_by("-created_at", "-id")
    if status in OutboxStatus.values:
        notifications = notifications.filter(status=status)
    counts = dict(outbox.order_by().values_list("status").annotate(n=Count("id")))
    page = Paginator(notifications, 100).get_page(request.GET.get("page"))
    return render(request, "complaints/admin_outbox.html", {
        "page": page, "counts": [(s, label, counts.get(s, 0)) for s, label in OutboxStatus.choices],
        "status": status})
