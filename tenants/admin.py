from dataclasses import asdict
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
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
from tenants.services import UpgradeProposal, domain_names

# The preview page's proposed upgrades travel to their confirmation signed: only what the import
# proposed can be confirmed, for a day.
_PROPOSALS_SALT = "tenants.admin.import_upgrades"
_PROPOSALS_MAX_AGE = 86400


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
    import_template_name = "tenants/admin/import.html"
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
                     name="tenants_localbody_lifecycle"),
                path("import/upgrades/", self.admin_site.admin_view(self.import_upgrades_view),
                     name="tenants_localbody_import_upgrades"), *super().get_urls()]

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """The import's preview, with the upgrades the file shows (LocalBodyResource holds those rows
        back) offered for confirmation."""
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        result = context.get("result") if context else None
        proposals: list[UpgradeProposal] = list(getattr(result, "upgrade_proposals", []) or [])
        if context is not None and result is not None:
            names = dict(LocalBody.objects.filter(dla_code__in=[p.old_code for p in proposals])
                         .values_list("dla_code", "name_th"))
            context["upgrade_proposals"] = [
                {"proposal": p, "kind_label": BodyKind(p.kind).label, "old_name": names.get(p.old_code, "")}
                for p in proposals]
            context["upgrade_token"] = signing.dumps([asdict(p) for p in proposals], salt=_PROPOSALS_SALT)
            context["former_codes"] = list(getattr(result, "former_codes", []) or [])
        return response

    def process_result(self, result: Any, request: HttpRequest) -> HttpResponse:
        proposals = list(getattr(result, "upgrade_proposals", []) or [])
        if proposals:
            self.message_user(request, _("ยังไม่ได้ยืนยันการยกฐานะ %(count)d รายการ (ไม่ได้สร้างหน่วยงานใหม่แทน): "
                                         "%(list)s นำเข้าไฟล์อีกครั้งเพื่อยืนยัน")
                              % {"count": len(proposals),
                                 "list": ", ".join(f"{p.old_code} → {p.new_code}" for p in proposals)},
                              messages.WARNING)
        return super().process_result(result, request)  # type: ignore[no-any-return]

    def import_upgrades_view(self, request: HttpRequest) -> HttpResponse:
        """Confirm upgrades proposed by the import's preview: each runs tenants.lifecycle.body_upgrade
        (the same body, schema and cases under the new code; the old code's links redirect). All or
        none: a refused one changes nothing."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_import_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        errors: list[str] = []
        picked: list[UpgradeProposal] = []
        try:
            proposals = [UpgradeProposal(**item) for item in signing.loads(
                request.POST.get("proposals", ""), salt=_PROPOSALS_SALT, max_age=_PROPOSALS_MAX_AGE)]
        except (signing.BadSignature, TypeError, ValueError):
            errors.append(_("รายการยกฐานะที่เสนอไม่ถูกต้องหรือหมดอายุ กรุณานำเข้าไฟล์อีกครั้ง"))
        else:
            chosen = set(request.POST.getlist("accept"))
            picked = [p for p in proposals if p.new_code in chosen]
            if not picked:
                errors.append(_("กรุณาเลือกการยกฐานะที่จะยืนยันอย่างน้อยหนึ่งรายการ"))
        if not errors:
            try:
                with transaction.atomic():
                    for proposal in picked:
                        body = LocalBody.objects.bodies().filter(dla_code=proposal.old_code).first()
                        if body is None:
                            raise BodyLifecycleError(_("ไม่พบหน่วยงานรหัส %(code)s (ยกฐานะไปแล้วหรือไม่)")
                                                     % {"code": proposal.old_code})
                        body_upgrade(body=body, new_code=proposal.new_code, kind=proposal.kind,
                                     name_th=proposal.name_th, actor=request.user)
            except BodyLifecycleError as error:
                errors.append(error.message)
        if errors:
            context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                       "title": _("ยืนยันการยกฐานะจากการนำเข้าทะเบียน"), "errors": errors}
            return TemplateResponse(request, "tenants/admin/import_upgrades.html", context, status=400)
        self.message_user(request, _("ยกฐานะแล้ว %(count)d หน่วยงาน: %(list)s")
                          % {"count": len(picked), "list": ", ".join(f"{p.old_code} → {p.new_code}" for p in picked)})
        return redirect(reverse("admin:tenants_localbody_changelist"))

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
