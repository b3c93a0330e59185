from typing import Any

from django import forms
from django.contrib import admin

from apps.audit.admin import AuditedAdmin
from apps.oversight.forms import ACCEPT, clean_directive_attachment
from apps.oversight.models import Directive, DirectiveMeasure, DirectiveTarget, OversightProfile
from apps.ui.admin_a11y import ADMIN_CSS, LabelledTabularInline


@admin.register(OversightProfile)
class OversightProfileAdmin(AuditedAdmin):
    audit_noun = "oversight_profile"
    list_display = ["user", "level", "province", "district", "office_name"]
    list_filter = ["level"]
    autocomplete_fields = ["province", "district"]
    search_fields = ["user__username", "office_name"]


class DirectiveTargetInline(LabelledTabularInline):
    model = DirectiveTarget
    extra = 0
    readonly_fields = ["body", "acknowledged_at", "acknowledged_by_name", "sla_met_at", "overdue_met_at",
                       "complied_at", "compliance_source", "reminded_at"]


class DirectiveAdminForm(forms.ModelForm):
    """The attachment is checked as on the oversight site: a PDF or an image, nothing active."""

    requirements = forms.TypedMultipleChoiceField(choices=DirectiveMeasure.choices, widget=forms.CheckboxSelectMultiple,
                                                  label=Directive._meta.get_field("requirements").verbose_name)

    class Meta:
        model = Directive
        fields = ["number", "title", "text", "requirements", "due_date", "attachment", "remind_days_before",
                  "issued_by", "scope_level", "scope_code"]
        widgets = {"attachment": forms.ClearableFileInput(attrs={"accept": ACCEPT})}

    def clean_attachment(self) -> Any:
        return clean_directive_attachment(self.cleaned_data.get("attachment"))


@admin.register(Directive)
class DirectiveAdmin(AuditedAdmin):
    audit_noun = "directive"
    form = DirectiveAdminForm
    list_display = ["title", "scope_level", "scope_code", "due_date", "issued_at"]
    inlines = [DirectiveTargetInline]

    class Media:
        css = ADMIN_CSS
