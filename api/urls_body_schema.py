"""What a body's own OpenAPI document describes: its staff API (`/api/staff/v1/`)."""

from django.urls import include, path

from api.urls_tenant import staff_api

urlpatterns = [
    path("api/", include(staff_api)),
]
