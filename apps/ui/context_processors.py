"""Template context shared by every page: the body a request is for (None on the platform domain)."""

from __future__ import annotations

from django.http import HttpRequest


def ui(request: HttpRequest) -> dict[str, object]:
    tenant = getattr(request, "tenant", None)
    body = tenant if tenant is not None and tenant.schema_name != "public" else None
    logo = ""
    if body is not None:
        from apps.portal.selectors import body_profile_get  # noqa: PLC0415

        profile = body_profile_get(body=body)
        logo = profile.logo.url if profile and profile.logo else ""
    return {"current_body": body, "current_body_logo": logo}
