"""/api/ on the platform domain: the national reporting API and its OpenAPI schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from api import national

national_v1 = [
    path("aggregates/", national.AggregatesView.as_view(), name="aggregates"),
    path("sla-compliance/", national.SlaComplianceView.as_view(), name="sla-compliance"),
    path("sla-publication/", national.SlaPublicationView.as_view(), name="sla-publication"),
    path("bodies/", national.BodyListView.as_view(), name="bodies"),
    path("bodies/<str:dla_code>/", national.BodyDetailView.as_view(), name="body"),
]

urlpatterns = [
    path("national/v1/", include((national_v1, "national"), namespace="national-v1")),
    path("schema/", SpectacularAPIView.as_view(urlconf="api.urls_schema"), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
