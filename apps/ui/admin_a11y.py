"""The national admin's pages for everyone: inline rows whose fields are named (Django's tabular
inlines put the field's name in the column heading only, so a screen reader hears an unnamed box),
and underlined links in text (apps/ui/static/ui/css/admin.css)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

ADMIN_CSS = {"all": ["ui/css/admin.css"]}


class LabelledFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    """Each row's fields carry their column's name (aria-label), the delete box included."""

    def add_fields(self, form: forms.ModelForm[Any], index: int | None) -> None:
        super().add_fields(form, index)
        row = "" if index is None else f" {index + 1}"
        for name, field in form.fields.items():
            label = _("ลบ") if name == "DELETE" else (field.label or name)
            widget = field.widget.widget if isinstance(field.widget, RelatedFieldWidgetWrapper) else field.widget
            widget.attrs.setdefault("aria-label", f"{label}{row}")


class LabelledTabularInline(admin.TabularInline):  # type: ignore[type-arg]
    formset = LabelledFormSet
