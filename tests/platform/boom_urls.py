"""Test-only URLconfs: the real ones (with their error handlers) plus a view that raises."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from rongthuk import urls_public, urls_tenant


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


class Tenant:
    urlpatterns = [path("boom/", boom), path("api/boom/", boom), *urls_tenant.urlpatterns]
    handler400, handler403 = urls_tenant.handler400, urls_tenant.handler403
    handler404, handler500 = urls_tenant.handler404, urls_tenant.handler500


class Public:
    urlpatterns = [path("boom/", boom), *urls_public.urlpatterns]
    handler400, handler403 = urls_public.handler400, urls_public.handler403
    handler404, handler500 = urls_public.handler404, urls_public.handler500
