"""The body admin's data-subject request page (/staff/admin/data-requests/): record an access or
erasure request and carry it out (apps.complaints.retention)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.selectors import audit_entries
from apps.complaints import retention
from apps.complaints.access import StaffRequest, staff_view
from apps.complaints.errors import ComplaintError
from apps.complaints.models import Role


class DataRequestForm(forms.Form):
    request_kind = forms.ChoiceField(label=gettext_lazy("ประเภทคำขอ"), choices=list(retention.REQUEST_KINDS.items()))
    identifier = forms.ChoiceField(label=gettext_lazy("ค้นหาด้วย"),
                                   choices=[(k, label) for k, (_col, label) in retention.IDENTIFIERS.items()])
    value = forms.CharField(label=gettext_lazy("ข้อมูลที่ใช้ค้นหา"), max_length=200)
    reference = forms.CharField(label=gettext_lazy("เลขที่หนังสือ/หมายเหตุการยื่นคำขอ"), max_length=200,
                                required=False)


@staff_view(roles=(Role.ADMIN,))
def data_requests_view(request: StaffRequest) -> HttpResponse:
    form = DataRequestForm(request.POST or None)
    refused = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = retention.data_request_carry_out(actor=request.user, request_kind=data["request_kind"],
                                                      identifier=data["identifier"], value=data["value"],
                                                      reference=data["reference"])
        except ComplaintError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            if result.kind == "access":
                response = HttpResponse(result.export, content_type="application/json; charset=utf-8")
                stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
                response["Content-Disposition"] = f'attachment; filename="data-request-{stamp}.json"'
                response["Cache-Control"] = "private, no-store"
                return response
            if result.kind == "erasure":
                if result.tracking_codes:
                    messages.success(request, _("ลบข้อมูลระบุตัวผู้ร้องแล้ว %(count)d เรื่อง: %(codes)s") % {
                        "count": len(result.tracking_codes), "codes": ", ".join(result.tracking_codes)})
                if result.follows_removed:
                    messages.success(request, _("เลิกการติดตามรายงานสาธารณะของบุคคลนี้และลบช่องทางติดต่อแล้ว "
                                                "%(count)d รายการ") % {"count": result.follows_removed})
                return redirect("staff:data-requests")
            refused = result.refused
    history = audit_entries(group="data_request")[:50]
    return render(request, "complaints/admin_data_requests.html", {
        "form": form, "refused": refused, "history": history,
        "retention_years": retention.retention_years_for(body=request.tenant),
        "national_years": settings.PDPA_RETENTION_YEARS,
    }, status=400 if request.method == "POST" else 200)
