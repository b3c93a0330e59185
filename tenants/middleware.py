"""Which body a request is for, from its host name.

Replaces django-tenants' TenantMainMiddleware: the same switch of schema and URLconf, plus an
in-process cache of the host lookup, and the lifecycle rules: an unknown host is a 404 (never the
public site, never another body), a suspended body a 503 "temporarily closed" page, an archived
one a 410, a body still provisioning a 404.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import render
from django.urls import Resolver404, resolve, set_urlconf
from django_tenants.utils import get_public_schema_name

from tenants import cache
from tenants.db import use_body, use_public_schema
from tenants.models import BodyStatus, Domain, LocalBody


def resolve_host(host: str) -> LocalBody | None:
    cached = cache.get(host)
    if cached is not cache.MISSING:
        return cached  # type: ignore[return-value]
    domain = Domain.objects.select_related("tenant").filter(domain=host).first()
    body = domain.tenant if domain else None
    cache.put(host, body)
    return body


def _open_while_suspended(request: HttpRequest) -> bool:
    """A route the settings keep open on a suspended body (TENANT_SUSPENDED_OPEN_ROUTES)."""
    try:
        match = resolve(request.path_info, urlconf=settings.ROOT_URLCONF)
    except Resolver404:
        return False
    return request.method in settings.TENANT_SUSPENDED_OPEN_ROUTES.get(match.view_name, ())


class TenantResolutionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        use_public_schema()
        host, _port = split_domain_port(request.get_host())
        body = resolve_host(host.lower().rstrip("."))
        if body is None or body.status == BodyStatus.PROVISIONING:
            return render(request, "tenants/unknown_host.html", {"host": host}, status=404)
        if body.status == BodyStatus.SUSPENDED and not _open_while_suspended(request):
            return render(request, "tenants/suspended.html", {"body": body}, status=503)
        if body.status == BodyStatus.ARCHIVED:
            return render(request, "tenants/archived.html", {"body": body}, status=410)

        request.tenant = body  # type: ignore[attr-defined]
        use_body(body)
        if body.schema_name == get_public_schema_name():
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            set_urlconf(request.urlconf)
        return self.get_response(request)
