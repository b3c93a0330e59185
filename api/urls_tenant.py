"""API on a body's sub-domain: the staff REST API (api.staff, api.staff_cases,
api.staff_case_actions), its OpenAPI document and its docs (api.staff_docs)."""

from django.urls import path

from api import staff_case_actions, staff_cases, staff_docs

# What the OpenAPI documents describe (api.urls_schema, api.urls_body_schema).
staff_api = [
    path("staff/v1/complaints/", staff_cases.ComplaintsView.as_view(), name="staff-api-intake"),
    path("staff/v1/complaints/<int:pk>/", staff_cases.ComplaintDetailView.as_view(), name="staff-api-complaint"),
    path("staff/v1/complaints/<int:pk>/identity/", staff_cases.ComplaintIdentityView.as_view(),
         name="staff-api-identity"),
    path("staff/v1/complaints/<int:pk>/files/<int:attachment_id>/", staff_cases.ComplaintAttachmentView.as_view(),
         name="staff-api-attachment"),
    *[path(f"staff/v1/complaints/<int:pk>/{name}/", view.as_view(), name=f"staff-api-{name}")
      for name, view in staff_case_actions.ACTION_VIEWS.items()],
]

urlpatterns = [
    *staff_api,
    path("staff/v1/openapi.json", staff_docs.BodySchemaView.as_view(), name="staff-api-schema"),
    path("staff/v1/docs/", staff_docs.BodyDocsView.as_view(), name="staff-api-docs"),
]
