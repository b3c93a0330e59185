"""On the body's own host: claiming an invitation (/staff/welcome/<token>/) and the first-run
checklist (/staff/setup/)."""

from __future__ import annotations

import time

from django.contrib.auth import login as auth_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.accounts.audit import AuthEventKind, auth_event_record
from apps.accounts.signin import SESSION_SCHEMA, SESSION_SEEN, SESSION_SINCE
from apps.accounts.views import second_factor_exempt
from apps.complaints.access import staff_view
from apps.complaints.context import current_body
from apps.complaints.models import Role
from apps.onboarding import selectors, services
from apps.onboarding.checklist import checklist_for, schema_ticks
from apps.onboarding.forms import ClaimForm
from apps.onboarding.services import InvitationError
from tenants.db import current_schema


@second_factor_exempt
@never_cache
def claim_view(request: HttpRequest, token: str) -> HttpResponse:
    body = current_body()
    invitation = services.invitation_for_token(body=body, token=token)
    if invitation is None:
        return render(request, "onboarding/claim_invalid.html", {"body": body}, status=404)
    form = ClaimForm(request.POST or None, full_name=invitation.full_name, email=invitation.email,
                     initial={"username": invitation.email.split("@", 1)[0].lower()[:150]})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_claim(body=body, token=token, username=form.cleaned_data["username"],
                                             password=form.cleaned_data["password1"])
        except InvitationError as error:
            form.add_error(None, str(error))
        else:
            # Signed in with the password just set; the second factor is enrolled next, and the
            # session reaches nothing else until it is (apps.accounts.middleware).
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            now = int(time.time())
            request.session[SESSION_SCHEMA] = current_schema()
            request.session[SESSION_SINCE] = now
            request.session[SESSION_SEEN] = now
            auth_event_record(request=request, kind=AuthEventKind.LOGIN, user=user)
            return redirect(f"{reverse('accounts:setup')}?{urlencode({'next': reverse('onboarding-checklist')})}")
    return render(request, "onboarding/claim.html", {"body": body, "invitation": invitation, "form": form},
                  status=400 if request.method == "POST" else 200)


@staff_view(roles=(Role.ADMIN,))
@require_GET
def checklist_view(request: HttpRequest) -> HttpResponse:
    body = current_body()
    ticks = schema_ticks()
    services.setup_record(body=body)
    items = checklist_for(body, ticks)
    required = [i for i in items if i.required]
    return render(request, "onboarding/checklist.html", {
        "items": items, "done": sum(1 for i in required if i.done), "required": len(required),
        "reminders": selectors.reminders_for_body(body),
    })
