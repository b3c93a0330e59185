"""The body's own administration (admins only): departments, categories, staff accounts and the
notification outbox (the audit trail's page is views.audit)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.second_factor import has_second_factor
from apps.complaints import body_admin
from apps.complaints.access import StaffRequest, staff_view
from apps.complaints.errors import ComplaintError
from apps.complaints.forms import CategoryForm, DepartmentForm, NotificationSettingsForm, StaffUserForm
from apps.complaints.models import (
    Category,
    Department,
    Notification,
    NotificationSettings,
    OutboxStatus,
    Role,
    StaffMember,
)
from apps.complaints.notifications import provider_names
from apps.complaints.notifications.backends import provider_label


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
def departments_view(request: StaffRequest, pk: int | None = None) -> HttpResponse:
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
def categories_view(request: StaffRequest, pk: int | None = None) -> HttpResponse:
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
def staff_users_view(request: StaffRequest, pk: int | None = None) -> HttpResponse:
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
    enrolled = has_second_factor(member.user) if member is not None else False
    return render(request, "complaints/admin_staff.html", {"form": form, "member": member, "members": members,
                                                           "enrolled": enrolled},
                  status=400 if request.method == "POST" else 200)


@staff_view(roles=(Role.ADMIN,))
@require_POST
def staff_second_factor_reset_view(request: StaffRequest, pk: int) -> HttpResponse:
    member = StaffMember.objects.select_related("user").filter(user_id=pk).first()
    if member is None:
        raise Http404
    try:
        body_admin.staff_second_factor_reset(actor=request.user, user=member.user, request=request)
    except ComplaintError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("รีเซ็ตการยืนยันตัวตนสองขั้นตอนของ %(username)s แล้ว "
                                    "เมื่อเข้าสู่ระบบครั้งถัดไป ผู้ใช้ต้องลงทะเบียนแอปยืนยันตัวตนใหม่") % {
            "username": member.user.get_username()})
    return redirect("staff:staff-user-edit", pk=pk)


@staff_view(roles=(Role.ADMIN,))
@require_GET
def outbox_view(request: StaffRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    # A conduct case's messages to its citizen are not the body's to read, nor to count.
    outbox = Notification.objects.exclude(complaint__routed_to_oversight=True)
    notifications = outbox.select_related("complaint").order_by("-created_at", "-id")
    if status in OutboxStatus.values:
        notifications = notifications.filter(status=status)
    counts = dict(outbox.order_by().values_list("status").annotate(n=Count("id")))
    page = Paginator(notifications, 100).get_page(request.GET.get("page"))
    for n in page:
        n.provider_label = provider_label(n.provider) if n.provider else ""  # type: ignore[attr-defined]
    return render(request, "complaints/admin_outbox.html", {
        "page": page, "counts": [(s, label, counts.get(s, 0)) for s, label in OutboxStatus.choices],
        "status": status})


@staff_view(roles=(Role.ADMIN,))
def notification_settings_view(request: HttpRequest) -> HttpResponse:
    current = NotificationSettings.objects.filter(pk=1).first()
    initial = {"sms_provider": current.sms_provider, "email_provider": current.email_provider,
               "quiet_start": current.quiet_start, "quiet_end": current.quiet_end} if current else {}
    form = NotificationSettingsForm(request.POST or None, initial=initial,
                                    sms=provider_names("sms"), email=provider_names("email"))

    def save() -> object:
        d = form.cleaned_data
        return body_admin.notification_settings_save(
            actor=request.user, sms_provider=d["sms_provider"], email_provider=d["email_provider"],
            quiet_start=d["quiet_start"], quiet_end=d["quiet_end"])

    if _admin_save(request, form, save, _("บันทึกการแจ้งผู้ร้องแล้ว")):
        return redirect("staff:notification-settings")
    return render(request, "complaints/admin_notification_settings.html", {
        "form": form, "national": {"sms": provider_label(settings.NOTIFICATION_BACKENDS.get("sms", "")),
                                   "email": provider_label(settings.NOTIFICATION_BACKENDS.get("email", "")),
                                   "quiet": (settings.QUIET_HOURS_START, settings.QUIET_HOURS_END)}},
        status=400 if request.method == "POST" else 200)
