"""Template context shared by every page: the body a request is for (None on the platform domain)
and its emblem from the body's public profile."""

from __future__ import annotations

from django.http import HttpRequest

from apps.portal.selectors import body_profile_get


def ui(request: HttpRequest) -> dict[str, object]:
    tenant = getattr(request, "tenant", None)
    body = tenant if tenant is not None and tenant.schema_name != "public" else None
    logo = ""
    if body is not None:
        profile = body_profile_get(body=body)
        logo = profile.logo.url if profile and profile.logo else ""
    return {"current_body": body, "current_body_logo": logo}
