"""API on a body's sub-domain."""

from django.urls import path

from api import staff

urlpatterns = [
    path("staff/v1/complaints/", staff.ComplaintIntakeView.as_view(), name="staff-api-intake"),
    path("staff/v1/complaints/<int:pk>/", staff.ComplaintDetailView.as_view(), name="staff-api-complaint"),
]
