from django.contrib import admin
from django.http import HttpRequest
from import_export.admin import ImportExportModelAdmin

from apps.audit.admin import AuditedAdmin, NoDeleteAdmin
from tenants.models import District, Domain, LocalBody, Province, Subdistrict
from tenants.resources import LocalBodyResource


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(LocalBody)
class LocalBodyAdmin(NoDeleteAdmin, AuditedAdmin, ImportExportModelAdmin):
    audit_noun = "body"

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A body comes from the registry import (the Import button), which provisions its schema.
        return False

    def audit_kind(self, verb: str, obj: object, changes: dict) -> str:  # type: ignore[type-arg]
        if verb == "update" and "status" in changes.get("after", {}):
            return "body.status"
        return super().audit_kind(verb, obj, changes)  # type: ignore[arg-type]

    resource_classes = [LocalBodyResource]
    list_display = ["dla_code", "display_name", "kind", "province", "district", "slug", "status"]
    list_filter = ["status", "kind", "province"]
    search_fields = ["dla_code", "name_th", "name_en", "slug"]
    readonly_fields = ["schema_name", "migration_state", "created_at", "updated_at", "activated_at"]
    inlines = [DomainInline]


@admin.register(Province)
class ProvinceAdmin(NoDeleteAdmin, AuditedAdmin):
    list_display = ["code", "name_th", "name_en"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(District)
class DistrictAdmin(NoDeleteAdmin, AuditedAdmin):
    list_display = ["code", "name_th", "name_en", "province"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(Subdistrict)
class SubdistrictAdmin(NoDeleteAdmin, AuditedAdmin):
    list_display = ["code", "name_th", "name_en", "district", "postcodes"]
    search_fields = ["code", "name_th", "name_en"]
