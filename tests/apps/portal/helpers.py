"""Test helpers for the portal: a valid filing form, a tiny real JPEG, staff actions on a case."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from PIL import Image

from apps.complaints.models import Category, Complaint
from tenants.models import LocalBody


def jpeg(name: str = "photo.jpg", size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def category_id(body: LocalBody, code: str = "streetlight") -> int:
    with schema_context(body.schema_name):
        return Category.objects.get(national_category_id=code).pk


def form_data(body: LocalBody, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "category": category_id(body), "description": "ไฟถนนหน้าวัดบ้านลาดดับ 3 คืนแล้ว",
        "location_text": "หน้าวัดบ้านลาด", "moo": "3", "subdistrict": "",
        "latitude": "13.000100", "longitude": "99.950200",
        "name": "สมหญิง ใจงาม", "phone": "0891234567", "email": "", "line_id": "",
        "consent": "on", "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def complaints_count(body: LocalBody) -> int:
    with schema_context(body.schema_name):
        return Complaint.objects.count()


def filed(client: object, body: LocalBody) -> Complaint:
    """The complaint this client just filed (other tests may have left committed cases behind)."""
    code = client.session["portal_receipt"]["code"]  # type: ignore[attr-defined]
    with schema_context(body.schema_name):
        return Complaint.objects.get(tracking_code=code)
