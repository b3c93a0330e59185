"""Files on API intake over real HTTP (a live server with a media folder of its own): a partner
files a new case through the staff API (multipart/form-data, the photos in `attachments`) and
through Open311 (POST with `media` parts beside the spec's `media_url`), and the files go through
the portal form's checks and storage (re-encoded, EXIF and its location removed, stored as the
case's attachments). A refused file (not an image or PDF, a photo over 10 MB, more than five)
is a Thai JSON refusal (English when asked), and nothing is stored: no case, no fact, no file."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django_tenants.utils import schema_context
from PIL import Image

from api.models import Access, api_key_create
from apps.complaints.attachments import MAX_IMAGE_BYTES
from apps.complaints.models import Attachment, Category, Complaint, ComplaintEvent
from apps.reporting.models import ComplaintFact
from tenants.models import LocalBody
from tests.api.open311.client import live_server
from tests.api.test_staff_files_http import Partner, _jpeg_with_location, _multipart, admin_and_key

# A body of the standing registry no other test uses: this module's cases are committed there.
BODY = "6760205"
NOT_AN_IMAGE = b"MZ\x90\x00 not an image"


def _oversize_jpeg() -> bytes:
    """A JPEG header followed by padding: 1 byte over the 10 MB limit (refused before decoding)."""
    return b"\xff\xd8\xff\xe0" + b"\0" * (MAX_IMAGE_BYTES - 3)


@dataclass
class World:
    port: int
    body: LocalBody
    media: Path
    staff_key: str
    open311_key: str
    category: int
    road: str

    def partner(self) -> Partner:
        return Partner(self.port, f"{self.body.slug}.localhost:{self.port}", self.staff_key)

    def stored(self) -> tuple[int, int, int, int]:
        """Cases, attachments and facts of the body, and files in the server's media folder."""
        with schema_context(self.body.schema_name):
            counts = (Complaint.objects.count(), Attachment.objects.count())
        return (*counts, ComplaintFact.objects.filter(body=self.body).count(),
                sum(1 for p in self.media.rglob("*") if p.is_file()))


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    media = tmp_path_factory.mktemp("intake-media")
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        body = LocalBody.objects.get(dla_code=BODY)
        stamp = str(time.time_ns())[-9:]
        _admin, staff_key = admin_and_key(body, f"intake-admin-{stamp}", f"ระบบรับเรื่อง {stamp}")
        with schema_context(body.schema_name):
            category = Category.objects.filter(national_category_id="road", is_active=True).order_by("position")[0]
        _key, open311_key = api_key_create(name=f"traffy {stamp}", body=body, access=Access.WRITE)
        with live_server(MEDIA_ROOT=str(media)) as port:
            yield World(port, body, media, staff_key, open311_key, category.pk, category.national_category_id)


def _attachments(world: World, case_id: int) -> list[tuple[str, str, int, bool]]:
    with schema_context(world.body.schema_name):
        return [(a.content_type, a.original_name, a.size, a.is_public)
                for a in Attachment.objects.filter(complaint_id=case_id).order_by("pk")]


def _no_exif(world: World, case_id: int) -> tuple[str, tuple[int, int], dict[int, object]]:
    with schema_context(world.body.schema_name):
        attachment = Attachment.objects.get(complaint_id=case_id)
        path = world.media / attachment.file.name
    image = Image.open(io.BytesIO(path.read_bytes()))
    return image.format or "", image.size, dict(image.getexif())


def _thumbnails(world: World, case_id: int) -> list[tuple[str, tuple[int, int], dict[int, object]]]:
    """Each photo's thumbnail, made in the same write: format, size, EXIF."""
    with schema_context(world.body.schema_name):
        paths = [world.media / a.thumbnail.name for a in Attachment.objects.filter(complaint_id=case_id).order_by("pk")]
    return [(image.format or "", image.size, dict(image.getexif()))
            for image in (Image.open(io.BytesIO(path.read_bytes())) for path in paths)]


def test_staff_api_intake_takes_photos_like_the_portal_form(world: World) -> None:
    original = _jpeg_with_location()
    data, content_type = _multipart(
        {"channel": "phone", "category": str(world.category), "description": "ถนนทรุดหน้าวัด ภาพตามแนบ",
         "complainant.name": "สมชาย ใจดี", "complainant.phone": "081-234-5678"},
        [("attachments", "IMG_0001.jpg", original, "image/jpeg"),
         ("attachments", "IMG_0002.jpg", original, "image/jpeg")])
    status, raw, _headers = world.partner().call("POST", "/api/staff/v1/complaints/", data, content_type,
                                                 **{"Idempotency-Key": f"intake-{time.time_ns()}"})
    assert status == 201, raw
    created = json.loads(raw)
    assert (created["status"], created["second_factor"], created["attachments_not_received"]) == (
        "received", "5678", [])
    stored = _attachments(world, created["id"])
    assert [(kind, name, public) for kind, name, _size, public in stored] == [
        ("image/jpeg", "IMG_0001.jpg", False), ("image/jpeg", "IMG_0002.jpg", False)]
    with schema_context(world.body.schema_name):
        case = Complaint.objects.get(pk=created["id"])
        assert (case.channel, case.complainant_name, case.complainant_phone) == ("phone", "สมชาย ใจดี", "0812345678")
        first = Attachment.objects.filter(complaint_id=case.pk).order_by("pk")[0]
        path = world.media / first.file.name
    image = Image.open(path)
    assert (image.format, image.size, dict(image.getexif())) == ("JPEG", (640, 480), {})
    assert path.stat().st_size == stored[0][2] and path.read_bytes() != original
    assert _thumbnails(world, created["id"]) == [("JPEG", (320, 240), {})] * 2

    # The case page of the API lists them, and they download as stored.
    status, detail = world.partner().json("GET", f"/api/staff/v1/complaints/{created['id']}/")
    assert status == 200
    assert [(a["name"], a["content_type"], a["size"]) for a in detail["attachments"]] == [
        (name, kind, size) for kind, name, size, _public in stored]
    status, downloaded, _h = world.partner().call(
        "GET", f"/api/staff/v1/complaints/{created['id']}/files/{detail['attachments'][0]['id']}/")
    assert (status, downloaded) == (200, path.read_bytes())


@pytest.mark.parametrize(("files", "thai", "english"), [
    ([("attachments", "photo.jpg", NOT_AN_IMAGE, "image/jpeg")],
     "ไฟล์ “photo.jpg” ไม่ใช่รูปภาพ (JPEG, PNG, WebP) หรือ PDF จึงไม่ได้บันทึก",
     "“photo.jpg” is not an image (JPEG, PNG, WebP) or a PDF, so it was not saved"),
    ([("attachments", "big.jpg", _oversize_jpeg(), "image/jpeg")],
     "รูปภาพต้องไม่เกิน 10 MB", "An image must be at most 10 MB"),
    ([("attachments", f"IMG_{n}.jpg", _jpeg_with_location(), "image/jpeg") for n in range(6)],
     "แนบไฟล์ได้ไม่เกิน 5 ไฟล์", "At most 5 files can be attached"),
], ids=["wrong type", "too big", "too many"])
def test_staff_api_intake_refuses_a_bad_file_in_thai_and_stores_nothing(
        world: World, files: list[tuple[str, str, bytes, str]], thai: str, english: str) -> None:
    before = world.stored()
    fields = {"channel": "walk_in", "category": str(world.category), "description": "ท่อระบายน้ำอุดตัน"}
    data, content_type = _multipart(fields, files)
    status, raw, headers = world.partner().call("POST", "/api/staff/v1/complaints/", data, content_type)
    assert (status, headers["Content-Type"], json.loads(raw)) == (
        400, "application/json", {"field": "attachments", "message": thai})
    status, raw, _headers = world.partner().call("POST", "/api/staff/v1/complaints/", data, content_type,
                                                 **{"Accept-Language": "en"})
    assert (status, json.loads(raw)) == (400, {"field": "attachments", "message": english})
    assert world.stored() == before


def _open311(world: World, fields: dict[str, str], files: list[tuple[str, str, bytes, str]],
             locale: str = "th") -> tuple[int, object]:
    data, content_type = _multipart({"api_key": world.open311_key, **fields}, files)
    partner = Partner(world.port, f"{world.body.slug}.localhost:{world.port}", "")
    status, raw, _headers = partner.call("POST", f"/open311/v2/requests.json?locale={locale}", data, content_type)
    return status, json.loads(raw)


def test_open311_post_takes_media_files_like_the_portal_form(world: World) -> None:
    status, created = _open311(world, {
        "service_code": world.road, "description": "ถนนเป็นหลุมหน้าโรงเรียน", "lat": "13.05", "long": "99.93",
        "media_url": "https://traffy.example/photos/1.jpg"},
        [("media", "traffy-1.jpg", _jpeg_with_location(), "image/jpeg")])
    assert status == 201, created
    assert isinstance(created, list)
    case_id = int(created[0]["service_request_id"].split("-", 1)[1])
    assert [(kind, name, public) for kind, name, _size, public in _attachments(world, case_id)] == [
        ("image/jpeg", "traffy-1.jpg", False)]
    assert _no_exif(world, case_id) == ("JPEG", (640, 480), {})
    assert _thumbnails(world, case_id) == [("JPEG", (320, 240), {})]
    with schema_context(world.body.schema_name):
        case = Complaint.objects.get(pk=case_id)
        created_event = ComplaintEvent.objects.get(complaint=case, kind="created")
        assert (case.channel, created_event.data) == (
            "open311", {"channel": "open311", "media_url": "https://traffy.example/photos/1.jpg"})


@pytest.mark.parametrize(("media", "thai", "english"), [
    (NOT_AN_IMAGE, "media: ไฟล์ “photo.jpg” ไม่ใช่รูปภาพ (JPEG, PNG, WebP) หรือ PDF จึงไม่ได้บันทึก",
     "media: “photo.jpg” is not an image (JPEG, PNG, WebP) or a PDF, so it was not saved"),
    (_oversize_jpeg(), "media: รูปภาพต้องไม่เกิน 10 MB", "media: An image must be at most 10 MB"),
], ids=["wrong type", "too big"])
def test_open311_post_refuses_a_bad_media_file_in_thai_and_stores_nothing(
        world: World, media: bytes, thai: str, english: str) -> None:
    before = world.stored()
    fields = {"service_code": world.road, "description": "ไฟฟ้าดับทั้งซอย", "address_string": "ซอย 3 หมู่ 2"}
    files = [("media", "photo.jpg", media, "image/jpeg")]
    assert _open311(world, fields, files) == (400, [{"code": 400, "description": thai}])
    assert _open311(world, fields, files, locale="en") == (400, [{"code": 400, "description": english}])
    assert world.stored() == before
