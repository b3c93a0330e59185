"""URLs of a body's portal (<slug>.<PLATFORM_DOMAIN>), served in the body's schema."""

from django.urls import include, path

from api.open311.staff_views import api_keys_view
from api.open311.urls import body_urlpatterns as open311_body
from api.staff_pages import tokens_view, webhook_view, webhooks_view
from rongthuk import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("staff/", include("apps.complaints.signin_urls")),
    path("staff/directives/", include("apps.oversight.staff_urls")),
    path("staff/", include("apps.onboarding.staff_urls")),
    path("", include("apps.line.urls")),
    path("", include("apps.complaints.urls_delivery")),
    path("staff/api-keys/", api_keys_view, name="staff-api-keys"),
    path("staff/tokens/", tokens_view, name="staff-tokens"),
    path("staff/admin/webhooks/", webhooks_view, name="staff-webhooks"),
    path("staff/admin/webhooks/<int:pk>/", webhook_view, name="staff-webhook"),
    path("open311/v2/", include(open311_body)),
    path("staff/", include("apps.complaints.urls")),
    path("sla/", include("apps.portal.sla_urls")),
    path("api/", include("api.urls_tenant")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("apps.portal.urls")),
]

# Thai error pages (JSON under /api/) in place of Django's bare English ones.
handler400 = "rongthuk.errors.bad_request"
handler403 = "rongthuk.errors.permission_denied"
handler404 = "rongthuk.errors.page_not_found"
handler500 = "rongthuk.errors.server_error"
