"""National admin (public domain): framework versions with Excel/CSV import of rows, cabinet
extra days off, and read-only views of bodies' agreements."""

from __future__ import annotations

from django.contrib import admin
from import_export import fields, resources
from import_export.admin import ImportExportModelAdmin
from import_export.widgets import ForeignKeyWidget

from apps.audit.admin import AuditedAdmin, NoDeleteAdmin
from apps.audit.services import audit_record
from apps.sla.models import Agreement, AgreementRow, BodyClosure, Framework, FrameworkRow, NationalDayOff
from apps.ui.admin_a11y import ADMIN_CSS, LabelledTabularInline


class FrameworkRowResource(resources.ModelResource):
    """Rows of a version, one line per (class, stage): framework id, sla_class, stage, days,
    day_type. Import the rows of a new version (create the version first): existing cases keep
    their snapshots, so nothing already received moves."""

    framework = fields.Field(attribute="framework", column_name="framework",
                             widget=ForeignKeyWidget(Framework, "pk"))

    class Meta:
        model = FrameworkRow
        fields = ("framework", "sla_class", "stage", "days", "day_type")
        import_id_fields = ("framework", "sla_class", "stage")
        skip_unchanged = True

    def after_import(self, dataset, result, **kwargs):  # type: ignore[no-untyped-def]
        # Inside the import's transaction: the entry commits with the rows.
        super().after_import(dataset, result, **kwargs)
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        totals = {k: v for k, v in result.totals.items() if v}
        rows = [r.object_repr for r in result.rows if r.import_type in ("new", "update")]
        audit_record(kind="framework.import", actor=kwargs.get("user"), target_type="sla.frameworkrow",
                     target_label=str(kwargs.get("file_name") or ""), changes={"totals": totals, "rows": rows})


class FrameworkRowInline(LabelledTabularInline):
    model = FrameworkRow
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(AuditedAdmin):
    audit_noun = "framework"
    list_display = ("name", "effective_from", "is_default", "created_at")
    inlines = [FrameworkRowInline]

    class Media:
        css = ADMIN_CSS


@admin.register(FrameworkRow)
class FrameworkRowAdmin(AuditedAdmin, ImportExportModelAdmin):
    audit_noun = "framework"
    resource_classes = [FrameworkRowResource]
    list_display = ("framework", "sla_class", "stage", "days", "day_type")
    list_filter = ("framework", "sla_class", "stage")


@admin.register(NationalDayOff)
class NationalDayOffAdmin(AuditedAdmin):
    audit_noun = "day_off"
    list_display = ("date", "name", "reference")


@admin.register(BodyClosure)
class BodyClosureAdmin(AuditedAdmin):
    audit_noun = "calendar"
    list_display = ("body", "date", "reason")
    raw_id_fields = ("body",)


class AgreementRowInline(admin.TabularInline):
    model = AgreementRow
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Agreement)
class AgreementAdmin(NoDeleteAdmin, AuditedAdmin):
    audit_noun = "sla"
    """Read-only here: bodies draft and publish on their own subdomain (validation applies there)."""

    list_display = ("body", "number", "status", "effective_from", "published_at")
    list_filter = ("status",)
    raw_id_fields = ("body", "framework")
    inlines = [AgreementRowInline]

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False
