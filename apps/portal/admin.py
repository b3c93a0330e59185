from django.contrib import admin

from apps.audit.admin import AuditedAdmin

from .models import BodyProfile


@admin.register(BodyProfile)
class BodyProfileAdmin(AuditedAdmin):
    audit_noun = "profile"
    list_display = ("body", "phone", "email", "reopen_window_days", "updated_at")
    search_fields = ("body__name_th", "body__dla_code", "body__slug")
    raw_id_fields = ("body",)
