"""The platform home on the public domain: find a body, then go to its portal."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.platform_home, name="platform-home"),
    path("finder/districts.json", views.finder_districts, name="finder-districts"),
    path("finder/bodies.json", views.finder_bodies, name="finder-bodies"),
]
