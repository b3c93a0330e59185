from django.urls import path

from apps.line import views, webhook

urlpatterns = [
    path("line/webhook/", webhook.webhook_view, name="line-webhook"),
    path("staff/admin/line/", views.channel_view, name="line-channel"),
]
