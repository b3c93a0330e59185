from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from apps.ui import thai

# 07:05 UTC is 14:05 in Bangkok.
AT = dt.datetime(2026, 11, 27, 7, 5, tzinfo=dt.UTC)


def _render(source: str, **context: object) -> str:
    return Template("{% load thai %}" + source).render(Context(context))


def test_dates_show_the_buddhist_era_in_bangkok_time() -> None:
    with translation.override("th"):
        assert _render("{{ at|thai_date }}", at=AT) == "27 พ.ย. 2569"
        assert _render("{{ at|thai_datetime }}", at=AT) == "27 พ.ย. 2569 14:05 น."
        assert _render("{{ at|thai_date_long }}", at=AT) == "27 พฤศจิกายน 2569"
        assert _render("{{ day|thai_date }}", day=dt.date(2027, 1, 1)) == "1 ม.ค. 2570"


def test_a_date_just_before_midnight_utc_is_the_next_day_in_bangkok() -> None:
    with translation.override("th"):
        assert _render("{{ at|thai_date }}", at=dt.datetime(2026, 12, 31, 18, 0, tzinfo=dt.UTC)) == "1 ม.ค. 2570"


def test_english_pages_show_the_common_era() -> None:
    with translation.override("en"):
        assert _render("{{ at|thai_datetime }}", at=AT) == "27 Nov 2026, 14:05"


def test_thai_digits_and_buddhist_year() -> None:
    assert _render("{{ y|buddhist_year|thai_digits }}", y=2026) == "๒๕๖๙"
    assert _render("{{ n|thai_digits }}", n="เลขที่ 15/2569") == "เลขที่ ๑๕/๒๕๖๙"
    assert _render("{{ none|thai_date }}", none=None) == ""


@pytest.mark.parametrize(("delta", "thai_text", "english", "state"), [
    (dt.timedelta(days=2, hours=3, minutes=10), "เหลือ 2 วัน 3 ชั่วโมง", "2 days 3 hours left", "ok"),
    (dt.timedelta(hours=5), "เหลือ 5 ชั่วโมง", "5 hours left", "soon"),
    (dt.timedelta(seconds=20), "เหลือ 1 นาที", "1 minute left", "soon"),
    (dt.timedelta(days=10, hours=4), "เหลือ 10 วัน", "10 days left", "ok"),
    (-dt.timedelta(days=1, hours=2), "เกินกำหนด 1 วัน 2 ชั่วโมง", "overdue by 1 day 2 hours", "overdue"),
])
def test_time_left_to_a_deadline(delta: dt.timedelta, thai_text: str, english: str, state: str) -> None:
    with translation.override("th"):
        assert thai.time_left(AT + delta, now=AT) == thai_text
    with translation.override("en"):
        assert thai.time_left(AT + delta, now=AT) == english
    assert thai.deadline_state(AT + delta, now=AT) == state


def test_the_fiscal_year_starts_in_october() -> None:
    assert thai.fiscal_year_of(dt.date(2026, 9, 30)) == 2026
    assert thai.fiscal_year_of(dt.date(2026, 10, 1)) == 2027
