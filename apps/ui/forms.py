"""Small helpers shared by the apps' forms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy as pgettext

from apps.ui.thai import MONTHS_TH, is_english


def set_choices(form: forms.BaseForm, name: str, choices: Iterable[tuple[Any, Any]]) -> None:
    """Fill a choice field's options when the form is made (they come from the body's own data).

    `form.fields` is typed as plain `Field`s; the check narrows it to the field that has choices.
    """
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a choice field")
    field.choices = choices


# --- dates in the Buddhist era ---------------------------------------------------------------------

BUDDHIST_ERA_OFFSET = 543
# A year this large is Buddhist era (พ.ศ. 2400 is 1857 CE: no date here is that old).
_BE_FROM = 2400


def _months() -> list[tuple[str, str]]:
    english = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")
    names = english if is_english() else MONTHS_TH
    return [("", str(_("เดือน")))] + [(str(number), name) for number, name in enumerate(names, start=1)]


class ThaiDateWidget(forms.MultiWidget):
    """Day, month (by name) and year in the Buddhist era: never the browser's mm/dd/yyyy picker.

    Submits `<name>_0` (day), `<name>_1` (month) and `<name>_2` (พ.ศ.); a single `<name>` in ISO
    form (YYYY-MM-DD, as scripts and the API send) is accepted too."""

    template_name = "ui/widgets/thai_date.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets = [
            forms.NumberInput(attrs={"min": 1, "max": 31, "inputmode": "numeric", "class": "thai-date__day",
                                     "autocomplete": "off"}),
            forms.Select(attrs={"class": "thai-date__month"}),
            forms.NumberInput(attrs={"min": 2500, "max": 2700, "inputmode": "numeric", "class": "thai-date__year",
                                     "autocomplete": "off"}),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, dt.date):
            return [value.day, str(value.month), value.year + BUDDHIST_ERA_OFFSET]
        return [None, None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        self.widgets[1].choices = _months()  # type: ignore[attr-defined]
        context = super().get_context(name, value, attrs)
        labels = (pgettext("date part", "วันที่"), _("เดือน"), _("ปี พ.ศ."))
        for sub, label in zip(context["widget"]["subwidgets"], labels, strict=True):
            sub["attrs"]["aria-label"] = label
            sub["label"] = label
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if data.get(name):
            return data.get(name)
        return [data.get(f"{name}_{i}") for i in range(3)]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and all(f"{name}_{i}" not in data for i in range(3))

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_0" if id_ else id_


def thai_date_parse(value: Any) -> dt.date | None:
    """[day, month, year] (year in พ.ศ., or ค.ศ. if below 2400) or an ISO date; None when empty.
    Raises forms.ValidationError (Thai, English when chosen) for anything else."""
    if value in (None, "", [None, None, None], ["", "", ""]):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        if isinstance(value, str):
            return dt.date.fromisoformat(value.strip())
        parts = [str(part or "").strip() for part in value]
        if not any(parts):
            return None
        day, month, year = (int(part) for part in parts)
        if year >= _BE_FROM:
            year -= BUDDHIST_ERA_OFFSET
        return dt.date(year, month, day)
    except (TypeError, ValueError) as error:
        raise forms.ValidationError(_("วันที่ไม่ถูกต้อง กรุณาระบุวัน เดือน และปี พ.ศ."), code="invalid") from error


class ThaiDateField(forms.Field):
    widget = ThaiDateWidget

    def to_python(self, value: Any) -> dt.date | None:
        return thai_date_parse(value)
