"""A directive's attachment is a PDF or an image, checked like every other upload: a PDF that can
act when opened is refused, any other kind of file is refused, an image is re-encoded without its
metadata; a refusal is a Thai message on the form and nothing is stored (no directive, no file)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from apps.accounts.models import User
from apps.oversight.models import Directive
from tests.apps.oversight.factories import officer
from tests.hostile import files
from tests.signin import verified_login

PDF_ACTIVE = ("ไฟล์ PDF “หนังสือ.pdf” มีสคริปต์ คำสั่งอัตโนมัติ ไฟล์แนบซ่อน หรือการเข้ารหัส จึงไม่ได้บันทึก "
              "กรุณาบันทึกเป็น PDF ใหม่ (สั่งพิมพ์ → บันทึกเป็น PDF) แล้วแนบอีกครั้ง")


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def district(db: None) -> Client:
    return verified_login(Client(HTTP_HOST="localhost"), officer("district-attach", "district", "7606"))


def _post(client: Client, upload: SimpleUploadedFile, title: str = "ขอให้ประกาศ SLA") -> Any:
    return client.post("/oversight/directives/new/", {
        "title": title, "requirements": "ack", "remind_days_before": 3,
        "due_date": (timezone.localdate() + dt.timedelta(days=30)).isoformat(), "attachment": upload})


def _stored(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("หนังสือ.pdf", files.pdf(javascript="app.alert('x')"), PDF_ACTIVE),
    ("หนังสือ.pdf", files.pdf(launch=True), PDF_ACTIVE),
    ("หนังสือ.html", b"<script>alert(document.cookie)</script>",
     "ไฟล์ “หนังสือ.html” ไม่ใช่รูปภาพ (JPEG, PNG, WebP) หรือ PDF จึงไม่ได้บันทึก"),
    ("คำสั่ง.docx", b"PK\x03\x04" + b"\0" * 200,
     "ไฟล์ “คำสั่ง.docx” ไม่ใช่รูปภาพ (JPEG, PNG, WebP) หรือ PDF จึงไม่ได้บันทึก"),
    ("bomb.png", files.png_bomb(), "รูปภาพ “bomb.png” ใหญ่เกิน 40 ล้านพิกเซล จึงไม่ได้บันทึก"),
], ids=["pdf-javascript", "pdf-launch", "html", "docx", "pixel-bomb"])
def test_a_refused_attachment_is_said_in_thai_and_nothing_is_stored(
        district: Client, media: Path, name: str, content: bytes, message: str) -> None:
    before = Directive.objects.count()
    response = _post(district, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert response.context["form"].errors == {"attachment": [message]}
    assert message in response.content.decode()
    assert Directive.objects.count() == before
    assert _stored(media) == []


def test_an_image_attachment_is_re_encoded_without_its_metadata(district: Client, media: Path) -> None:
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    photo = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 120, 30)).save(photo, format="JPEG", exif=exif.tobytes())
    response = _post(district, SimpleUploadedFile("ป้าย.jpg", photo.getvalue()), title="ป้ายประกาศ")
    assert response.status_code == 302
    directive = Directive.objects.get(title="ป้ายประกาศ")
    assert directive.attachment.name.startswith(f"oversight/directives/{timezone.localdate().year}/")
    assert directive.attachment.name.endswith(".jpg")
    download = district.get(f"/oversight/directives/{directive.pk}/attachment/")
    assert (download["Content-Type"], download["Content-Security-Policy"]) == (
        "image/jpeg", "default-src 'none'; sandbox")
    assert download["Content-Disposition"].startswith("attachment;")
    stored = Image.open(io.BytesIO(b"".join(download.streaming_content)))
    assert (stored.format, stored.size, dict(stored.getexif())) == ("JPEG", (300, 200), {})


def test_the_national_admin_cannot_attach_an_html_file_either(db: None, media: Path) -> None:
    admin = verified_login(Client(HTTP_HOST="localhost"),
                           User.objects.create_superuser("national-attach", "long-enough-password-9"))
    page = admin.post("/admin/oversight/directive/add/", {
        "title": "หนังสือทดสอบ", "requirements": "ack", "due_date": "2099-02-01", "remind_days_before": 3,
        "issued_by": User.objects.get(username="national-attach").pk, "scope_level": "nation", "scope_code": "",
        "attachment": SimpleUploadedFile("x.html", b"<script>alert(1)</script>"),
        "targets-TOTAL_FORMS": "0", "targets-INITIAL_FORMS": "0", "_save": "Save"})
    assert page.status_code == 200
    assert page.context["adminform"].form.errors == {
        "attachment": ["ไฟล์ “x.html” ไม่ใช่รูปภาพ (JPEG, PNG, WebP) หรือ PDF จึงไม่ได้บันทึก"]}
    assert not Directive.objects.filter(title="หนังสือทดสอบ").exists()
    assert _stored(media) == []
