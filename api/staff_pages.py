"""Staff pages for the integrations: personal access tokens (`/staff/tokens/`: every staff
member's own; the body's admin sees and revokes everyone's and issues one for any staff member;
on the same page the admin issues and revokes the body's integration keys, api.integration_keys)
and webhook endpoints (`/staff/admin/webhooks/`, the body's admin: register with a secret shown
once, change, switch off, the delivery log and a redeliver button)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from api.integration_keys import INTEGRATION_ROLES, USERNAME_PREFIX, integration_key_issue, integration_key_revoke
from apps.complaints.access import StaffRequest, staff_view
from apps.complaints.models import Department, Role, StaffMember
from apps.complaints.webhooks import deliveries, webhook_delivery_redeliver
from apps.tokens.models import StaffToken, TokenKind, TokenScope
from apps.tokens.services import DEFAULT_DAYS, MAX_DAYS, TokenError, staff_token_issue, staff_token_revoke, staff_tokens
from apps.webhooks.models import WebhookEndpoint, WebhookEvent
from apps.webhooks.services import (
    WebhookError,
    webhook_endpoint_create,
    webhook_endpoint_rotate_secret,
    webhook_endpoint_update,
)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("ชื่อโทเคน (เช่น ชื่อระบบที่จะใช้)"), max_length=120)
    scope = forms.ChoiceField(label=_("สิทธิ์"), choices=TokenScope.choices, initial=TokenScope.READ)
    days = forms.IntegerField(label=_("อายุ (วัน)"), min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS)
    user = forms.TypedChoiceField(label=_("สำหรับเจ้าหน้าที่"), coerce=int, required=False)

    def __init__(self, *args: object, admin: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if admin:
            cast(forms.ChoiceField, self.fields["user"]).choices = [("", _("ตัวท่านเอง"))] + [
                (m.user_id, f"{m.user.get_full_name() or m.user.username} ({m.get_role_display()})")
                for m in StaffMember.objects.select_related("user").filter(user__is_active=True)
                .exclude(user__username__startswith=USERNAME_PREFIX).order_by("user__username")]
        else:
            del self.fields["user"]


class IntegrationKeyForm(forms.Form):
    name = forms.CharField(label=_("ชื่อระบบที่เชื่อมต่อ (แสดงในประวัติเรื่องและบันทึกการใช้งาน)"), max_length=120)
    scope = forms.ChoiceField(label=_("สิทธิ์"), choices=TokenScope.choices, initial=TokenScope.READ)
    role = forms.ChoiceField(label=_("บทบาท"), choices=[(r, Role(r).label) for r in INTEGRATION_ROLES],
                             initial=Role.CLERK)
    department = forms.TypedChoiceField(label=_("กอง/สำนัก (สำหรับบทบาทเจ้าหน้าที่กอง/สำนัก)"), coerce=int,
                                        required=False, empty_value=None)
    personal_data = forms.BooleanField(label=_("เข้าถึงข้อมูลส่วนบุคคลของผู้ร้อง รายละเอียด สถานที่และไฟล์ (บันทึกการเปิดเผยทุกครั้ง)"),
                                       required=False)
    days = forms.IntegerField(label=_("อายุ (วัน)"), min_value=1, max_value=MAX_DAYS, initial=MAX_DAYS)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        cast(forms.ChoiceField, self.fields["department"]).choices = [("", "—")] + [
            (d.pk, str(d)) for d in Department.objects.filter(is_active=True).order_by("code")]


def _integration_issue(request: StaffRequest, form: IntegrationKeyForm) -> str:
    if not form.is_valid():
        return ""
    data = form.cleaned_data
    department = Department.objects.filter(pk=data["department"]).first() if data["department"] else None
    try:
        _token, raw = integration_key_issue(actor=request.user, name=data["name"],
                                            scope=data["scope"], personal_data=data["personal_data"],
                                            role=data["role"], department=department, days=data["days"])
    except TokenError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        return ""
    return raw


@staff_view
@require_http_methods(["GET", "POST"])
def tokens_view(request: StaffRequest) -> HttpResponse:
    admin = request.staff.role == Role.ADMIN
    me = request.user
    action = request.POST.get("action", "")
    if request.method == "POST" and action == "revoke":
        token = StaffToken.objects.filter(pk=int(request.POST.get("token") or 0) if
                                          (request.POST.get("token") or "").isdigit() else 0).first()
        if token is None or (token.user_id != me.pk and not admin):
            raise Http404
        if token.is_integration:
            integration_key_revoke(actor=me, token=token)
        else:
            staff_token_revoke(actor=me, token=token)
        messages.success(request, _("ยกเลิกโทเคน %(name)s แล้ว") % {"name": token.name})
        return redirect("staff-tokens")
    form = TokenForm(request.POST if action == "issue" else None, admin=admin)
    integration_form = IntegrationKeyForm(request.POST if action == "issue-integration" and admin else None)
    raw, integration_raw, status = "", "", 200
    if request.method == "POST" and action == "issue-integration" and admin:
        integration_raw = _integration_issue(request, integration_form)
        if integration_raw:
            integration_form = IntegrationKeyForm()
        else:
            status = 400
    elif request.method == "POST" and action != "issue":
        status = 400  # neither issue nor revoke: nothing to do
    elif request.method == "POST":
        if form.is_valid():
            target = me
            if admin and form.cleaned_data.get("user"):
                member = StaffMember.objects.select_related("user").filter(user_id=form.cleaned_data["user"]).first()
                target = member.user if member else me
            try:
                _token, raw = staff_token_issue(actor=me, user=target, name=form.cleaned_data["name"],
                                                scope=form.cleaned_data["scope"], days=form.cleaned_data["days"],
                                                may_issue_for_others=admin)
                form = TokenForm(admin=admin)
            except TokenError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        if not raw:
            status = 400
    return render(request, "api/staff_tokens.html", {
        "form": form, "raw": raw, "tokens": staff_tokens(user=None if admin else me), "admin": admin,
        "integration_form": integration_form, "integration_raw": integration_raw,
        "integration_keys": staff_tokens(kind=TokenKind.INTEGRATION) if admin else [],
        "endpoint": request.build_absolute_uri("/api/staff/v1/complaints/"),
        "docs": request.build_absolute_uri("/api/staff/v1/docs/"), "header": "Authorization: Bearer",
    }, status=status)


class EndpointForm(forms.Form):
    name = forms.CharField(label=_("ชื่อปลายทาง"), max_length=120)
    url = forms.CharField(label=_("URL ที่รับเหตุการณ์ (https://)"), max_length=500)
    events = forms.MultipleChoiceField(label=_("เหตุการณ์ที่ส่ง"), choices=WebhookEvent.choices,
                                       widget=forms.CheckboxSelectMultiple, initial=list(WebhookEvent.values))
    personal_data = forms.BooleanField(label=_("ส่งข้อมูลส่วนบุคคลของผู้ร้อง รายละเอียดและสถานที่ (บันทึกการเปิดเผยทุกครั้ง)"),
                                       required=False)
    is_active = forms.BooleanField(label=_("ใช้งาน"), required=False, initial=True)


@staff_view(roles=(Role.ADMIN,))
@require_http_methods(["GET", "POST"])
def webhooks_view(request: StaffRequest) -> HttpResponse:
    form = EndpointForm(request.POST or None)
    secret, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _endpoint, secret = webhook_endpoint_create(
                    actor=request.user, name=form.cleaned_data["name"],
                    url=form.cleaned_data["url"], events=form.cleaned_data["events"],
                    personal_data=form.cleaned_data["personal_data"])
                form = EndpointForm()
            except WebhookError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        if not secret:
            status = 400
    return render(request, "api/staff_webhooks.html", {
        "form": form, "secret": secret, "endpoints": WebhookEndpoint.objects.order_by("pk")}, status=status)


@staff_view(roles=(Role.ADMIN,), hide=True)
@require_http_methods(["GET", "POST"])
def webhook_view(request: StaffRequest, pk: int) -> HttpResponse:
    endpoint = WebhookEndpoint.objects.filter(pk=pk).first()
    if endpoint is None:
        raise Http404
    action = request.POST.get("action", "")
    secret, status = "", 200
    form = EndpointForm(request.POST if action == "update" else None, initial={
        "name": endpoint.name, "url": endpoint.url, "events": endpoint.events,
        "personal_data": endpoint.personal_data, "is_active": endpoint.is_active})
    if request.method == "POST" and action == "redeliver":
        row = request.POST.get("delivery") or ""
        if not row.isdigit() or webhook_delivery_redeliver(notification_id=int(row), endpoint=endpoint) is None:
            raise Http404
        messages.success(request, _("ส่งซ้ำแล้ว"))
        return redirect("staff-webhook", pk=endpoint.pk)
    if request.method == "POST" and action == "rotate":
        endpoint, secret = webhook_endpoint_rotate_secret(actor=request.user, endpoint=endpoint)
    elif request.method == "POST" and action == "update":
        if form.is_valid():
            try:
                webhook_endpoint_update(actor=request.user, endpoint=endpoint,
                                        name=form.cleaned_data["name"], url=form.cleaned_data["url"],
                                        events=form.cleaned_data["events"],
                                        personal_data=form.cleaned_data["personal_data"],
                                        is_active=form.cleaned_data["is_active"])
                messages.success(request, _("บันทึกแล้ว"))
                return redirect("staff-webhook", pk=endpoint.pk)
            except WebhookError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        status = 400
    elif request.method == "POST":
        raise Http404
    return render(request, "api/staff_webhook.html", {
        "endpoint": endpoint, "form": form, "secret": secret, "deliveries": deliveries(endpoint=endpoint)},
        status=status)
