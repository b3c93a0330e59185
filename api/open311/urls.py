"""/open311/v2/ on a body's sub-domain (`body_urlpatterns`) and on the platform domain
(`national_urlpatterns`). The format is the path's extension: .xml (the spec's default) or .json."""

from __future__ import annotations

from django.urls import URLPattern, re_path

from api.open311 import views
from api.open311.openapi import openapi_view

_FMT = r"\.(?P<fmt>xml|json)"


def _patterns(national: bool) -> list[URLPattern]:
    def view(cls: type[views.Open311View]):  # type: ignore[no-untyped-def]
        return cls.as_view(national=national)

    return [
        re_path(rf"^discovery{_FMT}$", view(views.DiscoveryView), name="open311-discovery"),
        re_path(rf"^services{_FMT}$", view(views.ServiceListView), name="open311-services"),
        re_path(rf"^services/(?P<code>[a-z0-9_.\-]+){_FMT}$", view(views.ServiceDefinitionView),
                name="open311-service"),
        re_path(rf"^requests{_FMT}$", view(views.RequestsView), name="open311-requests"),
        re_path(rf"^requests/(?P<request_id_text>[^/]+?){_FMT}$", view(views.RequestView), name="open311-request"),
        re_path(rf"^tokens/(?P<token>[^/]+?){_FMT}$", view(views.TokenView), name="open311-token"),
        re_path(r"^openapi\.json$", openapi_view, {"national": national}, name="open311-openapi"),
        re_path(r"^(?P<rest>.*)$", view(views.UnknownView), name="open311-unknown"),
    ]


body_urlpatterns = _patterns(national=False)
national_urlpatterns = _patterns(national=True)
