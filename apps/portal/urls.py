"""The citizen portal on each body's subdomain."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.body_home, name="body-home"),
    path("complaints/new/", views.complaint_new, name="complaint-new"),
    path("complaints/conduct/", views.complaint_new, {"oversight": True}, name="complaint-conduct"),
    path("complaints/receipt/", views.complaint_receipt, name="complaint-receipt"),
    path("track/", views.track, name="track"),
    path("track/case/", views.track_case, name="track-case"),
    path("track/forget/", views.track_forget, name="track-forget"),
    path("track/files/<int:pk>/", views.track_file, name="track-file"),
    path("stats/", views.stats, name="stats"),
    path("stats.csv", views.stats_csv, name="stats-csv"),
    path("stats.pdf", views.stats_pdf, name="stats-pdf"),
    path("settings/profile/", views.body_profile_edit, name="body-profile"),
]
