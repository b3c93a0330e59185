"""Staff pages, mounted at /staff/ on every body's subdomain."""

from django.urls import path

from apps.audit import views as audit_views
from apps.complaints import retention_views, views

app_name = "staff"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("", views.inbox_view, name="inbox"),
    path("bulk/", views.bulk_view, name="bulk"),
    path("intake/", views.intake_view, name="intake"),
    path("cases/<int:pk>/", views.case_view, name="case"),
    path("cases/<int:pk>/identity/", views.identity_view, name="case-identity"),
    path("cases/<int:pk>/files/<int:attachment_id>/", views.attachment_view, name="case-attachment"),
    path("cases/<int:pk>/<slug:action>/", views.case_action_view, name="case-action"),
    path("transfer-targets/", views.transfer_targets_view, name="transfer-targets"),
    path("register/export/", views.register_export_view, name="register-export"),
    path("register/import/", views.register_import_view, name="register-import"),
    path("admin/departments/", views.departments_view, name="departments"),
    path("admin/departments/<int:pk>/", views.departments_view, name="department-edit"),
    path("admin/categories/", views.categories_view, name="categories"),
    path("admin/categories/<int:pk>/", views.categories_view, name="category-edit"),
    path("admin/staff/", views.staff_users_view, name="staff-users"),
    path("admin/staff/<int:pk>/", views.staff_users_view, name="staff-user-edit"),
    path("admin/audit/", audit_views.audit_view, name="audit"),
    path("admin/outbox/", views.outbox_view, name="outbox"),
    path("admin/data-requests/", retention_views.data_requests_view, name="data-requests"),
]
