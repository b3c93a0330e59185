"""On the body's own host: its admin's page for the body's own domains (/staff/setup/domains/):
add a name, see whether it is verified, check it now, make it primary, remove it
(tenants.domains does each, audited)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from apps.complaints.access import staff_view
from apps.complaints.context import current_body
from apps.complaints.models import Role
from tenants import domains
from tenants.lifecycle import BodyLifecycleError, primary_domain_of
from tenants.models import Domain, LocalBody
from tenants.services import domain_names


def _rows(body: LocalBody) -> list[dict[str, object]]:
    primary = primary_domain_of(body)
    served = dict(Domain.objects.filter(tenant=body).values_list("domain", "redirect"))
    return [{"claim": claim, "verified": claim.verified_at is not None, "primary": claim.domain == primary,
             "redirect": served.get(claim.domain, False),
             "txt_record": f"{domains.txt_record_name(claim.domain)} TXT {claim.token}"}  # as a zone file writes it
            for claim in domains.domain_claims_of(body)]


def _act(request: HttpRequest, body: LocalBody, action: str, name: str) -> str:
    """Do one action; the message for the admin (a refusal raises BodyLifecycleError)."""
    if action == "add":
        added = domains.domain_claim_add(body=body, domain=name, actor=request.user)
        return _("เพิ่มโดเมน %(domain)s แล้ว รอการยืนยัน") % {"domain": added.domain}
    claim = next((c for c in domains.domain_claims_of(body) if c.domain == name.strip().lower().rstrip(".")), None)
    if action == "check":
        if claim is None:
            raise domains.DomainRefused(_("ไม่พบโดเมน %(domain)s ของหน่วยงานนี้") % {"domain": name})
        if not domains.domain_claim_check(claim=claim, actor=request.user):
            raise domains.DomainRefused(_("ยังยืนยันโดเมน %(domain)s ไม่ได้: %(problem)s")
                                        % {"domain": claim.domain, "problem": claim.last_problem})
        return _("ยืนยันโดเมน %(domain)s แล้ว") % {"domain": claim.domain}
    if action == "primary":
        domains.domain_primary_set(body=body, domain=name, actor=request.user)
        return _("โดเมนหลักเป็น %(domain)s แล้ว") % {"domain": name.strip().lower()}
    if action == "remove":
        domains.domain_claim_remove(body=body, domain=name, actor=request.user)
        return _("ลบโดเมน %(domain)s แล้ว") % {"domain": name.strip().lower()}
    raise domains.DomainRefused(_("ไม่รู้จักคำสั่ง"))


@never_cache
@staff_view(roles=(Role.ADMIN,))
def domains_view(request: HttpRequest) -> HttpResponse:
    body = current_body()
    errors: list[str] = []
    entered = ""
    if request.method == "POST":
        action = str(request.POST.get("action", ""))
        entered = str(request.POST.get("domain", ""))[:300]
        try:
            done = _act(request, body, action, entered)
        except BodyLifecycleError as error:
            errors.append(error.message)
        else:
            messages.success(request, done)
            return redirect(request.path)
    platform_host = domain_names(body.slug, body.dla_code)[0]
    return render(request, "onboarding/domains.html", {
        "rows": _rows(body), "errors": errors, "entered": entered, "platform_host": platform_host,
        "primary": primary_domain_of(body), "well_known": domains.WELL_KNOWN_PATH,
    }, status=400 if errors else 200)
