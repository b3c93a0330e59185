"""The citizen portal on each body's subdomain."""

from django.urls import path

from .views import filing, home, profile, stats, tracking

app_name = "portal"

urlpatterns = [
    path("", home.body_home, name="body-home"),
    path("complaints/new/", filing.complaint_new, name="complaint-new"),
    path("complaints/conduct/", filing.complaint_new, {"oversight": True}, name="complaint-conduct"),
    path("complaints/receipt/", filing.complaint_receipt, name="complaint-receipt"),
    path("track/", tracking.track, name="track"),
    path("track/case/", tracking.track_case, name="track-case"),
    path("track/forget/", tracking.track_forget, name="track-forget"),
    path("track/files/<int:pk>/", tracking.track_file, name="track-file"),
    path("stats/", stats.stats, name="stats"),
    path("stats.csv", stats.stats_csv, name="stats-csv"),
    path("stats.pdf", stats.stats_pdf, name="stats-pdf"),
    path("settings/profile/", profile.body_profile_edit, name="body-profile"),
]
