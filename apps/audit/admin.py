"""The platform's audit log in the national admin (read-only), and the mixin that makes every
other admin page write an entry in the same transaction as its change.

Django's admin saves inside `transaction.atomic` (changeform, delete and changelist views), so
an entry recorded from save_related / delete_model / delete_queryset commits with the change."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.audit.kinds import KINDS
from apps.audit.models import AuditEntry
from apps.audit.services import audit_diff, audit_record, audit_snapshot


def _fields(obj: models.Model) -> list[str]:
    return [f.name for f in obj._meta.concrete_fields if not f.primary_key or f.is_relation]


class NoDeleteAdmin(admin.ModelAdmin):
    """For what is never deleted (bodies are archived, geography and published agreements are
    referenced): no delete button, no "delete selected" action."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Every add, change and delete of this admin writes one audit entry of kind
    `<audit_noun>.create|update|delete` (falls back to `admin.*` when the noun has no such kind),
    with the changed fields before and after, and the inline rows added, changed and deleted."""

    audit_noun = "admin"

    def audit_kind(self, verb: str, obj: models.Model, changes: dict[str, Any]) -> str:
        kind = f"{self.audit_noun}.{verb}"
        return kind if kind in KINDS else f"admin.{verb}"

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            # Before the form writes its values onto the instance.
            obj._audit_before = audit_snapshot(obj, _fields(obj))
        return obj

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        rows = {
            "added": [str(o) for o in formset.new_objects],
            "changed": [f"{o}: {', '.join(names)}" for o, names in formset.changed_objects],
            "deleted": [str(o) for o in formset.deleted_objects],
        }
        rows = {k: v for k, v in rows.items() if v}
        if rows and formset.model is not None:
            inlines = request.__dict__.setdefault("_audit_inlines", {})
            inlines[formset.model._meta.label_lower] = rows

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = getattr(obj, "_audit_before", {}) if change else {}
        changes: dict[str, Any] = audit_diff(before, audit_snapshot(obj, _fields(obj)))
        inlines = request.__dict__.pop("_audit_inlines", {})
        if inlines:
            changes["inlines"] = inlines
        if change and not changes:
            return
        verb = "update" if change else "create"
        audit_record(kind=self.audit_kind(verb, obj, changes), actor=request.user, target=obj, changes=changes)

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        audit_record(kind=self.audit_kind("delete", obj, {}), actor=request.user, target=obj,
                     changes={"before": audit_snapshot(obj, _fields(obj))})
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            audit_record(kind=self.audit_kind("delete", obj, {}), actor=request.user, target=obj,
                         changes={"before": audit_snapshot(obj, _fields(obj))})
        super().delete_queryset(request, queryset)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is written only by the services that make the changes."""

    list_display = ("created_at", "kind", "kind_label", "actor_label", "target_type", "target_label")
    list_filter = ("kind",)
    search_fields = ("actor_label", "target_label", "target_id")
    date_hierarchy = "created_at"
    readonly_fields = ("created_at", "kind", "actor_label", "target_type", "target_id", "target_label",
                       "changes_pretty")
    exclude = ("actor", "changes")
    show_full_result_count = False

    @admin.display(description=_("การเปลี่ยนแปลง"))
    def changes_pretty(self, obj: AuditEntry) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.changes, ensure_ascii=False, indent=2))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
