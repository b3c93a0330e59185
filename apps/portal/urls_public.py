"""The platform home on the public domain: find a body, then go to its portal."""

from django.urls import path

from .views import finder

app_name = "portal"

urlpatterns = [
    path("", finder.platform_home, name="platform-home"),
    path("finder/districts.json", finder.finder_districts, name="finder-districts"),
    path("finder/bodies.json", finder.finder_bodies, name="finder-bodies"),
]
