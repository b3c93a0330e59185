"""URLs of the platform's own domain (public schema)."""

from django.contrib import admin
from django.urls import include, path

from api.open311.urls import national_urlpatterns as open311_national
from rongthuk import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("oversight/", include("apps.oversight.signin_urls")),
    path("oversight/", include("apps.oversight.urls")),
    path("oversight/", include("apps.onboarding.urls")),
    path("api/", include("api.urls")),
    path("open311/v2/", include(open311_national)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("apps.portal.urls_public")),
]

# Thai error pages (JSON under /api/) in place of Django's bare English ones.
handler400 = "rongthuk.errors.bad_request"
handler403 = "rongthuk.errors.permission_denied"
handler404 = "rongthuk.errors.page_not_found"
handler500 = "rongthuk.errors.server_error"
