from django.urls import path

from apps.line import views

urlpatterns = [
    path("line/webhook/", views.webhook_view, name="line-webhook"),
    path("staff/admin/line/", views.channel_view, name="line-channel"),
]
