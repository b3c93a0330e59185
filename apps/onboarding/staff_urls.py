from django.urls import path

from apps.onboarding import staff_views

urlpatterns = [
    path("welcome/<str:token>/", staff_views.claim_view, name="onboarding-claim"),
    path("setup/", staff_views.checklist_view, name="onboarding-checklist"),
]
