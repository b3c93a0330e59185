from django.urls import path

from apps.portal.views import sla as views

app_name = "sla"

urlpatterns = [
    path("", views.agreement_page, name="agreement"),
    path("announcement/", views.announcement, name="announcement"),
    path("announcement.pdf", views.announcement_pdf, name="announcement-pdf"),
    path("manage/", views.manage, name="manage"),
    path("calendar/", views.calendar, name="calendar"),
]
