"""API keys in the national admin: the raw key is shown once, on creation; revoking keeps the row."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api.models import PREFIX_LENGTH, ApiKey, hash_key
from apps.audit.admin import AuditedAdmin
from apps.audit.services import audit_record
from apps.oversight.scoping import Scope


class ApiKeyForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["name", "scope", "body", "access", "revoked_at"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        value = (data.get("scope") or "").strip()
        if data.get("body") is not None:
            # A body's Open311 key: valid on that body's sub-domain only, no reporting scope.
            if value:
                self.add_error("scope", _("กุญแจของหน่วยงานไม่มีขอบเขตระดับประเทศ เว้นว่างไว้"))
            return data
        try:
            Scope.parse(value)
        except ValueError as error:
            self.add_error("scope", str(error))
        data["scope"] = value
        return data


@admin.register(ApiKey)
class ApiKeyAdmin(AuditedAdmin):
    audit_noun = "api_key"
    form = ApiKeyForm
    list_display = ["name", "prefix", "scope", "body", "access", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["access", "revoked_at"]
    raw_id_fields = ["body"]
    search_fields = ["name", "prefix"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    actions = ["revoke"]

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if not change:
            import secrets

            obj.prefix = secrets.token_hex(PREFIX_LENGTH // 2)
            raw = f"{obj.prefix}.{secrets.token_urlsafe(32)}"
            obj.key_hash = hash_key(raw)
            super().save_model(request, obj, form, change)
            messages.warning(request, _("กุญแจ API (แสดงครั้งเดียว เก็บไว้ให้ปลอดภัย): %(key)s") % {"key": raw})
            return
        super().save_model(request, obj, form, change)

    @admin.action(description=gettext_lazy("ยกเลิกกุญแจที่เลือก"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        now = timezone.now()
        keys = list(queryset.filter(revoked_at__isnull=True).select_for_update())
        for key in keys:
            audit_record(kind="api_key.revoke", actor=request.user, target=key,
                         changes={"before": {"revoked_at": None}, "after": {"revoked_at": now}})
        count = queryset.filter(pk__in=[k.pk for k in keys]).update(revoked_at=now)
        messages.success(request, _("ยกเลิก %(count)d กุญแจแล้ว") % {"count": count})
