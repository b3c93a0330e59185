"""Photos get a server-made thumbnail (JPEG, longest side 320 px) in the write that stores them,
beside the photo; the case page shows it and the viewer opens the photo; it is served through the
same access-checked download as the photo; photos stored before thumbnails fall back to the photo
until `rongthuk thumbnails` makes theirs (once); a transferred case's copy keeps them; the PDPA
retention job removes both files."""

from __future__ import annotations

import io
import random

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_tenants.utils import schema_context
from PIL import Image

from apps.complaints.attachments import THUMBNAIL_SIDE
from apps.complaints.models import Attachment, Complaint
from apps.complaints.retention import complaints_anonymise
from apps.complaints.services.transfer import complaint_transfer
from apps.complaints.services.workflow import (
    complaint_acknowledge,
    complaint_citizen_respond,
    complaint_request_info,
)
from tests.apps.complaints.staff_helpers import anonymous, make_case, signed_in, user
from tests.hostile import files

ORIENTATION = 0x0112


def _noisy(width: int, height: int, *, orientation: int | None = None, name: str = "photo.jpg") -> SimpleUploadedFile:
    """A camera-like photo: noise compresses as badly as real detail does."""
    rng = random.Random(width * height)
    image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    out = io.BytesIO()
    if orientation is None:
        image.save(out, format="JPEG", quality=92)
    else:
        exif = Image.Exif()
        exif[ORIENTATION] = orientation
        image.save(out, format="JPEG", quality=92, exif=exif.tobytes())
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("letter.pdf", files.pdf(), content_type="application/pdf")


def _size(name: str) -> tuple[int, int]:
    with default_storage.open(name) as handle, Image.open(handle) as image:
        return image.size


def test_a_landscape_photo_gets_a_320_px_thumbnail_beside_it_shown_on_the_case_page(banlat, settings,
                                                                                    tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    case = make_case(banlat, uploads=[_noisy(1600, 1200, name="หลุมหน้าวัด.jpg")])
    with schema_context(banlat.schema_name):
        photo = Attachment.objects.get(complaint_id=case.pk)
    assert _size(photo.file.name) == (1600, 1200)
    assert _size(photo.thumbnail.name) == (THUMBNAIL_SIDE, 240) == (320, 240)
    assert photo.thumbnail.name == photo.file.name.removesuffix(".jpg") + "-thumb.jpg"  # beside the photo
    assert photo.thumbnail.size * 10 < photo.file.size
    client = signed_in(banlat, "officer")
    original = f"/staff/cases/{case.pk}/files/{photo.pk}/"
    thumbnail = f"{original}thumbnail/"
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert (f'<a class="thumb" href="{original}" data-viewer="0">\n<img src="{thumbnail}" '
            f'alt="รูปที่ 1: หลุมหน้าวัด.jpg" loading="lazy" width="120" height="90"></a>') in page
    response = client.get(thumbnail)
    assert response.status_code == 200
    with default_storage.open(photo.thumbnail.name) as handle:
        assert b"".join(response.streaming_content) == handle.read()
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"] == f'attachment; filename="{case.tracking_code}-{photo.pk}-thumbnail.jpg"'
    assert photo.thumbnail.url not in page and photo.file.url not in page  # never a public URL


def test_a_portrait_photo_turned_by_its_exif_gets_a_portrait_thumbnail(banlat, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    case = make_case(banlat)
    with schema_context(banlat.schema_name):
        complaint_acknowledge(complaint=case, actor=user(banlat, "clerk"), text="")
        complaint_request_info(complaint=Complaint.objects.get(pk=case.pk), actor=user(banlat, "clerk"),
                               text="ขอรูปเพิ่ม")
        # Stored 1200×900 by the camera, shown turned a quarter (Orientation 6): a 900×1200 photo.
        complaint_citizen_respond(complaint=Complaint.objects.get(pk=case.pk), text="ส่งรูปแล้ว",
                                  uploads=[_noisy(1200, 900, orientation=6)])
        photo = Attachment.objects.get(complaint_id=case.pk)
    assert _size(photo.file.name) == (900, 1200)
    assert _size(photo.thumbnail.name) == (240, 320)
    with default_storage.open(photo.thumbnail.name) as handle, Image.open(handle) as small:
        assert ORIENTATION not in small.getexif()
    assert photo.thumbnail.size * 10 < photo.file.size
    # The photo in the timeline (the citizen's answer) is its thumbnail too.
    page = signed_in(banlat, "clerk").get(f"/staff/cases/{case.pk}/").content.decode()
    assert (f'href="/staff/cases/{case.pk}/files/{photo.pk}/"><img '
            f'src="/staff/cases/{case.pk}/files/{photo.pk}/thumbnail/"') in page


def test_an_outsider_gets_the_same_404_for_a_thumbnail_as_for_a_missing_one(banlat, thasen, settings,
                                                                            tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    case = make_case(banlat, uploads=[_noisy(640, 480), _pdf()])
    with schema_context(banlat.schema_name):
        photo = Attachment.objects.get(complaint_id=case.pk, content_type="image/jpeg")
        letter = Attachment.objects.get(complaint_id=case.pk, content_type="application/pdf")
    url = f"/staff/cases/{case.pk}/files/{photo.pk}/thumbnail/"
    assert signed_in(banlat, "officer").get(url).status_code == 200
    missing = signed_in(banlat, "officer").get(f"/staff/cases/{case.pk}/files/{letter.pk + 1}/thumbnail/")
    refused = {
        "another department's officer": signed_in(banlat, "health_officer").get(url),
        "another body's admin": signed_in(thasen, "admin").get(url, HTTP_HOST="banlat.localhost"),
        "not signed in": anonymous(banlat).get(url),
    }
    assert {who: r.status_code for who, r in refused.items()} == dict.fromkeys(refused, 404)
    assert missing.status_code == 404
    # A document has no thumbnail: the PDF is never answered as one.
    assert signed_in(banlat, "officer").get(f"/staff/cases/{case.pk}/files/{letter.pk}/thumbnail/").status_code == 404
    with schema_context(banlat.schema_name):
        assert Attachment.objects.get(pk=letter.pk).thumbnail.name == ""


def test_photos_stored_before_thumbnails_fall_back_then_the_command_makes_theirs_once(banlat, settings,
                                                                                     tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    case = make_case(banlat, uploads=[_noisy(1000, 500), _pdf()])
    with schema_context(banlat.schema_name):
        photo = Attachment.objects.get(complaint_id=case.pk, content_type="image/jpeg")
        default_storage.delete(photo.thumbnail.name)
        Attachment.objects.filter(pk=photo.pk).update(thumbnail="")  # as stored before thumbnails
        with default_storage.open(photo.file.name) as handle:
            original_bytes = handle.read()
    client = signed_in(banlat, "officer")
    original = f"/staff/cases/{case.pk}/files/{photo.pk}/"
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert f'<img src="{original}" alt="รูปที่ 1: photo.jpg"' in page
    fallback = client.get(f"{original}thumbnail/")  # a page cached before: the photo, never a broken image
    assert fallback.status_code == 200 and b"".join(fallback.streaming_content) == original_bytes

    out = io.StringIO()
    call_command("thumbnails", banlat.dla_code, stdout=out)
    assert out.getvalue() == "thumbnails made: 1, photos unreadable: 0, bodies: 1\n"
    with schema_context(banlat.schema_name):
        made = Attachment.objects.get(pk=photo.pk)
    assert made.thumbnail.name.startswith(f"bodies/{banlat.schema_name}/complaints/{case.pk}/")
    assert _size(made.thumbnail.name) == (320, 160)
    assert f'<img src="{original}thumbnail/"' in client.get(f"/staff/cases/{case.pk}/").content.decode()
    again = io.StringIO()
    call_command("thumbnails", stdout=again)  # every body with cases: nothing left to make
    assert again.getvalue() == "thumbnails made: 0, photos unreadable: 0, bodies: 0\n"
    with schema_context(banlat.schema_name):
        assert Attachment.objects.get(pk=photo.pk).thumbnail.name == made.thumbnail.name


def test_retention_removes_the_thumbnail_with_the_photo(banlat, settings, tmp_path,
                                                        django_capture_on_commit_callbacks) -> None:
    settings.MEDIA_ROOT = tmp_path
    case = make_case(banlat, uploads=[_noisy(640, 480)])
    with schema_context(banlat.schema_name):
        photo = Attachment.objects.get(complaint_id=case.pk)
        names = [photo.file.name, photo.thumbnail.name]
        assert all(default_storage.exists(name) for name in names)
        with django_capture_on_commit_callbacks(execute=True):
            report = complaints_anonymise(complaint_ids=[case.pk])
        assert report.attachments == 1
        assert [default_storage.exists(name) for name in names] == [False, False]


def test_a_transferred_case_keeps_its_photos_thumbnails(banlat, thasen, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    case = make_case(banlat, uploads=[_noisy(800, 600)])
    with schema_context(banlat.schema_name):
        sent = Attachment.objects.get(complaint_id=case.pk)
        complaint_transfer(complaint=Complaint.objects.get(pk=case.pk), actor=user(banlat, "clerk"), to_body=thasen,
                           reason="อยู่ในเขต อบต.ท่าเสน")
    with schema_context(thasen.schema_name):
        offer = Complaint.objects.get(tracking_code=case.tracking_code)
        copy = Attachment.objects.get(complaint=offer)
    assert (copy.file.name, copy.thumbnail.name) == (sent.file.name, sent.thumbnail.name)
    client = signed_in(thasen, "admin")
    response = client.get(f"/staff/cases/{offer.pk}/files/{copy.pk}/thumbnail/")
    assert response.status_code == 200
    with default_storage.open(sent.thumbnail.name) as handle:
        assert b"".join(response.streaming_content) == handle.read()
