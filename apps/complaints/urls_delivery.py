"""Provider callbacks on a body's host (the schema says whose message it is)."""

from django.urls import path

from apps.complaints.views import delivery

urlpatterns = [
    path("notifications/sms/ants/", delivery.ants_delivery_view, name="sms-delivery-ants"),
]
