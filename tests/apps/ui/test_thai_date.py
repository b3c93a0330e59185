"""Dates are entered in the Buddhist era: day, month by name, year พ.ศ."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.utils import translation

from apps.ui.forms import ThaiDateField, ThaiDateWidget, thai_date_parse


def test_day_month_and_buddhist_year_make_the_date() -> None:
    assert thai_date_parse(["1", "10", "2569"]) == dt.date(2026, 10, 1)
    assert thai_date_parse(["29", "2", "2567"]) == dt.date(2024, 2, 29)
    assert thai_date_parse("2026-10-01") == dt.date(2026, 10, 1)  # scripts and the API send ISO
    assert thai_date_parse(["", "", ""]) is None


@pytest.mark.parametrize("value", [["31", "2", "2569"], ["1", "13", "2569"], ["x", "1", "2569"], "01/10/2026",
                                   ["1", "1", "99999"]])
def test_an_impossible_date_is_a_clear_error(value: object) -> None:
    with pytest.raises(forms.ValidationError) as error:
        ThaiDateField().clean(value)
    assert error.value.messages == ["วันที่ไม่ถูกต้อง กรุณาระบุวัน เดือน และปี พ.ศ."]
    with translation.override("en"):
        with pytest.raises(forms.ValidationError) as error:
            ThaiDateField().clean(value)
        assert error.value.messages == ["Invalid date: give the day, month and year (B.E.)"]


def test_the_widget_shows_the_buddhist_year_and_thai_month_names() -> None:
    html = ThaiDateWidget().render("due", dt.date(2026, 10, 1), attrs={"id": "due"})
    assert 'name="due_0"' in html and 'value="1"' in html
    assert '<option value="10" selected>ตุลาคม</option>' in html
    assert 'name="due_2"' in html and 'value="2569"' in html
    assert 'aria-label="ปี พ.ศ."' in html and 'type="date"' not in html
    with translation.override("en"):
        assert '<option value="10" selected>October</option>' in ThaiDateWidget().render("due", dt.date(2026, 10, 1))
