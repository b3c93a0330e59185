"""What the OpenAPI document describes: the national API (platform domain) and the staff API (each
body's sub-domain, `https://<body>.<PLATFORM_DOMAIN>/api/staff/v1/`)."""

from django.urls import include, path

from api.urls import national_v1
from api.urls_tenant import staff_api

urlpatterns = [
    path("api/national/v1/", include((national_v1, "national"), namespace="national-v1")),
    path("api/", include(staff_api)),
]
