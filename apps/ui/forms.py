"""Small helpers shared by the apps' forms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms


def set_choices(form: forms.BaseForm, name: str, choices: Iterable[tuple[Any, Any]]) -> None:
    """Fill a choice field's options when the form is made (they come from the body's own data).

    `form.fields` is typed as plain `Field`s; the check narrows it to the field that has choices.
    """
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a choice field")
    field.choices = choices
