"""Staff pages, mounted at /staff/ on every body's subdomain."""

from django.urls import path

from apps.complaints import retention_views
from apps.complaints.views import administration, case, inbox, intake, register
from apps.complaints.views import audit as audit_views

app_name = "staff"

urlpatterns = [
    path("", inbox.inbox_view, name="inbox"),
    path("bulk/", inbox.bulk_view, name="bulk"),
    path("intake/", intake.intake_view, name="intake"),
    path("cases/<int:pk>/", case.case_view, name="case"),
    path("cases/<int:pk>/identity/", case.identity_view, name="case-identity"),
    path("cases/<int:pk>/contact/", case.contact_view, name="case-contact"),
    path("cases/<int:pk>/files/<int:attachment_id>/", case.attachment_view, name="case-attachment"),
    path("cases/<int:pk>/files/<int:attachment_id>/thumbnail/", case.attachment_view, {"thumbnail": True},
         name="case-attachment-thumbnail"),
    path("cases/<int:pk>/<slug:action>/", case.case_action_view, name="case-action"),
    path("transfer-targets/", case.transfer_targets_view, name="transfer-targets"),
    path("register/export/", register.register_export_view, name="register-export"),
    path("register/import/", register.register_import_view, name="register-import"),
    path("admin/departments/", administration.departments_view, name="departments"),
    path("admin/departments/<int:pk>/", administration.departments_view, name="department-edit"),
    path("admin/categories/", administration.categories_view, name="categories"),
    path("admin/categories/<int:pk>/", administration.categories_view, name="category-edit"),
    path("admin/staff/", administration.staff_users_view, name="staff-users"),
    path("admin/staff/<int:pk>/", administration.staff_users_view, name="staff-user-edit"),
    path("admin/staff/<int:pk>/second-factor/reset/", administration.staff_second_factor_reset_view,
         name="staff-second-factor-reset"),
    path("admin/audit/", audit_views.audit_view, name="audit"),
    path("admin/outbox/", administration.outbox_view, name="outbox"),
    path("admin/notifications/", administration.notification_settings_view, name="notification-settings"),
    path("admin/data-requests/", retention_views.data_requests_view, name="data-requests"),
]
