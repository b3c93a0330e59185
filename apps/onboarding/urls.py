from django.urls import path

from apps.onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("adoption/", views.adoption_view, name="adoption"),
    path("adoption/remind/", views.adoption_remind_view, name="adoption-remind"),
    path("invitations/", views.invitations_view, name="invitations"),
    path("invitations/upload/", views.invitations_upload_view, name="invitations-upload"),
    path("invitations/batches/<int:batch_id>/", views.batch_view, name="batch"),
    path("invitations/<int:invitation_id>/<slug:action>/", views.invitation_action_view, name="invitation-action"),
]
