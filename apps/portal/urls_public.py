"""The platform home on the public domain: find a body, then go to its portal."""

from django.urls import path

from .views import finder, finder_place

app_name = "portal"

urlpatterns = [
    path("", finder.platform_home, name="platform-home"),
    path("finder/districts.json", finder.finder_districts, name="finder-districts"),
    path("finder/bodies.json", finder.finder_bodies, name="finder-bodies"),
    path("finder/place/", finder_place.finder_place, name="finder-place"),
    path("finder/subdistricts.json", finder_place.finder_subdistricts, name="finder-subdistricts"),
]
