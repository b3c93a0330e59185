"""The staff intake form for walk-in, phone, letter, LINE, e-mail and 1111 forwards: duplicate
suggestions before saving, and hostile uploads refused with nothing saved."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from PIL import Image

from apps.complaints.models import Attachment, Complaint
from apps.reporting.models import ComplaintFact
from tests.apps.complaints.staff_helpers import category, make_case, signed_in


def form(banlat, **extra: object) -> dict:  # type: ignore[no-untyped-def]
    with schema_context(banlat.schema_name):
        road = category("road").pk
    data = {"channel": "walk_in", "category": road, "description": "ถนนหน้าตลาดเป็นหลุมลึก รถจักรยานยนต์ล้ม",
            "moo": "3", "location_text": "หน้าตลาดสด", "name": "นายสมศักดิ์ ทดสอบ", "phone": "081-234-5678"}
    data.update(extra)
    return data


def count(banlat) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with schema_context(banlat.schema_name):
        return (Complaint.objects.count(), Attachment.objects.count(),
                ComplaintFact.objects.filter(body=banlat).count())


@pytest.mark.parametrize("channel", ["walk_in", "phone", "letter", "line", "email", "1111"])
def test_intake_from_every_staff_channel(banlat, channel):
    response = signed_in(banlat, "clerk").post("/staff/intake/", form(banlat, channel=channel))
    assert response.status_code == 200
    code = response.context["complaint"].tracking_code
    with schema_context(banlat.schema_name):
        case = Complaint.objects.get(tracking_code=code)
        assert (case.channel, case.complainant_phone, case.moo) == (channel, "0812345678", "3")
        assert case.events.get(kind="created").actor.username == "clerk"
    assert code in response.content.decode()


def test_anonymous_intake_shows_a_pin_once(banlat):
    response = signed_in(banlat, "clerk").post("/staff/intake/", form(banlat, anonymous="on", name="", phone=""))
    assert response.status_code == 200
    result = response.context["result"]
    assert result.second_factor_kind == "pin" and len(result.second_factor) == 6
    pin = result.second_factor
    # Grouped with a no-break space: read out and copied without error, never split across lines.
    assert f'class="receipt-code--nowrap" id="pin">{pin[:3]}\u00a0{pin[3:]}<' in response.content.decode()
    assert 'id="line-follow"' not in response.content.decode()  # an anonymous case is never linked to LINE
    with schema_context(banlat.schema_name):
        case = Complaint.objects.get(pk=result.complaint.pk)
        assert case.is_anonymous and case.pin_hash and result.second_factor not in case.pin_hash


def test_intake_refusal_names_the_field_and_saves_nothing(banlat):
    before = count(banlat)
    response = signed_in(banlat, "clerk").post("/staff/intake/", form(banlat, phone="12345"))
    assert response.status_code == 400
    assert response.context["form"].errors["phone"] == ["หมายเลขโทรศัพท์ไม่ถูกต้อง (เช่น 0812345678)"]
    response = signed_in(banlat, "clerk").post("/staff/intake/", form(banlat, description=""))
    assert response.context["form"].errors["description"] == ["กรุณากรอกรายละเอียด"]
    assert count(banlat) == before


def test_duplicate_suggestions_before_saving(banlat):
    existing = make_case(banlat, national="road", latitude="13.081000", longitude="99.930000")
    client = signed_in(banlat, "clerk")
    before = count(banlat)
    response = client.post("/staff/intake/", form(banlat, latitude="13.081100", longitude="99.930100"))
    assert response.status_code == 200
    assert [c.pk for c in response.context["duplicates"]] == [existing.pk]
    assert existing.tracking_code in response.content.decode()
    assert 'name="confirm" value="1"' in response.content.decode()
    assert count(banlat) == before
    saved = client.post("/staff/intake/", form(banlat, latitude="13.081100", longitude="99.930100", confirm="1"))
    assert saved.context["complaint"].pk != existing.pk
    assert count(banlat)[0] == before[0] + 1


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: (13.0, 4.0, 51.0), 3: "E", 4: (99.0, 55.0, 48.0)}
    exif[0x8825] = gps
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    data = buffer.getvalue()
    with Image.open(io.BytesIO(data)) as check:
        assert check.getexif().get_ifd(0x8825)  # the test photo really carries a location
    return data


def test_exif_gps_is_stripped_from_an_uploaded_photo(banlat):
    upload = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = signed_in(banlat, "clerk").post("/staff/intake/", form(banlat, attachments=[upload]))
    assert response.status_code == 200
    with schema_context(banlat.schema_name):
        attachment = Attachment.objects.get(complaint=response.context["complaint"])
        with attachment.file.open("rb") as handle:
            stored = handle.read()
    with Image.open(io.BytesIO(stored)) as image:
        exif = image.getexif()
        assert not exif.get_ifd(0x8825)
        assert 0x010F not in exif
    assert b"PhoneMaker" not in stored


def exe_as_jpg() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, content_type="image/jpeg")


def svg() -> SimpleUploadedFile:
    return SimpleUploadedFile("map.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                              content_type="image/svg+xml")


def huge_image() -> SimpleUploadedFile:
    # A PNG declaring 20000 x 20000 pixels (400 Mpx): refused before it is decoded.
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, format="PNG")
    return SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")


def pdf_without_eof() -> SimpleUploadedFile:
    return SimpleUploadedFile("doc.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n" + b"x" * 4000, content_type="application/pdf")


@pytest.mark.parametrize(("upload", "message"), [
    (exe_as_jpg, "ไม่ใช่รูปภาพ"),
    (svg, "ไม่ใช่รูปภาพ"),
    (huge_image, "ใหญ่เกิน 40 ล้านพิกเซล"),
    (pdf_without_eof, "เสียหาย"),
])
def test_hostile_upload_at_intake_is_refused_and_nothing_saved(banlat, upload, message):
    before = count(banlat)
    good = SimpleUploadedFile("ok.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = signed_in(banlat, "clerk").post("/staff/intake/", form(banlat, attachments=[good, upload()]))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["attachments"])
    assert count(banlat) == before


@pytest.mark.parametrize("upload", [exe_as_jpg, svg, pdf_without_eof])
def test_hostile_upload_in_a_reply_is_refused_and_nothing_saved(banlat, upload):
    case = make_case(banlat)
    with schema_context(banlat.schema_name):
        events_before = Complaint.objects.get(pk=case.pk).events.count()
    response = signed_in(banlat, "officer").post(f"/staff/cases/{case.pk}/reply/", {
        "reply-text": "ตอบพร้อมไฟล์", "reply-attachments": [upload()]})
    assert response.status_code == 400
    assert "data-error-for=\"reply\"" in response.content.decode()
    with schema_context(banlat.schema_name):
        assert Complaint.objects.get(pk=case.pk).events.count() == events_before
        assert Attachment.objects.filter(complaint_id=case.pk).count() == 0


def test_intake_requires_staff(banlat):
    response = signed_in(banlat, "admin").get("/staff/intake/")
    assert response.status_code == 200
    assert "walk_in" in response.content.decode()
    from tests.apps.complaints.staff_helpers import anonymous

    assert anonymous(banlat).post("/staff/intake/", form(banlat)).status_code == 302


def test_the_complainants_consent_to_be_contacted_is_recorded_as_they_said(banlat):
    client = signed_in(banlat, "clerk")
    page = client.get("/staff/intake/").content.decode()
    assert '<legend>ผู้ร้องยินยอมให้เจ้าหน้าที่ที่รับผิดชอบติดต่อทาง</legend>' in page
    assert 'name="contact_allowed" value="phone"' in page and "checked" not in \
        page.split('id="contact-allowed"')[1].split("</fieldset>")[0]
    response = client.post("/staff/intake/", form(banlat, email="somsak@example.org",
                                                  contact_allowed=["email", "phone"]))
    assert response.status_code == 200
    with schema_context(banlat.schema_name):
        assert Complaint.objects.get(pk=response.context["complaint"].pk).contact_allowed == ["phone", "email"]
    before = count(banlat)
    refused = client.post("/staff/intake/", form(banlat, contact_allowed=["line"]))
    assert refused.status_code == 400
    assert "ท่านเลือกให้ติดต่อทางLINE แต่ไม่ได้กรอกLINE ID กรุณากรอกLINE ID หรือยกเลิกการเลือกนี้" in \
        refused.content.decode()
    assert count(banlat) == before
