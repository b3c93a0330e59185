"""The citizen portal on each body's subdomain."""

from django.urls import path

from .views import filing, home, phone, profile, reports, stats, tracking

app_name = "portal"

urlpatterns = [
    path("", home.body_home, name="body-home"),
    path("complaints/new/", filing.complaint_new, name="complaint-new"),
    path("complaints/conduct/", filing.complaint_new, {"oversight": True}, name="complaint-conduct"),
    path("complaints/receipt/", filing.complaint_receipt, name="complaint-receipt"),
    path("complaints/receipt.pdf", filing.complaint_receipt_pdf, name="complaint-receipt-pdf"),
    path("complaints/receipt.png", filing.complaint_receipt_png, name="complaint-receipt-png"),
    path("track/", tracking.track, name="track"),
    path("track/case/", tracking.track_case, name="track-case"),
    path("track/forget/", tracking.track_forget, name="track-forget"),
    path("track/files/<int:pk>/", tracking.track_file, name="track-file"),
    path("track/files/<int:pk>/thumbnail/", tracking.track_file, {"thumbnail": True}, name="track-file-thumbnail"),
    path("track/phone/", phone.track_phone, name="track-phone"),
    path("track/phone/code/", phone.track_phone_code, name="track-phone-code"),
    path("track/mine/", phone.track_mine, name="track-mine"),
    path("reports/", reports.reports_list, name="reports"),
    path("reports/nearby/", reports.reports_nearby, name="reports-nearby"),
    path("reports/stop/<str:stop_key>/", reports.report_follow_stop, name="report-stop"),
    path("reports/<str:public_id>/", reports.report_detail, name="report"),
    path("stats/", stats.stats, name="stats"),
    path("stats.csv", stats.stats_csv, name="stats-csv"),
    path("stats.pdf", stats.stats_pdf, name="stats-pdf"),
    path("settings/profile/", profile.body_profile_edit, name="body-profile"),
]
