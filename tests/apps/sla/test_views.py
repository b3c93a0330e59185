"""The body's SLA pages: public agreement, printable announcement, PDF, and the admin's page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.test import Client

from apps.sla.models import Agreement, AgreementStatus
from apps.sla.services import sla_agreement_draft_create, sla_agreement_publish, sla_agreement_update
from tests.apps.complaints.staff_helpers import signed_in
from tests.apps.sla.helpers import at

pytestmark = pytest.mark.django_db


def host(body) -> str:  # type: ignore[no-untyped-def]
    return body.domains.get(is_primary=True).domain


@pytest.fixture
def published(banlat):  # type: ignore[no-untyped-def]
    with time_machine.travel(at("2025-03-01"), tick=False):
        agreement = sla_agreement_draft_create(body=banlat)
        sla_agreement_update(agreement=agreement, number="12/2568", signatory_name="นายสมชาย ใจดี",
                             signatory_position="นายกเทศมนตรีตำบลบ้านลาด")
        return sla_agreement_publish(agreement=agreement, effective_from=dt.date(2025, 3, 1),
                                     announced_on=dt.date(2025, 3, 1))


def test_page_without_agreement_shows_framework_default(banlat) -> None:
    response = Client(HTTP_HOST=host(banlat)).get("/sla/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "ยังไม่ได้ประกาศข้อตกลงระดับการให้บริการของตนเอง" in text
    assert "ค่าเริ่มต้น รอตัวเลขทางการ" in text


def test_page_shows_published_agreement(banlat, published) -> None:
    response = Client(HTTP_HOST=host(banlat)).get("/sla/")
    text = response.content.decode()
    assert "12/2568" in text
    assert "1 มีนาคม 2568" in text
    assert "ข บริการทั่วไป" in text and "15 วัน" in text and "1 วันทำการ" in text


def test_announcement_has_thai_digits_and_qr(banlat, published) -> None:
    response = Client(HTTP_HOST=host(banlat)).get("/sla/announcement/?digits=thai")
    text = response.content.decode()
    assert "ประกาศเทศบาลตำบลบ้านลาด" in text
    assert "ที่ ๑๒/๒๕๖๘" in text
    assert "ประกาศ ณ วันที่ ๑ มีนาคม ๒๕๖๘" in text
    assert "<svg" in text
    assert "นายสมชาย ใจดี" in text


def test_announcement_uses_thai_digits_by_default_and_no_emblem_placeholder(banlat, published) -> None:
    page = Client(HTTP_HOST=host(banlat)).get("/sla/announcement/").content.decode()
    assert "ที่ ๑๒/๒๕๖๘" in page
    assert "เวลา ๐๘.๓๐–๑๖.๓๐ น." in page
    assert "(ตราสัญลักษณ์)" not in page and "<img" not in page  # no emblem uploaded: no placeholder
    assert '<span class="nowrap">๑๕ วัน</span>' in page and '<span class="nowrap">๑ วันทำการ</span>' in page
    arabic = Client(HTTP_HOST=host(banlat)).get("/sla/announcement/?digits=arabic").content.decode()
    assert "ที่ 12/2568" in arabic and "เวลา 08.30–16.30 น." in arabic


def test_announcement_stays_thai_for_an_english_reader(banlat, published) -> None:
    client = Client(HTTP_HOST=host(banlat))
    client.cookies["django_language"] = "en"
    page = client.get("/sla/announcement/").content.decode()
    assert "ประกาศ ณ วันที่ ๑ มีนาคม ๒๕๖๘" in page  # the official document is Thai
    assert ">Arabic digits<" in page and ">Print<" in page  # the reader's controls are not


def test_announcement_pdf_renders_with_body_name(banlat, published) -> None:
    response = Client(HTTP_HOST=host(banlat)).get("/sla/announcement.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "บ้านลาด" in text
    fonts = PdfReader(io.BytesIO(response.content)).pages[0]["/Resources"]["/Font"].values()
    names = sorted(str(font.get_object()["/BaseFont"]).split("+")[-1] for font in fonts)
    assert names == ["Sarabun", "Sarabun-Bold"], names


def test_manage_hides_from_outsiders_and_refuses_looser_rows(banlat) -> None:
    client = Client(HTTP_HOST=host(banlat))
    assert client.get("/sla/manage/").status_code == 404  # the same page as for a missing one, with a sign-in link
    assert client.post("/sla/manage/", {"action": "create", "number": "x"}).status_code == 404
    assert not Agreement.objects.filter(body=banlat).exists()
    client = signed_in(banlat, "officer")
    assert client.get("/sla/manage/").status_code == 404
    client = signed_in(banlat, "admin")
    assert client.post("/sla/manage/", {"action": "create", "number": "3/2568"}).status_code == 302
    refused = client.post("/sla/manage/", {"action": "row", "sla_class": "C", "stage": "resolve", "days": "31",
                                           "day_type": "calendar"})
    assert refused.status_code == 400
    assert "ค ต้องประสานหลายหน่วย" in refused.content.decode()
    assert "ไม่เกิน 30 วัน" in refused.content.decode()
    assert client.post("/sla/manage/", {"action": "publish", "effective_from": "2025-03-01"}).status_code == 302
    assert Agreement.objects.get(body=banlat, number="3/2568").status == AgreementStatus.PUBLISHED


def test_announcement_carries_the_bodys_emblem_in_html_and_pdf(banlat, published, tmp_path, settings) -> None:
    from django.core.files.base import ContentFile
    from PIL import Image

    from apps.portal.models import BodyProfile
    from tenants import cache

    settings.MEDIA_ROOT = tmp_path
    picture = io.BytesIO()
    Image.new("RGB", (120, 120), (200, 30, 30)).save(picture, format="PNG")
    profile, _ = BodyProfile.objects.get_or_create(body=banlat)
    profile.logo.save("emblem.png", ContentFile(picture.getvalue()))
    cache.clear()
    page = Client(HTTP_HOST=host(banlat)).get("/sla/announcement/").content.decode()
    assert f'src="{profile.logo.url}"' in page
    pdf = Client(HTTP_HOST=host(banlat)).get("/sla/announcement.pdf").content
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 1
