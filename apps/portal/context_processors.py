"""Template context shared by every page: the body a request is for (None on the platform domain)
and its emblem from the body's public profile."""

from __future__ import annotations

from django.http import HttpRequest
from django.http.request import split_domain_port

from apps.portal import page_cache
from apps.portal.selectors import body_profile_get


def ui(request: HttpRequest) -> dict[str, object]:
    tenant = getattr(request, "tenant", None)
    body = tenant if tenant is not None and tenant.schema_name != "public" else None
    logo = ""
    if body is not None:
        profile = body_profile_get(body=body)
        logo = profile.logo.url if profile and profile.logo else ""
    # The body's primary domain (a custom domain once the body makes it primary): search engines
    # and shared links follow it, whichever of the body's hosts served the page.
    primary = getattr(tenant, "primary_host", "") if tenant is not None else ""
    port = split_domain_port(request.get_host())[1] if primary else ""
    canonical = f"{request.scheme}://{primary}{':' + port if port else ''}{request.path}" if primary else ""
    return {"current_body": body, "current_body_logo": logo, "canonical_url": canonical}


def page_holes(request: HttpRequest) -> dict[str, object]:
    """While a citizen page is rendered for the shared cache, the per-response values are
    placeholders (apps.portal.page_cache fills them for every response)."""
    if not page_cache.rendering_for_cache(request):
        return {}
    return {"csrf_token": page_cache.MARKERS["csrf_token"], "CSP_NONCE": page_cache.MARKERS["csp_nonce"]}
