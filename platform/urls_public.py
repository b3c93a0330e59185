"""URLs of the platform's own domain (public schema)."""

from django.contrib import admin
from django.urls import path

from rongthuk import views

urlpatterns = [
    path("", views.platform_home, name="platform-home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
