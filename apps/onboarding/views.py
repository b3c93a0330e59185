"""Onboarding pages for oversight offices, at /oversight/ on the platform domain: invitations
(one, or a spreadsheet), their re-sending and revocation, and the adoption view with its
reminders. Thin: parse, call a service or selector, render. Outside the officer's area: 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.onboarding import selectors, services
from apps.onboarding.forms import InvitationForm, UploadForm
from apps.onboarding.models import InvitationBatch, InvitationStatus
from apps.onboarding.services import InvitationError
from apps.onboarding.spreadsheet import HEADER
from apps.oversight.scoping import OversightRequest, Scope, narrow_scope
from apps.oversight.views import _scope_name, oversight_required

MAX_UPLOAD = 5 * 1024 * 1024


def _scope(request: OversightRequest) -> Scope:
    return request.scope


@oversight_required
def invitations_view(request: OversightRequest) -> HttpResponse:
    scope = _scope(request)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.invitation_create(scope=scope, dla_code=form.cleaned_data["dla_code"].strip(),
                                                contact=form.contact, actor=request.user)
        except InvitationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, issued.message)
            return redirect("onboarding:invitations")
    status = request.GET.get("status", "")
    invitations = selectors.invitations_in_scope(scope)
    if status in InvitationStatus.values:
        invitations = invitations.filter(status=status)
    return render(request, "onboarding/invitations.html", {
        "form": form, "upload": UploadForm(), "scope_name": _scope_name(scope), "rows": invitations[:500],
        "status": status, "statuses": InvitationStatus.choices, "header": HEADER,
        "batches": InvitationBatch.objects.filter(uploaded_by_id=request.user.pk)[:10],
    }, status=400 if request.method == "POST" else 200)


@oversight_required
@require_POST
def invitations_upload_view(request: OversightRequest) -> HttpResponse:
    scope = _scope(request)
    form = UploadForm(request.POST, request.FILES)
    error = ""
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            error = _("ไฟล์ใหญ่เกิน 5 MB กรุณาแบ่งเป็นหลายไฟล์")
        else:
            try:
                batch = services.invitations_import(scope=scope, actor=request.user,
                                                    file_name=upload.name or "upload", content=upload.read())
            except InvitationError as refused:
                error = str(refused)
            else:
                return redirect("onboarding:batch", batch_id=batch.pk)
    else:
        error = _("กรุณาเลือกไฟล์")
    return render(request, "onboarding/invitations.html", {
        "form": InvitationForm(), "upload": form, "upload_error": error, "scope_name": _scope_name(scope),
        "rows": selectors.invitations_in_scope(scope)[:500], "statuses": InvitationStatus.choices, "header": HEADER,
        "batches": InvitationBatch.objects.filter(uploaded_by_id=request.user.pk)[:10],
    }, status=400)


@oversight_required
def batch_view(request: OversightRequest, batch_id: int) -> HttpResponse:
    # Another officer's upload is not this one's business: the same 404 as a missing one.
    batch = InvitationBatch.objects.filter(pk=batch_id, uploaded_by_id=request.user.pk).first()
    if batch is None:
        raise Http404("no such batch")
    counts = {outcome: sum(1 for r in batch.report if r["outcome"] == outcome)
              for outcome in ("invited", "skipped", "refused")}
    return render(request, "onboarding/batch.html", {"batch": batch, "counts": counts})


@oversight_required
@require_POST
def invitation_action_view(request: OversightRequest, invitation_id: int, action: str) -> HttpResponse:
    scope = _scope(request)
    try:
        if action == "resend":
            messages.success(request, services.invitation_resend(
                scope=scope, invitation_id=invitation_id, actor=request.user).message)
        elif action == "revoke":
            services.invitation_revoke(scope=scope, invitation_id=invitation_id, actor=request.user)
            messages.success(request, _("ยกเลิกคำเชิญแล้ว"))
        else:
            raise Http404("no such action")
    except InvitationError as error:
        messages.error(request, str(error))
    return redirect("onboarding:invitations")


@oversight_required
def adoption_view(request: OversightRequest) -> HttpResponse:
    base = _scope(request)
    scope = narrow_scope(base, province=request.GET.get("province", ""), district=request.GET.get("district", ""))
    missing = request.GET.get("missing", "")
    if missing and missing not in selectors.STEPS:
        raise Http404("unknown step")
    rows = selectors.body_adoption(scope)
    listed = [r for r in rows if not r.reached(missing)] if missing else (rows if scope.level == "district" else [])
    return render(request, "onboarding/adoption.html", {
        "scope": scope, "scope_name": _scope_name(scope), "areas": selectors.adoption_by_area(scope, rows)
        if scope.level != "district" else [], "totals": selectors.totals(rows), "body_count": len(rows),
        "steps": selectors.STEPS, "missing": missing, "listed": listed,
        "next_level": "province" if scope.level == "nation" else "district",
    })


@oversight_required
@require_POST
def adoption_remind_view(request: OversightRequest) -> HttpResponse:
    base = _scope(request)
    scope = narrow_scope(base, province=request.POST.get("province", ""), district=request.POST.get("district", ""))
    missing = request.POST.get("missing", "")
    if missing not in selectors.STEPS:
        raise Http404("unknown step")
    rows = [r for r in selectors.body_adoption(scope) if not r.reached(missing)]
    if not rows:
        messages.error(request, _("ไม่มีหน่วยงานที่ต้องเตือน"))
    else:
        # Only bodies still short of the step, all within the area: the selector above decides.
        reminders = services.reminders_send(scope=base, actor=request.user, topic=selectors.TOPICS[missing],
                                            body_ids=[r.body.pk for r in rows])
        emailed = sum(1 for r in reminders if r.emailed_to)
        messages.success(request, _("เตือน %(count)s หน่วยงานแล้ว (ส่งอีเมล %(emailed)s แห่ง)")
                         % {"count": len(reminders), "emailed": emailed})
    query = {"missing": missing}
    if scope != base:
        query[scope.level] = scope.code
    return redirect(f"{reverse('onboarding:adoption')}?{urlencode(query)}")

