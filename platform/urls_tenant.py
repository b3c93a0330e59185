"""URLs of a body's portal (<slug>.<PLATFORM_DOMAIN>), served in the body's schema."""

from django.urls import include, path

from rongthuk import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("staff/directives/", include("apps.oversight.staff_urls")),
    path("staff/", include("apps.complaints.urls")),
    path("sla/", include("apps.sla.urls")),
    path("api/", include("api.urls_tenant")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("apps.portal.urls")),
]
