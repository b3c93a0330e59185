from typing import Any

from django import forms
from django.contrib import admin

from apps.audit.admin import AuditedAdmin

from .forms import clean_body_phone, clean_logo
from .models import BodyProfile


class BodyProfileAdminForm(forms.ModelForm):
    """The same rules as the body's own profile page: the phone rule and the checked, re-encoded logo."""

    logo = forms.FileField(label=BodyProfile._meta.get_field("logo").verbose_name, required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}))

    class Meta:
        model = BodyProfile
        fields = ["body", "logo", "phone", "email", "line_id", "office_hours", "reopen_window_days", "tile_url",
                  "retention_years"]

    def clean_logo(self) -> Any:
        upload = self.cleaned_data.get("logo")
        if upload is False or not hasattr(upload, "content_type"):  # cleared, or the stored file kept
            return upload
        return clean_logo(upload)

    def clean_phone(self) -> str:
        return clean_body_phone(self.cleaned_data.get("phone") or "")


@admin.register(BodyProfile)
class BodyProfileAdmin(AuditedAdmin):
    audit_noun = "profile"
    form = BodyProfileAdminForm
    list_display = ("body", "phone", "email", "reopen_window_days", "updated_at")
    search_fields = ("body__name_th", "body__dla_code", "body__slug")
    raw_id_fields = ("body",)
