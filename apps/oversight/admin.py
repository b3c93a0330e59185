from django.contrib import admin

from apps.audit.admin import AuditedAdmin
from apps.oversight.models import Directive, DirectiveTarget, OversightProfile


@admin.register(OversightProfile)
class OversightProfileAdmin(AuditedAdmin):
    audit_noun = "oversight_profile"
    list_display = ["user", "level", "province", "district", "office_name"]
    list_filter = ["level"]
    autocomplete_fields = ["province", "district"]
    search_fields = ["user__username", "office_name"]


class DirectiveTargetInline(admin.TabularInline):
    model = DirectiveTarget
    extra = 0
    readonly_fields = ["body", "acknowledged_at", "acknowledged_by_name", "complied_at", "compliance_source",
                       "reminded_at"]


@admin.register(Directive)
class DirectiveAdmin(AuditedAdmin):
    audit_noun = "directive"
    list_display = ["title", "scope_level", "scope_code", "due_date", "issued_at"]
    inlines = [DirectiveTargetInline]
