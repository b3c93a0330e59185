"""Which body a request is for, from its host name.

Replaces django-tenants' TenantMainMiddleware: the same switch of schema and URLconf, from the
host → body table held whole in the process (tenants.cache), and the lifecycle rules: an unknown
host is a 404 (never the public site, never another body), a suspended body a 503 "temporarily closed" page, an archived
one is read-only (tracking, case pages and statistics answer; everything else is a 410 page saying
no new complaint is taken), a body still provisioning a 404; a redirect host (the old slug and code
of an upgraded body, the hosts of a merged one) is a permanent redirect to the body's primary domain.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.http.request import split_domain_port
from django.shortcuts import render
from django.urls import Resolver404, resolve, set_urlconf
from django_tenants.utils import get_public_schema_name

from tenants import cache, connections, domains
from tenants.db import use_body, use_public_schema
from tenants.models import BodyStatus, Domain, LocalBody
from tenants.requests import BodyRequest


def resolve_domain(host: str) -> Domain | None:
    """The Domain row for a host, from the process's whole table (tenants.cache): no query."""
    return cache.lookup(host)


def resolve_host(host: str) -> LocalBody | None:
    """The body a host is for (its `primary_host` set: tenants.cache)."""
    domain = resolve_domain(host)
    return domain.tenant if domain is not None else None


def primary_host(body: LocalBody) -> str:
    """The body's primary domain: where canonical links and redirects point."""
    primary = Domain.objects.filter(tenant=body, is_primary=True, redirect=False).values_list("domain", flat=True)
    return primary.first() or ""


def _permanent_redirect(request: HttpRequest, host: str) -> HttpResponse:
    _host, port = split_domain_port(request.get_host())
    netloc = f"{host}:{port}" if port else host
    return HttpResponsePermanentRedirect(f"{request.scheme}://{netloc}{request.get_full_path()}")


def _open_while_archived(request: HttpRequest) -> bool:
    """What an archived body's portal still answers (TENANT_ARCHIVED_OPEN_ROUTES): citizens track
    and read their cases and the statistics; nothing is filed or changed."""
    try:
        match = resolve(request.path_info, urlconf=settings.ROOT_URLCONF)
    except Resolver404:
        return False
    return request.method in settings.TENANT_ARCHIVED_OPEN_ROUTES.get(match.view_name, ())


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
        domain = resolve_domain(host)
        body = cache.request_copy(domain.tenant) if domain is not None else None
        if domain is None and request.path == domains.WELL_KNOWN_PATH:
            # A body's own name before it is verified: the platform proves the name reaches it.
            token = domains.pending_token(host)
            if token is not None:
                return HttpResponse(token, content_type="text/plain; charset=utf-8")
        if body is None or body.status == BodyStatus.PROVISIONING:
            return render(request, "tenants/unknown_host.html", {"host": host}, status=404)
        if body.status == BodyStatus.SUSPENDED and not _open_while_suspended(request):
            return render(request, "tenants/suspended.html", {"body": body}, status=503)
        redirect_host = cache.primary_host(body.pk) if domain is not None and domain.redirect else ""
        if redirect_host:
            return _permanent_redirect(request, redirect_host)
        if body.status == BodyStatus.ARCHIVED and not _open_while_archived(request):
            return render(request, "tenants/archived.html", {"body": body}, status=410)

        cast(BodyRequest, request).tenant = body
        use_body(body)
        if body.schema_name == get_public_schema_name():
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            set_urlconf(request.urlconf)
        response = self.get_response(request)
        connections.body_served(body.schema_name)
        return response
