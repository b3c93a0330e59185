"""The SLA announcement's layout, checked in the PDF itself (pypdf's text, page by page): no table
row split across two pages (the header repeated on each), no placeholder where no emblem was
uploaded, Thai digits by default, and วันทำการ never broken across lines.

pypdf reads Sarabun's SARA AM (ำ) as SARA AA (า): the glyph is drawn as NIKHAHIT + SARA AA and the
font's ToUnicode names only the second, so the words are matched with either."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.test import Client, RequestFactory
from django_tenants.utils import schema_context
from PIL import Image
from pypdf import PdfReader

from apps.portal.models import BodyProfile
from apps.portal.views.sla import _announcement_context
from apps.sla.services import sla_agreement_draft_create, sla_agreement_publish, sla_agreement_update
from apps.ui.pdf import pdf_render
from tenants import cache
from tenants.models import LocalBody
from tests.apps.sla.helpers import at

pytestmark = pytest.mark.django_db

WORKING_DAY = re.compile(r"วันท[ำา]การ")
WORKING_DAY_ANY_SPACING = re.compile(r"ว\s*ั\s*น\s*ท\s*[ำา]\s*ก\s*า\s*ร")
ARABIC = re.compile(r"[0-9]")


@pytest.fixture
def published(banlat: LocalBody) -> None:
    with time_machine.travel(at("2025-03-01"), tick=False):
        agreement = sla_agreement_draft_create(body=banlat)
        sla_agreement_update(agreement=agreement, number="12/2568", signatory_name="นายสมชาย ใจดี",
                             signatory_position="นายกเทศมนตรีตำบลบ้านลาด")
        sla_agreement_publish(agreement=agreement, effective_from=dt.date(2025, 3, 1),
                              announced_on=dt.date(2025, 3, 1))


def _emblem(banlat: LocalBody) -> None:
    picture = io.BytesIO()
    Image.new("RGB", (120, 120), (200, 30, 30)).save(picture, format="PNG")
    profile, _ = BodyProfile.objects.get_or_create(body=banlat)
    profile.logo.save("emblem.png", ContentFile(picture.getvalue()))
    cache.clear()


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _many_rows(banlat: LocalBody, rows: int) -> bytes:
    """The announcement as the view makes it, its table grown to `rows` classes whose names wrap
    over several lines, each starting with ROWnnA and ending with ROWnnZ."""
    request = RequestFactory().get("/sla/announcement.pdf", HTTP_HOST="banlat.localhost")
    request.tenant = banlat  # type: ignore[attr-defined]
    with schema_context(banlat.schema_name):
        context: dict[str, Any] = _announcement_context(request, for_pdf=True)
        template = context["table"][1]
        context["table"] = [{**template, "sla_class": f"X{n}",
                             "label": f"ROW{n:02d}A เรื่องร้องทุกข์ประเภททดสอบที่มีชื่อยาวหลายบรรทัด ROW{n:02d}Z"}
                            for n in range(rows)]
        return pdf_render("sla/announcement.html", context, request=request)


def _check_rows_whole(pages: list[str], rows: int) -> list[int]:
    """The page each row is on; fails if a row's first and last words are on different pages."""
    on = []
    for n in range(rows):
        first = [i for i, text in enumerate(pages) if f"ROW{n:02d}A" in text]
        last = [i for i, text in enumerate(pages) if f"ROW{n:02d}Z" in text]
        assert first == last and len(first) == 1, f"row {n} is split: begins on {first}, ends on {last}"
        on.append(first[0])
    return on


def _check_working_day_whole(pages: list[str]) -> None:
    for number, text in enumerate(pages, start=1):
        whole, spread = len(WORKING_DAY.findall(text)), len(WORKING_DAY_ANY_SPACING.findall(text))
        assert whole == spread, f"page {number}: วันทำการ broken {spread - whole} time(s)"


def test_many_rows_are_never_split_across_pages_and_the_header_repeats(banlat: LocalBody, published: None) -> None:
    pages = _pages(_many_rows(banlat, 40))
    on = _check_rows_whole(pages, 40)
    assert len(set(on)) >= 3  # the table really runs over several pages
    assert on == sorted(on)
    for index in set(on):
        assert "ประเภทเรื่อง" in pages[index], f"no header on page {index + 1}"
    _check_working_day_whole(pages)


def test_many_rows_with_an_emblem_are_never_split_either(banlat: LocalBody, published: None, settings,  # type: ignore[no-untyped-def]
                                                         tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    _emblem(banlat)
    pdf = _many_rows(banlat, 40)
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 1
    on = _check_rows_whole(_pages(pdf), 40)
    assert len(set(on)) >= 3
    _check_working_day_whole(_pages(pdf))


def test_without_an_emblem_no_placeholder_and_thai_digits_by_default(banlat: LocalBody, published: None) -> None:
    pdf = Client(HTTP_HOST="banlat.localhost").get("/sla/announcement.pdf").content
    reader = PdfReader(io.BytesIO(pdf))
    assert [len(page.images) for page in reader.pages] == [0] * len(reader.pages)
    text = "\n".join(_pages(pdf))
    assert "ตราสัญลักษณ์" not in text and "(ตรา" not in text and "emblem" not in text.lower()
    assert "ที่ ๑๒/๒๕๖๘" in text and "๐๘.๓๐–๑๖.๓๐" in text and "๔๕ วัน" in text
    # The only Arabic digits are in the English title and none at all in the Thai text.
    assert ARABIC.findall(text) == []


def test_arabic_digits_only_on_request(banlat: LocalBody, published: None) -> None:
    pdf = Client(HTTP_HOST="banlat.localhost").get("/sla/announcement.pdf?digits=arabic").content
    text = "\n".join(_pages(pdf))
    assert "ที่ 12/2568" in text and "๑" not in text


def test_working_day_is_never_broken_across_lines(banlat: LocalBody, published: None, settings,  # type: ignore[no-untyped-def]
                                                  tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    plain = _pages(Client(HTTP_HOST="banlat.localhost").get("/sla/announcement.pdf").content)
    _check_working_day_whole(plain)
    _emblem(banlat)
    _check_working_day_whole(_pages(Client(HTTP_HOST="banlat.localhost").get("/sla/announcement.pdf").content))
    # Working days in 19 cells of the default table (acknowledge, route and closure of the six
    # classes, class A's resolution) and once in the counting rule under it.
    assert len(WORKING_DAY.findall("\n".join(plain))) == 20
