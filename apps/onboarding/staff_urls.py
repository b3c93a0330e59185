from django.urls import path

from apps.onboarding import domain_views, service_area_views, staff_views

urlpatterns = [
    path("welcome/<str:token>/", staff_views.claim_view, name="onboarding-claim"),
    path("setup/", staff_views.checklist_view, name="onboarding-checklist"),
    path("setup/domains/", domain_views.domains_view, name="onboarding-domains"),
    path("setup/service-area/", service_area_views.service_area_view, name="onboarding-service-area"),
]
