"""The body admin's audit page (/staff/admin/audit/): the body's log of administrative changes,
data-subject requests and sign-ins, newest first, filtered by group, and the log of identity
reveals (apps.complaints IdentityAccess) under its own filter."""

from __future__ import annotations

import json
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.audit.kinds import GROUPS
from apps.audit.selectors import audit_entries
from apps.complaints.access import StaffRequest, staff_view
from apps.complaints.models import IdentityAccess, Role

PAGE_SIZE = 50
IDENTITY = "identity"


@staff_view(roles=(Role.ADMIN,))
@require_GET
def audit_view(request: StaffRequest) -> HttpResponse:
    group = request.GET.get("kind", "")
    page: Page[Any]
    if group == IDENTITY:
        # Reveals on conduct cases are the handling office's record, never the body's.
        reveals = (IdentityAccess.objects.select_related("user", "complaint")
                   .exclude(complaint__routed_to_oversight=True).order_by("-created_at", "-id"))
        page = Paginator(reveals, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = []
    else:
        group = group if group in GROUPS else ""
        page = Paginator(audit_entries(group=group), PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [(e, json.dumps(e.changes, ensure_ascii=False, indent=1) if e.changes else "") for e in page]
    return render(request, "audit/staff_audit.html", {
        "page": page, "rows": rows, "group": group, "groups": list(GROUPS.items()), "identity": group == IDENTITY,
    })
