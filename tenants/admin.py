from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportModelAdmin

from apps.audit.admin import AuditedAdmin, NoDeleteAdmin
from tenants.lifecycle import BodyLifecycleError, body_merge, body_rename, body_status_change, body_upgrade
from tenants.models import BodyKind, BodyStatus, District, Domain, LocalBody, Province, Subdistrict, domain_clean
from tenants.resources import LocalBodyResource
from tenants.services import domain_names


class DomainForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Domain
        fields = ["domain", "is_primary", "redirect"]

    def clean_domain(self) -> str:
        value = str(self.cleaned_data.get("domain", ""))
        body = getattr(self.instance, "tenant", None) if self.instance.tenant_id else None
        if body is not None and value.strip().lower() in domain_names(body.slug, body.dla_code):
            return value.strip().lower()  # the registry's own names
        if self.instance.pk and value == self.instance.domain:
            return value
        return domain_clean(value)


class DomainInline(admin.TabularInline):
    """A body's domains: the registry's `<slug>.` and `<code>.` names, and its own (custom) domains,
    accepted by the tenant middleware as soon as they are saved (README, "Custom domains")."""

    model = Domain
    form = DomainForm
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
    # The code, the slug and a merge change only through tenants.services (the lifecycle page).
    readonly_fields = ["schema_name", "migration_state", "created_at", "updated_at", "activated_at",
                       "previous_dla_code", "merged_into"]
    inlines = [DomainInline]
    actions = ["suspend", "resume", "archive"]
    change_form_template = "tenants/admin/body_change_form.html"

    def _status_action(self, request: HttpRequest, queryset: QuerySet[LocalBody], status: str) -> None:
        done = 0
        for body in queryset:
            try:
                body_status_change(body=body, status=status, actor=request.user)
                done += 1
            except BodyLifecycleError as error:
                self.message_user(request, error.message, messages.ERROR)
        if done:
            self.message_user(request, _("เปลี่ยนสถานะ %(count)d หน่วยงานแล้ว") % {"count": done})

    @admin.action(description=gettext_lazy("ระงับชั่วคราว"))
    def suspend(self, request: HttpRequest, queryset: QuerySet[LocalBody]) -> None:
        self._status_action(request, queryset, BodyStatus.SUSPENDED)

    @admin.action(description=gettext_lazy("เปิดให้บริการอีกครั้ง"))
    def resume(self, request: HttpRequest, queryset: QuerySet[LocalBody]) -> None:
        self._status_action(request, queryset, BodyStatus.ACTIVE)

    @admin.action(description=gettext_lazy("ปิดถาวร (อ่านได้อย่างเดียว)"))
    def archive(self, request: HttpRequest, queryset: QuerySet[LocalBody]) -> None:
        self._status_action(request, queryset, BodyStatus.ARCHIVED)

    def get_urls(self) -> list[URLPattern]:
        return [path("<int:pk>/lifecycle/", self.admin_site.admin_view(self.lifecycle_view),
                     name="tenants_localbody_lifecycle"), *super().get_urls()]

    def lifecycle_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Rename, upgrade with a new DLA code, merge into another body (a dry run first)."""
        if not self.has_change_permission(request):
            raise Http404
        body = LocalBody.objects.bodies().filter(pk=pk).first()
        if body is None:
            raise Http404
        errors: list[str] = []
        report = None
        data = request.POST if request.method == "POST" else {}
        if request.method == "POST":
            action = request.POST.get("action", "")
            try:
                if action == "rename":
                    body_rename(body=body, name_th=request.POST.get("name_th", ""),
                                name_en=request.POST.get("name_en", ""), actor=request.user)
                    self.message_user(request, _("เปลี่ยนชื่อแล้ว"))
                    return redirect(request.path)
                if action == "upgrade":
                    body_upgrade(body=body, new_code=request.POST.get("new_code", ""),
                                 kind=request.POST.get("kind", ""), name_th=request.POST.get("upgrade_name", ""),
                                 actor=request.user)
                    self.message_user(request, _("ยกฐานะแล้ว รหัสและโดเมนเดิมเปลี่ยนเส้นทางไปยังโดเมนใหม่"))
                    return redirect(request.path)
                if action in ("merge_dry_run", "merge"):
                    into = LocalBody.objects.bodies().filter(dla_code=request.POST.get("into", "").strip()).first()
                    if into is None:
                        raise BodyLifecycleError(_("ไม่พบหน่วยงานที่รับการรวมตามรหัสที่ระบุ"))
                    report = body_merge(absorbed=body, into=into, dry_run=action == "merge_dry_run",
                                        actor=request.user)
                    if not report.dry_run:
                        self.message_user(request, _("รวมหน่วยงานแล้ว"))
                        return redirect(reverse("admin:tenants_localbody_change", args=[into.pk]))
                else:
                    errors.append(_("ไม่รู้จักคำสั่ง"))
            except BodyLifecycleError as error:
                errors.append(error.message)
            body.refresh_from_db()
        context: dict[str, Any] = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": body,
            "title": _("การเปลี่ยนแปลงหน่วยงาน: %(name)s") % {"name": body.display_name}, "body": body,
            "errors": errors, "report": report, "data": data,
            "kinds": [(k, label) for k, label in BodyKind.choices if k != BodyKind.PLATFORM],
        }
        return TemplateResponse(request, "tenants/admin/lifecycle.html", context, status=400 if errors else 200)


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
