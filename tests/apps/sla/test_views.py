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
    assert client.post("/sla/manage/", {"action": "publish", "effective_from": "2025-03-01",
                                        "confirm": "1"}).status_code == 302
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


def test_editor_grid_saves_cells_and_refuses_a_looser_one_in_place(banlat) -> None:
    client = signed_in(banlat, "admin")
    assert client.post("/sla/manage/", {"action": "create", "number": "4/2568"}).status_code == 302
    page = client.get("/sla/manage/").content.decode()
    assert 'href="/staff/"' in page  # the staff navigation is kept
    assert 'name="days__B__reply" type="number" min="1" inputmode="numeric" required value="15"' in page
    assert "กรอบประเทศ: ไม่เกิน <span class=\"nowrap\">15 วัน</span>" in page
    refused = client.post("/sla/manage/", {"action": "grid", "days__B__reply": "10", "type__B__reply": "calendar",
                                           "days__C__resolve": "31", "type__C__resolve": "calendar"})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert '<td class="sla-cell sla-cell--refused" data-cell="C__resolve">' in text
    assert 'value="31" aria-invalid="true" aria-describedby="error-C__resolve"' in text
    assert ('<p class="sla-cell__error" id="error-C__resolve">ประเภทเรื่อง “ค ต้องประสานหลายหน่วย” ขั้นตอน '
            '“ดำเนินการแล้วเสร็จ”: กำหนด 31 วัน ไม่เป็นไปตามกรอบขั้นต่ำระดับประเทศ ซึ่งกำหนดไว้ไม่เกิน 30 วัน</p>') in text
    draft = Agreement.objects.get(body=banlat, number="4/2568")
    rows = {(r.sla_class, r.stage): (r.days, r.day_type) for r in draft.rows.all()}
    assert rows[("B", "reply")] == (10, "calendar")  # the other cell was saved
    assert rows[("C", "resolve")] == (30, "calendar")  # the refused one was not


def test_publishing_shows_the_announcement_first_and_needs_a_confirmation(banlat, published) -> None:
    client = signed_in(banlat, "admin")
    assert client.post("/sla/manage/", {"action": "create", "number": "13/2568"}).status_code == 302
    draft = Agreement.objects.get(body=banlat, number="13/2568")
    # The signatory of the version in force is carried over to the new draft.
    assert (draft.signatory_name, draft.signatory_position) == ("นายสมชาย ใจดี", "นายกเทศมนตรีตำบลบ้านลาด")
    page = client.get("/sla/manage/").content.decode()
    assert 'name="effective_from_0"' in page and 'name="effective_from_2"' in page  # day, month, พ.ศ.
    assert 'type="date"' not in page
    preview = client.post("/sla/manage/", {"action": "publish", "effective_from_0": "1",
                                           "effective_from_1": "10", "effective_from_2": "2569"})
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "ตัวอย่างประกาศก่อนเผยแพร่" in text
    assert "ทั้งนี้ ตั้งแต่วันที่ ๑ ตุลาคม ๒๕๖๙ เป็นต้นไป" in text
    assert "ที่ ๑๓/๒๕๖๘" in text and "(นายสมชาย ใจดี)" in text
    assert '<input type="hidden" name="effective_from" value="2026-10-01">' in text
    draft.refresh_from_db()
    assert draft.status == AgreementStatus.DRAFT  # nothing published before the confirmation
    confirmed = client.post("/sla/manage/", {"action": "publish", "confirm": "1", "effective_from": "2026-10-01"})
    assert confirmed.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.effective_from) == (AgreementStatus.PUBLISHED, dt.date(2026, 10, 1))


def test_a_bad_buddhist_era_date_is_refused_with_a_message(banlat) -> None:
    client = signed_in(banlat, "admin")
    assert client.post("/sla/manage/", {"action": "create", "number": "5/2568"}).status_code == 302
    refused = client.post("/sla/manage/", {"action": "publish", "effective_from_0": "31",
                                           "effective_from_1": "2", "effective_from_2": "2569"})
    assert refused.status_code == 400
    assert "วันที่ไม่ถูกต้อง กรุณาระบุวัน เดือน และปี พ.ศ." in refused.content.decode()
    assert Agreement.objects.get(body=banlat, number="5/2568").status == AgreementStatus.DRAFT


def test_office_closure_is_entered_in_the_buddhist_era(banlat) -> None:
    from apps.sla.models import BodyClosure

    client = signed_in(banlat, "admin")
    page = client.get("/sla/calendar/").content.decode()
    assert 'name="date_2"' in page and 'type="date"' not in page and 'href="/staff/"' in page
    assert client.post("/sla/calendar/", {"action": "add", "date_0": "5", "date_1": "12", "date_2": "2569",
                                          "reason": "งานประจำปี"}).status_code == 302
    assert BodyClosure.objects.filter(body=banlat, date=dt.date(2026, 12, 5)).exists()


def test_a_signed_copy_is_uploaded_and_published_beside_the_announcement(banlat, published, tmp_path,
                                                                         settings) -> None:
    from django_tenants.utils import schema_context

    from apps.audit.models import AuditEntry

    def entries() -> int:
        with schema_context(banlat.schema_name):
            return AuditEntry.objects.filter(kind="sla.signed_copy").count()

    settings.MEDIA_ROOT = tmp_path
    client = signed_in(banlat, "admin")
    # The printed announcement, as if signed and scanned back to PDF.
    scan = io.BytesIO(Client(HTTP_HOST=host(banlat)).get("/sla/announcement.pdf").content)
    scan.name = "signed.pdf"
    assert client.post("/sla/manage/", {"action": "signed_copy", "signed_copy": scan}).status_code == 302
    published.refresh_from_db()
    assert published.signed_copy.name.endswith(".pdf")
    assert entries() == 1
    for page in ("/sla/", "/sla/announcement/"):
        text = Client(HTTP_HOST=host(banlat)).get(page).content.decode()
        assert f'<a href="{published.signed_copy.url}">ฉบับลงนาม (สแกน)</a>' in text
    not_a_scan = io.BytesIO(b"MZ this is a program")
    not_a_scan.name = "signed.pdf"
    refused = client.post("/sla/manage/", {"action": "signed_copy", "signed_copy": not_a_scan})
    assert refused.status_code == 400
    assert entries() == 1
