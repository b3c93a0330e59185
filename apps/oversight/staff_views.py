"""Directives as a body's staff see them, on the body's own sub-domain (/staff/directives/)."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.complaints.access import StaffRequest, staff_view
from apps.complaints.conduct import body_notices
from apps.complaints.context import current_body
from apps.complaints.models import Role
from apps.oversight.selectors import directive_office, directive_target_for_body, directives_for_body
from apps.oversight.services import directive_acknowledge, directive_compliance_refresh
from apps.ui.downloads import user_file_response

# The body's admin answers for the body; executives read what was asked of it.
READERS = (Role.ADMIN, Role.EXECUTIVE)


@staff_view(roles=READERS)
@require_GET
def directives_view(request: StaffRequest) -> HttpResponse:
    targets = directives_for_body(current_body())
    return render(request, "oversight/staff/directives.html", {"targets": targets, "notices": body_notices()})


@staff_view(roles=READERS)
@require_GET
def directive_view(request: StaffRequest, pk: int) -> HttpResponse:
    """The directive's text, attachment and what it requires, each with whether the body met it."""
    target = directive_target_for_body(current_body(), pk)
    directive = target.directive
    if directive_compliance_refresh(directive=directive):
        target = directive_target_for_body(current_body(), pk)
    return render(request, "oversight/staff/directive.html", {
        "target": target, "directive": directive, "office": directive_office(directive),
        "requirements": [(code, label, target.met_at(code)) for code, label in
                         zip(directive.requirements, directive.requirement_labels(), strict=True)],
    })


@staff_view(roles=READERS)
@require_GET
def directive_attachment_view(request: StaffRequest, pk: int) -> HttpResponseBase:
    directive = directive_target_for_body(current_body(), pk).directive
    if not directive.attachment:
        raise Http404("no attachment")
    name = (directive.attachment.name or "").rsplit("/", 1)[-1]
    return user_file_response(directive.attachment.open("rb"), filename=name,
                              content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")


@staff_view(roles=(Role.ADMIN,))
@require_POST
def directive_acknowledge_view(request: StaffRequest, pk: int) -> HttpResponse:
    directive_acknowledge(target_id=pk, body=current_body(), user_name=str(request.user), actor=request.user)
    messages.success(request, _("ตอบรับทราบแล้ว"))
    if request.POST.get("back") == "directive":
        return redirect("staff-directive", pk=pk)
    return redirect("staff-directives")
