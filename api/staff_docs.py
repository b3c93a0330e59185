"""The staff API's own OpenAPI document and browsable docs on each body's sub-domain:
`/api/staff/v1/openapi.json` (the staff API only, its server this body's address, its title the
body's name) and `/api/staff/v1/docs/` (Swagger UI from drf-spectacular-sidecar, a PyPI package
vendored in the install: nothing is fetched from another site at run time).

The docs page keeps to the site's Content-Security-Policy: the page loads only same-origin
scripts (the initialisation script is a second request to the same view, `?script`,
drf-spectacular's split view) and its one style block carries the request's nonce. Reading the
document or the docs needs no sign-in: they describe the API, never a case."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from drf_spectacular.renderers import OpenApiJsonRenderer2
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.request import Request
from rest_framework.response import Response

from apps.complaints.context import current_body

DESCRIPTION = (
    "The staff REST API of {name} (DLA code {code}). Authenticate with `Authorization: Bearer <token>`: a staff "
    "member's personal token or a body integration key, both made by staff at {base}/staff/tokens/ (an "
    "integration key acts under its own name with the role the body's admin gave it; without the personal-data "
    "scope the complainant, the description, the place and the files are withheld). A signed-in staff session "
    "with its CSRF token also works. Every POST takes an `Idempotency-Key`. Refusals are JSON with a Thai "
    "`message` (English with `Accept-Language: en`). Open311 GeoReport v2 is at {base}/open311/v2/ (its own "
    "specification)."
)


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


class BodySchemaView(SpectacularAPIView):
    """This body's staff API document (JSON)."""

    urlconf = "api.urls_body_schema"
    renderer_classes = [OpenApiJsonRenderer2]  # `.json`: JSON whatever the client's Accept says

    @extend_schema(exclude=True)  # the document does not describe itself
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = current_body()  # the body of this host (tenants.middleware set the connection to it)
        base = _base(request)
        self.custom_settings = {
            "TITLE": f"Rongthuk staff API: {body.display_name}",
            "DESCRIPTION": DESCRIPTION.format(name=body.display_name, code=body.dla_code, base=base),
            "SERVERS": [{"url": base, "description": body.display_name}],
            "APPEND_COMPONENTS": {},
            "SECURITY": [{"staffToken": []}, {"cookieAuth": []}],
        }
        return super().get(request, *args, **kwargs)


class BodyDocsView(SpectacularSwaggerSplitView):
    """Swagger UI over this body's document."""

    url_name = "staff-api-schema"
    template_name = "api/swagger_ui.html"
    title = "Rongthuk staff API"
