"""URLs of a body's portal (<slug>.<PLATFORM_DOMAIN>), served in the body's schema."""

from django.urls import path

from rongthuk import views

urlpatterns = [
    path("", views.body_home, name="body-home"),
    path("healthz", views.healthz, name="healthz"),
]
