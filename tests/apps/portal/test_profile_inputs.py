"""The body's profile page: the phone goes through the complaints' phone rule (Thai digits become
ASCII, the Thai numbering plan decides), and the logo through the photos' checks (the documented
pixel limit, re-encoded without metadata, as PNG so transparency stays)."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from apps.accounts.models import User
from apps.portal.models import BodyProfile
from tenants.models import LocalBody
from tests.apps.complaints.staff_helpers import signed_in
from tests.hostile import files
from tests.signin import verified_login


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _post(client: Client, **data: Any) -> Any:
    return client.post("/settings/profile/", {"reopen_window_days": "30", **data})


def test_thai_digits_in_the_phone_are_stored_as_the_national_number(banlat: LocalBody) -> None:
    response = _post(signed_in(banlat, "admin"), phone="๐๓๒-๔๙๑-๑๑๑")
    assert response.status_code == 302
    assert BodyProfile.objects.get(body=banlat).phone == "032491111"


def test_a_phone_outside_the_numbering_plan_is_refused_and_nothing_changes(banlat: LocalBody) -> None:
    BodyProfile.objects.create(body=banlat, phone="032491111")
    response = _post(signed_in(banlat, "admin"), phone="๑๒๓๔")
    assert response.status_code == 400
    assert response.context["form"].errors == {"phone": ["หมายเลขโทรศัพท์ไม่ถูกต้อง (เช่น 0812345678)"]}
    assert BodyProfile.objects.get(body=banlat).phone == "032491111"


def test_a_logo_over_the_pixel_limit_is_refused_in_thai(banlat: LocalBody, media: Path) -> None:
    response = _post(signed_in(banlat, "admin"), logo=SimpleUploadedFile("bomb.png", files.png_bomb()))
    assert response.status_code == 400
    assert response.context["form"].errors == {"logo": ["รูปภาพ “bomb.png” ใหญ่เกิน 40 ล้านพิกเซล จึงไม่ได้บันทึก"]}
    assert not BodyProfile.objects.filter(body=banlat).exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []


def test_a_logo_of_several_megabytes_within_the_pixel_limit_is_kept_as_a_png(banlat: LocalBody, media: Path) -> None:
    noise = Image.frombytes("RGBA", (1200, 1200), os.urandom(1200 * 1200 * 4))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    upload = io.BytesIO()
    noise.save(upload, format="PNG", exif=exif.tobytes())
    assert len(upload.getvalue()) > 4 * 1024 * 1024  # the old 1 MB limit would have refused it
    response = _post(signed_in(banlat, "admin"), logo=SimpleUploadedFile("ตรา.png", upload.getvalue()))
    assert response.status_code == 302
    profile = BodyProfile.objects.get(body=banlat)
    assert profile.logo.name == f"bodies/{banlat.schema_name}/logo.png"
    with Image.open(profile.logo.path) as stored:
        assert (stored.format, stored.mode, stored.size, dict(stored.getexif())) == ("PNG", "RGBA", (512, 512), {})


def test_the_national_admin_edits_a_profile_under_the_same_rules(banlat: LocalBody, media: Path) -> None:
    admin = verified_login(Client(HTTP_HOST="localhost"),
                           User.objects.create_superuser("national-profile", "long-enough-password-9"))
    profile = BodyProfile.objects.create(body=banlat, phone="032491111")
    url = f"/admin/portal/bodyprofile/{banlat.pk}/change/"
    data = {"body": banlat.pk, "phone": "๐๓๒ ๔๙๑ ๒๒๒", "email": "", "line_id": "", "office_hours": "",
            "reopen_window_days": "30", "tile_url": "", "retention_years": "", "_save": "Save"}
    refused = admin.post(url, {**data, "logo": SimpleUploadedFile("bomb.png", files.png_bomb())})
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors == {
        "logo": ["รูปภาพ “bomb.png” ใหญ่เกิน 40 ล้านพิกเซล จึงไม่ได้บันทึก"]}
    assert admin.post(url, data).status_code == 302
    profile.refresh_from_db()
    assert (profile.phone, profile.logo.name) == ("032491222", "")
