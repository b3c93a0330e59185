"""The staff inbox (filters, pages) and bulk actions on the cases ticked in it."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from apps.complaints.access import StaffRequest, staff_view
from apps.complaints.errors import ComplaintError
from apps.complaints.forms import BulkForm, InboxFilterForm
from apps.complaints.models import Category
from apps.complaints.policies import get_complaint_for_user
from apps.complaints.selectors import departments_active, inbox, inbox_due_dates
from apps.complaints.services.workflow import complaint_assign, complaint_close
from apps.complaints.status import Status

PAGE_SIZES = (25, 50, 100)


@staff_view
@require_GET
def inbox_view(request: StaffRequest) -> HttpResponse:
    departments = departments_active()
    categories = list(Category.objects.all())
    form = InboxFilterForm(request.GET or None, departments=departments, categories=categories)
    filters = form.filters()
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
        # Only a case still being worked on can be late: a finished or waiting one shows its date uncoloured.
        "running": [Status.RECEIVED, Status.ACKNOWLEDGED, Status.IN_PROGRESS],
    })


@staff_view
@require_POST
def bulk_view(request: StaffRequest) -> HttpResponse:
    """Each case goes through the service on its own: one refusal does not stop the others."""
    departments = departments_active()
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
                complaint_assign(complaint=complaint, actor=request.user, department=department)
            else:
                complaint_close(complaint=complaint, actor=request.user, text=form.cleaned_data["text"])
        except ComplaintError as exc:
            messages.error(request, f"{complaint.tracking_code}: {exc.message}")
            continue
        done += 1
    if done:
        label = _("มอบหมาย") if action == "assign" else pgettext("action", "ปิดเรื่อง")
        messages.success(request, _("%(action)sแล้ว %(count)d เรื่อง") % {"action": label, "count": done})
    return redirect(back)
