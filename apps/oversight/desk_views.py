"""The conduct and corruption case desk at /oversight/conduct/<id>/: the handling office's officers
read the case, reveal the complainant (audited), and act on it. Thin: parse, call a desk selector or
service, render. A case the office does not handle is a 404 (desk_selectors)."""

from __future__ import annotations

import mimetypes
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.complaints.errors import ComplaintError
from apps.complaints.forms import ReplyForm, RequiredTextForm, ResolveForm, TextForm
from apps.complaints.models import Attachment
from apps.oversight.desk_selectors import desk_case, get_conduct_fact_for_officer, office_actor
from apps.oversight.desk_services import DESK_SERVICES, conduct_case_act, conduct_identity_reveal
from apps.oversight.scoping import OversightRequest, Scope
from apps.oversight.views import oversight_required
from apps.reporting.models import ComplaintFact

FORMS: dict[str, type[forms.Form]] = {
    "acknowledge": TextForm, "resume": TextForm, "request_info": RequiredTextForm, "reply": ReplyForm,
    "note": RequiredTextForm, "resolve": ResolveForm, "close": TextForm, "notify_body": RequiredTextForm,
}
DONE = {
    "acknowledge": gettext_lazy("แจ้งรับเรื่องแล้ว"),
    "resume": gettext_lazy("ดำเนินการต่อแล้ว"),
    "request_info": gettext_lazy("ขอข้อมูลเพิ่มเติมจากผู้ร้องแล้ว"),
    "reply": gettext_lazy("ส่งคำตอบถึงผู้ร้องแล้ว"),
    "note": gettext_lazy("บันทึกภายในแล้ว"),
    "resolve": gettext_lazy("บันทึกผลการดำเนินการแล้ว"),
    "close": gettext_lazy("ปิดเรื่องแล้ว"),
    "notify_body": gettext_lazy("แจ้งหน่วยงานที่ถูกร้องเรียนแล้ว"),
}

# The action panel, in the order an officer works a case: (action, heading, button, takes files).
ACTIONS = [
    ("acknowledge", gettext_lazy("แจ้งรับเรื่อง"), gettext_lazy("แจ้งรับเรื่อง"), False),
    ("resume", gettext_lazy("เริ่ม/ดำเนินการต่อ"), gettext_lazy("ดำเนินการต่อ"), False),
    ("request_info", gettext_lazy("ขอข้อมูลเพิ่มเติมจากผู้ร้อง"), gettext_lazy("ขอข้อมูล"), False),
    ("reply", gettext_lazy("ตอบผู้ร้อง"), gettext_lazy("ส่งคำตอบ"), True),
    ("note", gettext_lazy("บันทึกภายใน (ผู้ร้องไม่เห็น)"), gettext_lazy("บันทึก"), False),
    ("resolve", gettext_lazy("บันทึกผลการดำเนินการ (แล้วเสร็จ)"), gettext_lazy("บันทึกผล"), True),
    ("close", pgettext_lazy("action", "ปิดเรื่อง"), pgettext_lazy("action", "ปิดเรื่อง"), False),
    ("notify_body", gettext_lazy("แจ้งหน่วยงานที่ถูกร้องเรียน (ไม่เปิดเผยเรื่องและผู้ร้อง)"),
     gettext_lazy("ส่งหนังสือแจ้งหน่วยงาน"), False),
]


def _scope(request: HttpRequest) -> Scope:
    return cast(OversightRequest, request).scope


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User), "oversight_required lets only signed-in officers through"
    return request.user


def _page(request: HttpRequest, fact: ComplaintFact, *, status: int = 200, identity: dict[str, str] | None = None,
          errors: dict[str, str] | None = None, bound: dict[str, forms.Form] | None = None) -> HttpResponse:
    case = desk_case(fact)
    bound = bound or {}
    context: dict[str, Any] = {
        "case": case, "complaint": case.complaint, "fact": fact, "identity": identity, "errors": errors or {},
        "available": case.actions | (set(errors or {}) - {"identity"}), "actions": ACTIONS,
        "forms": {name: bound.get(name) or form(prefix=name) for name, form in FORMS.items()},
    }
    return render(request, "oversight/conduct_case.html", context, status=status)


@oversight_required
@require_GET
def case_view(request: HttpRequest, fact_id: int) -> HttpResponse:
    fact = get_conduct_fact_for_officer(_scope(request), fact_id)
    return _page(request, fact)


@oversight_required
@require_POST
def identity_view(request: HttpRequest, fact_id: int) -> HttpResponse:
    fact = get_conduct_fact_for_officer(_scope(request), fact_id)
    identity = conduct_identity_reveal(fact=fact, actor=office_actor(user=_user(request), scope=_scope(request)))
    if identity is None:
        return _page(request, fact, errors={"identity": _("ผู้ร้องไม่ประสงค์ออกนาม ไม่มีข้อมูลผู้ร้อง")})
    return _page(request, fact, identity=identity)


@oversight_required
@require_POST
def action_view(request: HttpRequest, fact_id: int, action: str) -> HttpResponse:
    fact = get_conduct_fact_for_officer(_scope(request), fact_id)
    if action not in DESK_SERVICES:
        raise Http404("no such action")
    form = FORMS[action](request.POST, request.FILES, prefix=action)
    form.is_valid()  # the service checks the text and says what is wrong, in the officer's language
    field = DESK_SERVICES[action][1]
    try:
        conduct_case_act(fact=fact, actor=office_actor(user=_user(request), scope=_scope(request)), action=action,
                         text=form.cleaned_data.get(field, ""), uploads=form.cleaned_data.get("attachments") or [])
    except ComplaintError as exc:
        return _page(request, fact, status=400, errors={action: str(exc.message)}, bound={action: form})
    messages.success(request, str(DONE[action]))
    return redirect("oversight:conduct-case", fact_id=fact.pk)


@oversight_required
@require_GET
def attachment_view(request: HttpRequest, fact_id: int, attachment_id: int) -> HttpResponseBase:
    fact = get_conduct_fact_for_officer(_scope(request), fact_id)
    with schema_context(fact.body.schema_name):
        attachment = Attachment.objects.filter(pk=attachment_id, complaint_id=fact.complaint_id).first()
        if attachment is None:
            raise Http404("no such file")
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404("no such file") from exc
    extension = mimetypes.guess_extension(attachment.content_type) or ""
    response = FileResponse(handle, content_type=attachment.content_type,
                            as_attachment=attachment.content_type != "image/jpeg",
                            filename=f"{fact.tracking_code}-{attachment.pk}{extension}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
