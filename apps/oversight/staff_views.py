"""Directives as a body's staff see them, on the body's own sub-domain (/staff/directives/)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.complaints.access import StaffRequest, staff_view
from apps.complaints.conduct import body_notices
from apps.complaints.context import current_body
from apps.complaints.models import Role
from apps.oversight.selectors import directives_for_body
from apps.oversight.services import directive_acknowledge

# The body's admin answers for the body; executives read what was asked of it.
READERS = (Role.ADMIN, Role.EXECUTIVE)


@staff_view(roles=READERS)
@require_GET
def directives_view(request: StaffRequest) -> HttpResponse:
    targets = directives_for_body(current_body())
    return render(request, "oversight/staff/directives.html", {"targets": targets, "notices": body_notices()})


@staff_view(roles=(Role.ADMIN,))
@require_POST
def directive_acknowledge_view(request: StaffRequest, pk: int) -> HttpResponse:
    directive_acknowledge(target_id=pk, body=current_body(), user_name=str(request.user), actor=request.user)
    messages.success(request, _("ตอบรับทราบแล้ว"))
    return redirect("staff-directives")
