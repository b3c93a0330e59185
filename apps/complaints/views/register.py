"""The body's complaint register (ทะเบียนรับเรื่องร้องทุกข์): export, and import of an old one."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.complaints import resources
from apps.complaints.access import StaffRequest, staff_view
from apps.complaints.errors import ComplaintError
from apps.complaints.forms import InboxFilterForm, RegisterImportForm
from apps.complaints.models import Category, Role
from apps.complaints.selectors import departments_active, inbox
from tenants.db import current_schema


@staff_view(roles=(Role.ADMIN, Role.EXECUTIVE, Role.CLERK, Role.OFFICER))
@require_GET
def register_export_view(request: StaffRequest) -> HttpResponse:
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        raise Http404
    departments = departments_active()
    form = InboxFilterForm(request.GET or None, departments=departments, categories=list(Category.objects.all()))
    cases = inbox(user=request.user, filters=form.filters()).order_by("received_at", "id")
    content, content_type = resources.register_export(user=request.user, complaints=cases, fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="register-{current_schema()}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_view(roles=(Role.ADMIN,))
def register_import_view(request: StaffRequest) -> HttpResponse:
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
