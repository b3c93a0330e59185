"""A body admin's Open311 keys (/staff/api-keys/): issue one (the raw key is shown once, in the
answer to the POST, and stored nowhere), see when each was last used, revoke."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from api.models import Access
from api.open311.keys import body_api_key_issue, body_api_key_revoke, body_api_keys
from apps.complaints.access import staff_view
from apps.complaints.context import current_body
from apps.complaints.errors import ComplaintError
from apps.complaints.models import Role


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("ชื่อระบบที่จะใช้กุญแจ"), max_length=200)
    access = forms.ChoiceField(label=_("สิทธิ์"), choices=Access.choices, initial=Access.WRITE)


@staff_view(roles=(Role.ADMIN,))
def api_keys_view(request: HttpRequest) -> HttpResponse:
    body = current_body()
    form = ApiKeyForm(request.POST if request.POST.get("action") == "issue" else None)
    raw = ""
    status = 200
    if request.method == "POST" and request.POST.get("action") == "revoke":
        try:
            key = body_api_key_revoke(actor=request.user, body=body, key_id=int(request.POST.get("key") or 0))
        except (ComplaintError, ValueError):
            messages.error(request, _("ไม่พบกุญแจ"))
        else:
            messages.success(request, _("ยกเลิกกุญแจ %(name)s แล้ว") % {"name": key.name})
        return redirect("staff-api-keys")
    if request.method == "POST":
        if form.is_valid():
            try:
                _key, raw = body_api_key_issue(actor=request.user, body=body, name=form.cleaned_data["name"],
                                               access=form.cleaned_data["access"])
                form = ApiKeyForm()
            except ComplaintError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        if not raw:
            status = 400
    return render(request, "open311/staff_keys.html", {
        "form": form, "raw": raw, "keys": body_api_keys(body=body),
        "endpoint": request.build_absolute_uri("/open311/v2/discovery.xml"),
    }, status=status)
