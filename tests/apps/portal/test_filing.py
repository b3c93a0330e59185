from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.complaints.models import Attachment
from apps.reporting.models import ComplaintFact
from tenants.models import LocalBody

from .helpers import category_id, complaints_count, filed, form_data, jpeg

pytestmark = pytest.mark.django_db


def test_form_offers_general_categories_with_icons_and_the_pdpa_notice(banlat_client: Client) -> None:
    page = banlat_client.get("/complaints/new/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "ไฟฟ้าสาธารณะ" in html and 'href="#i-lightbulb"' in html
    assert "ประกาศความเป็นส่วนตัว" in html and "พระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล" in html
    assert "การทุจริตและประพฤติมิชอบ" not in html  # its own route
    assert 'href="/complaints/conduct/"' in html
    assert 'name="website"' in html and 'tabindex="-1"' in html


def test_filing_with_a_photo_gives_a_code_and_the_phone_digits(banlat_client: Client, banlat: LocalBody) -> None:
    response = banlat_client.post("/complaints/new/", {**form_data(banlat), "photos": [jpeg()]})
    assert response.status_code == 302 and response["Location"] == "/complaints/receipt/"
    complaint = filed(banlat_client, banlat)
    with schema_context(banlat.schema_name):
        assert complaint.channel == "web"
        assert complaint.complainant_name == "สมหญิง ใจงาม"
        assert complaint.moo == "3" and str(complaint.latitude) == "13.000100"
        assert Attachment.objects.filter(complaint=complaint).count() == 1
    receipt = banlat_client.get("/complaints/receipt/").content.decode()
    assert complaint.tracking_code in receipt
    assert ">4567<" in receipt


def test_anonymous_filing_gets_a_pin_and_stores_no_contact(banlat_client: Client, banlat: LocalBody) -> None:
    data = form_data(banlat, anonymous="on", name="", phone="")
    assert banlat_client.post("/complaints/new/", data).status_code == 302
    complaint = filed(banlat_client, banlat)
    assert complaint.is_anonymous and complaint.complainant_name == "" and complaint.complainant_phone == ""
    receipt = banlat_client.get("/complaints/receipt/").content.decode()
    assert "รหัส PIN" in receipt
    assert banlat_client.session["portal_receipt"]["kind"] == "pin"


@pytest.mark.parametrize(("overrides", "message"), [
    ({"website": "http://spam.example"}, "ไม่สามารถรับเรื่องนี้ได้"),
    ({"phone": "12345"}, "หมายเลขโทรศัพท์ไม่ถูกต้อง"),
    ({"description": ""}, "กรุณากรอกรายละเอียด"),
    ({"description": "ก" * 5001}, "5000"),
    ({"consent": None}, "ประกาศความเป็นส่วนตัว"),
    ({"category": "999999"}, "หมวดเรื่อง"),
    ({"latitude": "51.5", "longitude": "-0.12"}, "พิกัดอยู่นอกประเทศไทย"),
    ({"latitude": "13.0", "longitude": ""}, "พิกัดไม่ครบ"),
    ({"name": "", "phone": ""}, "ชื่อ-นามสกุล"),
    ({"email": "not-an-email", "phone": ""}, "อีเมลไม่ถูกต้อง"),
    ({"moo": "x" * 21}, "หมู่ที่"),
])
def test_hostile_or_invalid_input_is_refused_clearly_and_nothing_is_saved(
    banlat_client: Client, banlat: LocalBody, overrides: dict[str, object], message: str,
) -> None:
    before, facts = complaints_count(banlat), ComplaintFact.objects.filter(body=banlat).count()
    response = banlat_client.post("/complaints/new/", form_data(banlat, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert complaints_count(banlat) == before
    assert ComplaintFact.objects.filter(body=banlat).count() == facts


def test_a_file_that_is_not_a_photo_is_refused(banlat_client: Client, banlat: LocalBody) -> None:
    before = complaints_count(banlat)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("evil.jpg", b"<?php system($_GET['c']); ?>", content_type="image/jpeg")
    response = banlat_client.post("/complaints/new/", {**form_data(banlat), "photos": [jpeg(), fake]})
    assert response.status_code == 400
    assert "evil.jpg" in response.content.decode()
    assert complaints_count(banlat) == before


def test_more_than_five_photos_are_refused(banlat_client: Client, banlat: LocalBody) -> None:
    before = complaints_count(banlat)
    photos = [jpeg(f"p{i}.jpg") for i in range(6)]
    response = banlat_client.post("/complaints/new/", {**form_data(banlat), "photos": photos})
    assert response.status_code == 400
    assert "ไม่เกิน 5 รูป" in response.content.decode()
    assert complaints_count(banlat) == before


def test_one_phone_number_may_file_three_an_hour(banlat_client: Client, banlat: LocalBody) -> None:
    before = complaints_count(banlat)
    for i in range(3):
        client = Client(HTTP_HOST="banlat.localhost", REMOTE_ADDR=f"10.0.0.{i + 1}")
        assert client.post("/complaints/new/", form_data(banlat)).status_code == 302
    fourth = Client(HTTP_HOST="banlat.localhost", REMOTE_ADDR="10.0.0.9").post(
        "/complaints/new/", form_data(banlat, phone="089-123-4567"))
    assert fourth.status_code == 429
    assert "บ่อยเกินไป" in fourth.content.decode()
    assert complaints_count(banlat) == before + 3


def test_one_address_may_file_ten_an_hour(banlat_client: Client, banlat: LocalBody) -> None:
    before = complaints_count(banlat)
    for i in range(10):
        data = form_data(banlat, phone=f"08{i:08d}")
        assert banlat_client.post("/complaints/new/", data).status_code == 302
    assert banlat_client.post("/complaints/new/", form_data(banlat, phone="0899999999")).status_code == 429
    assert complaints_count(banlat) == before + 10


def test_the_throttle_keeps_no_phone_number_or_address(banlat_client: Client, banlat: LocalBody) -> None:
    from apps.portal.models import IntakeThrottle

    banlat_client.post("/complaints/new/", form_data(banlat))
    keys = " ".join(IntakeThrottle.objects.values_list("key", flat=True))
    assert keys and "0891234567" not in keys and "127.0.0.1" not in keys


def test_conduct_route_offers_only_conduct_and_corruption_and_routes_to_oversight(
    banlat_client: Client, banlat: LocalBody,
) -> None:
    page = banlat_client.get("/complaints/conduct/").content.decode()
    assert "การทุจริตและประพฤติมิชอบ" in page and "ไฟฟ้าสาธารณะ" not in page
    assert "ท้องถิ่นอำเภอ" in page
    data = form_data(banlat, category=category_id(banlat, "corruption"), description="เจ้าหน้าที่เรียกรับเงิน")
    assert banlat_client.post("/complaints/conduct/", data).status_code == 302
    complaint = filed(banlat_client, banlat)
    assert complaint.routed_to_oversight and complaint.is_confidential
    assert complaint.sla_class == "corruption"


def test_a_general_category_cannot_be_posted_to_the_conduct_route(banlat_client: Client, banlat: LocalBody) -> None:
    before = complaints_count(banlat)
    assert banlat_client.post("/complaints/conduct/", form_data(banlat)).status_code == 400
    assert complaints_count(banlat) == before


def test_the_receipt_needs_a_filing_in_this_session(banlat_client: Client) -> None:
    assert banlat_client.get("/complaints/receipt/")["Location"] == "/complaints/new/"
